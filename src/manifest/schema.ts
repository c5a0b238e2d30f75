/**
 * The manifest schema as data: the validator walks it, the README's reference is generated from it.
 * Keep `types.ts` in step (a unit test checks every documented key against an example manifest).
 */
import { RESERVED_ENVIRONMENT } from './policy.js';
import { BUILD_BACKENDS } from './overrides.js';

export type Schema =
  | { type: 'string'; pattern?: RegExp; patternHint?: string; enum?: readonly string[] }
  /** One string or a non-empty list of them, read as a list (mirrors of one file). */
  | { type: 'strings'; pattern?: RegExp; patternHint?: string }
  /** A string, number or boolean, kept as its string form (rpm define values). */
  | { type: 'scalar' }
  | { type: 'boolean' }
  | { type: 'integer'; min?: number }
  | { type: 'array'; items: Schema; minItems?: number }
  /** Free-form keys (environment variables, defines). */
  | { type: 'map'; values: Schema; keyPattern?: RegExp; keyHint?: string }
  | {
      type: 'object';
      name: string;
      fields: Readonly<Record<string, Field>>;
      exactlyOne?: readonly string[];
      /** Combinations of `exactlyOne` keys that may stand together (e.g. srpm with spec: its spec replaced by ours). */
      together?: ReadonlyArray<{ keys: readonly string[]; meaning: string }>;
      atMostOne?: readonly string[];
      /** Keys that need another key beside them (reported on the mapping). */
      needs?: ReadonlyArray<{ key: string; needs: string; message: string }>;
      /** Keys that are only meaningful beside another key (reported on the key). */
      onlyWith?: ReadonlyArray<{ key: string; with: string; message: string }>;
      /** Keys that must not stand beside another key (reported on the key). */
      notWith?: ReadonlyArray<{ key: string; with: string; message: string }>;
    };

export type Field = Schema & { required?: boolean; doc: string };

const sha256: Field = { type: 'string', pattern: /^[0-9a-f]{64}$/, patternHint: '64 lowercase hex digits', doc: 'sha256 of the file' };
// As the download cache stores them (sources/store.ts checkFileName): one component, not hidden (nor `..`), one line.
const fileName: Field = { type: 'string', pattern: /^(?!\.)[^/\p{Cc}]+$/u, patternHint: 'a file name without / or control characters that does not start with .', doc: 'name to store the file under (default: from the url or path)' };
const stringList = (doc: string, minItems?: number): Field => ({ type: 'array', items: { type: 'string' }, minItems, doc });
const envMap = (doc: string): Field => ({
  type: 'map',
  values: { type: 'scalar' },
  keyPattern: /^[A-Za-z_][A-Za-z0-9_]*$/,
  keyHint: 'an environment variable name',
  doc,
});

/**
 * A source: one file (one sha256) and the ways to get it. `url` (mirrors, tried in order) and `apt`
 * (a Debian source package shipping the same bytes as its orig tarball) may stand together; `path`
 * stands alone. Without sha256 a url/apt source is not locked yet: `diracos lock` fills it in.
 */
export const sourceSchema: Schema = {
  type: 'object',
  name: 'source',
  exactlyOne: ['url', 'path', 'apt'],
  together: [{ keys: ['url', 'apt'], meaning: 'url with apt: ways to the same bytes, urls first' }],
  fields: {
    url: {
      type: 'strings',
      pattern: /^(https?|file):\/\/\S+$/,
      patternHint: 'an http, https or file URL',
      doc: 'download URL, or a list of mirrors tried in order',
    },
    path: { type: 'string', doc: 'local file or directory, relative to the manifest' },
    apt: {
      type: 'string',
      pattern: /^[a-z0-9][a-z0-9+.-]+$/,
      patternHint: 'a Debian source package name',
      doc: 'Debian/Ubuntu source package whose upstream (orig) tarball is fetched with `apt-get source --download-only`; beside `url`, tried after the urls',
    },
    version: { type: 'string', doc: 'with apt: the source package version to fetch' },
    sha256: {
      ...sha256,
      doc: 'sha256 of the file, whichever way it came: url and apt sources without one are not locked yet (`diracos lock` writes it; fetching refuses them until then); with path, the file is checked against it (a directory cannot have one)',
    },
    fileName: { ...fileName, doc: 'name to store the file under (default: from the first url, else the path, else the Debian orig tarball\'s name)' },
  },
  onlyWith: [{ key: 'version', with: 'apt', message: 'version goes only with apt' }],
};

