import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  LibraryResolver,
  isElfFile,
  isHostProvided,
  readElf,
  topDirectory
} from "./chunk-WRU3COMP.js";
import {
  shQuote
} from "./chunk-7IT5JWWN.js";
import {
  DiracosError,
  DiracosErrors
} from "./chunk-CLIQD727.js";

// src/test-platforms/index.ts
import { mkdir as mkdir3, rename as rename2, rm as rm2, writeFile as writeFile2 } from "node:fs/promises";
import { join as join4, resolve } from "node:path";

// src/elf/versions.ts
var VERSIONED = /^([A-Z][A-Z_]*?)_(\d+(?:\.\d+)*)$/;
function parseVersionName(name) {
  const m = VERSIONED.exec(name);
  return m ? { family: m[1], version: m[2].split(".").map(Number) } : void 0;
}
function compareVersions(a, b) {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
function newestVersions(needs) {
  const best = /* @__PURE__ */ new Map();
  for (const need of needs) {
    for (const name of need.versions) {
      const v = parseVersionName(name);
      if (!v) continue;
      const cur = best.get(v.family);
      if (!cur || compareVersions(v.version, cur) > 0) best.set(v.family, v.version);
    }
  }
  return Object.fromEntries([...best].sort(([a], [b]) => a.localeCompare(b)).map(([f, v]) => [f, v.join(".")]));
}

// src/rules/glibc-ceilings.ts
var TABLE = [
  { names: ["slc6", "el6", "centos6"], ceiling: { glibc: "2.12", glibcxx: "3.4.13", cxxabi: "1.3.3" } },
  { names: ["cc7", "el7", "centos7"], ceiling: { glibc: "2.17", glibcxx: "3.4.19", cxxabi: "1.3.7" } },
  { names: ["el8", "alma8", "rocky8", "rhel8"], ceiling: { glibc: "2.28", glibcxx: "3.4.25", cxxabi: "1.3.11" } },
  { names: ["el9", "alma9", "rocky9", "rhel9"], ceiling: { glibc: "2.34", glibcxx: "3.4.29", cxxabi: "1.3.13" } },
  { names: ["ubuntu-22.04", "ubuntu22.04", "ubuntu2204", "jammy"], ceiling: { glibc: "2.35", glibcxx: "3.4.30", cxxabi: "1.3.13" } },
  { names: ["ubuntu-24.04", "ubuntu24.04", "ubuntu2404", "noble"], ceiling: { glibc: "2.39", glibcxx: "3.4.33", cxxabi: "1.3.15" } },
  { names: ["bullseye", "debian11", "debian-11"], ceiling: { glibc: "2.31", glibcxx: "3.4.28", cxxabi: "1.3.12" } },
  { names: ["bookworm", "debian12", "debian-12"], ceiling: { glibc: "2.36", glibcxx: "3.4.30", cxxabi: "1.3.13" } },
  { names: ["trixie", "debian13", "debian-13"], ceiling: { glibc: "2.41", glibcxx: "3.4.33", cxxabi: "1.3.15" } },
  { names: ["fedora41"], ceiling: { glibc: "2.40", glibcxx: "3.4.33", cxxabi: "1.3.15" } },
  // "fedora" means the latest release: pinned to Fedora 42 (the oldest the name may mean now), so it errs strict.
  { names: ["fedora", "fedora-latest", "fedora42"], ceiling: { glibc: "2.41", glibcxx: "3.4.34", cxxabi: "1.3.16" } }
];
function knownCeiling(platformName) {
  return TABLE.find((row) => row.names.includes(platformName))?.ceiling;
}
var CEILING_FAMILIES = {
  GLIBC: "glibc",
  GLIBCXX: "glibcxx",
  CXXABI: "cxxabi"
};
function exceedsCeiling(versionName, ceiling) {
  const parsed = parseVersionName(versionName);
  const field = parsed && CEILING_FAMILIES[parsed.family];
  const limit = field && ceiling[field];
  if (!parsed || !limit) return false;
  return compareVersions(parsed.version, limit.split(".").map(Number)) > 0;
}

// src/test-platforms/types.ts
function newCheck(check) {
  return { check, passed: 0, failures: [], warnings: [] };
}
function countItem(result, failuresBefore) {
  if (result.failures.length === failuresBefore) result.passed++;
}
function failedItems(result) {
  return new Set(result.failures.map((f) => f.item)).size;
}
function platformOk(p) {
  return p.checks.every((c) => c.failures.length === 0);
}

// src/test-platforms/junit.ts
var XML_ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };
function xmlEscape(text) {
  return text.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, "?").replace(/[&<>"']/g, (c) => XML_ESCAPES[c]);
}
function testcase(classname, name, failure) {
  const open = `    <testcase classname="${xmlEscape(classname)}" name="${xmlEscape(name)}"`;
  if (!failure) return `${open}/>`;
  return `${open}>
      <failure message="${xmlEscape(failure.message)}">${xmlEscape(failure.body)}</failure>
    </testcase>`;
}
function junitXml(platforms) {
  const suites = platforms.map((p) => {
    const cases = [];
    for (const c of p.checks) {
      const summary = `${failedItems(c)} failing, ${c.passed} passed`;
      cases.push(testcase(p.name, c.check, c.failures.length ? { message: summary, body: c.failures.map((f) => `${f.item}: ${f.message}`).join("\n") } : void 0));
      for (const f of c.failures) cases.push(testcase(`${p.name}.${c.check}`, f.item, { message: f.message, body: f.message }));
    }
    const failures = cases.filter((c) => c.includes("<failure")).length;
    return [
      `  <testsuite name="${xmlEscape(p.name)}" tests="${cases.length}" failures="${failures}" errors="0">`,
      `    <properties><property name="required" value="${p.required}"/></properties>`,
      ...cases,
      "  </testsuite>"
    ].join("\n");
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="test-platforms">
${suites.join("\n")}
</testsuites>
`;
}

// src/test-platforms/platform-checks.ts
import { existsSync, readFileSync } from "node:fs";
import { copyFile, mkdir, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";

// src/test-platforms/container-script.ts
var CONTAINER_DIR = "/diracos-test";
var CONTAINER_IN = `${CONTAINER_DIR}/in`;
var CONTAINER_OUT = `${CONTAINER_DIR}/out`;
var SETUP_EXITS = {
  90: "mktemp of the extraction folder failed",
  91: "extracting the tarball failed",
  92: "sourcing diracosrc failed"
};
var IMPORT_PY = [
  "import importlib, os, sys",
  "m = importlib.import_module(sys.argv[1])",
  'f = getattr(m, "__file__", None)',
  'open(sys.argv[2], "w").write(os.path.realpath(f) if f else "")'
].join("; ");
var CONTAINER_SCRIPT = String.raw`
IN=${CONTAINER_IN}; OUT=${CONTAINER_OUT}; tarball=$1; top=$2
base=$(mktemp -d "/tmp/diracos test.XXXXXX") || exit 90
tar -x -f "$tarball" -C "$base" 2>"$OUT/extract.log" || exit 91
root="$base/$top"
printf '%s' "$root" >"$OUT/root"
(cd "$root" && pwd -P) | tr -d '\n' >"$OUT/root.physical"
cd "$base" || exit 91
source "$root/diracosrc" >"$OUT/diracosrc.log" 2>&1 || exit 92
# The platform's env last, so it wins over diracosrc (e.g. LD_PRELOAD on the latest Fedora).
source "$IN/env.sh"
i=0
while IFS= read -r -d '' f; do
  ldd "$root/$f" >"$OUT/ldd.$i" 2>&1; echo $? >"$OUT/ldd.$i.rc"
  i=$((i+1))
done <"$IN/elves"
printf '%s' "$(command -v python3)" >"$OUT/python"
i=0
while IFS= read -r mod; do
  python3 -c '${IMPORT_PY}' "$mod" "$OUT/module.$i.file" >"$OUT/module.$i" 2>&1; echo $? >"$OUT/module.$i.rc"
  i=$((i+1))
done <"$IN/modules"
i=0
while [ -e "$IN/cmd.$i" ]; do
  ( eval "$(<"$IN/cmd.$i")" ) >"$OUT/cmd.$i" 2>&1 </dev/null; echo $? >"$OUT/cmd.$i.rc"
  i=$((i+1))
done
if [ -e "$IN/script" ]; then
  "$BASH" "$IN/script" >"$OUT/script" 2>&1 </dev/null; echo $? >"$OUT/script.rc"
fi
exit 0
`;

// src/test-platforms/ldd.ts
var LINE_RULES = [
  { re: /^\s*(\S+) => not found$/, take: (m, r) => void r.entries.push({ name: m[1], notFound: true }) },
  { re: /^\s*(\S+) => (\/.*) \(0x[0-9a-f]+\)$/, take: (m, r) => void r.entries.push({ name: m[1], path: m[2] }) },
  // The loader (an absolute path) or the vDSO, listed without "=>".
  { re: /^\s*(\/.*) \(0x[0-9a-f]+\)$/, take: (m, r) => void r.entries.push({ name: m[1], path: m[1] }) },
  { re: /^\s*(\S+) \(0x[0-9a-f]+\)$/, take: (m, r) => void r.entries.push({ name: m[1] }) },
  { re: /version `([^']+)' not found \(required by (.*)\)$/, take: (m, r) => void r.versionErrors.push({ version: m[1], requiredBy: m[2] }) },
  { re: /ERROR: ld\.so: object '([^']+)' from (\S+) cannot be preloaded/, take: (m, r) => void r.preloadErrors.push(`${m[1]} (from ${m[2]})`) },
  { re: /^\s*(not a dynamic executable|statically linked)$/, take: (_m, r) => void (r.static = true) }
];
function parseLdd(text) {
  const result = { entries: [], static: false, versionErrors: [], preloadErrors: [], other: [] };
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    let matched = false;
    for (const rule of LINE_RULES) {
      const m = rule.re.exec(line);
      if (m) {
        rule.take(m, result);
        matched = true;
        break;
      }
    }
    if (!matched) result.other.push(line.trim());
  }
  return result;
}

// src/test-platforms/platform-checks.ts
function tail(text, lines = 5) {
  const t = text.trim().split("\n").slice(-lines).join("\n");
  return t ? `:
${t}` : "";
}
function read(dir, name) {
  const p = join(dir, name);
  return existsSync(p) ? readFileSync(p, "utf8") : "";
}
function exitCode(dir, name) {
  const text = read(dir, `${name}.rc`).trim();
  return text ? Number(text) : void 0;
}
async function writeInputs(dir, m, platform, inputs) {
  await mkdir(dir, { recursive: true });
  const tests = m.manifest.tests ?? {};
  await writeFile(join(dir, "run.sh"), CONTAINER_SCRIPT);
  await writeFile(join(dir, "elves"), inputs.elves.map((e) => `${e}\0`).join(""));
  await writeFile(join(dir, "modules"), (tests.modules ?? []).map((mod) => `${mod}
`).join(""));
  for (const [i, cmd] of (tests.commands ?? []).entries()) await writeFile(join(dir, `cmd.${i}`), cmd);
  if (tests.script) {
    const script = join(m.dir, tests.script);
    if (!existsSync(script)) throw new DiracosError(`tests.script '${tests.script}' does not exist (${script})`, { file: m.file });
    await copyFile(script, join(dir, "script"));
  }
  const env = Object.entries(platform.env ?? {}).map(([k, v]) => `export ${k}=${shQuote(v)}
`);
  await writeFile(join(dir, "env.sh"), env.join(""));
}
async function runPlatformChecks(ctx, m, platform, image, inputs, scratch) {
  const inDir = join(scratch, "in");
  const outDir = join(scratch, "out");
  await writeInputs(inDir, m, platform, inputs);
  await mkdir(outDir, { recursive: true });
  const tarballTarget = `${CONTAINER_DIR}/${basename(inputs.tarball)}`;
  const run = await ctx.runtime.run({
    image,
    command: ["bash", `${CONTAINER_IN}/run.sh`, tarballTarget, inputs.top],
    mounts: [
      { source: inputs.tarball, target: tarballTarget, readOnly: true },
      { source: inDir, target: CONTAINER_IN, readOnly: true },
      { source: outDir, target: CONTAINER_OUT }
    ],
    allowFailure: true
  });
  if (run.exitCode !== 0) {
    const environment = newCheck("environment");
    const what = SETUP_EXITS[run.exitCode] ?? `the test container exited with ${run.exitCode}`;
    const log = read(outDir, run.exitCode === 91 ? "extract.log" : "diracosrc.log") + run.stderr;
    environment.failures.push({ item: platform.name, message: `${what}${tail(log)}` });
    return { checks: [environment], ldd: [] };
  }
  const roots = [read(outDir, "root"), read(outDir, "root.physical")].filter(Boolean);
  const inBundle = (p) => roots.some((r) => p === r || p.startsWith(`${r}/`));
  const relative = (p) => roots.reduce((acc, r) => acc.startsWith(`${r}/`) ? `$DIRACOS/${acc.slice(r.length + 1)}` : acc, p);
  const { check: lddCheck, records } = lddChecks(outDir, platform, inputs.elves, inBundle, relative);
  return { checks: [lddCheck, moduleCheck(outDir, m, inBundle), ...commandChecks(outDir, m)], ldd: records };
}
function lddChecks(outDir, platform, elves, inBundle, relative) {
  const check = newCheck("ldd");
  const known = new Set(platform.knownMissing ?? []);
  const seenMissing = /* @__PURE__ */ new Set();
  const records = [];
  for (const [i, file] of elves.entries()) {
    const before = check.failures.length;
    const text = read(outDir, `ldd.${i}`);
    const rc = exitCode(outDir, `ldd.${i}`) ?? -1;
    const parsed = parseLdd(text);
    records.push({ file, exitCode: rc, libs: parsed.entries.map((e) => ({ name: e.name, path: e.path ? relative(e.path) : null })) });
    for (const e of parsed.entries) {
      const soname = e.name.includes("/") ? basename(e.name) : e.name;
      let problem;
      if (e.notFound) problem = "not found";
      else if (e.path && !inBundle(e.path) && !isHostProvided(platform.family, soname)) {
        problem = `resolves outside the bundle (${e.path}) and ${platform.family} hosts do not provide it`;
      }
      if (!problem) continue;
      seenMissing.add(soname);
      if (!known.has(soname)) check.failures.push({ item: file, message: `${soname} ${problem}` });
    }
    for (const v of parsed.versionErrors) check.failures.push({ item: file, message: `version ${v.version} not found (required by ${relative(v.requiredBy)})` });
    for (const p of parsed.preloadErrors) check.failures.push({ item: file, message: `cannot preload ${p}` });
    if (rc !== 0 && !parsed.static && check.failures.length === before) {
      check.failures.push({ item: file, message: `ldd exited with ${rc}${tail(parsed.other.join("\n"), 3)}` });
    }
    countItem(check, before);
  }
  for (const lib of known) {
    if (!seenMissing.has(lib)) check.warnings.push(`${lib} is in knownMissing of ${platform.name} but no file misses it any more`);
  }
  return { check, records };
}
function moduleCheck(outDir, m, inBundle) {
  const check = newCheck("modules");
  const modules = m.manifest.tests?.modules ?? [];
  if (modules.length === 0) return check;
  const python = read(outDir, "python");
  const pythonProblem = !python ? "no python3 on PATH after sourcing diracosrc" : !inBundle(python) ? `python3 on PATH is ${python}, not the bundle's` : void 0;
  for (const [i, mod] of modules.entries()) {
    const before = check.failures.length;
    const rc = exitCode(outDir, `module.${i}`);
    const file = read(outDir, `module.${i}.file`);
    if (pythonProblem) check.failures.push({ item: mod, message: pythonProblem });
    else if (rc !== 0) check.failures.push({ item: mod, message: `import failed (exit ${rc})${tail(read(outDir, `module.${i}`))}` });
    else if (file && !inBundle(file)) check.failures.push({ item: mod, message: `imported from ${file}, outside the bundle` });
    countItem(check, before);
  }
  return check;
}
function commandChecks(outDir, m) {
  const tests = m.manifest.tests ?? {};
  const commands = newCheck("commands");
  for (const [i, cmd] of (tests.commands ?? []).entries()) {
    const before = commands.failures.length;
    const rc2 = exitCode(outDir, `cmd.${i}`);
    if (rc2 !== 0) commands.failures.push({ item: cmd, message: `exited with ${rc2 ?? "no status"}${tail(read(outDir, `cmd.${i}`))}` });
    countItem(commands, before);
  }
  if (!tests.script) return [commands];
  const script = newCheck("script");
  const rc = exitCode(outDir, "script");
  if (rc !== 0) script.failures.push({ item: tests.script, message: `exited with ${rc ?? "no status"}${tail(read(outDir, "script"))}` });
  else script.passed++;
  return [commands, script];
}

// src/test-platforms/static-checks.ts
import { closeSync, lstatSync, openSync, readdirSync, readlinkSync, readSync } from "node:fs";
import { join as join2, posix } from "node:path";

// src/test-platforms/shebang-rules.ts
var SHEBANG_RULES = [
  { pattern: /^\/(usr\/)?bin\/env$/, verdict: "ok", why: "looks the interpreter up on PATH, which diracosrc sets" },
  { pattern: /^\/(usr\/)?bin\/(sh|bash)$/, verdict: "ok", why: "a POSIX shell / bash is on every host" },
  // Where RPM builds, pip and CI runners put their trees: such a path exists only on the build machine.
  {
    pattern: /(^|\/)(BUILDROOT|builddir|rpmbuild|buildroot)(\/|$)|^\/(tmp|var\/tmp|home|root|github|__w|build|work)\//,
    verdict: "build-path",
    why: "points into a build directory"
  },
  { pattern: /^[^/]/, verdict: "not-relocatable", why: "a relative interpreter depends on the current directory" },
  { pattern: /^\//, verdict: "not-relocatable", why: "an absolute interpreter outside the bundle: use /usr/bin/env" }
];
function shebangInterpreter(head2) {
  if (!head2.startsWith("#!")) return void 0;
  const line = head2.slice(2).split("\n")[0].trim();
  return line.split(/\s+/)[0] ?? "";
}
function judgeShebang(interpreter) {
  const row = SHEBANG_RULES.find((r) => r.pattern.test(interpreter));
  return row ? { verdict: row.verdict, why: row.why } : { verdict: "not-relocatable", why: "empty interpreter" };
}

// src/test-platforms/static-checks.ts
var LOADABLE_TYPES = /* @__PURE__ */ new Set(["EXEC", "DYN"]);
function* walk(root, rel = "") {
  for (const name of readdirSync(join2(root, rel)).sort()) {
    const path = rel ? `${rel}/${name}` : name;
    yield path;
    if (lstatSync(join2(root, path)).isDirectory()) yield* walk(root, path);
  }
}
function head(file, bytes) {
  const fd = openSync(file, "r");
  try {
    const buf = Buffer.alloc(bytes);
    return buf.subarray(0, readSync(fd, buf, 0, bytes, 0)).toString("latin1");
  } finally {
    closeSync(fd);
  }
}
function scanBundle(root) {
  const symlinks = newCheck("symlinks");
  const hardlinks = newCheck("hardlinks");
  const shebangs = newCheck("shebangs");
  const elfRead = newCheck("elf");
  const elves = [];
  const resolver = new LibraryResolver(root, { ldSoConf: true });
  const inodes = /* @__PURE__ */ new Map();
  for (const path of walk(root)) {
    const host = join2(root, path);
    const st = lstatSync(host);
    if (st.isSymbolicLink()) {
      const before = symlinks.failures.length;
      const target = readlinkSync(host);
      if (target.startsWith("/")) {
        symlinks.failures.push({ item: path, message: `absolute symlink to '${target}' (breaks once the bundle is moved)` });
      } else if (posix.normalize(posix.join(posix.dirname(path), target)).startsWith("..")) {
        symlinks.failures.push({ item: path, message: `symlink to '${target}' leaves the bundle` });
      }
      countItem(symlinks, before);
      continue;
    }
    if (!st.isFile()) continue;
    if (st.nlink > 1) inodes.set(`${st.dev}:${st.ino}`, [...inodes.get(`${st.dev}:${st.ino}`) ?? [], path]);
    else hardlinks.passed++;
    const interpreter = st.mode & 73 ? shebangInterpreter(head(host, 256)) : void 0;
    if (interpreter !== void 0) {
      const { verdict, why } = judgeShebang(interpreter);
      if (verdict === "ok") shebangs.passed++;
      else shebangs.failures.push({ item: path, message: `shebang '#!${interpreter}': ${why}` });
      continue;
    }
    if (!isElfFile(host)) continue;
    let info;
    try {
      info = readElf(host);
    } catch (e) {
      elfRead.failures.push({ item: path, message: e.message });
      continue;
    }
    elfRead.passed++;
    if (!LOADABLE_TYPES.has(info.type)) continue;
    const { node } = resolver.resolve(`/${path}`);
    elves.push({ path, info, provided: new Set(node.needed.filter((n) => n.path).map((n) => n.name)) });
  }
  for (const group of inodes.values()) {
    for (const path of group) {
      const others = group.filter((p) => p !== path);
      hardlinks.failures.push({
        item: path,
        message: `hard link (${group.length} names${others.length ? `, also ${others.join(", ")}` : ", the others outside the bundle"}): tar and CVMFS copies may split or duplicate it`
      });
    }
  }
  return { elves, checks: [symlinks, hardlinks, shebangs, elfRead] };
}
function checkCeiling(elves, platform, ceiling) {
  const result = newCheck("glibc-ceiling");
  for (const elf of elves) {
    const before = result.failures.length;
    for (const need of elf.info.versionNeeds) {
      if (elf.provided.has(need.file)) continue;
      for (const [family, version] of Object.entries(newestVersions([need]))) {
        const name = `${family}_${version}`;
        if (exceedsCeiling(name, ceiling)) {
          result.failures.push({
            item: elf.path,
            message: `needs ${name} from ${need.file}, newer than ${platform.name} provides (glibc ${ceiling.glibc}${ceiling.glibcxx ? `, GLIBCXX ${ceiling.glibcxx}` : ""}${ceiling.cxxabi ? `, CXXABI ${ceiling.cxxabi}` : ""})`
          });
        }
      }
    }
    countItem(result, before);
  }
  return result;
}
function checkHostLibraries(elves, platform) {
  const result = newCheck("host-libraries");
  const known = new Set(platform.knownMissing ?? []);
  for (const elf of elves) {
    const before = result.failures.length;
    for (const name of elf.info.needed) {
      if (elf.provided.has(name) || isHostProvided(platform.family, name) || known.has(name)) continue;
      result.failures.push({
        item: elf.path,
        message: `needs ${name}, which the bundle does not ship and ${platform.family} hosts do not provide (not in knownMissing of ${platform.name})`
      });
    }
    countItem(result, before);
  }
  return result;
}

// src/test-platforms/tarball.ts
import { randomBytes } from "node:crypto";
import { lstatSync as lstatSync2, readdirSync as readdirSync2 } from "node:fs";
import { mkdir as mkdir2, rename, rm } from "node:fs/promises";
import { basename as basename2, join as join3 } from "node:path";
var COMPRESSIONS = [
  { suffix: ".tar.gz", hostTarFlags: ["-z"], inContainer: "gzip" },
  { suffix: ".tar.zst", hostTarFlags: ["--zstd"], inContainer: "decompress-on-host" }
];
function compressionOf(tarball) {
  const c = COMPRESSIONS.find((row) => tarball.endsWith(row.suffix));
  if (!c) throw new DiracosError(`tarball must end in ${COMPRESSIONS.map((r) => r.suffix).join(" or ")}`, { file: tarball });
  return c;
}
async function scratchDir(ctx, what) {
  const dir = join3(ctx.workdir, "test-platforms", `${what}-${randomBytes(6).toString("hex")}`);
  await mkdir2(dir, { recursive: true });
  return dir;
}
async function extractBundle(ctx, tarball, expected, dest) {
  const c = compressionOf(tarball);
  await ctx.exec("tar", ["-x", ...c.hostTarFlags, "-f", tarball, "-C", dest]);
  const entries = readdirSync2(dest);
  if (entries.length !== 1 || entries[0] !== expected || !lstatSync2(join3(dest, expected)).isDirectory()) {
    throw new DiracosError(`tarball must hold exactly one top folder '${expected}/', found: ${entries.join(", ") || "nothing"}`, { file: tarball });
  }
  const root = join3(dest, expected);
  let rc;
  try {
    rc = lstatSync2(join3(root, "diracosrc"));
  } catch {
    rc = void 0;
  }
  if (!rc?.isFile()) throw new DiracosError(`tarball has no regular file '${expected}/diracosrc' to source`, { file: tarball });
  return { root, top: expected };
}
async function containerTarball(ctx, tarball, scratch) {
  const c = compressionOf(tarball);
  if (c.inContainer === "gzip") return tarball;
  const out = join3(scratch, basename2(tarball).slice(0, -c.suffix.length) + ".tar");
  const tmp = `${out}.partial`;
  await rm(tmp, { force: true });
  ctx.tools.share(tarball, scratch);
  await ctx.tools.exec("zstd", ["-d", "-q", "-f", "-o", tmp, tarball]);
  await rename(tmp, out);
  return out;
}

// src/test-platforms/index.ts
var SUMMARY_FAILURES = 2;
function ceilings(m, platforms) {
  const out = /* @__PURE__ */ new Map();
  const problems = [];
  for (const p of platforms) {
    const known = knownCeiling(p.name);
    const glibc = p.glibc ?? known?.glibc;
    if (glibc) out.set(p.name, { ...known, glibc });
    else {
      const index = m.manifest.platforms.indexOf(p);
      problems.push({ message: `platforms[${index}] '${p.name}': no glibc ceiling known for this name; set platforms[${index}].glibc`, location: { file: m.file } });
    }
  }
  if (problems.length) throw new DiracosErrors(problems);
  return out;
}
var STATIC_PLATFORM = "static";
function selectPlatforms(m, names) {
  const clash = m.manifest.platforms.findIndex((p) => p.name === STATIC_PLATFORM);
  if (clash >= 0) throw new DiracosError(`platforms[${clash}]: the name '${STATIC_PLATFORM}' is reserved for the static checks`, { file: m.file });
  if (!names) return m.manifest.platforms;
  return names.map((name) => {
    const p = m.manifest.platforms.find((q) => q.name === name);
    if (!p) throw new DiracosError(`platform '${name}' is not in the manifest (known: ${m.manifest.platforms.map((q) => q.name).join(", ")})`, { file: m.file });
    return p;
  });
}
async function writeAtomic(file, text) {
  const tmp = `${file}.partial`;
  await writeFile2(tmp, text);
  await rename2(tmp, file);
}
async function testPlatforms(ctx, m, opts) {
  const tarball = resolve(opts.tarball);
  const platforms = selectPlatforms(m, opts.platforms);
  const limits = ceilings(m, platforms);
  const scratch = await scratchDir(ctx, "run");
  try {
    const { root, top } = await extractBundle(ctx, tarball, topDirectory({ version: m.manifest.version, arch: m.arch }), await mkdirP(join4(scratch, "bundle")));
    const scan = await ctx.reporter.group("static checks", async () => scanBundle(root));
    const results = [{ name: STATIC_PLATFORM, required: true, checks: scan.checks }];
    const lddRecords = /* @__PURE__ */ new Map();
    const containerInput = await containerTarball(ctx, tarball, scratch);
    for (const platform of platforms) {
      const result = {
        name: platform.name,
        required: platform.required ?? true,
        checks: [checkCeiling(scan.elves, platform, limits.get(platform.name)), checkHostLibraries(scan.elves, platform)]
      };
      results.push(result);
      await ctx.reporter.group(`test-platforms: ${platform.name}`, async () => {
        let image;
        try {
          image = await ctx.runtime.prepareImage(platform.image, platform.setup ?? [], { onOutput: (c) => ctx.reporter.debug(c.toString()) });
        } catch (e) {
          if (!(e instanceof DiracosError)) throw e;
          const prepare = newCheck("prepare");
          prepare.failures.push({ item: platform.name, message: e.message });
          result.checks.push(prepare);
          return;
        }
        const run = await runPlatformChecks(ctx, m, platform, image, { tarball: containerInput, top, elves: scan.elves.map((e) => e.path) }, await mkdirP(join4(scratch, platform.name)));
        result.checks.push(...run.checks);
        lddRecords.set(platform.name, run.ldd);
      });
    }
    return await report(ctx, opts.outDir, results, lddRecords);
  } finally {
    await rm2(scratch, { recursive: true, force: true });
  }
}
async function mkdirP(dir) {
  await mkdir3(dir, { recursive: true });
  return dir;
}
async function report(ctx, outDir, results, ldd) {
  for (const p of results) {
    for (const c of p.checks) {
      for (const w of c.warnings) ctx.reporter.warning(`${p.name} ${c.check}: ${w}`);
      for (const f of c.failures) {
        const text = `${p.name} ${c.check}: ${f.item}: ${f.message}`;
        if (p.required) ctx.reporter.error(text);
        else ctx.reporter.warning(`${text} (allowed to fail)`);
      }
    }
  }
  const checkNames = [...new Set(results.flatMap((p) => p.checks.map((c) => c.check)))];
  ctx.reporter.table({
    title: "test-platforms",
    header: ["platform", "required", "result", ...checkNames],
    rows: results.map((p) => [
      p.name,
      p.required ? "yes" : "no",
      platformOk(p) ? "ok" : p.required ? "FAILED" : "failed (allowed)",
      ...checkNames.map((name) => {
        const c = p.checks.find((x) => x.check === name);
        if (!c) return "";
        if (c.failures.length === 0) return `${c.passed} ok`;
        const first = c.failures.slice(0, SUMMARY_FAILURES).map((f) => `${f.item}: ${f.message.split("\n")[0]}`);
        return `${failedItems(c)} failed, ${c.passed} ok: ${first.join("; ")}${c.failures.length > SUMMARY_FAILURES ? "; \u2026" : ""}`;
      })
    ])
  });
  await mkdir3(outDir, { recursive: true });
  for (const [name, records] of ldd) {
    await mkdir3(join4(outDir, name), { recursive: true });
    await writeAtomic(join4(outDir, name, "ldd.json"), JSON.stringify(records, null, 2) + "\n");
  }
  const junit = join4(outDir, "junit.xml");
  await writeAtomic(junit, junitXml(results));
  const ok = results.every((p) => !p.required || platformOk(p));
  return {
    ok,
    junit,
    platforms: results.map((p) => ({
      name: p.name,
      required: p.required,
      ok: platformOk(p),
      checks: p.checks.map((c) => ({ check: c.check, passed: c.passed, failed: failedItems(c), failures: c.failures.map((f) => `${f.item}: ${f.message}`) }))
    }))
  };
}

export {
  testPlatforms
};
