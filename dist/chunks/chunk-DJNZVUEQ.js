import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  REPO_PARTS,
  REPO_TEMP_PREFIX,
  acquireLock,
  fileUrl,
  holding,
  lockOptions,
  lockWorkFolder,
  readIndex,
  repoLayout,
  rpmNameOfFile,
  sourceDateEpoch,
  writeIndex
} from "./chunk-WZYYDKA4.js";
import {
  baseRepoFile,
  imageSetupCommands,
  installCommand,
  repoSection,
  writeFileCommand
} from "./chunk-K5AXXNLF.js";
import {
  DISABLED_REPOS,
  RELEASE_RULES,
  REPO_FILES,
  globToRegExp,
  releaseKey,
  releaseRules
} from "./chunk-MXW55USB.js";
import {
  formatElapsed
} from "./chunk-B737SU6O.js";
import {
  fetchSource
} from "./chunk-OBK2APVA.js";
import {
  replaceFile
} from "./chunk-IPZFQFHS.js";
import {
  ExecError,
  absoluteSource,
  assertRpmKind,
  findPlatform,
  shJoin,
  shQuote,
  sha256File,
  sha256Object
} from "./chunk-76TJA7O4.js";
import {
  DiracosError
} from "./chunk-5I364NK5.js";

// src/build-rpms/plan.ts
import { join as join3 } from "node:path";

// src/build-rpms/mock-rules.ts
var EL_BUILDSYS = ["bash", "bzip2", "coreutils", "cpio", "diffutils", "findutils", "gawk", "gcc", "gcc-c++", "grep", "gzip", "info", "make", "patch", "redhat-rpm-config", "rpm-build", "sed", "shadow-utils", "tar", "unzip", "which", "xz"];
var TARGET_RULES = {
  el6: { packageManager: RELEASE_RULES.el6.packageManager, useBootstrap: false, distTag: ".el6", chrootSetup: [...EL_BUILDSYS, "util-linux-ng"].sort(), mainExtra: [] },
  el7: { packageManager: RELEASE_RULES.el7.packageManager, useBootstrap: false, distTag: ".el7", chrootSetup: [...EL_BUILDSYS, "util-linux"].sort(), mainExtra: [] },
  el: {
    packageManager: RELEASE_RULES.el.packageManager,
    useBootstrap: true,
    distTag: ".el{releasever}",
    chrootSetup: [...EL_BUILDSYS, "util-linux"].sort(),
    mainExtra: ["module_platform_id=platform:el{releasever}", "best=1", "install_weak_deps=0"]
  },
  fedora: {
    packageManager: RELEASE_RULES.fedora.packageManager,
    useBootstrap: true,
    distTag: ".fc{releasever}",
    chrootSetup: [...EL_BUILDSYS, "fedora-release", "glibc-minimal-langpack", "util-linux"].sort(),
    mainExtra: ["best=1", "install_weak_deps=0"]
  }
};
var PACKAGE_MANAGER_RULES = {
  // yum honours priority= only with yum-plugin-priorities and protect= with protectbase; the
  // excludes on the base repos are what really guarantee our packages win, these are belt and braces.
  yum: { confKey: "yum.conf", logfile: "/var/log/yum.log", excludeKey: "exclude", oursExtra: ["priority=1", "cost=100", "protect=1"] },
  // dnf knows priority and cost natively; it warns about protect=, so it is left out.
  dnf: { confKey: "dnf.conf", logfile: "/var/log/dnf.log", excludeKey: "excludepkgs", oursExtra: ["priority=1", "cost=100"] }
};
function targetRules(platform) {
  const where = `platforms[${platform.name}]`;
  if (platform.family === "debian") {
    throw new DiracosError(`${where}: family 'debian' cannot be a mock target (mock builds RPMs for el or fedora)`);
  }
  const releasever = platform.mock?.releasever;
  if (!releasever || !/^\d+$/.test(releasever)) {
    throw new DiracosError(`${where}.mock.releasever: the mock backend needs the release number, e.g. "7" (got ${JSON.stringify(releasever ?? null)})`);
  }
  const major = Number(releasever);
  const key = platform.family === "el" && major <= 7 ? `el${major}` : platform.family;
  const rules = TARGET_RULES[key];
  if (!rules) throw new DiracosError(`${where}.mock.releasever: no mock rules for ${platform.family} ${releasever}`);
  return { key, rules, releasever };
}
function buildRootPackages(platform) {
  if (platform.family === "debian") return [];
  return platform.mock?.chrootSetup ?? TARGET_RULES[releaseKey(platform)]?.chrootSetup ?? [];
}

// src/build-rpms/dnf.ts
var OUR_REPO_NAMES = {
  diracos: "DIRACOS rebuilt packages",
  "diracos-buildonly": "DIRACOS build-only packages"
};
function dnfRepoArgs(platform, rules, ourRepos, exclude = []) {
  const declared = rules.systemRepos ? platform.baseRepos ?? [] : [];
  const useConfigured = rules.systemRepos && declared.length === 0;
  const names = [...new Set(exclude)].sort();
  return [
    ...useConfigured ? DISABLED_REPOS.map((r) => `--disablerepo=${r}`) : ["--setopt=reposdir=/dev/null"],
    ...declared.map((r) => `--repofrompath=${r.name},${r.baseurl}`),
    ...names.length > 0 ? declared.map((r) => `--setopt=${r.name}.excludepkgs=${names.join(",")}`) : [],
    ...ourRepos.map((r) => `--repofrompath=${r.id},${fileUrl(r.dir)}`),
    "--nogpgcheck",
    "--setopt=install_weak_deps=False",
    // Debian has no release package for dnf to read $releasever from.
    ...rules.systemRepos ? [] : ["--releasever=0"]
  ];
}
function ourRepoFile(ourRepos) {
  return ourRepos.flatMap(
    (r) => repoSection(r.id, [
      ["name", OUR_REPO_NAMES[r.id] ?? r.id],
      ["baseurl", `file://${r.dir}`],
      ["enabled", "1"],
      ["gpgcheck", "0"],
      ["skip_if_unavailable", "0"],
      ["metadata_expire", "0"],
      ["priority", "1"],
      ["cost", "100"]
    ])
  );
}
function buildImageSetup(platform, backend) {
  const packages = [...releaseRules(platform).imagePackages, ...backend === "container" ? buildRootPackages(platform) : []];
  return [...imageSetupCommands(platform, [...new Set(packages)]), ...platform.setup ?? []];
}
function yumInstallScript(platform, ourRepos, exclude, packages) {
  const dir = REPO_FILES.dir;
  return [
    `mkdir -p ${dir}`,
    writeFileCommand(`${dir}/${REPO_FILES.ours}`, ourRepoFile(ourRepos)),
    ...(platform.baseRepos ?? []).length > 0 ? [writeFileCommand(`${dir}/${REPO_FILES.base}`, baseRepoFile(platform, exclude))] : [],
    installCommand("yum", packages)
  ];
}