const source = (doc: string, required = false): Field => ({ ...sourceSchema, doc, required });

/** Options a package inherits from `build`, then from its group (maps merge, lists and scalars replace). */
export const buildOptionFields: Readonly<Record<string, Field>> = {
  defines: { type: 'map', values: { type: 'scalar' }, keyPattern: /^[A-Za-z_][A-Za-z0-9_]*$/, keyHint: 'an rpm macro name', doc: 'rpm macros passed as `--define "name value"`' },
  with: stringList('bconds passed as `--with NAME`'),
  without: stringList('bconds passed as `--without NAME`'),
  check: { type: 'boolean', doc: 'run the %check section (default true; false passes `--nocheck`)' },
  buildOnly: { type: 'boolean', doc: 'RPMs go to the repository\'s buildOnly part: used to build, never bundled (a shipped package requiring one fails the bundle, naming both)' },
  pkgList: stringList('only the built RPMs with these names enter the repository'),
  excludePatterns: stringList('built RPMs whose file name matches one of these globs are dropped (e.g. `*-debuginfo-*`; globs, not regexes: validate warns about `.*`)'),
  preSteps: stringList('shell commands run in the build container before the build, after the BuildRequires are installed, in the rpmbuild tree (see Routines)'),
  buildCommand: {
    type: 'string',
    doc: 'a shell command run in the build container instead of `rpmbuild -ba` (container backend; see Routines: `eval "$DIRACOS_RPMBUILD"` runs the default)',
  },
  postSteps: stringList('shell commands run on the build platform after the package entered the repository'),
};

/** Where a group or package builds, when not on `build.platform` or not with its plain settings (inherited group -> package). */
export const placementFields: Readonly<Record<string, Field>> = {
  platform: { type: 'string', doc: 'build on this platform (a name from `platforms`) instead of `build.platform`' },
  platformOptions: {
    type: 'object',
    name: 'platform options',
    doc: 'additions to the build platform for these builds (replaced as a whole by a closer level); EPEL stays excluded',
    fields: {
      setup: stringList('shell commands run after the platform\'s setup: these packages build in that prepared image'),
      chrootSetup: stringList('mock: packages added to the platform\'s chroot setup (`chroot_setup_cmd`) for these builds'),
    },
  },
};

const packageSchema: Schema = {
  type: 'object',
  name: 'package',
  exactlyOne: ['srpm', 'spec', 'tarball', 'rpms'],
  together: [{ keys: ['srpm', 'spec'], meaning: 'srpm with spec: the SRPM\'s spec replaced by ours' }],
  fields: {
    name: { type: 'string', required: true, pattern: /^[A-Za-z0-9][A-Za-z0-9._+-]*$/, patternHint: 'an RPM name', doc: 'package name, unique in the manifest' },
    srpm: source('a source RPM to rebuild'),
    spec: { type: 'string', doc: 'a spec file of ours, relative to the manifest; beside `srpm`, it replaces the SRPM\'s spec (the SRPM\'s sources stay)' },
    sources: { type: 'array', items: sourceSchema, doc: 'with spec: the files its SourceN lines name' },
    tarball: source('an upstream tarball that carries its own spec (built like `rpmbuild -ta`)'),
    rpms: {
      type: 'array',
      items: sourceSchema,
      minItems: 1,
      doc: 'prebuilt binary RPMs put into the repository as they are, nothing built (each needs a sha256)',
    },
    patches: stringList('patch files (relative to the manifest) placed where the spec\'s PatchN lines expect them'),
    specPatches: stringList(
      'with srpm: patches applied with `patch -p1` to the unpacked SRPM (its spec and sources side by side, as DIRACOS v1 did) before the rebuild; they may edit the spec and add files',
    ),
    ...placementFields,
    ...buildOptionFields,
  },
  onlyWith: [
    { key: 'sources', with: 'spec', message: 'sources go only with spec (an SRPM or tarball carries its own)' },
    { key: 'specPatches', with: 'srpm', message: 'specPatches go only with srpm (they edit the SRPM\'s spec)' },
  ],
  notWith: [
    { key: 'specPatches', with: 'spec', message: 'specPatches do not go with spec: the spec is ours, edit it' },
    { key: 'patches', with: 'rpms', message: 'patches do not go with rpms: prebuilt RPMs are not built' },
    { key: 'preSteps', with: 'rpms', message: 'preSteps do not go with rpms: prebuilt RPMs are not built' },
    { key: 'buildCommand', with: 'rpms', message: 'buildCommand does not go with rpms: prebuilt RPMs are not built' },
    { key: 'platformOptions', with: 'rpms', message: 'platformOptions do not go with rpms: prebuilt RPMs are not built' },
  ],
};

