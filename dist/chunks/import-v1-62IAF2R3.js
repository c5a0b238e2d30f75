import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  replaceFile
} from "./chunk-IPZFQFHS.js";
import {
  FORBIDDEN_CHROOT_PACKAGES,
  globForRegex,
  require_dist
} from "./chunk-6GWKZRC5.js";
import {
  option
} from "./chunk-BRQLUY4V.js";
import {
  DiracosError,
  __toESM
} from "./chunk-5I364NK5.js";

// src/cli/commands/import-v1.ts
import { resolve as resolvePath2 } from "node:path";

// src/import-v1/convert.ts
var import_yaml = __toESM(require_dist(), 1);
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, resolve as resolvePath } from "node:path";

// src/import-v1/rules.ts
var NO_PLACE = {
  mockRoot: "mock's root is generated here (diracos-<platform>-<arch>), one per platform and options",
  routineDir: "v1's routines (Python scripts) are not part of the configuration; their equivalents here are preSteps, buildCommand and postSteps (README: Routines)",
  postRoutine: 'a v1 routine (a Python script of routines/, not part of the configuration): write what it did as postSteps (e.g. `mock -r "$DIRACOS_MOCK_CONFIG" --scrub=root-cache`)',
  mockInstallConfig: "v1 installed the bundle with mock; here the bundle stage extracts the RPMs and their closure itself",
  mockInstallRoot: "v1 installed the bundle with mock; here the bundle stage extracts the RPMs and their closure itself",
  pipBuildDependencies: "pip runs in a container of the build platform (an sdist with C code is compiled there): install these in the build platform's setup; packages of our repository are not installed into it",
  branch: "a Fedora dist-git source (src names a package, branch a Fedora branch) has no source kind here: give its SRPM (e.g. from Koji) as srpm",
  RCRepos: "recorded for reference in v1 (the DMC release-candidate repository); nothing used it",
  TestingRepos: "recorded for reference in v1 (the DMC testing repository); nothing used it",
  ProdRepos: "recorded for reference in v1 (the DMC production repository); nothing used it"
};
var CONSUMED = /* @__PURE__ */ new Set(["name", "src", "comment", "packages", "packageGroups", "mockConfig", "patchDir", "repo", "excludePatterns", "buildOnly", "pkgList", "originalRepo", "originalSrc", "version", "rpmBuild", "pipRequirements", "ignoredPackages", "manualDependencies", "removedFolders"]);
var PYTHON2_PACKAGES = {
  python: "the Python 2.7 interpreter: DIRAC runs on Python 3, our CPython is `python:`",
  "python-i386": "the 32-bit Python 2.7 interpreter: DIRAC runs on Python 3, our CPython is `python:`"
};
var PYTHON3 = {
  version: "3.11.2",
  source: { apt: "python3.11", version: "3.11.2-6+deb12u8", sha256: "2411c74bda5bbcfcddaf4531f66d1adc73f247f529aee981b029513aefdbf849" }
};
var PIP_PYTHON3 = {
  futures: { drop: "backport of concurrent.futures, which is in Python 3" },
  subprocess32: { drop: "backport of Python 3's subprocess" },
  funcsigs: { drop: "backport of inspect.signature, which is in Python 3" },
  typing: { drop: "typing is in the standard library since Python 3.5" },
  "backports.lzma": { drop: "lzma is in the standard library of Python 3" },
  selectors2: { drop: "backport of selectors, which is in Python 3" },
  readline: { drop: "readline is a module of Python 3 itself" },
  "mysql-python": { drop: "Python 2 only (its Python 3 successor is mysqlclient)" },
  matplotlib: { replace: "matplotlib>=2.1.0", why: "v1 pinned <3.0, the last matplotlib for Python 2" },
  "stomp.py": { replace: "stomp.py", why: "v1 pinned 4.1.22, the last stomp.py for Python 2" },
  setuptools_scm: { replace: "setuptools_scm", why: "v1 pinned <6.0, the last setuptools_scm for Python 2" },
  ipython: { replace: "ipython", why: "v1 pinned 5.3.0, of the last IPython series for Python 2" },
  cachetools: { replace: "cachetools", why: "v1 pinned <4, the last cachetools for Python 2" }
};
var CHROOT_NOT_A_PACKAGE = /^@/;

