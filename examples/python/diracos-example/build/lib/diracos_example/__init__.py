"""Proves pip installed into the bundle: its console script must run through the bundled Python."""
import sqlite3
import ssl
import sys


def hello() -> None:
    print(f"hello from {sys.prefix} with {ssl.OPENSSL_VERSION} and sqlite {sqlite3.sqlite_version}")
