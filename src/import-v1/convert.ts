/**
 * `diracos import-v1`: a DIRACOS v1 configuration (config/diracos.json, with the files it names: the pip
 * requirements, the spec patches of its patchDir, its mock configurations) converted into a commented
 * diracos.yaml. Everything that has a place gets it; what has none is listed at the top with the reason.
 * The conversion reads files only; it downloads nothing and runs no tool.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, resolve as resolvePath } from 'node:path';
import { Document, isMap, isScalar, isSeq, type Node, type YAMLMap, type YAMLSeq } from 'yaml';
import { FORBIDDEN_CHROOT_PACKAGES, globForRegex } from '../manifest/policy.js';
import type { Manifest, PackageGroup, PackageSpec, PlatformSpec } from '../manifest/types.js';
import { DiracosError } from '../shared/errors.js';
import { CHROOT_NOT_A_PACKAGE, CONSUMED, NO_PLACE, PIP_PYTHON3, PYTHON2_PACKAGES, PYTHON3 } from './rules.js';

/** Something of v1's configuration that has no place in the manifest, and why. */
export interface Unplaced {
  what: string;
  reason: string;
}

export interface V1Import {
  /** The diracos.yaml text. */
  yaml: string;
  manifest: Manifest;
  unplaced: Unplaced[];
  /** The spec patches the manifest references, as `patches/<file>` (copy v1's patchDir beside it). */
  specPatches: string[];
  /** v1's patch folder (absolute), where those files are. */
  patchDir: string;
}

/** The v1 configuration's shape, as far as the conversion reads it. */
interface V1Package {
  name?: string;
  src?: string;
  comment?: string;
  [key: string]: unknown;
}
interface V1Group {
  name?: string;
  packages?: V1Package[];
  [key: string]: unknown;
}

/** What a v1 mock configuration says that matters here. */
interface MockConfig {
  file: string;
  root?: string;
  releasever?: string;
  chroot: string[];
  dist?: string;
  macros: string[];
  repos: Array<{ id: string; baseurl?: string; enabled: boolean; exclude?: string }>;
}

/** The nodes comments are attached to, by what they are. */
interface Comments {
  packages: Map<PackageSpec, string[]>;
  groups: Map<PackageGroup, string[]>;
  requirements: string[][];
  /** Trailing comments on keys: key path -> comment. */
  keys: Map<string, string>;
}