// src/import-v1/convert.ts
function importV1(configFile) {
  const file = resolvePath(configFile);
  const dir = dirname(file);
  let v1;
  try {
    v1 = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new DiracosError(`cannot read the DIRACOS v1 configuration: ${e.message}`, { file });
  }
  if (!v1 || typeof v1 !== "object" || typeof v1.rpmBuild !== "object" || v1.rpmBuild === null) {
    throw new DiracosError("not a DIRACOS v1 configuration: no rpmBuild section", { file });
  }
  const rb = v1.rpmBuild;
  const unplaced = [];
  const note = (what, reason) => unplaced.push({ what, reason });
  const comments = { packages: /* @__PURE__ */ new Map(), groups: /* @__PURE__ */ new Map(), requirements: [], keys: /* @__PURE__ */ new Map() };
  for (const [key, value] of Object.entries(v1)) {
    if (key === "comment" || key === "rpmBuild" || CONSUMED.has(key)) continue;
    note(`${key}: ${show(value)}`, NO_PLACE[key] ?? "unknown to this converter");
  }
  for (const [key, value] of Object.entries(rb)) {
    if (CONSUMED.has(key)) continue;
    note(`rpmBuild.${key}: ${show(value)}`, NO_PLACE[key] ?? "unknown to this converter");
  }
  const defaultMockFile = typeof rb.mockConfig === "string" ? resolvePath(dir, rb.mockConfig) : void 0;
  const defaultMock = defaultMockFile ? readMockConfig(defaultMockFile) : void 0;
  if (defaultMockFile && !defaultMock) note(`rpmBuild.mockConfig: ${rb.mockConfig}`, "the file is not there: the build platform below is a plain EL platform");
  const platform = buildPlatform(defaultMock, note);
  const patchDir = resolvePath(dir, typeof rb.patchDir === "string" ? rb.patchDir : "../patches");
  const patchFiles = existsSync(patchDir) ? readdirSync(patchDir).sort() : [];
  const usedPatches = /* @__PURE__ */ new Set();
  const droppedPackages = /* @__PURE__ */ new Set();
  const groups = [];
  const seen = /* @__PURE__ */ new Map();
  for (const g of rb.packageGroups ?? []) {
    const groupName = g.name ?? `group${groups.length + 1}`;
    const group = { name: groupName, packages: [] };
    const groupNotes = [];
    for (const [key, value] of Object.entries(g)) {
      if (key === "name" || key === "packages" || key === "mockConfig" || key === "comment") continue;
      note(`group ${groupName}: ${key}: ${show(value)}`, NO_PLACE[key] ?? "unknown to this converter");
    }
    if (typeof g.comment === "string") groupNotes.push(g.comment);
    const groupMock = typeof g.mockConfig === "string" ? resolvePath(dir, g.mockConfig) : defaultMockFile;
    if (groupMock !== defaultMockFile) {
      const options = platformOptionsOf(groupMock, defaultMock, `group ${groupName}`, note);
      if (options) group.platformOptions = options;
    }
    for (const p of g.packages ?? []) {
      const name = p.name ?? p.src ?? "?";
      const where = `${groupName}/${name}`;
      const python2 = PYTHON2_PACKAGES[name];
      if (python2) {
        note(`package ${where}`, `Python 2: ${python2}`);
        droppedPackages.add(name);
        continue;
      }
      const src = p.src ?? "";
      if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(src)) {
        note(`package ${where} (src ${src}${p.branch ? `, branch ${show(p.branch)}` : ""})`, NO_PLACE.branch);
        droppedPackages.add(name);
        continue;
      }
      let pkgName = name;
      if (seen.has(name)) {
        if (seen.get(name) === src) {
          note(`package ${where}, listed a second time`, "the same SRPM as its first entry: built once here");
          continue;
        }
        pkgName = `${name}-${versionOf(name, src)}`;
      }
      seen.set(pkgName, src);
      const pkg = { name: pkgName };
      const pkgNotes = [];
      if (typeof p.comment === "string") pkgNotes.push(...p.comment.split("\n"));
      if (pkgName !== name) pkgNotes.push(`v1 listed '${name}' twice, with another SRPM before: renamed (names are unique here)`);
      for (const key of ["originalRepo", "originalSrc"]) if (typeof p[key] === "string") pkgNotes.push(`v1 ${key}: ${p[key]}`);
      const url = { url: [src] };
      const fileName = basename(src.split(/[?#]/)[0]);
      if (fileName.endsWith(".src.rpm")) pkg.srpm = url;
      else if (fileName.endsWith(".rpm")) {
        pkg.rpms = [url];
        pkgNotes.push("a prebuilt binary RPM in v1 (src): put into the repository as it is");
      } else if (/\.(tar\.(gz|bz2|xz)|tgz)$/.test(fileName)) pkg.tarball = url;
      else {
        note(`package ${where} (src ${src})`, "neither an SRPM, a binary RPM nor a tarball");
        continue;
      }
      const patch = `${name}.patch`;
      if (patchFiles.includes(patch)) {
        usedPatches.add(patch);
        if (pkg.srpm) {
          pkg.specPatches = [`patches/${patch}`];
          const others = patchTargets(resolvePath(patchDir, patch)).filter((t) => !t.created && !t.path.endsWith(".spec"));
          if (others.length > 0) {
            const files = others.map((t) => t.path).join(", ");
            pkgNotes.push(`its spec patch also edits ${files}, which the SRPM holds inside its tarball: split it (the spec part here, the rest as a patches: file or a preStep)`);
            note(`patches/${patch}`, `also edits ${files}, inside the SRPM's tarball: v1 replaced that build with a routine; patch -p1 in the unpacked SRPM cannot reach it`);
          }
        } else note(`patches/${patch}`, `package ${where} is ${pkg.rpms ? "a prebuilt RPM" : "a tarball"}: nothing to patch`);
      }
      if (p.buildOnly === true) pkg.buildOnly = true;
      if (Array.isArray(p.pkgList)) pkg.pkgList = p.pkgList.map(String);
      if (Array.isArray(p.excludePatterns)) {
        const { globs, comment } = globs_(p.excludePatterns.map(String));
        pkg.excludePatterns = globs;
        if (comment) pkgNotes.push(comment);
      }
      if (typeof p.mockConfig === "string" && resolvePath(dir, p.mockConfig) !== groupMock) {
        const options = platformOptionsOf(resolvePath(dir, p.mockConfig), defaultMock, `package ${where}`, note);
        if (options) pkg.platformOptions = options;
      }
      for (const [key, value] of Object.entries(p)) {
        if (CONSUMED.has(key)) continue;
        note(`package ${where}: ${key}: ${show(value)}`, NO_PLACE[key] ?? "unknown to this converter");
      }
      group.packages.push(pkg);
      if (pkgNotes.length) comments.packages.set(pkg, pkgNotes);
    }
    if (group.packages.length === 0) {
      note(`group ${groupName}`, "none of its packages has a place here");
      continue;
    }
    if (groupName === "bootstrap") groupNotes.push("v1 built this group first; here the order follows BuildRequires (bootstrap: true would build it before our CPython)");
    groups.push(group);
    if (groupNotes.length) comments.groups.set(group, groupNotes);
  }
  for (const patch of patchFiles.filter((f) => !usedPatches.has(f))) {
    const owner = patch.replace(/\.patch.*$/, "");
    const why = /\.patch\.(fedpkg|fed)$/.test(patch) ? "for v1's Fedora dist-git (fedpkg) builds, which have no place here" : droppedPackages.has(owner) ? `its package (${owner}) has no place here` : `no package named ${owner}`;
    note(`patches/${patch}`, why);
  }
  const build = { backend: "mock", platform: platform.name, packageGroups: groups };
  if (Array.isArray(rb.excludePatterns)) {
    const { globs, comment } = globs_(rb.excludePatterns.map(String));
    build.excludePatterns = globs;
    if (comment) comments.keys.set("build.excludePatterns", comment);
  }
  const bundle = {};
  if (Array.isArray(v1.ignoredPackages)) {
    const list = v1.ignoredPackages.map(String);
    const twice = list.filter((x, i) => list.indexOf(x) !== i);
    bundle.ignoredPackages = [...new Set(list)];
    if (twice.length) comments.keys.set("bundle.ignoredPackages", `v1 listed ${[...new Set(twice)].join(", ")} twice`);
  }
  if (Array.isArray(v1.manualDependencies)) bundle.manualDependencies = v1.manualDependencies.map(String);
  if (Array.isArray(v1.removedFolders)) {
    bundle.removedFolders = v1.removedFolders.map((f) => String(f).replace(/^\/+|\/+$/g, ""));
    comments.keys.set("bundle.removedFolders", "relative to the bundle root (v1 wrote them absolute)");
  }
  if (typeof v1.pipRequirements === "string") {
    const reqFile = resolvePath(dir, v1.pipRequirements);
    if (existsSync(reqFile)) {
      const requirements = pipRequirements(readFileSync(reqFile, "utf8"), v1.pipRequirements, note, comments.requirements);
      bundle.pip = { requirements };
      comments.keys.set("bundle.pip", `from v1's ${v1.pipRequirements}, for Python 3`);
    } else {
      bundle.pip = { requirementsFile: v1.pipRequirements };
      note(`pipRequirements: ${v1.pipRequirements}`, "the file is not beside the configuration: kept as requirementsFile, not converted for Python 3");
    }
  }
  const manifest = {
    version: typeof v1.version === "string" && /^[0-9A-Za-z][0-9A-Za-z._+-]*$/.test(v1.version) ? v1.version : "0.0.0",
    repository: "repo",
    python: { version: PYTHON3.version, source: PYTHON3.source },
    build,
    ...Object.keys(bundle).length ? { bundle } : {},
    platforms: [platform]
  };
  if (typeof rb.repo === "string") comments.keys.set("repository", `v1: ${rb.repo} (relative paths are relative to this file)`);
  const header = headerLines(basename(file), typeof v1.comment === "string" ? v1.comment : void 0, unplaced);
  return { yaml: render(manifest, header, comments), manifest, unplaced, specPatches: [...usedPatches].sort().map((p) => `patches/${p}`), patchDir };
}
function show(value) {
  return typeof value === "string" ? value : JSON.stringify(value);
}
function versionOf(name, src) {
  const file = basename(src);
  const rest = file.startsWith(`${name}-`) ? file.slice(name.length + 1) : file;
  return rest.split("-")[0].replace(/[^A-Za-z0-9._+]/g, "") || "2";
}
function globs_(patterns) {
  const globs = patterns.map((p) => globForRegex(p) ?? p);
  const changed = patterns.some((p, i) => p !== globs[i]);
  return { globs, comment: changed ? `v1 (regexes): ${patterns.join(" ")}` : void 0 };
}
function patchTargets(patchFile) {
  const lines = readFileSync(patchFile, "utf8").split("\n");
  const out = [];
  for (let i = 1; i < lines.length; i++) {
    const plus = /^\+\+\+ (\S+)/.exec(lines[i]);
    const minus = /^--- (\S+)/.exec(lines[i - 1]);
    if (!plus || !minus) continue;
    out.push({ path: plus[1].split("/").slice(1).join("/"), created: minus[1] === "/dev/null" });
  }
  return out;
}
function readMockConfig(file) {
  if (!existsSync(file)) return void 0;
  const text = readFileSync(file, "utf8");
  const opt = (key) => new RegExp(`^config_opts\\['${key}'\\]\\s*=\\s*['"]([^'"]*)['"]`, "m").exec(text)?.[1];
  const repos = [];
  const conf = /config_opts\['(?:yum|dnf)\.conf'\]\s*=\s*"""([\s\S]*?)"""/.exec(text)?.[1] ?? "";
  for (const section of conf.split(/^\[/m).slice(1)) {
    const id = section.slice(0, section.indexOf("]"));
    if (id === "main") continue;
    const value = (k) => new RegExp(`^${k}\\s*=\\s*(.*)$`, "m").exec(section)?.[1]?.trim();
    repos.push({ id, baseurl: value("baseurl"), enabled: value("enabled") !== "0", exclude: value("exclude") });
  }
  return {
    file,
    root: opt("root"),
    releasever: opt("releasever"),
    chroot: (opt("chroot_setup_cmd") ?? "").replace(/^install\s+/, "").split(/\s+/).filter(Boolean),
    dist: /^config_opts\['macros'\]\['%dist'\]\s*=\s*['"]([^'"]*)['"]/m.exec(text)?.[1],
    macros: [...text.matchAll(/^config_opts\['macros'\]\['(%[^']+)'\]/gm)].map((m) => m[1]),
    repos
  };
}
var epelWhy = (pkg) => FORBIDDEN_CHROOT_PACKAGES.find((r) => r.pattern.test(pkg))?.why;
function buildPlatform(mock, note) {
  const target = /^epel-(\d+)-([A-Za-z0-9_]+)$/.exec(mock?.root ?? "");
  const releasever = mock?.releasever ?? target?.[1] ?? "6";
  const arch = target?.[2] ?? "x86_64";
  const where = `rpmBuild.mockConfig (${basename(mock?.file ?? "none")})`;
  const baseRepos = [];
  for (const repo of mock?.repos ?? []) {
    if (!repo.enabled) {
      note(`${where}: repository ${repo.id}`, /epel/i.test(repo.id) ? "EPEL is never used (and v1 had it disabled)" : "disabled in v1");
    } else if (/epel/i.test(repo.id) || /epel/i.test(repo.baseurl ?? "")) {
      note(`${where}: repository ${repo.id}`, "EPEL is never used: everything beyond the base OS is rebuilt by us");
    } else if (!repo.baseurl || repo.baseurl.startsWith("file:")) {
      note(`${where}: repository ${repo.id} (${repo.baseurl ?? "no baseurl"})`, "v1's own repository: ours (repository:) is always the first repository of a build");
    } else baseRepos.push({ name: repo.id, baseurl: repo.baseurl.replaceAll("$basearch", arch).replaceAll("$releasever", releasever) });
  }
  const excludes = (mock?.repos ?? []).filter((r) => r.enabled && r.exclude && baseRepos.some((b) => b.name === r.id));
  if (excludes.length) {
    note(`${where}: exclude= of ${excludes.map((r) => r.id).join(", ")}`, "the packages of our repository are hidden in the base repositories automatically; what else v1 hid there comes from them");
  }
  const chroot = (mock?.chroot ?? []).filter((pkg) => {
    const why = epelWhy(pkg);
    if (why) note(`${where}: chroot_setup_cmd ${pkg}`, why);
    if (CHROOT_NOT_A_PACKAGE.test(pkg)) note(`${where}: chroot_setup_cmd ${pkg}`, "a package group: the build root is written out as packages here (the target's buildsys packages by default)");
    return !why && !CHROOT_NOT_A_PACKAGE.test(pkg);
  });
  if (mock?.dist) note(`${where}: %dist ${mock.dist}`, "names v1's Python 2.7 build (py27): the platform's default %dist is used");
  const ownMacros = (mock?.macros ?? []).filter((m) => m !== "%dist");
  if (ownMacros.length) note(`${where}: macros ${ownMacros.join(", ")}`, "set by the mock backend itself (-j<cores>, pigz and lbzip2 when the build root has them)");
  return {
    name: `el${releasever}`,
    image: `centos:${releasever}`,
    family: "el",
    ...baseRepos.length ? { baseRepos } : {},
    mock: { releasever, ...chroot.length ? { chrootSetup: chroot } : {} }
  };
}
function platformOptionsOf(file, base, where, note) {
  const mock = readMockConfig(file);
  if (!mock) {
    note(`${where}: mockConfig ${basename(file)}`, "the file is not there: built with the build platform as it is");
    return void 0;
  }
  const have = new Set(base?.chroot ?? []);
  const added = mock.chroot.filter((p) => !have.has(p) && !CHROOT_NOT_A_PACKAGE.test(p) && !epelWhy(p));
  const other = mock.repos.filter((r) => r.enabled).map((r) => r.id);
  note(`${where}: mockConfig ${basename(file)}`, `its repositories (${other.join(", ") || "none"}) have no place: a build uses the build platform's base repositories and ours, never EPEL${added.length ? "; its extra chroot packages are platformOptions.chrootSetup" : ""}`);
  return added.length ? { chrootSetup: added } : void 0;
}
function pipRequirements(text, file, note, comments) {
  const out = [];
  let pending = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "") continue;
    if (line.startsWith("#")) {
      pending.push(line.replace(/^#\s?/, ""));
      continue;
    }
    const name = (/[#&]egg=([A-Za-z0-9_.-]+)/.exec(line)?.[1] ?? /^([A-Za-z0-9_.-]+)/.exec(line)?.[1] ?? "").toLowerCase();
    const rule = PIP_PYTHON3[name];
    if (rule && "drop" in rule) {
      note(`${file}: ${line}`, `Python 2: ${rule.drop}`);
      pending = [];
      continue;
    }
    out.push(rule ? rule.replace : line);
    comments.push([...pending, ...rule ? [`${rule.why} (${line})`] : []]);
    pending = [];
  }
  return out;
}
function headerLines(file, comment, unplaced) {
  return [
    ` DIRACOS manifest converted from DIRACOS v1's ${file} by \`diracos import-v1\`${comment ? ` (v1: "${comment}")` : ""}.`,
    "",
    " Python 3: DIRACOS v1 shipped Python 2.7. DIRAC's current releases run on Python 3, so this manifest builds",
    ` CPython ${PYTHON3.version} (python:) and leaves v1's Python 2 packages and Python 2-only pip requirements out.`,
    "",
    " Before building:",
    " - v1 pinned no digests: no url source has a sha256 yet. `diracos lock` downloads each and writes its sha256",
    "   here (validate warns about each source not locked, fetching refuses it);",
    " - copy v1's patches/ folder beside this file (specPatches: paths are relative to this file);",
    " - the build platform runs mock in its image: install mock in its setup (never from EPEL into a build root).",
    "",
    ` What of v1's configuration has no place here (${unplaced.length}):`,
    ...unplaced.map((u) => ` - ${u.what}: ${u.reason}`)
  ];
}
function render(manifest, header, comments) {
  const doc = new import_yaml.Document(manifest);
  doc.commentBefore = header.join("\n");
  const groups = doc.getIn(["build", "packageGroups"], true);
  manifest.build.packageGroups.forEach((group, gi) => {
    const gNode = groups.items[gi];
    const gNotes = comments.groups.get(group);
    if (gNotes) gNode.commentBefore = gNotes.map((l) => ` ${l}`).join("\n");
    const pkgs = gNode.get("packages", true);
    group.packages.forEach((pkg, pi) => {
      const node = pkgs.items[pi];
      const notes = comments.packages.get(pkg);
      if (notes) node.commentBefore = notes.map((l) => ` ${l}`).join("\n");
      flowSources(node);
    });
  });
  for (const [path, comment] of comments.keys) keyComment(doc, path.split("."), comment);
  const reqs = doc.getIn(["bundle", "pip", "requirements"], true);
  if (reqs && (0, import_yaml.isSeq)(reqs)) {
    reqs.items.forEach((item, i) => {
      const c = comments.requirements[i];
      if (c?.length) item.commentBefore = c.map((l) => ` ${l}`).join("\n");
    });
  }
  keyComment(doc, ["python"], "DIRAC's current releases run on Python 3 (v1's 2.7 is history): our CPython, from Debian's upstream tarball");
  keyComment(doc, ["platforms", 0, "baseRepos"], "the enabled base repositories of v1's mock configuration");
  keyComment(doc, ["platforms", 0, "mock"], "v1's mock configuration, without EPEL");
  for (const path of [["python", "source"], ["platforms", 0, "mock"]]) {
    const node = doc.getIn(path, true);
    if (node && (0, import_yaml.isMap)(node)) node.flow = true;
  }
  return doc.toString({ lineWidth: 0 });
}
function keyComment(doc, path, comment) {
  const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
  if (!parent || !(0, import_yaml.isMap)(parent)) return;
  const pair = parent.items.find((p) => (0, import_yaml.isScalar)(p.key) && p.key.value === path.at(-1));
  if (pair && (0, import_yaml.isScalar)(pair.key)) pair.key.commentBefore = ` ${comment}`;
}
function flowSources(pkg) {
  for (const key of ["srpm", "tarball"]) {
    const node = pkg.get(key, true);
    if (node && (0, import_yaml.isMap)(node)) node.flow = true;
  }
  const rpms = pkg.get("rpms", true);
  if (rpms && (0, import_yaml.isSeq)(rpms)) {
    for (const item of rpms.items) if ((0, import_yaml.isMap)(item)) item.flow = true;
  }
  for (const key of ["pkgList", "excludePatterns", "specPatches"]) {
    const node = pkg.get(key, true);
    if (node && (0, import_yaml.isSeq)(node)) node.flow = true;
  }
  const options = pkg.get("platformOptions", true);
  if (options && (0, import_yaml.isMap)(options)) options.flow = true;
}

// src/cli/commands/import-v1.ts
async function run(p, reporter) {
  const r = importV1(p.argument);
  const output = option.string(p, "output");
  if (output === void 0) {
    reporter.info(r.yaml.trimEnd());
    return;
  }
  const file = resolvePath2(output);
  await replaceFile(file, r.yaml);
  const packages = r.manifest.build.packageGroups.reduce((n, g) => n + g.packages.length, 0);
  reporter.info(`${file}: ${packages} package(s) in ${r.manifest.build.packageGroups.length} group(s) from ${resolvePath2(p.argument)}`);
  reporter.info(`${r.unplaced.length} item(s) of the v1 configuration have no place here: listed with the reason at the top of ${output}`);
  if (r.specPatches.length > 0) reporter.info(`it references ${r.specPatches.length} spec patch(es) as patches/<file>: copy ${r.patchDir} beside it`);
}
export {
  run
};