// src/build-rpms/query.ts
import { copyFile, mkdir, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

// src/build-rpms/platform-rules.ts
var FAMILY_RULES = {
  debian: { platformProvidesRpm: true, installAllBuildRequires: false, systemRepos: false, network: false },
  el: { platformProvidesRpm: false, installAllBuildRequires: true, systemRepos: true, network: true },
  fedora: { platformProvidesRpm: false, installAllBuildRequires: true, systemRepos: true, network: true }
};
var HIDES_PROVIDED_NAMES = { yum: true, dnf: false };
var PLATFORM_PROVIDES_NAME = "diracos-platform-provides";
var DEBIAN_PROVIDES = [
  { when: "/bin/sh", provides: ["/usr/bin/sh"] },
  { when: "/bin/bash", provides: ["bash", "/usr/bin/bash"] },
  { when: "/usr/bin/env", provides: ["coreutils"] },
  { when: "/usr/include/stdio.h", provides: ["glibc-devel", "glibc-headers", "libc-devel"] },
  { when: "/sbin/ldconfig", provides: ["glibc", "glibc-common", "rtld(GNU_HASH)", "/usr/sbin/ldconfig"] },
  { when: "/usr/bin/gcc", provides: ["gcc", "cpp"] },
  { when: "/usr/bin/g++", provides: ["gcc-c++", "libstdc++-devel"] },
  { when: "/usr/bin/gfortran", provides: ["gcc-gfortran"] },
  { when: "/usr/bin/make", provides: ["make"] },
  { when: "/usr/bin/pkg-config", provides: ["pkgconfig", "pkgconf-pkg-config", "pkgconf"] },
  { when: "/usr/bin/autoconf", provides: ["autoconf"] },
  { when: "/usr/bin/automake", provides: ["automake"] },
  { when: "/usr/bin/libtool", provides: ["libtool"] },
  { when: "/usr/bin/cmake", provides: ["cmake"] },
  { when: "/usr/bin/patch", provides: ["patch"] },
  { when: "/usr/bin/tar", provides: ["tar", "/bin/tar"] },
  { when: "/bin/gzip", provides: ["gzip", "/usr/bin/gzip"] },
  { when: "/bin/bzip2", provides: ["bzip2", "/usr/bin/bzip2"] },
  { when: "/usr/bin/xz", provides: ["xz"] },
  { when: "/usr/bin/unzip", provides: ["unzip"] },
  { when: "/bin/sed", provides: ["sed", "/usr/bin/sed"] },
  { when: "/bin/grep", provides: ["grep", "/usr/bin/grep"] },
  { when: "/usr/bin/gawk", provides: ["gawk", "/usr/bin/awk"] },
  { when: "/usr/bin/find", provides: ["findutils"] },
  { when: "/usr/bin/diff", provides: ["diffutils"] },
  { when: "/usr/bin/file", provides: ["file"] },
  { when: "/usr/bin/cpio", provides: ["cpio"] },
  { when: "/usr/bin/perl", provides: ["perl", "perl-interpreter"] },
  { when: "/usr/bin/m4", provides: ["m4"] },
  { when: "/usr/bin/bison", provides: ["bison"] },
  { when: "/usr/bin/flex", provides: ["flex"] },
  { when: "/usr/bin/rpmbuild", provides: ["rpm-build"] },
  { when: "/usr/bin/patchelf", provides: ["patchelf"] },
  { when: "/usr/bin/tclsh", provides: ["tcl"] }
];
var DEBIAN_LIBRARY_GLOBS = ["/lib/*-linux-gnu/*.so*", "/usr/lib/*-linux-gnu/*.so*", "/lib64/*.so*"];
var BACKEND_RULES = {
  container: { checkPlatformBuildRequires: true, families: ["debian", "el", "fedora"] },
  mock: { checkPlatformBuildRequires: false, families: ["el", "fedora"] }
};
var REPRODUCIBLE_MACROS = {
  _buildhost: "diracos",
  use_source_date_epoch_as_buildtime: "1",
  clamp_mtime_to_source_date_epoch: "1"
};

// src/build-rpms/rpm-options.ts
function rpmOptions(p, tool) {
  return [
    ...Object.entries(p.defines).sort(([a], [b]) => a.localeCompare(b)).flatMap(([k, v]) => ["--define", `${k} ${v}`]),
    ...p.with.flatMap((w) => ["--with", w]),
    ...p.without.flatMap((w) => ["--without", w]),
    ...tool === "rpmbuild" && !p.check ? ["--nocheck"] : []
  ];
}

// src/build-rpms/query.ts
var QUERY_PARALLEL = 4;
function capabilityName(dep) {
  return dep.trim().split(/\s+/)[0];
}
async function querySpecs(ctx, image, platform, trees, packages, dir, opts = { checkPlatform: true }) {
  const rules = FAMILY_RULES[platform.family];
  const method = releaseRules(platform).specQuery;
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, "out"), { recursive: true });
  if (method === "rpm-python") await writeFile(join(dir, SPEC_QUERY_PY), SPEC_QUERY_PYTHON);
  const treesRoot = join(trees[0]?.dir ?? join(dir, "none"), "..");
  const script = queryScript(
    platform,
    trees.map((t) => ({ name: t.name, spec: `/trees/${t.name}/SPECS/${t.spec.split("/").pop()}`, options: rpmOptions(packages.get(t.name), "rpmspec") })),
    opts
  );
  await ctx.runtime.run({
    image,
    name: "spec-query",
    command: ["bash", "-c", script],
    mounts: [
      { source: dir, target: "/q" },
      { source: treesRoot, target: "/trees", readOnly: true }
    ],
    network: rules.network
  });
  const specs = /* @__PURE__ */ new Map();
  for (const t of trees) {
    const out = join(dir, "out", t.name);
    const read = (f) => readFile(join(out, f), "utf8").catch(() => "");
    if (await read("failed") !== "") {
      throw new DiracosError(`package '${t.name}': ${method === "rpmspec" ? "rpmspec" : "rpm's Python bindings and rpmbuild -bs"} cannot parse the spec:
${(await read("err")).trim().split("\n").slice(-10).join("\n")}`, {
        file: t.origin
      });
    }
    const subpackages = lines(await read("names")).map((l) => {
      const [name, file] = l.split("	");
      return { name, file };
    });
    const provides = Object.fromEntries(subpackages.map((s) => [s.name, [s.name]]));
    for (const l of lines(await read("provides"))) {
      const [name, dep] = l.split("	");
      if (name && dep && dep !== "(none)") provides[name] = [.../* @__PURE__ */ new Set([...provides[name] ?? [], capabilityName(dep)])];
    }
    specs.set(t.name, { name: t.name, parsedSpec: await read("parsed"), buildRequires: lines(await read("br")), subpackages, provides });
  }
  const platformSatisfied = opts.checkPlatform ? new Set(lines(await readFile(join(dir, "satisfied"), "utf8"))) : void 0;
  let platformProvidesRpm;
  if (rules.platformProvidesRpm) {
    const built = (await readdir(join(dir, "platform", "noarch"))).find((f) => f.startsWith(PLATFORM_PROVIDES_NAME));
    if (!built) throw new DiracosError(`building the ${PLATFORM_PROVIDES_NAME} RPM in '${image}' produced nothing`);
    platformProvidesRpm = join(dir, "platform", `${PLATFORM_PROVIDES_NAME}.rpm`);
    await copyFile(join(dir, "platform", "noarch", built), platformProvidesRpm);
  }
  return { specs, platformSatisfied, platformProvidesRpm };
}
function queryScript(platform, specs, opts) {
  const rules = FAMILY_RULES[platform.family];
  const release = releaseRules(platform);
  const repoCheck = !rules.systemRepos ? "" : release.packageManager === "yum" ? ` || repoquery -q ${shJoin(DISABLED_REPOS.map((r) => `--disablerepo=${r}`))} --whatprovides "$r" 2>/dev/null | grep -q .` : ` || dnf -q repoquery ${shJoin(dnfRepoArgs(platform, rules, []))} --whatprovides "$r" 2>/dev/null | grep -q .`;
  return [
    // The query format strings are rpm's, not the shell's.
    "# shellcheck disable=SC2016",
    "set -o pipefail",
    ...rules.platformProvidesRpm ? platformProvidesScript() : [],
    ...release.specQuery === "rpmspec" ? RPMSPEC_QUERY : RPM_PYTHON_QUERY,
    // Each spec in the background, QUERY_PARALLEL at a time (plain `wait`: EL6's bash has no `wait -n`).
    ...specs.map((t, i) => `q ${shQuote(t.name)} ${shQuote(t.spec)} ${shJoin(t.options)} &` + ((i + 1) % QUERY_PARALLEL === 0 ? "\nwait" : "")),
    "wait",
    ...opts.checkPlatform ? [
      `cat /q/out/*/br 2>/dev/null | sort -u | while IFS= read -r r; do`,
      `  if rpm -q --whatprovides "$r" >/dev/null 2>&1${repoCheck}; then printf '%s\\n' "$r"; fi`,
      "done >/q/satisfied"
    ] : []
  ].join("\n");
}
var FAIL_ON_RPM_ERROR = `  if grep -q '^error: ' "$d/err"; then echo failed >"$d/failed"; fi`;
var RPMSPEC_QUERY = [
  'q() { n=$1; s=$2; shift 2; d=/q/out/$n; mkdir -p "$d"',
  '  { rpmspec -P "$@" "$s" >"$d/parsed" &&',
  '    rpmspec -q --buildrequires "$@" "$s" >"$d/br" &&',
  `    rpmspec -q --qf '%{NAME}\\t%{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}.rpm\\n' "$@" "$s" >"$d/names" &&`,
  // %{=NAME}: the one NAME repeated along the Provides array (a plain %{NAME} makes rpm refuse the
  // format for any package with more than one Provides, and rpmspec still exits 0).
  `    rpmspec -q --qf '[%{=NAME}\\t%{PROVIDENAME}\\n]' "$@" "$s" >"$d/provides"; } 2>"$d/err" || echo failed >"$d/failed"`,
  FAIL_ON_RPM_ERROR,
  "}"
];
var SPEC_QUERY_PY = "specquery.py";
var RPM_PYTHON_QUERY = [
  "py=",
  "for c in /usr/bin/python /usr/bin/python2 /usr/bin/python3 /usr/libexec/platform-python; do",
  `  if [ -x "$c" ] && "$c" -c 'import rpm; rpm.spec' >/dev/null 2>&1; then py=$c; break; fi`,
  "done",
  'q() { n=$1; s=$2; shift 2; d=/q/out/$n; mkdir -p "$d/sources" "$d/srpm" "$d/top"',
  `  if [ -z "$py" ]; then echo "no Python with rpm's bindings (rpm.spec) in the image: install rpm-python" >"$d/err"; echo failed >"$d/failed"; return; fi`,
  `  { "$py" /q/${SPEC_QUERY_PY} "$s" "$d" "$@" &&`,
  // 64 blanks: newer rpm reads the first bytes of each file to tell its compression.
  `    while IFS= read -r f; do printf '%64s' '' >"$d/sources/$f"; done <"$d/sourcefiles" &&`,
  '    rpmbuild -bs --nodeps --define "_topdir $d/top" --define "_sourcedir $d/sources" --define "_srcrpmdir $d/srpm" "$@" "$s" >"$d/rpmbuild.log" &&',
  `    rpm -qp --requires "$d"/srpm/*.rpm | sed '/^rpmlib(/d' >"$d/br"; } 2>"$d/err" || echo failed >"$d/failed"`,
  FAIL_ON_RPM_ERROR,
  "}"
];
var SPEC_QUERY_PYTHON = `# Generated by diracos build-rpms: reads a spec with rpm's own parser (for rpm without rpmspec).
import os
import sys

import rpm

ISSOURCE = getattr(rpm, 'RPMBUILD_ISSOURCE', 1)
ISPATCH = getattr(rpm, 'RPMBUILD_ISPATCH', 2)
ISNO = getattr(rpm, 'RPMBUILD_ISNO', 8)


def text(value):
    if isinstance(value, bytes) and not isinstance(value, str):
        return value.decode('utf-8', 'replace')
    return value


def values(value):
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [text(v) for v in value]
    return [text(value)]


def write(out, name, lines):
    f = open(os.path.join(out, name), 'w')
    try:
        for line in lines:
            f.write(line + '\\n')
    finally:
        f.close()


def main(argv):
    spec_file, out, args = argv[1], argv[2], argv[3:]
    i = 0
    while i + 1 < len(args):
        opt, value = args[i], args[i + 1]
        if opt == '--define':
            parts = value.split(None, 1)
            rpm.addMacro(parts[0], len(parts) > 1 and parts[1] or '')
        elif opt == '--with':
            rpm.addMacro('_with_' + value, '--with-' + value)
        elif opt == '--without':
            rpm.addMacro('_without_' + value, '--without-' + value)
        else:
            sys.stderr.write('error: specquery: unknown option %s\\n' % opt)
            return 1
        i += 2
    if i != len(args):
        sys.stderr.write('error: specquery: option %s without a value\\n' % args[i])
        return 1
    spec = rpm.spec(spec_file)
    parsed = []
    files = []
    for source, num, flags in spec.sources:
        source = text(source)
        if flags & ISSOURCE:
            parsed.append((0, num, 'Source%d: %s' % (num, source)))
        if flags & ISPATCH:
            parsed.append((1, num, 'Patch%d: %s' % (num, source)))
        if not flags & ISNO:
            files.append(source.rstrip('/').split('/')[-1])
    names = []
    provides = []
    for pkg in spec.packages:
        h = pkg.header
        name = text(h[rpm.RPMTAG_NAME])
        nvra = (name, text(h[rpm.RPMTAG_VERSION]), text(h[rpm.RPMTAG_RELEASE]), text(h[rpm.RPMTAG_ARCH]))
        names.append('%s\\t%s-%s-%s.%s.rpm' % ((name,) + nvra))
        for cap in values(h[rpm.RPMTAG_PROVIDENAME]):
            provides.append('%s\\t%s' % (name, cap))
    parsed.sort()
    write(out, 'parsed', [line for _, _, line in parsed])
    write(out, 'sourcefiles', files)
    write(out, 'names', names)
    write(out, 'provides', provides)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
`;
function platformProvidesScript() {
  const rows = DEBIAN_PROVIDES.map((r) => `[ -e ${shQuote(r.when)} ] && printf '%s\\n' ${shJoin([r.when, ...r.provides])}`);
  return [
    "mkdir -p /q/platform /tmp/pp",
    "{",
    ...rows.map((r) => `  ${r}`),
    `  for f in ${DEBIAN_LIBRARY_GLOBS.join(" ")}; do if [ -e "$f" ]; then printf '%s\\0' "$f"; fi; done | xargs -0 -r /usr/lib/rpm/elfdeps --provides`,
    "  true",
    "} | sort -u >/q/platform/provides.txt",
    "{",
    `  printf '%s\\n' 'Name: ${PLATFORM_PROVIDES_NAME}' 'Version: 1' 'Release: 1' 'License: GPL-3.0-only' 'BuildArch: noarch'`,
    `  printf '%s\\n' 'Summary: What the build platform provides outside rpm (generated)'`,
    `  sed 's/^/Provides: /' /q/platform/provides.txt`,
    `  printf '%s\\n' '%description' 'Generated by diracos build-rpms.' '%files'`,
    "} >/tmp/pp/pp.spec",
    `rpmbuild -bb --quiet --define '_topdir /tmp/pp' --define '_rpmdir /q/platform' /tmp/pp/pp.spec >/q/platform/build.log 2>&1 || { cat /q/platform/build.log >&2; exit 1; }`,
    `rpm -i --justdb --nodeps --noscripts --nosignature /q/platform/noarch/${PLATFORM_PROVIDES_NAME}-1-1.noarch.rpm`
  ];
}
function lines(text) {
  return text.split("\n").map((l) => l.trim()).filter((l) => l !== "");
}

// src/build-rpms/select.ts
function keepsRpm(p, rpmName, fileName) {
  if (p.pkgList && !p.pkgList.includes(rpmName)) return false;
  return !p.excludePatterns.some((g) => globToRegExp(g).test(fileName));
}

