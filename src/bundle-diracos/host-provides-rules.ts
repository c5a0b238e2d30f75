/**
 * What the closure solver is told the host provides, besides the host-library policy's sonames
 * (src/rules/host-libraries.ts) and the manifest's ignoredPackages: capabilities that are not
 * libraries, and, on RPM platforms, the package names of the glibc family (so a base repository's
 * glibc is never pulled into the bundle).
 */
import type { PlatformSpec } from '../manifest/types.js';

/** Name of the generated virtual package; never shipped. */
export const HOST_PROVIDES_NAME = 'diracos-host-provides';

/** Capabilities every glibc host has: ld.so's hash style and the interpreters of RPM scriptlets. */
export const HOST_CAPABILITIES: readonly string[] = ['rtld(GNU_HASH)', '/bin/sh', '/usr/bin/sh', '/bin/bash', '/usr/bin/bash', '/usr/bin/env'];

/** Packages of the glibc family per platform family: provided (and excluded from base repositories). */
export const HOST_PACKAGES: Readonly<Record<PlatformSpec['family'], readonly string[]>> = {
  debian: [],
  el: ['glibc', 'glibc-common', 'glibc-minimal-langpack', 'glibc-langpack-en', 'libgcc', 'libxcrypt'],
  fedora: ['glibc', 'glibc-common', 'glibc-minimal-langpack', 'glibc-langpack-en', 'libgcc'],
};

/** Library directories of a platform root searched for libraries that may be grafted. */
export const GRAFT_SEARCH_DIRS: readonly string[] = [
  '/lib/x86_64-linux-gnu',
  '/usr/lib/x86_64-linux-gnu',
  '/lib/aarch64-linux-gnu',
  '/usr/lib/aarch64-linux-gnu',
  '/lib64',
  '/usr/lib64',
  '/lib',
  '/usr/lib',
];

/** Where grafted libraries go in the bundle. */
export const GRAFT_DIR = 'usr/lib64';