const groupSchema: Schema = {
  type: 'object',
  name: 'package group',
  fields: {
    name: { type: 'string', required: true, doc: 'group name' },
    bootstrap: { type: 'boolean', doc: 'build this group first, before Python and everything else (e.g. gdb without python for mock)' },
    packages: { type: 'array', items: packageSchema, required: true, doc: 'the packages of the group' },
    ...placementFields,
    ...buildOptionFields,
  },
};

const platformSchema: Schema = {
  type: 'object',
  name: 'platform',
  fields: {
    name: { type: 'string', required: true, pattern: /^[a-z0-9][a-z0-9._-]*$/, patternHint: 'lowercase letters, digits, . _ -', doc: 'platform name, unique' },
    image: { type: 'string', required: true, doc: 'container image, e.g. `centos:7`' },
    family: { type: 'string', enum: ['debian', 'el', 'fedora'], required: true, doc: 'package family: how setup installs, which host-library policy applies' },
    setup: stringList('shell commands run once to prepare the image (cached by a hash of image and commands)'),
    env: envMap('environment for tests on this platform (e.g. `LD_PRELOAD`)'),
    required: { type: 'boolean', doc: 'a failure here fails the run (default true); false: allowed to fail, reported as a warning' },
    glibc: { type: 'string', pattern: /^\d+\.\d+$/, patternHint: 'MAJOR.MINOR', doc: 'newest glibc symbol version the bundle may need here' },
    knownMissing: stringList('libraries known to be missing here (ldd "not found"); a new one fails, a vanished one is reported'),
    modulesAllowedToFail: stringList(
      'modules of `tests.modules` allowed to fail to import here (DIRACOS v1\'s graphic modules on a host without X libraries): a failed import is a warning, one that imports is reported',
    ),
    baseRepos: {
      type: 'array',
      doc: 'base repositories of an RPM platform (e.g. vault mirrors for EL6/EL7); EPEL is never added',
      items: {
        type: 'object',
        name: 'repository',
        fields: {
          name: { type: 'string', required: true, pattern: /^[A-Za-z0-9._-]+$/, patternHint: 'a repo id', doc: 'repo id' },
          baseurl: { type: 'string', required: true, pattern: /^(https?|file):\/\/\S+$/, patternHint: 'an http, https or file URL', doc: 'base URL' },
        },
      },
    },
    mock: {
      type: 'object',
      name: 'mock settings',
      doc: 'mock target of an RPM platform',
      fields: {
        releasever: { type: 'string', doc: 'releasever, e.g. `7`' },
        distTag: { type: 'string', pattern: /^\.\S+$/, patternHint: 'starts with a dot, e.g. .el7', doc: 'the %dist tag' },
        chrootSetup: stringList('packages installed in the chroot before every build (`chroot_setup_cmd`); never `epel-release` or another EPEL package'),
      },
    },
  },
};