// src/build-rpms/graph.ts
function buildGraph(specs, packages, platformSatisfied) {
  const providers = /* @__PURE__ */ new Map();
  for (const [pkg, info] of specs) {
    for (const sub of info.subpackages) {
      if (!keepsRpm(packages.get(pkg), sub.name, sub.file)) continue;
      for (const cap of info.provides[sub.name] ?? [sub.name]) {
        if (!providers.has(cap)) providers.set(cap, /* @__PURE__ */ new Set());
        providers.get(cap).add(pkg);
      }
    }
  }
  const graph = /* @__PURE__ */ new Map();
  const unsatisfied = [];
  const fromRepo = /* @__PURE__ */ new Map();
  for (const [pkg, info] of specs) {
    const deps = /* @__PURE__ */ new Map();
    const ours = [];
    for (const req of info.buildRequires) {
      const from = [...providers.get(capabilityName(req)) ?? []].filter((p) => p !== pkg);
      for (const p of from) if (!deps.has(p)) deps.set(p, req);
      if (from.length > 0) ours.push(req);
      if (from.length === 0 && platformSatisfied && !platformSatisfied.has(req)) unsatisfied.push({ package: pkg, requirement: req });
    }
    graph.set(pkg, deps);
    fromRepo.set(pkg, ours);
  }
  return { graph, unsatisfied, fromRepo };
}
var BOOTSTRAP_EDGE = "(bootstrap group: builds before every other package)";
function addBootstrapEdges(graph, bootstrap) {
  for (const [pkg, deps] of graph) {
    if (bootstrap.has(pkg)) continue;
    for (const b of [...bootstrap].sort()) if (!deps.has(b)) deps.set(b, BOOTSTRAP_EDGE);
  }
}
function findCycles(graph) {
  let counter = 0;
  const index = /* @__PURE__ */ new Map();
  const low = /* @__PURE__ */ new Map();
  const stack = [];
  const onStack = /* @__PURE__ */ new Set();
  const cycles = [];
  const visit = (v) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) === index.get(v)) {
      const scc = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) cycles.push(scc.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return cycles;
}
function assertAcyclic(graph) {
  const cycles = findCycles(graph);
  if (cycles.length === 0) return;
  const describe = (scc) => scc.flatMap((p) => [...graph.get(p)].filter(([d]) => scc.includes(d)).map(([d, req]) => `    ${p} -> ${d} (BuildRequires: ${req})`)).join("\n");
  throw new DiracosError(
    `build dependency cycle${cycles.length > 1 ? "s" : ""} between packages:
` + cycles.map((c) => `  ${c.join(", ")}
${describe(c)}`).join("\n")
  );
}
function dependencyLevels(graph) {
  const level = /* @__PURE__ */ new Map();
  const of = (p) => {
    const known = level.get(p);
    if (known !== void 0) return known;
    level.set(p, 0);
    const l = Math.max(-1, ...[...graph.get(p)?.keys() ?? []].map(of)) + 1;
    level.set(p, l);
    return l;
  };
  const levels = [];
  for (const p of [...graph.keys()].sort()) (levels[of(p)] ??= []).push(p);
  return levels.map((l) => l.sort());
}
function dependencyClosure(graph, names) {
  const out = /* @__PURE__ */ new Set();
  const add = (p) => {
    if (out.has(p)) return;
    out.add(p);
    for (const d of graph.get(p)?.keys() ?? []) add(d);
  };
  for (const n of names) add(n);
  return out;
}

// src/build-rpms/keys.ts
var ENGINE_KEY_VERSION = 2;
function keyOptions(p) {
  return {
    defines: p.defines,
    with: p.with,
    without: p.without,
    check: p.check,
    buildOnly: p.buildOnly,
    pkgList: p.pkgList,
    excludePatterns: p.excludePatterns,
    postSteps: p.postSteps,
    ...p.kind === "rpms" ? { kind: p.kind } : {},
    ...p.kind === "srpm" && p.spec ? { replacedSpec: true } : {},
    ...p.preSteps?.length ? { preSteps: p.preSteps } : {},
    ...p.buildCommand !== void 0 ? { buildCommand: p.buildCommand } : {},
    ...p.platform !== void 0 ? { platform: p.platform } : {},
    ...p.platformOptions ? { platformOptions: { setup: p.platformOptions.setup ?? [], chrootSetup: p.platformOptions.chrootSetup ?? [] } } : {}
  };
}
function computeKeys(graph, order, own, env) {
  const keys = /* @__PURE__ */ new Map();
  for (const name of order) {
    const deps = Object.fromEntries([...graph.get(name)?.keys() ?? []].sort().map((d) => [d, keys.get(d)]));
    keys.set(name, sha256Object({ v: ENGINE_KEY_VERSION, name, ...own.get(name), env, deps }));
  }
  return keys;
}

// src/build-rpms/tree.ts
import { copyFile as copyFile2, mkdir as mkdir2, mkdtemp, readdir as readdir2, rename, rm as rm2, stat, writeFile as writeFile2 } from "node:fs/promises";
import { basename, dirname, join as join2 } from "node:path";
var PREBUILT_DIR = "RPMS";
async function prepareTree(ctx, p, root) {
  const dir = join2(root, p.name);
  await rm2(dir, { recursive: true, force: true, maxRetries: 5 });
  if (p.kind === "rpms") return preparePrebuilt(ctx, p, dir);
  await mkdir2(join2(dir, "SPECS"), { recursive: true });
  await mkdir2(join2(dir, "SOURCES"), { recursive: true });
  const pending = p.patches.map((file) => ({ file, role: "patch" }));
  if (p.kind === "spec") {
    const spec2 = join2(dir, "SPECS", basename(p.spec));
    await copyInput(p.name, p.spec, spec2);
    for (const s of p.sources) pending.push({ file: await fetchFile(ctx, p, s), role: "source" });
    return { name: p.name, dir, spec: spec2, pending, origin: p.spec };
  }
  if (p.kind === "srpm") {
    const srpm = await fetchFile(ctx, p, p.srpm);
    await assertRpmKind(p.name, srpm.path, "source");
    let spec2 = await unpackSrpm(ctx, p, srpm.path, dir);
    if (p.spec) {
      await rm2(spec2);
      spec2 = join2(dir, "SPECS", basename(p.spec));
      await copyInput(p.name, p.spec, spec2);
      for (const s of p.sources) pending.push({ file: await fetchFile(ctx, p, s), role: "source" });
    }
    return { name: p.name, dir, spec: spec2, pending, origin: p.spec ?? srpm.path, inputs: await specPatchDigests(p) };
  }
  const tarball = await fetchFile(ctx, p, p.tarball);
  const spec = await specFromTarball(ctx, p.name, tarball.path, dir);
  await copyInput(p.name, tarball.path, join2(dir, "SOURCES", tarball.fileName));
  return { name: p.name, dir, spec, pending, origin: tarball.path };
}
async function preparePrebuilt(ctx, p, dir) {
  const rpmsDir = join2(dir, PREBUILT_DIR);
  await mkdir2(rpmsDir, { recursive: true });
  const files = [];
  for (const source of p.rpms ?? []) {
    if (!source.sha256) throw new DiracosError(`package '${p.name}': a prebuilt RPM needs a sha256 (it enters the repository as it is)`);
    const fetched = await fetchFile(ctx, p, source);
    await assertRpmKind(p.name, fetched.path, "binary");
    files.push(fetched.path);
  }
  if (files.length === 0) throw new DiracosError(`package '${p.name}': rpms lists no RPM`);
  ctx.tools.share(...files);
  const qf = "@@%{NAME}	%{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}.rpm\n[%{PROVIDENEVRS}\n]";
  const out = (await ctx.tools.exec("rpm", ["-qp", "--nosignature", "--nodigest", "--qf", qf, ...files])).stdout;
  const prebuilt = { subpackages: [], provides: {} };
  for (const line of out.split("\n")) {
    if (line.startsWith("@@")) {
      const [name, file] = line.slice(2).split("	");
      prebuilt.subpackages.push({ name, file });
      prebuilt.provides[name] ??= [name];
    } else if (line.trim() !== "" && prebuilt.subpackages.length > 0) {
      const current = prebuilt.provides[prebuilt.subpackages.at(-1).name];
      const cap = capabilityName(line);
      if (!current.includes(cap)) current.push(cap);
    }
  }
  if (prebuilt.subpackages.length !== files.length) {
    throw new DiracosError(`package '${p.name}': rpm read ${prebuilt.subpackages.length} header(s) from ${files.length} RPM(s)`);
  }
  const names = /* @__PURE__ */ new Set();
  for (const [i, sub] of prebuilt.subpackages.entries()) {
    if (names.has(sub.file)) throw new DiracosError(`package '${p.name}': two of its RPMs are ${sub.file}`, { file: files[i] });
    names.add(sub.file);
    await copyInput(p.name, files[i], join2(rpmsDir, sub.file));
  }
  return { name: p.name, dir, spec: "", pending: [], origin: files[0], prebuilt };
}
async function prebuiltOutput(tree) {
  const dir = join2(tree.dir, PREBUILT_DIR);
  return { binary: (await readdir2(dir)).filter((f) => f.endsWith(".rpm")).sort().map((f) => join2(dir, f)), source: [] };
}
async function specPatchDigests(p) {
  if (!p.specPatches?.length) return void 0;
  const out = {};
  for (const [i, f] of p.specPatches.entries()) out[`specPatches/${i}-${basename(f)}`] = await sha256File(f);
  return out;
}
function specSourceNames(parsedSpec) {
  const out = [];
  let auto = { source: 0, patch: 0 };
  for (const line of parsedSpec.split("\n")) {
    const m = /^(Source|Patch)(\d*)\s*:\s*(\S+)\s*$/i.exec(line);
    if (!m) continue;
    const role = m[1].toLowerCase();
    const n = m[2] ? Number(m[2]) : auto[role];
    auto = { ...auto, [role]: n + 1 };
    out.push({ role, n, name: m[3].replace(/\/+$/, "").split("/").pop() });
  }
  return out.sort((a, b) => a.role === b.role ? a.n - b.n : a.role === "source" ? -1 : 1);
}
async function placeSources(tree, parsedSpec) {
  const expected = specSourceNames(parsedSpec);
  const sources = join2(tree.dir, "SOURCES");
  const present = new Set(await readdir2(sources));
  const pending = tree.pending.map((p) => ({ ...p, path: typeof p.file === "string" ? p.file : p.file.path, fileName: typeof p.file === "string" ? basename(p.file) : p.file.fileName }));
  const open = expected.filter((e) => !present.has(e.name));
  const place = async (from, name) => {
    await copyInput(tree.name, from, join2(sources, name));
    present.add(name);
  };
  for (const p of [...pending]) {
    const i = open.findIndex((e) => e.name === p.fileName);
    if (i < 0) continue;
    await place(p.path, p.fileName);
    open.splice(i, 1);
    pending.splice(pending.indexOf(p), 1);
  }
  for (const p of pending) {
    const i = open.findIndex((e) => e.role === p.role);
    if (i >= 0) {
      await place(p.path, open[i].name);
      open.splice(i, 1);
    } else {
      await place(p.path, p.fileName);
    }
  }
  const missing = [];
  for (const e of open) {
    const beside = join2(dirname(tree.origin), e.name);
    if (await isFile(beside)) await place(beside, e.name);
    else missing.push(`${e.role === "source" ? "Source" : "Patch"}${e.n}: ${e.name}`);
  }
  if (missing.length > 0) {
    throw new DiracosError(`package '${tree.name}': the spec needs ${missing.join(", ")}, which no source or patch of the manifest provides`, {
      file: tree.origin
    });
  }
}
async function treeDigests(tree) {
  const out = { ...tree.inputs };
  for (const sub of tree.prebuilt ? [PREBUILT_DIR] : ["SPECS", "SOURCES"]) {
    for (const f of (await readdir2(join2(tree.dir, sub))).sort()) {
      const path = join2(tree.dir, sub, f);
      if (await isFile(path)) out[`${sub}/${f}`] = await sha256File(path);
    }
  }
  return out;
}
async function fetchFile(ctx, p, spec) {
  const fetched = await fetchSource(ctx, spec).catch((e) => {
    throw e instanceof DiracosError && !(e instanceof ExecError) ? new DiracosError(`package '${p.name}': ${e.message}`) : e;
  });
  if (!await isFile(fetched.path)) throw new DiracosError(`package '${p.name}': source '${fetched.path}' is not a file`);
  return fetched;
}
async function copyInput(name, from, to) {
  try {
    await copyFile2(from, to);
  } catch (e) {
    throw new DiracosError(`package '${name}': cannot copy '${from}': ${e.message}`, { file: from });
  }
}
async function unpackSrpm(ctx, p, srpm, dir) {
  const tmp = await mkdtemp(join2(dir, "srpm-"));
  ctx.tools.share(dirname(srpm));
  try {
    ctx.tools.share(srpm);
    await ctx.tools.exec("bash", ["-o", "pipefail", "-c", 'rpm2cpio "$1" | cpio -idm --quiet --no-absolute-filenames', "unpack-srpm", srpm], { cwd: tmp });
    for (const patch of p.specPatches ?? []) await applySpecPatch(ctx, p.name, patch, srpm, tmp);
    const files = await readdir2(tmp);
    const specs = files.filter((f) => f.endsWith(".spec"));
    if (specs.length !== 1) throw new DiracosError(`package '${p.name}': the SRPM holds ${specs.length} spec files (expected one)`, { file: srpm });
    for (const f of files) await rename(join2(tmp, f), join2(dir, f.endsWith(".spec") ? "SPECS" : "SOURCES", f));
    return join2(dir, "SPECS", specs[0]);
  } finally {
    await rm2(tmp, { recursive: true, force: true });
  }
}
async function applySpecPatch(ctx, name, patch, srpm, dir) {
  ctx.tools.share(patch);
  const r = await ctx.tools.exec("patch", ["-p1", "--batch", "--forward", "--no-backup-if-mismatch", "--reject-file=-", "-i", patch], { cwd: dir, allowFailure: true });
  if (r.exitCode === 0) return;
  const output = `${r.stdout}
${r.stderr}`.trim().split("\n").slice(-15).join("\n");
  throw new DiracosError(`package '${name}': spec patch ${patch} does not apply to ${basename(srpm)} (patch -p1 in the unpacked SRPM, exit ${r.exitCode}):
${output}`, {
    file: patch
  });
}
async function specFromTarball(ctx, name, tarball, dir) {
  ctx.tools.share(tarball);
  const members = (await ctx.tools.exec("tar", ["-tf", tarball])).stdout.split("\n").filter((m) => m.endsWith(".spec"));
  const member = members.sort((a, b) => a.split("/").length - b.split("/").length)[0];
  if (!member) throw new DiracosError(`package '${name}': the tarball holds no .spec file`, { file: tarball });
  const text = (await ctx.tools.exec("tar", ["-xOf", tarball, member])).stdout;
  const spec = join2(dir, "SPECS", basename(member));
  await writeFile2(spec, text);
  return spec;
}
async function isFile(path) {
  return stat(path).then(
    (s) => s.isFile(),
    () => false
  );
}

