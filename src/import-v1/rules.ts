/**
 * How DIRACOS v1's configuration maps onto a diracos.yaml, as data: what has no place (and why), the
 * Python we ship instead of v1's 2.7, and what Python 3 does with v1's pip requirements.
 */
import type { SourceSpec } from '../manifest/types.js';

/** Keys of v1's configuration with no place here, and why (top level, rpmBuild, groups, packages). */
export const NO_PLACE: Readonly<Record<string, string>> = {
  mockRoot: "mock's root is generated here (diracos-<platform>-<arch>), one per platform and options",
  routineDir: "v1's routines (Python scripts) are not part of the configuration; their equivalents here are preSteps, buildCommand and postSteps (README: Routines)",
  postRoutine: 'a v1 routine (a Python script of routines/, not part of the configuration): write what it did as postSteps (e.g. `mock -r "$DIRACOS_MOCK_CONFIG" --scrub=root-cache`)',
  mockInstallConfig: 'v1 installed the bundle with mock; here the bundle stage extracts the RPMs and their closure itself',
  mockInstallRoot: 'v1 installed the bundle with mock; here the bundle stage extracts the RPMs and their closure itself',
  pipBuildDependencies:
    "pip runs in a container of the build platform (an sdist with C code is compiled there): install these in the build platform's setup; packages of our repository are not installed into it",
  branch: 'a Fedora dist-git source (src names a package, branch a Fedora branch) has no source kind here: give its SRPM (e.g. from Koji) as srpm',
  RCRepos: "recorded for reference in v1 (the DMC release-candidate repository); nothing used it",
  TestingRepos: "recorded for reference in v1 (the DMC testing repository); nothing used it",
  ProdRepos: "recorded for reference in v1 (the DMC production repository); nothing used it",
};

/** v1 keys that are consumed by the conversion without a key of their own (their effect has a place). */
export const CONSUMED = new Set(['name', 'src', 'comment', 'packages', 'packageGroups', 'mockConfig', 'patchDir', 'repo', 'excludePatterns', 'buildOnly', 'pkgList', 'originalRepo', 'originalSrc', 'version', 'rpmBuild', 'pipRequirements', 'ignoredPackages', 'manualDependencies', 'removedFolders']);

/** v1 packages that are Python 2 itself: DIRAC's current releases run on Python 3, shipped as `python:`. */
export const PYTHON2_PACKAGES: Readonly<Record<string, string>> = {
  python: 'the Python 2.7 interpreter: DIRAC runs on Python 3, our CPython is `python:`',
  'python-i386': 'the 32-bit Python 2.7 interpreter: DIRAC runs on Python 3, our CPython is `python:`',
};

/** The CPython the converted manifest ships (the one the example builds, from Debian's upstream tarball). */
export const PYTHON3: { version: string; source: SourceSpec } = {
  version: '3.11.2',
  source: { apt: 'python3.11', version: '3.11.2-6+deb12u8', sha256: '2411c74bda5bbcfcddaf4531f66d1adc73f247f529aee981b029513aefdbf849' },
};

/**
 * v1's pip requirements under Python 3, by the requirement's name (lower case): dropped (the reason) or
 * replaced (a Python-2 pin lifted).
 */
export const PIP_PYTHON3: Readonly<Record<string, { drop: string } | { replace: string; why: string }>> = {
  futures: { drop: 'backport of concurrent.futures, which is in Python 3' },
  subprocess32: { drop: "backport of Python 3's subprocess" },
  funcsigs: { drop: 'backport of inspect.signature, which is in Python 3' },
  typing: { drop: 'typing is in the standard library since Python 3.5' },
  'backports.lzma': { drop: 'lzma is in the standard library of Python 3' },
  selectors2: { drop: 'backport of selectors, which is in Python 3' },
  readline: { drop: 'readline is a module of Python 3 itself' },
  'mysql-python': { drop: 'Python 2 only (its Python 3 successor is mysqlclient)' },
  matplotlib: { replace: 'matplotlib>=2.1.0', why: 'v1 pinned <3.0, the last matplotlib for Python 2' },
  'stomp.py': { replace: 'stomp.py', why: 'v1 pinned 4.1.22, the last stomp.py for Python 2' },
  setuptools_scm: { replace: 'setuptools_scm', why: 'v1 pinned <6.0, the last setuptools_scm for Python 2' },
  ipython: { replace: 'ipython', why: 'v1 pinned 5.3.0, of the last IPython series for Python 2' },
  cachetools: { replace: 'cachetools', why: 'v1 pinned <4, the last cachetools for Python 2' },
};

/** Chroot setup entries of a v1 mock config that are not packages of the build root. */
export const CHROOT_NOT_A_PACKAGE = /^@/;