export const manifestSchema: Schema = {
  type: 'object',
  name: 'manifest',
  fields: {
    version: { type: 'string', required: true, pattern: /^[0-9A-Za-z][0-9A-Za-z._+-]*$/, patternHint: 'a version like 2.1.0', doc: 'DIRACOS version; names the tarball' },
    arch: { type: 'string', enum: ['x86_64', 'aarch64', 'ppc64le'], doc: 'target architecture (default x86_64)' },
    repository: { type: 'string', required: true, doc: 'RPM repository directory, relative to the manifest' },
    allowPathsOutside: stringList(
      'folders outside the manifest\'s folder that its paths may lead into (absolute, or relative to the manifest); without them every input path ' +
        '(spec, patches, path sources, pip files, find-links and local requirements, tests.script), symlinks resolved, must stay in the manifest\'s folder',
    ),
    sourceDateEpoch: {
      type: 'integer',
      min: 1,
      doc: 'SOURCE_DATE_EPOCH of the run: build time and file times of the RPMs, mtime of every tarball entry (default: the environment\'s SOURCE_DATE_EPOCH, else 946684800, 2000-01-01)',
    },
    python: {
      type: 'object',
      name: 'python',
      required: true,
      doc: 'the CPython we compile and ship',
      fields: {
        version: { type: 'string', required: true, pattern: /^3\.\d+\.\d+$/, patternHint: '3.X.Y', doc: 'CPython version' },
        source: source('CPython source tarball', true),
        configureOptions: stringList('extra `./configure` options (e.g. `--enable-optimizations`)'),
        rpmName: { type: 'string', pattern: /^[A-Za-z0-9][A-Za-z0-9._+-]*$/, patternHint: 'an RPM name', doc: 'RPM name (default `diracos-python3.X`)' },
      },
    },
    build: {
      type: 'object',
      name: 'build',
      required: true,
      doc: 'the RPMs to rebuild; its build options are inherited by groups and packages',
      fields: {
        backend: { type: 'string', enum: [...BUILD_BACKENDS], doc: '`container` (rpmbuild in a fresh container, default) or `mock`' },
        platform: { type: 'string', required: true, doc: 'name of the platform the RPMs are built on' },
        packageGroups: { type: 'array', items: groupSchema, required: true, doc: 'package groups, in order' },
        ...buildOptionFields,
      },
    },
    bundle: {
      type: 'object',
      name: 'bundle',
      doc: 'how the tarball is made',
      fields: {
        ignoredPackages: stringList(
          'packages the host provides: never shipped, their capabilities assumed present; the libraries of theirs the bundle needs are left to the host (never grafted), listed in hostLibraries.txt, and test-platforms checks every platform has them',
        ),
        excludedPackages: stringList('repository packages that are not shipped for themselves (globs, e.g. `*-devel`); still shipped when a shipped package requires one'),
        manualDependencies: stringList('packages shipped although nothing requires them'),
        removedFolders: stringList('folders removed from the bundle (relative to its root)'),
        graftLibraries: { type: 'boolean', doc: 'copy a missing NEEDED library from the build platform instead of failing' },
        compression: { type: 'string', enum: ['gzip', 'zstd'], doc: 'tarball compression (default gzip)' },
        pip: {
          type: 'object',
          name: 'pip',
          doc: 'Python packages installed into the bundle with its own pip',
          fields: {
            requirements: stringList('requirement specifiers or local paths'),
            requirementsFile: { type: 'string', doc: 'a requirements.txt, relative to the manifest, or a URL (pip `-r URL`)' },
            indexUrl: { type: 'string', doc: 'pip `--index-url`' },
            findLinks: stringList('pip `--find-links` (directories or URLs; a wheelhouse works offline)'),
            noIndex: { type: 'boolean', doc: 'pip `--no-index`' },
          },
        },
        environment: envMap(`extra variables exported by \`diracosrc\` (not ${RESERVED_ENVIRONMENT.join(', ')}: diracosrc sets those)`),
      },
    },
    platforms: { type: 'array', items: platformSchema, required: true, minItems: 1, doc: 'where the bundle is built and tested' },
    tests: {
      type: 'object',
      name: 'tests',
      doc: 'what test-platforms checks in each platform',
      fields: {
        modules: stringList('Python modules that must import, each from inside the bundle'),
        commands: stringList('shell commands that must succeed after `source diracosrc`'),
        script: { type: 'string', doc: 'a test script of the user, relative to the manifest' },
        knownBrokenLinks: stringList(
          'links the bundle stage is known to remove (paths inside the bundle, or lines of its brokenLinks.txt): another broken link fails the static checks, a known one no longer broken is reported',
        ),
      },
    },
  },
};