// src/build-rpms/plan.ts
async function planBuild(ctx, m, opts = {}) {
  const list = opts.packages ?? m.packages;
  const packages = /* @__PURE__ */ new Map();
  for (const p of list) {
    if (packages.has(p.name)) throw new DiracosError(`package '${p.name}' appears twice in the manifest`, { file: m.file });
    packages.set(p.name, p);
  }
  for (const name of opts.only ?? []) {
    if (!packages.has(name)) throw new DiracosError(`package '${name}' (asked with only) is not in the manifest`, { file: m.file });
  }
  const platform = m.buildPlatform;
  const backend = m.manifest.build.backend ?? "container";
  const backendRules = BACKEND_RULES[backend];
  let placements;
  try {
    placements = placePackages(m, [...packages.values()], backend);
    for (const { platform: pl } of placements.values()) releaseKey(pl);
  } catch (e) {
    throw e instanceof DiracosError && !e.location ? new DiracosError(e.message, { file: m.file }) : e;
  }
  for (const { platform: pl } of placements.values()) {
    if (!backendRules.families.includes(pl.family)) {
      throw new DiracosError(
        `build.backend '${backend}' cannot build on platform '${pl.name}' of family '${pl.family}' (it builds on ${backendRules.families.join(", ")})`,
        { file: m.file }
      );
    }
    if (backend === "mock") targetRules(pl);
  }
  if (opts.exact && !opts.only) throw new DiracosError("build-rpms: exact needs the list of packages (only)", { file: m.file });
  const setup = placements.get(platform.name).setup;
  const stageDir = join3(ctx.workdir, "build-rpms");
  const trees = /* @__PURE__ */ new Map();
  for (const p of packages.values()) trees.set(p.name, await prepareTree(ctx, p, join3(stageDir, "trees")));
  const platforms = /* @__PURE__ */ new Map();
  const specs = /* @__PURE__ */ new Map();
  const unsatisfiedBy = /* @__PURE__ */ new Map();
  for (const [id, placement] of placements) {
    const image = await ctx.runtime.prepareImage(placement.platform.image, placement.setup);
    const built = { id, ...placement, image };
    platforms.set(id, built);
    const specTrees = placement.packages.map((n) => trees.get(n)).filter((t) => !t.prebuilt);
    if (specTrees.length === 0) continue;
    const query = await querySpecs(ctx, image, placement.platform, specTrees, packages, join3(stageDir, id === platform.name ? "query" : `query-${id}`), {
      checkPlatform: backendRules.checkPlatformBuildRequires
    });
    built.platformProvidesRpm = query.platformProvidesRpm;
    for (const [name, info] of query.specs) {
      specs.set(name, info);
      unsatisfiedBy.set(name, { platform: built, satisfied: query.platformSatisfied });
    }
  }
  for (const tree of trees.values()) {
    if (tree.prebuilt) specs.set(tree.name, { name: tree.name, parsedSpec: "", buildRequires: [], ...tree.prebuilt });
  }
  const { graph, fromRepo } = buildGraph(specs, packages, void 0);
  addBootstrapEdges(graph, new Set([...packages.values()].filter((p) => p.bootstrap).map((p) => p.name)));
  const unsatisfied = [...unsatisfiedBy].flatMap(
    ([name, { platform: pl, satisfied }]) => satisfied ? specs.get(name).buildRequires.filter((r) => !fromRepo.get(name).includes(r) && !satisfied.has(r)).map((r) => ({ name, r, pl })) : []
  );
  if (unsatisfied.length > 0) {
    const where = (pl) => `'${pl.id}' (${pl.platform.image})`;
    const several = new Set(unsatisfied.map((u) => u.pl.id)).size > 1 || unsatisfied[0].pl.id !== platform.name;
    throw new DiracosError(
      `BuildRequires provided neither by a package of the manifest nor by the build platform${several ? "" : ` ${where(unsatisfied[0].pl)}`}:
` + unsatisfied.map((u) => `  package '${u.name}': ${u.r}${several ? ` (on ${where(u.pl)})` : ""}`).join("\n"),
      { file: m.file }
    );
  }
  assertAcyclic(graph);
  const platformOf = new Map([...placements].flatMap(([id, pl]) => pl.packages.map((n) => [n, id])));
  const own = /* @__PURE__ */ new Map();
  for (const [name, tree] of trees) {
    if (!tree.prebuilt) await placeSources(tree, specs.get(name).parsedSpec);
    const pl = platforms.get(platformOf.get(name));
    const where = pl.id === platform.name ? {} : { platformBuild: { image: pl.platform.image, setup: pl.setup, family: pl.platform.family, chrootSetup: pl.platform.mock?.chrootSetup } };
    own.set(name, { files: await treeDigests(tree), options: { ...keyOptions(packages.get(name)), ...where } });
  }
  const env = {
    backend,
    image: platform.image,
    setup,
    family: platform.family,
    sourceDateEpoch: sourceDateEpoch(m)
  };
  const allLevels = dependencyLevels(graph);
  const keys = computeKeys(graph, allLevels.flat(), own, env);
  const closure = opts.only ? dependencyClosure(graph, opts.only) : new Set(packages.keys());
  const selected = opts.exact ? new Set(opts.only) : closure;
  const external = allLevels.flat().filter((p) => closure.has(p) && !selected.has(p));
  const levels = allLevels.map((l) => l.filter((p) => selected.has(p))).filter((l) => l.length > 0);
  return {
    packages,
    trees,
    specs,
    graph,
    fromRepo,
    levels,
    order: levels.flat(),
    external,
    keys,
    env,
    image: platforms.get(platform.name).image,
    platformProvidesRpm: platforms.get(platform.name).platformProvidesRpm,
    platforms,
    platformOf,
    stageDir
  };
}
function placePackages(m, list, backend) {
  const out = /* @__PURE__ */ new Map();
  const base = m.buildPlatform;
  out.set(base.name, { platform: base, setup: buildImageSetup(base, backend), packages: [] });
  for (const p of list) {
    const named = p.platform === void 0 ? base : findPlatform(m.manifest, p.platform);
    if (!named) throw new DiracosError(`package '${p.name}': no platform named '${p.platform}'`, { file: m.file });
    const options = p.platformOptions;
    const id = options ? `${named.name}-${sha256Object(options).slice(0, 8)}` : named.name;
    if (!out.has(id)) {
      const chrootSetup = options?.chrootSetup?.length ? [...named.mock?.chrootSetup ?? defaultChrootSetup(named), ...options.chrootSetup] : named.mock?.chrootSetup;
      out.set(id, {
        platform: options ? { ...named, name: id, ...chrootSetup ? { mock: { ...named.mock, chrootSetup } } : {} } : named,
        setup: [...buildImageSetup(named, backend), ...options?.setup ?? []],
        packages: []
      });
    }
    out.get(id).packages.push(p.name);
  }
  return out;
}
function defaultChrootSetup(platform) {
  try {
    return [...targetRules(platform).rules.chrootSetup];
  } catch {
    return [];
  }
}

// src/build-rpms/index.ts
import { mkdir as mkdir5 } from "node:fs/promises";
import { basename as basename6, join as join10 } from "node:path";

// src/repo/lock.ts
import { join as join4 } from "node:path";
function repositoryLockFile(root) {
  return join4(root, ".diracos-lock");
}
function lockRepository(root, opts = {}) {
  return acquireLock(repositoryLockFile(root), { ...opts, what: `the repository ${root}` });
}