export function importV1(configFile: string): V1Import {
  const file = resolvePath(configFile);
  const dir = dirname(file);
  let v1: Record<string, unknown>;
  try {
    v1 = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new DiracosError(`cannot read the DIRACOS v1 configuration: ${(e as Error).message}`, { file });
  }
  if (!v1 || typeof v1 !== 'object' || typeof v1.rpmBuild !== 'object' || v1.rpmBuild === null) {
    throw new DiracosError('not a DIRACOS v1 configuration: no rpmBuild section', { file });
  }
  const rb = v1.rpmBuild as Record<string, unknown>;
  const unplaced: Unplaced[] = [];
  const note = (what: string, reason: string) => unplaced.push({ what, reason });
  const comments: Comments = { packages: new Map(), groups: new Map(), requirements: [], keys: new Map() };

  for (const [key, value] of Object.entries(v1)) {
    if (key === 'comment' || key === 'rpmBuild' || CONSUMED.has(key)) continue;
    note(`${key}: ${show(value)}`, NO_PLACE[key] ?? 'unknown to this converter');
  }
  for (const [key, value] of Object.entries(rb)) {
    if (CONSUMED.has(key)) continue;
    note(`rpmBuild.${key}: ${show(value)}`, NO_PLACE[key] ?? 'unknown to this converter');
  }

  // The build platform: v1's mock configuration, without EPEL.
  const defaultMockFile = typeof rb.mockConfig === 'string' ? resolvePath(dir, rb.mockConfig) : undefined;
  const defaultMock = defaultMockFile ? readMockConfig(defaultMockFile) : undefined;
  if (defaultMockFile && !defaultMock) note(`rpmBuild.mockConfig: ${rb.mockConfig}`, 'the file is not there: the build platform below is a plain EL platform');
  const platform = buildPlatform(defaultMock, note);

  // Spec patches: v1 applied patchDir/<package>.patch to the package's spec.
  const patchDir = resolvePath(dir, typeof rb.patchDir === 'string' ? rb.patchDir : '../patches');
  const patchFiles = existsSync(patchDir) ? readdirSync(patchDir).sort() : [];
  const usedPatches = new Set<string>();
  const droppedPackages = new Set<string>();

  const groups: PackageGroup[] = [];
  const seen = new Map<string, string | undefined>();
  for (const g of (rb.packageGroups ?? []) as V1Group[]) {
    const groupName = g.name ?? `group${groups.length + 1}`;
    const group: PackageGroup = { name: groupName, packages: [] };
    const groupNotes: string[] = [];
    for (const [key, value] of Object.entries(g)) {
      if (key === 'name' || key === 'packages' || key === 'mockConfig' || key === 'comment') continue;
      note(`group ${groupName}: ${key}: ${show(value)}`, NO_PLACE[key] ?? 'unknown to this converter');
    }
    if (typeof g.comment === 'string') groupNotes.push(g.comment);
    const groupMock = typeof g.mockConfig === 'string' ? resolvePath(dir, g.mockConfig) : defaultMockFile;
    if (groupMock !== defaultMockFile) {
      const options = platformOptionsOf(groupMock!, defaultMock, `group ${groupName}`, note);
      if (options) group.platformOptions = options;
    }
    for (const p of g.packages ?? []) {
      const name = p.name ?? p.src ?? '?';
      const where = `${groupName}/${name}`;
      const python2 = PYTHON2_PACKAGES[name];
      if (python2) {
        note(`package ${where}`, `Python 2: ${python2}`);
        droppedPackages.add(name);
        continue;
      }
      const src = p.src ?? '';
      if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(src)) {
        note(`package ${where} (src ${src}${p.branch ? `, branch ${show(p.branch)}` : ''})`, NO_PLACE.branch!);
        droppedPackages.add(name);
        continue;
      }
      let pkgName = name;
      if (seen.has(name)) {
        if (seen.get(name) === src) {
          note(`package ${where}, listed a second time`, 'the same SRPM as its first entry: built once here');
          continue;
        }
        pkgName = `${name}-${versionOf(name, src)}`;
      }
      seen.set(pkgName, src);
      const pkg: PackageSpec = { name: pkgName };
      const pkgNotes: string[] = [];
      if (typeof p.comment === 'string') pkgNotes.push(...p.comment.split('\n'));
      if (pkgName !== name) pkgNotes.push(`v1 listed '${name}' twice, with another SRPM before: renamed (names are unique here)`);
      for (const key of ['originalRepo', 'originalSrc']) if (typeof p[key] === 'string') pkgNotes.push(`v1 ${key}: ${p[key] as string}`);
      // v1 pinned no digests: the source is not locked yet (`diracos lock` writes its sha256)
      const url = { url: [src] };
      const fileName = basename(src.split(/[?#]/)[0]!);
      if (fileName.endsWith('.src.rpm')) pkg.srpm = url;
      else if (fileName.endsWith('.rpm')) {
        pkg.rpms = [url];
        pkgNotes.push('a prebuilt binary RPM in v1 (src): put into the repository as it is');
      } else if (/\.(tar\.(gz|bz2|xz)|tgz)$/.test(fileName)) pkg.tarball = url;
      else {
        note(`package ${where} (src ${src})`, 'neither an SRPM, a binary RPM nor a tarball');
        continue;
      }
      const patch = `${name}.patch`;
      if (patchFiles.includes(patch)) {
        usedPatches.add(patch);
        if (pkg.srpm) {
          pkg.specPatches = [`patches/${patch}`];
          const others = patchTargets(resolvePath(patchDir, patch)).filter((t) => !t.created && !t.path.endsWith('.spec'));
          if (others.length > 0) {
            const files = others.map((t) => t.path).join(', ');
            pkgNotes.push(`its spec patch also edits ${files}, which the SRPM holds inside its tarball: split it (the spec part here, the rest as a patches: file or a preStep)`);
            note(`patches/${patch}`, `also edits ${files}, inside the SRPM's tarball: v1 replaced that build with a routine; patch -p1 in the unpacked SRPM cannot reach it`);
          }
        } else note(`patches/${patch}`, `package ${where} is ${pkg.rpms ? 'a prebuilt RPM' : 'a tarball'}: nothing to patch`);
      }
      if (p.buildOnly === true) pkg.buildOnly = true;
      if (Array.isArray(p.pkgList)) pkg.pkgList = p.pkgList.map(String);
      if (Array.isArray(p.excludePatterns)) {
        const { globs, comment } = globs_(p.excludePatterns.map(String));
        pkg.excludePatterns = globs;
        if (comment) pkgNotes.push(comment);
      }
      if (typeof p.mockConfig === 'string' && resolvePath(dir, p.mockConfig) !== groupMock) {
        const options = platformOptionsOf(resolvePath(dir, p.mockConfig), defaultMock, `package ${where}`, note);
        if (options) pkg.platformOptions = options;
      }
      for (const [key, value] of Object.entries(p)) {
        if (CONSUMED.has(key)) continue;
        note(`package ${where}: ${key}: ${show(value)}`, NO_PLACE[key] ?? 'unknown to this converter');
      }
      group.packages.push(pkg);
      if (pkgNotes.length) comments.packages.set(pkg, pkgNotes);
    }
    if (group.packages.length === 0) {
      note(`group ${groupName}`, 'none of its packages has a place here');
      continue;
    }
    if (groupName === 'bootstrap') groupNotes.push("v1 built this group first; here the order follows BuildRequires (bootstrap: true would build it before our CPython)");
    groups.push(group);
    if (groupNotes.length) comments.groups.set(group, groupNotes);
  }
  for (const patch of patchFiles.filter((f) => !usedPatches.has(f))) {
    const owner = patch.replace(/\.patch.*$/, '');
    const why = /\.patch\.(fedpkg|fed)$/.test(patch)
      ? "for v1's Fedora dist-git (fedpkg) builds, which have no place here"
      : droppedPackages.has(owner)
        ? `its package (${owner}) has no place here`
        : `no package named ${owner}`;
    note(`patches/${patch}`, why);
  }

  const build: Manifest['build'] = { backend: 'mock', platform: platform.name, packageGroups: groups };
  if (Array.isArray(rb.excludePatterns)) {
    const { globs, comment } = globs_(rb.excludePatterns.map(String));
    build.excludePatterns = globs;
    if (comment) comments.keys.set('build.excludePatterns', comment);
  }

  const bundle: NonNullable<Manifest['bundle']> = {};
  if (Array.isArray(v1.ignoredPackages)) {
    const list = v1.ignoredPackages.map(String);
    const twice = list.filter((x, i) => list.indexOf(x) !== i);
    bundle.ignoredPackages = [...new Set(list)];
    if (twice.length) comments.keys.set('bundle.ignoredPackages', `v1 listed ${[...new Set(twice)].join(', ')} twice`);
  }
  if (Array.isArray(v1.manualDependencies)) bundle.manualDependencies = v1.manualDependencies.map(String);
  if (Array.isArray(v1.removedFolders)) {
    bundle.removedFolders = v1.removedFolders.map((f) => String(f).replace(/^\/+|\/+$/g, ''));
    comments.keys.set('bundle.removedFolders', 'relative to the bundle root (v1 wrote them absolute)');
  }
  if (typeof v1.pipRequirements === 'string') {
    const reqFile = resolvePath(dir, v1.pipRequirements);
    if (existsSync(reqFile)) {
      const requirements = pipRequirements(readFileSync(reqFile, 'utf8'), v1.pipRequirements, note, comments.requirements);
      bundle.pip = { requirements };
      comments.keys.set('bundle.pip', `from v1's ${v1.pipRequirements}, for Python 3`);
    } else {
      bundle.pip = { requirementsFile: v1.pipRequirements };
      note(`pipRequirements: ${v1.pipRequirements}`, 'the file is not beside the configuration: kept as requirementsFile, not converted for Python 3');
    }
  }

  const manifest: Manifest = {
    version: typeof v1.version === 'string' && /^[0-9A-Za-z][0-9A-Za-z._+-]*$/.test(v1.version) ? v1.version : '0.0.0',
    repository: 'repo',
    python: { version: PYTHON3.version, source: PYTHON3.source },
    build,
    ...(Object.keys(bundle).length ? { bundle } : {}),
    platforms: [platform],
  };
  if (typeof rb.repo === 'string') comments.keys.set('repository', `v1: ${rb.repo} (relative paths are relative to this file)`);
  const header = headerLines(basename(file), typeof v1.comment === 'string' ? v1.comment : undefined, unplaced);
  return { yaml: render(manifest, header, comments), manifest, unplaced, specPatches: [...usedPatches].sort().map((p) => `patches/${p}`), patchDir };
}

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The version part of an SRPM URL after the package's name (`globus-openssl-module-4.8-1.el6.src.rpm` -> `4.8`). */
function versionOf(name: string, src: string): string {
  const file = basename(src);
  const rest = file.startsWith(`${name}-`) ? file.slice(name.length + 1) : file;
  return rest.split('-')[0]!.replace(/[^A-Za-z0-9._+]/g, '') || '2';
}

/** Regexes to globs, with a comment saying what v1 had. */
function globs_(patterns: string[]): { globs: string[]; comment?: string } {
  const globs = patterns.map((p) => globForRegex(p) ?? p);
  const changed = patterns.some((p, i) => p !== globs[i]);
  return { globs, comment: changed ? `v1 (regexes): ${patterns.join(' ')}` : undefined };
}

/** The files a patch touches (`+++` lines, one leading folder stripped as patch -p1 does), and whether it creates them. */
export function patchTargets(patchFile: string): Array<{ path: string; created: boolean }> {
  const lines = readFileSync(patchFile, 'utf8').split('\n');
  const out: Array<{ path: string; created: boolean }> = [];
  for (let i = 1; i < lines.length; i++) {
    const plus = /^\+\+\+ (\S+)/.exec(lines[i]!);
    const minus = /^--- (\S+)/.exec(lines[i - 1]!);
    if (!plus || !minus) continue;
    out.push({ path: plus[1]!.split('/').slice(1).join('/'), created: minus[1] === '/dev/null' });
  }
  return out;
}

function readMockConfig(file: string): MockConfig | undefined {
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  const opt = (key: string) => new RegExp(`^config_opts\\['${key}'\\]\\s*=\\s*['"]([^'"]*)['"]`, 'm').exec(text)?.[1];
  const repos: MockConfig['repos'] = [];
  const conf = /config_opts\['(?:yum|dnf)\.conf'\]\s*=\s*"""([\s\S]*?)"""/.exec(text)?.[1] ?? '';
  for (const section of conf.split(/^\[/m).slice(1)) {
    const id = section.slice(0, section.indexOf(']'));
    if (id === 'main') continue;
    const value = (k: string) => new RegExp(`^${k}\\s*=\\s*(.*)$`, 'm').exec(section)?.[1]?.trim();
    repos.push({ id, baseurl: value('baseurl'), enabled: value('enabled') !== '0', exclude: value('exclude') });
  }
  return {
    file,
    root: opt('root'),
    releasever: opt('releasever'),
    chroot: (opt('chroot_setup_cmd') ?? '').replace(/^install\s+/, '').split(/\s+/).filter(Boolean),
    dist: /^config_opts\['macros'\]\['%dist'\]\s*=\s*['"]([^'"]*)['"]/m.exec(text)?.[1],
    macros: [...text.matchAll(/^config_opts\['macros'\]\['(%[^']+)'\]/gm)].map((m) => m[1]!),
    repos,
  };
}

const epelWhy = (pkg: string) => FORBIDDEN_CHROOT_PACKAGES.find((r) => r.pattern.test(pkg))?.why;

/** The build platform from v1's mock configuration (an EL platform built with mock, EPEL left out). */
function buildPlatform(mock: MockConfig | undefined, note: (what: string, reason: string) => void): PlatformSpec {
  const target = /^epel-(\d+)-([A-Za-z0-9_]+)$/.exec(mock?.root ?? '');
  const releasever = mock?.releasever ?? target?.[1] ?? '6';
  const arch = target?.[2] ?? 'x86_64';
  const where = `rpmBuild.mockConfig (${basename(mock?.file ?? 'none')})`;
  const baseRepos: NonNullable<PlatformSpec['baseRepos']> = [];
  for (const repo of mock?.repos ?? []) {
    if (!repo.enabled) {
      note(`${where}: repository ${repo.id}`, /epel/i.test(repo.id) ? 'EPEL is never used (and v1 had it disabled)' : 'disabled in v1');
    } else if (/epel/i.test(repo.id) || /epel/i.test(repo.baseurl ?? '')) {
      note(`${where}: repository ${repo.id}`, 'EPEL is never used: everything beyond the base OS is rebuilt by us');
    } else if (!repo.baseurl || repo.baseurl.startsWith('file:')) {
      note(`${where}: repository ${repo.id} (${repo.baseurl ?? 'no baseurl'})`, "v1's own repository: ours (repository:) is always the first repository of a build");
    } else baseRepos.push({ name: repo.id, baseurl: repo.baseurl.replaceAll('$basearch', arch).replaceAll('$releasever', releasever) });
  }
  const excludes = (mock?.repos ?? []).filter((r) => r.enabled && r.exclude && baseRepos.some((b) => b.name === r.id));
  if (excludes.length) {
    note(`${where}: exclude= of ${excludes.map((r) => r.id).join(', ')}`, 'the packages of our repository are hidden in the base repositories automatically; what else v1 hid there comes from them');
  }
  const chroot = (mock?.chroot ?? []).filter((pkg) => {
    const why = epelWhy(pkg);
    if (why) note(`${where}: chroot_setup_cmd ${pkg}`, why);
    if (CHROOT_NOT_A_PACKAGE.test(pkg)) note(`${where}: chroot_setup_cmd ${pkg}`, 'a package group: the build root is written out as packages here (the target\'s buildsys packages by default)');
    return !why && !CHROOT_NOT_A_PACKAGE.test(pkg);
  });
  if (mock?.dist) note(`${where}: %dist ${mock.dist}`, "names v1's Python 2.7 build (py27): the platform's default %dist is used");
  const ownMacros = (mock?.macros ?? []).filter((m) => m !== '%dist');
  if (ownMacros.length) note(`${where}: macros ${ownMacros.join(', ')}`, 'set by the mock backend itself (-j<cores>, pigz and lbzip2 when the build root has them)');
  return {
    name: `el${releasever}`,
    image: `centos:${releasever}`,
    family: 'el',
    ...(baseRepos.length ? { baseRepos } : {}),
    mock: { releasever, ...(chroot.length ? { chrootSetup: chroot } : {}) },
  };
}

/** A group's or package's other mock configuration, as additions to the build platform's chroot setup. */
function platformOptionsOf(file: string, base: MockConfig | undefined, where: string, note: (what: string, reason: string) => void): PackageSpec['platformOptions'] {
  const mock = readMockConfig(file);
  if (!mock) {
    note(`${where}: mockConfig ${basename(file)}`, 'the file is not there: built with the build platform as it is');
    return undefined;
  }
  const have = new Set(base?.chroot ?? []);
  const added = mock.chroot.filter((p) => !have.has(p) && !CHROOT_NOT_A_PACKAGE.test(p) && !epelWhy(p));
  const other = mock.repos.filter((r) => r.enabled).map((r) => r.id);
  note(`${where}: mockConfig ${basename(file)}`, `its repositories (${other.join(', ') || 'none'}) have no place: a build uses the build platform's base repositories and ours, never EPEL${added.length ? '; its extra chroot packages are platformOptions.chrootSetup' : ''}`);
  return added.length ? { chrootSetup: added } : undefined;
}

/** v1's requirements for Python 3: Python 2-only ones dropped, Python 2 pins lifted, comments kept. */
function pipRequirements(text: string, file: string, note: (what: string, reason: string) => void, comments: string[][]): string[] {
  const out: string[] = [];
  let pending: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      pending.push(line.replace(/^#\s?/, ''));
      continue;
    }
    const name = (/[#&]egg=([A-Za-z0-9_.-]+)/.exec(line)?.[1] ?? /^([A-Za-z0-9_.-]+)/.exec(line)?.[1] ?? '').toLowerCase();
    const rule = PIP_PYTHON3[name];
    if (rule && 'drop' in rule) {
      note(`${file}: ${line}`, `Python 2: ${rule.drop}`);
      pending = []; // its comments go with it
      continue;
    }
    out.push(rule ? rule.replace : line);
    comments.push([...pending, ...(rule ? [`${rule.why} (${line})`] : [])]);
    pending = [];
  }
  return out;
}

function headerLines(file: string, comment: string | undefined, unplaced: Unplaced[]): string[] {
  return [
    ` DIRACOS manifest converted from DIRACOS v1's ${file} by \`diracos import-v1\`${comment ? ` (v1: "${comment}")` : ''}.`,
    '',
    ' Python 3: DIRACOS v1 shipped Python 2.7. DIRAC\'s current releases run on Python 3, so this manifest builds',
    ` CPython ${PYTHON3.version} (python:) and leaves v1's Python 2 packages and Python 2-only pip requirements out.`,
    '',
    ' Before building:',
    ' - v1 pinned no digests: no url source has a sha256 yet. `diracos lock` downloads each and writes its sha256',
    '   here (validate warns about each source not locked, fetching refuses it);',
    " - copy v1's patches/ folder beside this file (specPatches: paths are relative to this file);",
    ' - the build platform runs mock in its image: install mock in its setup (never from EPEL into a build root).',
    '',
    ` What of v1's configuration has no place here (${unplaced.length}):`,
    ...unplaced.map((u) => ` - ${u.what}: ${u.reason}`),
  ];
}

/** The manifest as YAML with the comments: the header, one per group, package, requirement and some keys. */
function render(manifest: Manifest, header: string[], comments: Comments): string {
  const doc = new Document(manifest);
  doc.commentBefore = header.join('\n');
  const groups = doc.getIn(['build', 'packageGroups'], true) as YAMLSeq;
  manifest.build.packageGroups.forEach((group, gi) => {
    const gNode = groups.items[gi] as YAMLMap;
    const gNotes = comments.groups.get(group);
    if (gNotes) gNode.commentBefore = gNotes.map((l) => ` ${l}`).join('\n');
    const pkgs = gNode.get('packages', true) as unknown as YAMLSeq;
    group.packages.forEach((pkg, pi) => {
      const node = pkgs.items[pi] as YAMLMap;
      const notes = comments.packages.get(pkg);
      if (notes) node.commentBefore = notes.map((l) => ` ${l}`).join('\n');
      flowSources(node);
    });
  });
  for (const [path, comment] of comments.keys) keyComment(doc, path.split('.'), comment);
  const reqs = doc.getIn(['bundle', 'pip', 'requirements'], true);
  if (reqs && isSeq(reqs)) {
    reqs.items.forEach((item, i) => {
      const c = comments.requirements[i];
      if (c?.length) (item as Node).commentBefore = c.map((l) => ` ${l}`).join('\n');
    });
  }
  keyComment(doc, ['python'], "DIRAC's current releases run on Python 3 (v1's 2.7 is history): our CPython, from Debian's upstream tarball");
  keyComment(doc, ['platforms', 0, 'baseRepos'], "the enabled base repositories of v1's mock configuration");
  keyComment(doc, ['platforms', 0, 'mock'], "v1's mock configuration, without EPEL");
  for (const path of [['python', 'source'], ['platforms', 0, 'mock']]) {
    const node = doc.getIn(path, true);
    if (node && isMap(node)) node.flow = true;
  }
  return doc.toString({ lineWidth: 0 });
}

/** A comment on the line before a key (path: the keys and indexes down to it). */
function keyComment(doc: Document, path: Array<string | number>, comment: string): void {
  const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
  if (!parent || !isMap(parent)) return;
  const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === path.at(-1));
  if (pair && isScalar(pair.key)) pair.key.commentBefore = ` ${comment}`;
}

/** Sources on one line each (`srpm: { url: ..., sha256: ... }`), as the manifests of this project write them. */
function flowSources(pkg: YAMLMap): void {
  for (const key of ['srpm', 'tarball']) {
    const node = pkg.get(key, true);
    if (node && isMap(node)) node.flow = true;
  }
  const rpms = pkg.get('rpms', true);
  if (rpms && isSeq(rpms)) for (const item of rpms.items) if (isMap(item)) item.flow = true;
  for (const key of ['pkgList', 'excludePatterns', 'specPatches']) {
    const node = pkg.get(key, true);
    if (node && isSeq(node)) node.flow = true;
  }
  const options = pkg.get('platformOptions', true);
  if (options && isMap(options)) options.flow = true;
}
