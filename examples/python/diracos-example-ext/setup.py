# Metadata in setup.py, readable by every setuptools this may meet.
from setuptools import Extension, setup

setup(
    name="diracos-example-ext",
    version="0.1.0",
    description="A C extension the example DIRACOS compiles on its build platform",
    python_requires=">=3.9",
    ext_modules=[Extension("diracos_example_ext", ["src/diracos_example_ext.c"])],
)