// src/repo/repository.ts
import { copyFile as copyFile3, mkdir as mkdir3, mkdtemp as mkdtemp2, readdir as readdir3, rename as rename2, rm as rm3, stat as stat2, unlink, writeFile as writeFile3 } from "node:fs/promises";
import { basename as basename2, dirname as dirname2, join as join5, relative } from "node:path";
var CREATEREPO_ARGS = ["--update", "--general-compress-type=gz", "--quiet"];
var STALE_MARK = ".diracos-stale";
var DEFERRED_PARTS = ["src"];
var UNINDEXED_DIR = "unindexed";
var Repository = class _Repository {
  constructor(exec, layout, index, onWarning) {
    this.exec = exec;
    this.layout = layout;
    this.index = index;
    this.onWarning = onWarning;
  }
  exec;
  layout;
  index;
  onWarning;
  queue = Promise.resolve();
  deferred = /* @__PURE__ */ new Set();
  /** Creates the repository if absent, else brings it back to what its index says. */
  static async open(exec, root, arch, opts = {}) {
    const layout = repoLayout(root, arch);
    for (const part of REPO_PARTS) await mkdir3(layout[part], { recursive: true });
    const repo = new _Repository(exec, layout, await readIndex(layout.index), opts.onWarning ?? (() => void 0));
    await repo.recover();
    return repo;
  }
  entry(name) {
    return this.index.packages[name];
  }
  entries() {
    return this.index.packages;
  }
  /** Absolute path of an RPM listed in the index. */
  path(rpm) {
    return join5(this.layout.root, rpm);
  }
  /**
   * Puts a package's RPMs in (replacing its previous ones) and records its key. Calls are serialized.
   * `beforeRecord` runs once the RPMs are in and the metadata is fresh, before the key is recorded (the
   * package's post steps): if it throws, the package's RPMs and entry are removed, so a re-run rebuilds it.
   */
  add(name, key, files, buildOnly, beforeRecord) {
    const run = this.queue.then(() => this.addNow(name, key, files, buildOnly, beforeRecord));
    this.queue = run.catch(() => void 0);
    return run;
  }
  async addNow(name, key, files, buildOnly, beforeRecord) {
    const old = this.index.packages[name];
    const dests = this.destinations(name, files);
    const parts = /* @__PURE__ */ new Set([...files.map((f) => f.part), ...(old?.rpms ?? []).map((r) => this.partOf(r))]);
    await this.record(this.without([name]), [...dests, ...old?.rpms ?? []]);
    await this.markStale(parts);
    const placed = await this.place(files, parts);
    for (const rpm of old?.rpms ?? []) {
      if (placed.includes(rpm)) continue;
      await unlink(this.path(rpm)).catch(ignoreMissing);
    }
    for (const part of parts) if (DEFERRED_PARTS.includes(part)) this.deferred.add(part);
    await Promise.all([...parts].filter((part) => !DEFERRED_PARTS.includes(part)).map((part) => this.createrepo(part)));
    if (beforeRecord) {
      try {
        await beforeRecord();
      } catch (e) {
        await this.dropNow(name, placed);
        throw e;
      }
    }
    const entry = { key, rpms: placed.sort(), buildOnly };
    await this.record({ ...this.index.packages, [name]: entry });
    return entry;
  }
  /** Writes the index: `packages`, with `pending` RPM paths (see RepoIndex.pending). */
  async record(packages, pending = []) {
    this.index = { version: 1, packages, ...pending.length > 0 ? { pending: [...pending] } : {} };
    await writeIndex(this.layout.index, this.index);
  }
  without(names) {
    return Object.fromEntries(Object.entries(this.index.packages).filter(([n]) => !names.includes(n)));
  }
  /**
   * The repository paths `files` of package `name` take; an RPM file name another package of `kept`
   * has (two packages building one RPM) is an error: one would silently replace the other's file.
   */
  destinations(name, files, kept = this.index.packages) {
    const dests = files.map((f) => relative(this.layout.root, join5(this.layout[f.part], basename2(f.path))));
    for (const dest of dests) {
      const other = Object.entries(kept).find(([n, e]) => n !== name && e.rpms.includes(dest));
      if (other) throw new DiracosError(`package '${name}': its RPM ${dest} is already in the repository ${this.layout.root} as an RPM of package '${other[0]}'`);
    }
    const twice = dests.find((d, i) => dests.indexOf(d) !== i);
    if (twice) throw new DiracosError(`package '${name}': two of its RPMs would both be ${twice} in the repository ${this.layout.root}`);
    return dests;
  }
  /**
   * Puts several packages in at once (merging shard repositories): all RPMs, then one createrepo_c per
   * part and one index write. Each package replaces its previous RPMs, as with add.
   */
  addMany(packages) {
    const run = this.queue.then(() => this.addManyNow(packages));
    this.queue = run.catch(() => void 0);
    return run;
  }
  async addManyNow(packages) {
    const names = packages.map((p) => p.name);
    const twice = names.find((n, i) => names.indexOf(n) !== i);
    if (twice) throw new DiracosError(`package '${twice}' is given twice to add to the repository ${this.layout.root}`);
    const parts = /* @__PURE__ */ new Set();
    const entries = [];
    const previous = this.index.packages;
    const others = this.without(names);
    const byDest = /* @__PURE__ */ new Map();
    for (const p of packages) {
      for (const dest of this.destinations(p.name, p.files, others)) {
        const other = byDest.get(dest);
        if (other !== void 0 && other !== p.name) throw new DiracosError(`packages '${other}' and '${p.name}' would both put ${dest} in the repository ${this.layout.root}`);
        byDest.set(dest, p.name);
      }
    }
    const dests = [...byDest.keys()];
    const olds = packages.flatMap((p) => previous[p.name]?.rpms ?? []);
    await this.record(others, [...dests, ...olds]);
    await this.markStale([...packages.flatMap((p) => p.files.map((f) => f.part)), ...olds.map((r) => this.partOf(r))]);
    const next = { ...others };
    for (const p of packages) {
      const placed = await this.place(p.files, parts);
      for (const rpm of previous[p.name]?.rpms ?? []) {
        if (placed.includes(rpm)) continue;
        await unlink(this.path(rpm)).catch(ignoreMissing);
        parts.add(this.partOf(rpm));
      }
      next[p.name] = { key: p.key, rpms: placed.sort(), buildOnly: p.buildOnly };
      entries.push(next[p.name]);
    }
    await Promise.all([.../* @__PURE__ */ new Set([...parts, ...this.deferred])].map((part) => this.createrepo(part)));
    this.deferred.clear();
    await this.record(next);
    return entries;
  }
  /** Copies files into a temp folder of the repository, then renames them in; returns their relative paths. */
  async place(files, parts) {
    const { layout } = this;
    const tmp = await mkdtemp2(join5(layout.root, REPO_TEMP_PREFIX));
    const placed = [];
    try {
      const staged = await Promise.all(
        files.map(async (f, i) => {
          const tmpFile = join5(tmp, `${i}-${basename2(f.path)}`);
          await copyFile3(f.path, tmpFile);
          return { tmpFile, dest: join5(layout[f.part], basename2(f.path)), part: f.part };
        })
      );
      for (const s of staged) {
        await rename2(s.tmpFile, s.dest);
        placed.push(relative(layout.root, s.dest));
        parts.add(s.part);
      }
    } finally {
      await rm3(tmp, { recursive: true, force: true });
    }
    return placed;
  }
  /** Removes a package's RPMs (those listed and those of its entry) and its entry. */
  async dropNow(name, rpms) {
    const all = [.../* @__PURE__ */ new Set([...rpms, ...this.index.packages[name]?.rpms ?? []])];
    const parts = new Set(all.map((r) => this.partOf(r)));
    await this.record(this.without([name]), [...this.index.pending ?? [], ...all]);
    await this.markStale(parts);
    for (const rpm of all) await unlink(this.path(rpm)).catch(ignoreMissing);
    for (const part of parts) if (DEFERRED_PARTS.includes(part)) this.deferred.add(part);
    await Promise.all([...parts].filter((part) => !DEFERRED_PARTS.includes(part)).map((part) => this.createrepo(part)));
    await this.record(this.index.packages);
  }
  /**
   * Removes temp folders, the RPMs of an interrupted change (pending) and of entries whose RPMs are gone
   * (those entries too); moves any other RPM no entry owns to UNINDEXED_DIR, saying so; refreshes metadata.
   */
  async recover() {
    const { layout } = this;
    for (const name of await readdir3(layout.root)) {
      if (name.startsWith(REPO_TEMP_PREFIX)) await rm3(join5(layout.root, name), { recursive: true, force: true });
    }
    const packages = {};
    const ours = new Set(this.index.pending ?? []);
    for (const [name, entry] of Object.entries(this.index.packages)) {
      const missing = (await Promise.all(entry.rpms.map(async (r) => await exists(this.path(r)) ? void 0 : r))).filter((r) => r !== void 0);
      if (missing.length === 0) {
        packages[name] = entry;
        continue;
      }
      this.onWarning(`repository ${layout.root}: package '${name}' lacks ${missing.join(", ")} (deleted by hand?): its entry is dropped and it will be rebuilt`);
      for (const r of entry.rpms) ours.add(r);
    }
    const owned = new Set(Object.values(packages).flatMap((e) => e.rpms));
    const stale = /* @__PURE__ */ new Set();
    const unindexed = [];
    for (const part of REPO_PARTS) {
      const dir = layout[part];
      await rm3(join5(dir, ".repodata"), { recursive: true, force: true });
      if (await exists(join5(dir, STALE_MARK)) || !await exists(join5(dir, "repodata", "repomd.xml"))) stale.add(part);
      for (const file of await readdir3(dir)) {
        const rpm = relative(layout.root, join5(dir, file));
        if (!file.endsWith(".rpm") || owned.has(rpm)) continue;
        stale.add(part);
        if (ours.has(rpm)) await unlink(join5(dir, file));
        else unindexed.push(await this.moveAside(rpm));
      }
    }
    await Promise.all([...stale].map((part) => this.createrepo(part)));
    if (Object.keys(packages).length !== Object.keys(this.index.packages).length || this.index.pending !== void 0) await this.record(packages);
    if (unindexed.length > 0) {
      this.onWarning(
        `repository ${layout.root}: ${unindexed.length} RPM(s) that its index (${basename2(layout.index)}) does not list were moved out of the repository, not deleted (another run may have written it at the same time, or they were copied in by hand; nothing is built or bundled from them; delete them once you no longer need them):
` + unindexed.map((u) => `  ${u}`).join("\n")
      );
    }
  }
  /** Moves an unindexed RPM to UNINDEXED_DIR (keeping its part's path); returns where it went. */
  async moveAside(rpm) {
    let dest = join5(this.layout.root, UNINDEXED_DIR, rpm);
    await mkdir3(dirname2(dest), { recursive: true });
    for (let i = 1; await exists(dest); i++) dest = join5(this.layout.root, UNINDEXED_DIR, `${rpm}.${i}`);
    await rename2(this.path(rpm), dest);
    return dest;
  }
  /** The part an RPM path (relative to the root) is in. */
  partOf(rpm) {
    const dir = join5(this.layout.root, rpm, "..");
    return REPO_PARTS.find((p) => this.layout[p] === dir) ?? "binary";
  }
  /** Refreshes the metadata of the parts whose refresh was deferred (source RPMs); call at the end of a run. */
  flush() {
    const run = this.queue.then(async () => {
      await Promise.all([...this.deferred].map((part) => this.createrepo(part)));
      this.deferred.clear();
    });
    this.queue = run.catch(() => void 0);
    return run;
  }
  async markStale(parts) {
    for (const part of new Set(parts)) await writeFile3(join5(this.layout[part], STALE_MARK), "");
  }
  async createrepo(part) {
    await this.exec("createrepo_c", [...CREATEREPO_ARGS, this.layout[part]]);
    await unlink(join5(this.layout[part], STALE_MARK)).catch(ignoreMissing);
  }
};
async function exists(path) {
  return stat2(path).then(
    () => true,
    () => false
  );
}
function ignoreMissing(e) {
  if (e.code !== "ENOENT") throw e;
}

// src/build-rpms/backend-container.ts
import { basename as basename3, dirname as dirname3, join as join7 } from "node:path";

// src/build-rpms/backend.ts
import { createWriteStream } from "node:fs";
import { readdir as readdir4, readFile as readFile2 } from "node:fs/promises";
import { join as join6 } from "node:path";
import { gunzipSync } from "node:zlib";
async function heldRpmNames(repo) {
  const names = /* @__PURE__ */ new Set();
  for (const dir of [repo.binary, repo.buildOnly]) {
    for (const f of await readdir4(dir).catch(() => [])) if (f.endsWith(".rpm") && !f.endsWith(".src.rpm")) names.add(rpmNameOfFile(f));
  }
  return [...names].sort();
}
async function repoProvides(dir) {
  const out = /* @__PURE__ */ new Map();
  const repomd = await readFile2(join6(dir, "repodata/repomd.xml"), "utf8").catch(() => "");
  const href = /<data type="primary">[\s\S]*?<location href="([^"]+)"/.exec(repomd)?.[1];
  if (!href) return out;
  const raw = await readFile2(join6(dir, href));
  const xml = (href.endsWith(".gz") ? gunzipSync(raw) : raw).toString("utf8");
  const unescape = (t) => t.replace(/&(lt|gt|quot|apos|amp);/g, (_m, e) => ({ lt: "<", gt: ">", quot: '"', apos: "'", amp: "&" })[e]);
  for (const block of xml.split('<package type="rpm">').slice(1)) {
    const name = /<name>([^<]*)<\/name>/.exec(block)?.[1];
    if (!name) continue;
    const provides = /<rpm:provides>([\s\S]*?)<\/rpm:provides>/.exec(block)?.[1] ?? "";
    const caps = [...provides.matchAll(/<rpm:entry name="([^"]*)"/g)].map((m) => unescape(m[1]));
    out.set(unescape(name), [.../* @__PURE__ */ new Set([...out.get(unescape(name)) ?? [], ...caps])]);
  }
  return out;
}
var PACKAGE_NAME = /^[A-Za-z0-9_+][A-Za-z0-9._+-]*$/;
async function hiddenInBase(repo, pm, only) {
  const held = (await heldRpmNames(repo)).filter((n) => !only || only.has(n));
  const hidden = new Set(held);
  if (HIDES_PROVIDED_NAMES[pm]) {
    const provides = new Map([...await repoProvides(repo.binary), ...await repoProvides(repo.buildOnly)]);
    for (const name of held) for (const cap of provides.get(name) ?? []) if (PACKAGE_NAME.test(cap)) hidden.add(cap);
  }
  return [...hidden].sort();
}
function defineArgs(defines) {
  return Object.entries(defines).flatMap(([k, v]) => ["--define", `${k} ${v}`]);
}
async function runLogged(ctx, logFile, flags, header, spec) {
  const log = createWriteStream(logFile, { flags });
  log.write(header);
  try {
    const result = await ctx.runtime.run({ ...spec, capture: false, allowFailure: true, onOutput: (chunk) => log.write(chunk) });
    return result.exitCode;
  } finally {
    await new Promise((resolve) => log.end(resolve));
  }
}
var LOG_TAIL_LINES = 40;
async function showTail(ctx, title, logFile) {
  const tail = (await readFile2(logFile, "utf8")).trimEnd().split("\n").slice(-LOG_TAIL_LINES).join("\n");
  await ctx.reporter.group(`${title} (last ${LOG_TAIL_LINES} lines of ${logFile})`, async () => ctx.reporter.info(tail));
}
async function failBuild(ctx, job, exitCode, what = "the build") {
  await showTail(ctx, `build of ${job.pkg.name} failed`, job.log);
  throw new DiracosError(`package '${job.pkg.name}': ${what} failed (exit ${exitCode}); log: ${job.log}`, { file: job.log });
}
async function failPostStep(ctx, job, exitCode) {
  await showTail(ctx, `post step ${job.index + 1} of ${job.pkg.name} failed`, job.log);
  throw new DiracosError(`package '${job.pkg.name}': post step ${job.index + 1} failed (exit ${exitCode}): ${job.step}; log: ${job.log}`, { file: job.log });
}
async function rpmsUnder(dir) {
  const entries = await readdir4(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile() && e.name.endsWith(".rpm")).map((e) => join6(e.parentPath ?? e.path, e.name)).sort();
}

// src/build-rpms/routines.ts
var ROUTINE_TOPDIR = "/build";
function routineEnv(o) {
  return {
    DIRACOS_PACKAGE: o.pkg,
    DIRACOS_TOPDIR: ROUTINE_TOPDIR,
    DIRACOS_SPEC: `${ROUTINE_TOPDIR}/SPECS/${o.spec}`,
    ...o.rpmbuild ? { DIRACOS_RPMBUILD: o.rpmbuild } : {},
    ...o.repo ? { DIRACOS_REPO: o.repo } : {},
    ...o.buildOnly ? { DIRACOS_BUILDONLY: o.buildOnly } : {}
  };
}
function preStepLines(pkg) {
  const steps = pkg.preSteps ?? [];
  if (steps.length === 0) return [];
  return [
    `cd ${ROUTINE_TOPDIR}`,
    ...steps.flatMap((step, i) => [`echo ${shQuote(`# pre step ${i + 1} of ${pkg.name}: ${step}`)}`, step, `cd ${ROUTINE_TOPDIR}`])
  ];
}
function buildLines(pkg, rpmbuild) {
  if (pkg.buildCommand === void 0) return [rpmbuild];
  return [`cd ${ROUTINE_TOPDIR}`, `echo ${shQuote(`# build command of ${pkg.name}: ${pkg.buildCommand}`)}`, pkg.buildCommand];
}

// src/build-rpms/backend-container.ts
var IN = { build: "/build", repo: "/repo", platform: "/platform" };
function containerBackend(opts) {
  const rules = FAMILY_RULES[opts.platform.family];
  const registerPlatform = opts.platformProvidesRpm ? [`rpm -i --justdb --nodeps --noscripts --nosignature ${IN.platform}/${basename3(opts.platformProvidesRpm)}`] : [];
  const platformMount = opts.platformProvidesRpm ? [{ source: dirname3(opts.platformProvidesRpm), target: IN.platform, readOnly: true }] : [];
  return {
    name: "container",
    async build(ctx, job) {
      const rpmbuild = rpmbuildLine([...rpmOptions(job.pkg, "rpmbuild"), `${IN.build}/SPECS/${basename3(job.tree.spec)}`]);
      const script = containerBuildScript({
        platform: opts.platform,
        arch: opts.repo.arch,
        registerPlatform,
        install: job.install,
        exclude: job.install.length > 0 ? await hiddenInBase(opts.repo, releaseRules(opts.platform).packageManager) : [],
        // routines (README: Routines): preSteps, then buildCommand or rpmbuild
        build: [...preStepLines(job.pkg), ...buildLines(job.pkg, rpmbuild)]
      });
      const repos = containerRepos(opts.repo.arch);
      const routine = routineEnv({ pkg: job.pkg.name, spec: basename3(job.tree.spec), rpmbuild, repo: repos[0].dir, buildOnly: repos[1].dir });
      const exitCode = await runLogged(ctx, job.log, "w", `# ${job.pkg.name} in ${opts.image}
${script}

`, {
        image: opts.image,
        name: `build-${job.pkg.name}`,
        command: ["bash", "-c", script],
        mounts: [{ source: job.tree.dir, target: IN.build }, { source: opts.repo.root, target: IN.repo, readOnly: true }, ...platformMount],
        env: { ...opts.platform.env, ...routine, SOURCE_DATE_EPOCH: String(opts.sourceDateEpoch) },
        network: rules.network
      });
      if (exitCode !== 0) await failBuild(ctx, job, exitCode);
      return {
        binary: await rpmsUnder(join7(job.tree.dir, "RPMS")),
        source: await rpmsUnder(join7(job.tree.dir, "SRPMS"))
      };
    },
    async postStep(ctx, job) {
      const script = ["set -e -o pipefail", ...registerPlatform, job.step].join("\n");
      const exitCode = await runLogged(ctx, job.log, "a", `
# post step ${job.index + 1} of ${job.pkg.name} in ${opts.image}
${job.step}

`, {
        image: opts.image,
        name: `post-${job.pkg.name}`,
        command: ["bash", "-c", script],
        mounts: [{ source: opts.repo.root, target: IN.repo, readOnly: true }, ...platformMount],
        env: { ...opts.platform.env, ...postStepEnv(job.pkg.name, join7(IN.repo, opts.repo.arch), join7(IN.repo, "buildOnly", opts.repo.arch)) },
        network: rules.network
      });
      if (exitCode !== 0) await failPostStep(ctx, job, exitCode);
    }
  };
}
function containerRepos(arch) {
  return [
    { id: "diracos", dir: join7(IN.repo, arch) },
    { id: "diracos-buildonly", dir: join7(IN.repo, "buildOnly", arch) }
  ];
}
function containerBuildScript(o) {
  const repos = containerRepos(o.arch);
  const pm = releaseRules(o.platform).packageManager;
  const install = o.install.length === 0 ? [] : pm === "yum" ? yumInstallScript(o.platform, repos, o.exclude, o.install) : [`dnf -y ${shJoin(dnfRepoArgs(o.platform, FAMILY_RULES[o.platform.family], repos, o.exclude))} install ${shJoin(o.install)}`];
  return [
    // $basearch and $releasever in baseurls are the package manager's to expand.
    "# shellcheck disable=SC2016",
    "set -e -o pipefail",
    ...o.registerPlatform,
    ...install,
    ...o.build
  ].join("\n");
}
function rpmbuildLine(optionsAndSpec) {
  return `rpmbuild -ba ${shJoin([...defineArgs({ _topdir: IN.build, ...REPRODUCIBLE_MACROS }), ...optionsAndSpec])}`;
}
function postStepEnv(pkg, repo, buildOnly) {
  return { DIRACOS_REPO: repo, DIRACOS_BUILDONLY: buildOnly, DIRACOS_PACKAGE: pkg };
}

// src/build-rpms/backend-mock.ts
import { mkdir as mkdir4, readFile as readFile3, rm as rm4 } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { basename as basename5, join as join9 } from "node:path";

// src/build-rpms/mock-commands.ts
import { basename as basename4, dirname as dirname4, join as join8 } from "node:path";

// src/build-rpms/mock-config.ts
var OUR_REPO = "diracos";
var OUR_BUILD_ONLY_REPO = "diracos-buildonly";
var FORBIDDEN_REPO = /epel/i;
var COMPRESSION_MACROS = {
  "%__gzip": "%(command -v pigz || echo /usr/bin/gzip)",
  "%__bzip2": "%(command -v lbzip2 || echo /usr/bin/bzip2)"
};
var PACKAGE_GLOB = /^[A-Za-z0-9._+*?[\]-]+$/;
function mockRoot(platform, arch) {
  return `diracos-${platform.name}-${arch}`;
}
function mockConfig(platform, opts) {
  const where = `platforms[${platform.name}]`;
  const { rules, releasever } = targetRules(platform);
  const pm = PACKAGE_MANAGER_RULES[rules.packageManager];
  if (!Number.isInteger(opts.cores) || opts.cores < 1) throw new DiracosError(`mock: cores must be a positive integer (got ${opts.cores})`);
  if (!/^[A-Za-z0-9_]+$/.test(opts.arch)) throw new DiracosError(`mock: invalid arch ${JSON.stringify(opts.arch)}`);
  if (!Number.isSafeInteger(opts.sourceDateEpoch) || opts.sourceDateEpoch < 1) {
    throw new DiracosError(`mock: SOURCE_DATE_EPOCH must be a positive integer (got ${opts.sourceDateEpoch})`);
  }
  for (const name of opts.ourPackages) {
    if (!PACKAGE_GLOB.test(name)) throw new DiracosError(`mock: ${JSON.stringify(name)} is not an RPM name or glob`);
  }
  const baseRepos = platform.baseRepos ?? [];
  if (baseRepos.length === 0) throw new DiracosError(`${where}.baseRepos: the mock backend needs the platform's base repositories`);
  const names = /* @__PURE__ */ new Set();
  for (const [i, repo] of baseRepos.entries()) {
    if (repo.name === OUR_REPO || repo.name === OUR_BUILD_ONLY_REPO || names.has(repo.name)) {
      throw new DiracosError(`${where}.baseRepos[${i}].name: repo id '${repo.name}' is used twice or is one of ours`);
    }
    names.add(repo.name);
    if (FORBIDDEN_REPO.test(repo.name) || FORBIDDEN_REPO.test(opts.baseurls?.[repo.name] ?? repo.baseurl)) {
      throw new DiracosError(`${where}.baseRepos[${i}]: EPEL is never used; everything beyond the base OS is rebuilt by us`);
    }
  }
  for (const name of Object.keys(opts.baseurls ?? {})) {
    if (!names.has(name)) throw new DiracosError(`mock: baseurl override for '${name}', which is not in ${where}.baseRepos (${[...names].join(", ")})`);
  }
  const distTag = platform.mock?.distTag ?? rules.distTag.replace("{releasever}", releasever);
  const chrootSetup = platform.mock?.chrootSetup ?? rules.chrootSetup;
  const excludes = [...new Set(opts.ourPackages)].sort();
  const ours = (id, name, dir) => [
    `[${id}]`,
    `name=${name}`,
    `baseurl=${fileUrl2(dir)}`,
    "enabled=1",
    "gpgcheck=0",
    "skip_if_unavailable=False",
    "metadata_expire=0",
    ...pm.oursExtra,
    ""
  ];
  const conf = [
    "[main]",
    "keepcache=1",
    "debuglevel=2",
    // No repo files of the host or the chroot: only the repositories below exist.
    "reposdir=/dev/null",
    `logfile=${pm.logfile}`,
    "retries=20",
    "obsoletes=1",
    "gpgcheck=0",
    "assumeyes=1",
    "syslog_ident=mock",
    "syslog_device=",
    "metadata_expire=0",
    "mdpolicy=group:primary",
    "protected_packages=",
    ...rules.mainExtra.map((l) => l.replace("{releasever}", releasever)),
    "",
    // Ours first: listed first, lowest cost, highest priority.
    ...ours(OUR_REPO, "DIRACOS rebuilt packages", opts.repoDir),
    ...opts.buildOnlyDir ? ours(OUR_BUILD_ONLY_REPO, "DIRACOS build-only packages", opts.buildOnlyDir) : [],
    ...baseRepos.flatMap((repo) => [
      `[${repo.name}]`,
      `name=${repo.name}`,
      `baseurl=${opts.baseurls?.[repo.name] ?? repo.baseurl}`,
      "enabled=1",
      // The manifest carries no keys for the vault mirrors; the transport is https.
      "gpgcheck=0",
      "skip_if_unavailable=False",
      "priority=99",
      "cost=1000",
      ...excludes.length ? [`${pm.excludeKey}=${excludes.join(" ")}`] : [],
      ""
    ])
  ];
  for (const line of conf) checkConfLine(line);
  const lines2 = [
    `# Generated by diracos for platform ${platform.name} (${platform.image}); do not edit.`,
    `config_opts['root'] = ${py(mockRoot(platform, opts.arch))}`,
    `config_opts['target_arch'] = ${py(opts.arch)}`,
    `config_opts['legal_host_arches'] = (${py(opts.arch)},)`,
    `config_opts['releasever'] = ${py(releasever)}`,
    `config_opts['chroot_setup_cmd'] = ${py(`install ${chrootSetup.join(" ")}`)}`,
    `config_opts['dist'] = ${py(distTag.replace(/^\./, ""))}`,
    `config_opts['package_manager'] = ${py(rules.packageManager)}`,
    `config_opts['use_bootstrap'] = ${pyBool(rules.useBootstrap)}`,
    `config_opts['use_bootstrap_image'] = False`,
    // Inside a container there is no systemd-nspawn: 'isolation' for mock >= 2.2, use_nspawn for older.
    `config_opts['isolation'] = 'simple'`,
    `config_opts['use_nspawn'] = False`,
    `config_opts['print_main_output'] = True`,
    // Added to mock's default environment of the chroot (rpmbuild runs there): reproducible RPMs.
    `config_opts['environment']['SOURCE_DATE_EPOCH'] = ${py(String(opts.sourceDateEpoch))}`,
    `config_opts['macros']['%dist'] = ${py(distTag)}`,
    `config_opts['macros']['%_smp_mflags'] = ${py(`-j${opts.cores}`)}`,
    ...Object.entries(COMPRESSION_MACROS).map(([k, v]) => `config_opts['macros'][${py(k)}] = ${py(v)}`),
    `config_opts[${py(pm.confKey)}] = """`,
    ...conf,
    `"""`,
    ""
  ];
  return lines2.join("\n");
}
function fileUrl2(dir) {
  if (!dir.startsWith("/")) throw new DiracosError(`mock: repository path must be absolute inside the build container (got ${JSON.stringify(dir)})`);
  return `file://${dir}`;
}
function py(value) {
  checkValue(value);
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}
function pyBool(value) {
  return value ? "True" : "False";
}
function checkValue(value) {
  if (/[\x00-\x1f]/.test(value) || /\{\{|\{%|\{#/.test(value)) {
    throw new DiracosError(`mock: value ${JSON.stringify(value)} contains a control character or a jinja2 marker`);
  }
}
function checkConfLine(line) {
  checkValue(line);
  if (/["\\]/.test(line)) throw new DiracosError(`mock: repository setting ${JSON.stringify(line)} contains a quote or a backslash`);
}

// src/build-rpms/mock-commands.ts
var MOCK_PATHS = {
  repo: "/diracos/repo",
  buildOnly: "/diracos/buildonly",
  srpms: "/diracos/srpms",
  result: "/diracos/result",
  configDir: "/diracos/mock",
  /** mock's cache (root cache, package cache): kept between builds, which is what `--scrub=root-cache` acts on. */
  cache: "/var/cache/mock"
};
var MACRO_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
var BCOND = /^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/;
function mockCommand(opts) {
  if (!opts.config.endsWith(".cfg")) throw new DiracosError(`mock: config path must end in .cfg (got ${opts.config})`);
  const argv = ["mock", "-r", opts.config, "--rebuild", opts.srpm, "--resultdir", opts.resultDir];
  if (opts.uniqueExt !== void 0) {
    if (!/^[A-Za-z0-9_-]+$/.test(opts.uniqueExt)) throw new DiracosError(`mock: invalid uniqueext ${JSON.stringify(opts.uniqueExt)}`);
    argv.push(`--uniqueext=${opts.uniqueExt}`);
  }
  for (const [name, value] of Object.entries(opts.defines ?? {})) {
    if (!MACRO_NAME.test(name)) throw new DiracosError(`mock: define '${name}' is not an rpm macro name`);
    if (/[\r\n]/.test(value)) throw new DiracosError(`mock: define '${name}' has a multi-line value`);
    argv.push("--define", `${name} ${value}`);
  }
  for (const [flag, names] of [["--with", opts.with], ["--without", opts.without]]) {
    for (const name of names ?? []) {
      if (!BCOND.test(name)) throw new DiracosError(`mock: ${flag} '${name}' is not a bcond name`);
      argv.push(flag, name);
    }
  }
  if (opts.check === false) argv.push("--nocheck");
  return argv;
}
function configName(platform, arch) {
  return `${mockRoot(platform, arch)}.cfg`;
}
function mounts(req) {
  return [
    { source: req.repoDir, target: MOCK_PATHS.repo, readOnly: true },
    ...req.buildOnlyDir ? [{ source: req.buildOnlyDir, target: MOCK_PATHS.buildOnly, readOnly: true }] : [],
    { source: req.configDir, target: MOCK_PATHS.configDir, readOnly: true },
    { source: req.cacheDir, target: MOCK_PATHS.cache }
  ];
}
function configFor(req) {
  return mockConfig(req.platform, {
    repoDir: MOCK_PATHS.repo,
    buildOnlyDir: req.buildOnlyDir ? MOCK_PATHS.buildOnly : void 0,
    ourPackages: req.ourPackages,
    sourceDateEpoch: req.sourceDateEpoch,
    arch: req.arch,
    cores: req.cores,
    baseurls: req.baseurls
  });
}
function mockBuildPlan(req) {
  const name = configName(req.platform, req.arch);
  const srpmName = basename4(req.srpm);
  if (!srpmName.endsWith(".src.rpm")) throw new DiracosError(`mock: ${req.srpm} is not a source RPM (*.src.rpm)`);
  const configText = configFor(req);
  const command = mockCommand({
    config: `${MOCK_PATHS.configDir}/${name}`,
    srpm: `${MOCK_PATHS.srpms}/${srpmName}`,
    resultDir: MOCK_PATHS.result,
    defines: req.defines,
    with: req.with,
    without: req.without,
    check: req.check
  });
  return {
    configFile: join8(req.configDir, name),
    configText,
    run: {
      image: req.image,
      command,
      mounts: [
        ...mounts(req),
        { source: dirname4(req.srpm), target: MOCK_PATHS.srpms, readOnly: true },
        { source: req.resultDir, target: MOCK_PATHS.result }
      ],
      // mock mounts /proc, /dev and tmpfs in its chroot: that needs a privileged container.
      privileged: true,
      network: true,
      capture: false
    }
  };
}
function mockPostStep(req, step) {
  const name = configName(req.platform, req.arch);
  const configText = configFor(req);
  return {
    configFile: join8(req.configDir, name),
    configText,
    run: {
      image: req.image,
      command: ["bash", "-euo", "pipefail", "-c", step],
      mounts: mounts(req),
      env: {
        DIRACOS_MOCK_CONFIG: `${MOCK_PATHS.configDir}/${name}`,
        DIRACOS_MOCK_ROOT: mockRoot(req.platform, req.arch),
        DIRACOS_REPO: MOCK_PATHS.repo,
        ...req.buildOnlyDir ? { DIRACOS_BUILDONLY: MOCK_PATHS.buildOnly } : {}
      },
      privileged: true,
      network: true
    }
  };
}

// src/build-rpms/backend-mock.ts
function mockBackend(opts) {
  const rebuilt = new Set(opts.ourPackages);
  const pm = targetRules(opts.platform).rules.packageManager;
  const request = async () => ({
    platform: opts.platform,
    image: opts.image,
    arch: opts.repo.arch,
    cores: Math.max(1, availableParallelism()),
    repoDir: opts.repo.binary,
    buildOnlyDir: opts.repo.buildOnly,
    configDir: opts.configDir,
    cacheDir: opts.cacheDir,
    ourPackages: await hiddenInBase(opts.repo, pm, rebuilt),
    sourceDateEpoch: opts.sourceDateEpoch
  });
  return {
    name: "mock",
    async build(ctx, job) {
      if (job.pkg.buildCommand !== void 0) throw new DiracosError(`package '${job.pkg.name}': buildCommand needs build.backend container (mock rebuilds in its own chroot)`);
      const spec = `/build/SPECS/${basename5(job.tree.spec)}`;
      const srpmScript = `set -e
rpmbuild -bs ${shJoin([...defineArgs({ _topdir: "/build", ...REPRODUCIBLE_MACROS }), ...rpmOptions(job.pkg, "rpmbuild"), spec])}`;
      let flags = "w";
      if (job.pkg.preSteps?.length) {
        const pre = mockPostStep(await request(), ["set -e -o pipefail", ...preStepLines(job.pkg)].join("\n"));
        await writeConfig(pre, opts.cacheDir);
        const exitCode = await runLogged(ctx, job.log, "w", `# ${job.pkg.name}: pre steps (mock container)
${job.pkg.preSteps.join("\n")}

`, {
          ...pre.run,
          mounts: [...pre.run.mounts ?? [], { source: job.tree.dir, target: ROUTINE_TOPDIR }],
          env: { ...opts.platform.env, ...pre.run.env, ...routineEnv({ pkg: job.pkg.name, spec: basename5(job.tree.spec), repo: pre.run.env?.DIRACOS_REPO, buildOnly: pre.run.env?.DIRACOS_BUILDONLY }) }
        });
        if (exitCode !== 0) await failBuild(ctx, job, exitCode, "a pre step");
        flags = "a";
      }
      const made = await runLogged(ctx, job.log, flags, `# ${job.pkg.name}: source RPM in ${opts.image}
${srpmScript}

`, {
        image: opts.image,
        name: `srpm-${job.pkg.name}`,
        command: ["bash", "-c", srpmScript],
        mounts: [{ source: job.tree.dir, target: "/build" }],
        env: { ...opts.platform.env, SOURCE_DATE_EPOCH: String(opts.sourceDateEpoch) },
        network: false
      });
      if (made !== 0) await failBuild(ctx, job, made, "making the source RPM");
      const srpms = await rpmsUnder(join9(job.tree.dir, "SRPMS"));
      if (srpms.length !== 1) throw new DiracosError(`package '${job.pkg.name}': rpmbuild -bs made ${srpms.length} source RPMs (expected one); log: ${job.log}`);
      const resultDir = join9(job.tree.dir, "mock-result");
      await rm4(resultDir, { recursive: true, force: true });
      await mkdir4(resultDir, { recursive: true });
      const plan = mockBuildPlan({
        ...await request(),
        srpm: srpms[0],
        resultDir,
        defines: { ...job.pkg.defines, ...REPRODUCIBLE_MACROS },
        with: job.pkg.with,
        without: job.pkg.without,
        check: job.pkg.check
      });
      await writeConfig(plan, opts.cacheDir);
      const built = await runLogged(ctx, job.log, "a", `
# ${job.pkg.name}: ${plan.run.command.join(" ")}

`, { ...plan.run, name: `mock-${job.pkg.name}` });
      if (built !== 0) await failBuild(ctx, job, built, "mock");
      const rpms = await rpmsUnder(resultDir);
      return { binary: rpms.filter((f) => !f.endsWith(".src.rpm")), source: rpms.filter((f) => f.endsWith(".src.rpm")) };
    },
    async postStep(ctx, job) {
      const plan = mockPostStep(await request(), job.step);
      await writeConfig(plan, opts.cacheDir);
      const exitCode = await runLogged(ctx, job.log, "a", `
# post step ${job.index + 1} of ${job.pkg.name} (mock)
${job.step}

`, {
        ...plan.run,
        name: `mock-post-${job.pkg.name}`,
        env: { ...opts.platform.env, ...plan.run.env, DIRACOS_PACKAGE: job.pkg.name }
      });
      if (exitCode !== 0) await failPostStep(ctx, job, exitCode);
    }
  };
}
async function writeConfig(plan, cacheDir) {
  await mkdir4(join9(plan.configFile, ".."), { recursive: true });
  await mkdir4(cacheDir, { recursive: true });
  if (await readFile3(plan.configFile, "utf8").catch(() => void 0) === plan.configText) return;
  await replaceFile(plan.configFile, plan.configText);
}

// src/build-rpms/scheduler.ts
async function runInDependencyOrder(graph, names, jobs, task) {
  const wanted = new Set(names);
  const done = /* @__PURE__ */ new Set();
  const started = /* @__PURE__ */ new Set();
  let failure;
  let running = 0;
  await new Promise((resolve) => {
    const pump = () => {
      if (failure || done.size === wanted.size) {
        if (running === 0) resolve();
        return;
      }
      for (const name of names) {
        if (running >= Math.max(1, jobs)) break;
        if (started.has(name)) continue;
        const deps = [...graph.get(name)?.keys() ?? []].filter((d) => wanted.has(d));
        if (!deps.every((d) => done.has(d))) continue;
        started.add(name);
        running++;
        task(name).then(
          () => {
            running--;
            done.add(name);
            pump();
          },
          (error) => {
            running--;
            failure ??= { error };
            pump();
          }
        );
      }
      if (running === 0 && !failure && done.size < wanted.size) {
        failure = { error: new Error(`scheduler stuck: ${[...wanted].filter((n) => !done.has(n)).join(", ")} wait on each other`) };
        resolve();
      }
    };
    pump();
  });
  if (failure) throw failure.error;
}

// src/build-rpms/index.ts
function lockStageDir(ctx, opts = {}) {
  return lockWorkFolder(ctx, join10(ctx.workdir, "build-rpms"), opts);
}
function buildRpms(ctx, m, opts = {}) {
  return holding(lockStageDir(ctx, opts), async () => {
    const plan = await planBuild(ctx, m, opts);
    ctx.tools.share(m.repository);
    return holding(lockRepository(m.repository, lockOptions(ctx, opts)), () => buildLocked(ctx, m, opts, plan));
  });
}
async function buildLocked(ctx, m, opts, plan) {
  await opts.beforeBuild?.(plan);
  const repo = await Repository.open(ctx.tools.exec, m.repository, m.arch, { onWarning: (message) => ctx.reporter.warning(message) });
  assertExternalBuilt(m, plan, repo);
  const backends = new Map([...plan.platforms].map(([id, pl]) => [id, createBackend(plan, pl, repo)]));
  const logs = join10(plan.stageDir, "logs");
  await mkdir5(logs, { recursive: true });
  const results = /* @__PURE__ */ new Map();
  const built = runInDependencyOrder(plan.graph, plan.order, ctx.jobs, async (name) => {
    const key = plan.keys.get(name);
    const pkg = plan.packages.get(name);
    const cached = repo.entry(name);
    if (cached?.key === key) {
      results.set(name, { name, key, status: "cached", seconds: 0, rpms: cached.rpms });
      return;
    }
    const start = Date.now();
    const log = join10(logs, `${name}.log`);
    ctx.reporter.info(`build-rpms: building ${name} (key ${key.slice(0, 12)}), log: ${log}`);
    const platform = plan.platforms.get(plan.platformOf.get(name));
    const backend = backends.get(platform.id);
    const install = FAMILY_RULES[platform.platform.family].installAllBuildRequires ? plan.specs.get(name).buildRequires : plan.fromRepo.get(name);
    const tree = plan.trees.get(name);
    const out = tree.prebuilt ? await prebuiltOutput(tree) : await ctx.reporter.progress({ what: `building ${name}`, log }, () => backend.build(ctx, { pkg, tree, install, log }));
    const files = [
      ...out.binary.filter((f) => keepsRpm(pkg, rpmNameOfFile(basename6(f)), basename6(f))).map((path) => ({ path, part: pkg.buildOnly ? "buildOnly" : "binary" })),
      ...out.source.map((path) => ({ path, part: "src" }))
    ];
    if (!files.some((f) => f.part !== "src")) {
      throw new DiracosError(`package '${name}': no binary RPM left to add to the repository (built: ${out.binary.map((f) => basename6(f)).join(", ") || "none"}; check pkgList/excludePatterns)`);
    }
    const postSteps = async () => {
      for (const [index, step] of pkg.postSteps.entries()) {
        await ctx.reporter.progress({ what: `running post step ${index + 1} of ${name}`, log }, () => backend.postStep(ctx, { pkg, index, step, log }));
      }
    };
    const entry = await repo.add(name, key, files, pkg.buildOnly, pkg.postSteps.length > 0 ? postSteps : void 0);
    results.set(name, { name, key, status: "built", seconds: (Date.now() - start) / 1e3, rpms: entry.rpms });
    ctx.reporter.info(`build-rpms: built ${name} in ${formatElapsed(Date.now() - start)}`);
  });
  try {
    await built;
  } finally {
    await repo.flush();
  }
  const packages = plan.order.map((n) => results.get(n));
  ctx.reporter.table({
    title: "build-rpms",
    header: ["package", "key", "status", "seconds", "RPMs"],
    rows: packages.map((p) => [p.name, p.key.slice(0, 12), p.status, p.seconds.toFixed(1), p.rpms.map((r) => basename6(r)).join(" ")])
  });
  return { repository: m.repository, packages };
}
function assertExternalBuilt(m, plan, repo) {
  const missing = plan.external.filter((d) => repo.entry(d)?.key !== plan.keys.get(d));
  if (missing.length === 0) return;
  const needers = (d) => plan.order.filter((p) => plan.graph.get(p)?.has(d));
  throw new DiracosError(
    `build-rpms (exact): the repository ${repo.layout.root} lacks packages this shard build-requires, with their current key; build their shards first:
` + missing.map((d) => `  package '${d}' (key ${plan.keys.get(d).slice(0, 12)}${repo.entry(d) ? ", the repository has another" : ""}), needed by ${needers(d).join(", ")}`).join("\n"),
    { file: m.file }
  );
}
function createBackend(plan, platform, repo) {
  const common = { image: platform.image, platform: platform.platform, repo: repo.layout, sourceDateEpoch: plan.env.sourceDateEpoch };
  if (plan.env.backend === "mock") {
    return mockBackend({
      ...common,
      ourPackages: ourRpmNames(plan),
      configDir: join10(plan.stageDir, "mock-config"),
      // mock's root and package caches, shared by the builds and post steps of the run.
      cacheDir: join10(plan.stageDir, "mock-cache")
    });
  }
  return containerBackend({ ...common, platformProvidesRpm: platform.platformProvidesRpm });
}
function ourRpmNames(plan) {
  const names = /* @__PURE__ */ new Set();
  for (const [pkg, info] of plan.specs) for (const sub of info.subpackages) if (keepsRpm(plan.packages.get(pkg), sub.name, sub.file)) names.add(sub.name);
  return [...names].sort();
}

// src/bootstrap-python/spec.ts
var PYTHON_BUILD_REQUIRES = [
  "zlib-devel",
  "libffi-devel",
  "openssl-devel",
  "sqlite-devel",
  "bzip2-devel",
  "xz-devel",
  "ncurses-devel",
  "readline-devel",
  "libuuid-devel"
];
var PYTHON_TOOL_REQUIRES = ["gcc", "make", "patchelf", "pkgconfig"];
var REQUIRED_EXTENSIONS = ["_ssl", "_hashlib", "_sqlite3", "_ctypes", "zlib", "_bz2", "_lzma", "readline", "_uuid", "_curses"];
var DISABLED_MODULES = ["nis"];
function pythonMajorMinor(version) {
  return version.split(".").slice(0, 2).join(".");
}
function defaultRpmName(version) {
  return `diracos-python${pythonMajorMinor(version)}`;
}
function pythonSpec(p) {
  const mm = pythonMajorMinor(p.version);
  const configure = ["--prefix=%{_prefix}", "--libdir=%{_libdir}", "--with-platlibdir=%{_lib}", "--enable-shared", "--with-ensurepip=install", "--without-static-libpython", ...DISABLED_MODULES.map((mod) => `py_cv_module_${mod}=n/a`), ...p.configureOptions];
  const dynload = `%{_libdir}/python${mm}/lib-dynload`;
  return `# Generated by diracos bootstrap-python: do not edit.
%global pybasever ${mm}
%global __brp_python_bytecompile %{nil}
%global _build_id_links none
%global debug_package %{nil}
# python3.pc would make the interpreter require pkg-config: a build tool, not something DIRACOS runs
%global __requires_exclude ^/usr/bin/pkg-config$

Name:           ${p.rpmName}
Version:        ${p.version}
Release:        1%{?dist}
Summary:        CPython ${p.version} for DIRACOS, relocatable
License:        Python-2.0.1
URL:            https://www.python.org/
Source0:        ${p.sourceFile}

${[...PYTHON_TOOL_REQUIRES, ...PYTHON_BUILD_REQUIRES].map((r) => `BuildRequires:  ${r}`).join("\n")}

Provides:       python(abi) = %{pybasever}
Provides:       python3 = %{version}-%{release}
Provides:       python%{pybasever} = %{version}-%{release}
Provides:       python3-devel = %{version}-%{release}
Provides:       python3-libs = %{version}-%{release}
Provides:       python3-pip

%description
CPython ${p.version} built for DIRACOS against the libraries of the DIRACOS repository, with pip.
Its ELF files carry RPATHs relative to $ORIGIN, so the tree runs from any path.

%prep
%setup -q -n ${p.sourceDir}

%build
# setup.py imports each extension it builds: our libraries in %{_libdir} must load during the build
# (the build platform's loader may not search there). The installed files use RPATHs instead.
export LD_LIBRARY_PATH=%{_libdir}
./configure ${configure.map(shellQuote).join(" \\\n    ")}
make %{?_smp_mflags}

%install
export LD_LIBRARY_PATH=%{_libdir}
make install DESTDIR=%{buildroot}
# Extensions that failed to build or import are only a warning upstream (renamed *_failed.so): here they are an error.
if ls %{buildroot}${dynload}/*_failed.so 2>/dev/null; then echo "the extension modules above failed to import" >&2; exit 1; fi
for m in ${REQUIRED_EXTENSIONS.join(" ")}; do
  ls %{buildroot}${dynload}/$m.cpython-*-gnu.so >/dev/null 2>&1 || { echo "extension module $m was not built" >&2; exit 1; }
done
# Relocatable: libraries are found relative to each ELF, never through an absolute path.
patchelf --force-rpath --set-rpath '$ORIGIN/../%{_lib}' %{buildroot}%{_bindir}/python%{pybasever}
patchelf --force-rpath --set-rpath '$ORIGIN' %{buildroot}%{_libdir}/libpython%{pybasever}.so.1.0
for so in %{buildroot}${dynload}/*.so; do
  patchelf --force-rpath --set-rpath '$ORIGIN/../..' "$so"
done
# pip's scripts would point at the build-time absolute path; "python3 -m pip" is the relocatable way.
rm -f %{buildroot}%{_bindir}/pip*
# A few stdlib scripts start with #!/usr/local/bin/python: rpm would make the package require that path.
grep -rlZ '^#! */usr/local/bin/python' %{buildroot}%{_libdir}/python%{pybasever} | xargs -0 -r sed -i '1s|^#!.*|#!/usr/bin/env python3|'
ln -sf python%{pybasever} %{buildroot}%{_bindir}/python3
rm -rf %{buildroot}%{_libdir}/python%{pybasever}/test %{buildroot}%{_libdir}/python%{pybasever}/*/test
find %{buildroot} -name '*.a' -delete
# No build path may remain in anything installed.
if grep -rl --binary-files=text '%{buildroot}' %{buildroot} | grep -v '[.]pyc$' | head -5 | grep .; then
  echo "build root path left in the files above" >&2; exit 1
fi

%files
%{_bindir}/*
%{_includedir}/python%{pybasever}
%{_libdir}/libpython%{pybasever}.so*
%{_libdir}/libpython3.so
%{_libdir}/python%{pybasever}
# pure-Python site-packages (pip, setuptools) stay under lib/, as upstream's sysconfig says
%{_prefix}/lib/python%{pybasever}
%{_libdir}/pkgconfig/python*.pc
%{_mandir}/man1/python*
`;
}
function shellQuote(s) {
  return /^[A-Za-z0-9_=%{}/.,:+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

// src/bootstrap-python/package.ts
import { mkdir as mkdir6 } from "node:fs/promises";
import { join as join11 } from "node:path";
async function pythonPackage(ctx, m) {
  const py2 = m.manifest.python;
  const name = py2.rpmName ?? defaultRpmName(py2.version);
  const text = pythonSpec({ rpmName: name, version: py2.version, sourceFile: `Python-${py2.version}.tar`, sourceDir: `Python-${py2.version}`, configureOptions: py2.configureOptions ?? [] });
  const dir = join11(ctx.workdir, "bootstrap-python");
  await mkdir6(dir, { recursive: true });
  const spec = join11(dir, `${name}.spec`);
  await replaceFile(spec, text);
  return {
    name,
    group: "python",
    bootstrap: false,
    kind: "spec",
    spec,
    sources: [absoluteSource(py2.source, m.dir)],
    patches: [],
    defines: {},
    with: [],
    without: [],
    check: false,
    buildOnly: false,
    excludePatterns: [],
    postSteps: []
  };
}
async function packagesWithPython(ctx, m) {
  return [...m.packages, await pythonPackage(ctx, m)];
}

export {
  lockRepository,
  Repository,
  planBuild,
  buildRpms,
  defaultRpmName,
  pythonPackage,
  packagesWithPython
};
