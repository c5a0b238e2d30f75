import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  HOST_LIBRARIES_FILE,
  KERNEL_PROVIDED,
  LibraryResolver,
  describeVerdict,
  escapeBytes,
  hostProvidedByAll,
  isElfFile,
  isUtf8,
  judgeMode,
  parseHostLibrariesFile,
  readElf,
  realpathInRoot,
  renderHostLibrariesFile,
  tarballName,
  topDirectory,
  walkLinks
} from "./chunk-QS2AFWVT.js";
import {
  systemFailure
} from "./chunk-HXO4IKDP.js";
import {
  fileUrl,
  holding,
  lockWorkFolder,
  readIndex,
  repoLayout,
  rpmNameOfFile,
  sourceDateEpoch
} from "./chunk-WZYYDKA4.js";
import {
  globToRegExp,
  platformRelease
} from "./chunk-MXW55USB.js";
import {
  ContainerRuntime,
  ExecError,
  isLocalRequirement,
  isPipUrl,
  sha256File,
  sha256Object,
  sha256String
} from "./chunk-76TJA7O4.js";
import {
  RESERVED_ENVIRONMENT,
  pidAlive
} from "./chunk-6GWKZRC5.js";
import {
  DiracosError,
  DiracosErrors
} from "./chunk-5I364NK5.js";

// src/bundle-diracos/extension.ts
import { existsSync as existsSync4, readFileSync as readFileSync3, statSync as statSync3 } from "node:fs";
import { mkdir as mkdir4, readdir as readdir2, rm as rm4, stat, writeFile } from "node:fs/promises";
import { dirname as dirname3, join as join8, posix as posix5 } from "node:path";

// src/bundle-diracos/build-root.ts
import { existsSync } from "node:fs";
import { mkdir, readdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
async function openBuildRoot(ctx, m) {
  if (!(ctx.runtime instanceof ContainerRuntime)) return { path: "/", source: "host", image: m.buildPlatform.image };
  const engine = ctx.runtime.name;
  const image = await ctx.runtime.prepareImage(m.buildPlatform.image, m.buildPlatform.setup ?? []);
  const id = await ctx.runtime.imageId(image);
  if (!id) throw new DiracosError(`bundle-diracos: the build image ${image} vanished`);
  const roots = join(ctx.workdir, "build-roots");
  const dir = join(roots, id.replace(/^sha256:/, "").slice(0, 16));
  if (existsSync(dir)) return { path: dir, source: image, image };
  await mkdir(roots, { recursive: true });
  for (const name of await readdir(roots)) if (name.includes(".tmp-")) await rm(join(roots, name), { recursive: true, force: true });
  const tmp = `${dir}.tmp-${process.pid}`;
  await mkdir(tmp);
  const container = `diracos-export-${process.pid}-${Date.now().toString(36)}`;
  try {
    await ctx.exec(engine, ["create", "--name", container, image, "true"]);
    const unpacked = await ctx.exec("bash", ["-c", UNPACK_SCRIPT, "export-root", engine, container, tmp], { allowFailure: true });
    if (unpacked.exitCode !== 0) {
      throw new DiracosError(`bundle-diracos: exporting the build image ${image} with ${engine} failed:
${unpacked.stderr.trim().split("\n").slice(-10).join("\n")}`);
    }
    await rename(tmp, dir);
  } finally {
    await ctx.exec(engine, ["rm", "--force", container], { allowFailure: true });
    await rm(tmp, { recursive: true, force: true });
  }
  ctx.reporter.info(`bundle-diracos: the build platform's root (${image}) is in ${dir}`);
  return { path: dir, source: image, image };
}
var UNPACK_SCRIPT = [
  "set -e -o pipefail -f",
  `"$1" export "$2" | tar -x -C "$3" --no-same-owner --preserve-permissions --delay-directory-restore ${["dev", "proc", "sys"].map((d) => `--exclude=./${d}/* --exclude=${d}/*`).join(" ")}`,
  'chmod -R u+rwX "$3"'
].join("\n");

// src/bundle-diracos/graft.ts
import { chmodSync, copyFileSync, mkdirSync } from "node:fs";
import { join as join3, posix as posix2 } from "node:path";

// src/bundle-diracos/host-provides-rules.ts
var HOST_PROVIDES_NAME = "diracos-host-provides";
var HOST_CAPABILITIES = ["rtld(GNU_HASH)", "/bin/sh", "/usr/bin/sh", "/bin/bash", "/usr/bin/bash", "/usr/bin/env"];
var HOST_PACKAGES = {
  debian: [],
  el: ["glibc", "glibc-common", "glibc-minimal-langpack", "glibc-langpack-en", "libgcc", "libxcrypt"],
  fedora: ["glibc", "glibc-common", "glibc-minimal-langpack", "glibc-langpack-en", "libgcc"]
};
var GRAFT_SEARCH_DIRS = [
  "/lib/x86_64-linux-gnu",
  "/usr/lib/x86_64-linux-gnu",
  "/lib/aarch64-linux-gnu",
  "/usr/lib/aarch64-linux-gnu",
  "/lib64",
  "/usr/lib64",
  "/lib",
  "/usr/lib"
];
var GRAFT_DIR = "usr/lib64";

// src/bundle-diracos/relocate.ts
import { createHash } from "node:crypto";
import { closeSync, openSync, readFileSync, readSync, renameSync, writeFileSync } from "node:fs";
import { posix } from "node:path";

// src/bundle-diracos/walk.ts
import { lstatSync, readdirSync } from "node:fs";
import { join as join2 } from "node:path";
function* walkTree(root, startRel = "") {
  const stack = [startRel];
  while (stack.length > 0) {
    const dirRel = stack.pop();
    const raw = readdirSync(join2(root, dirRel), { encoding: "buffer" });
    const names2 = raw.map((b) => {
      const name = b.toString("utf8");
      if (!isUtf8(b)) throw new DiracosError(`${join2(root, dirRel)}: the file name '${escapeBytes(b)}' is not valid UTF-8; a bundle holds UTF-8 names only`);
      return name;
    });
    names2.sort();
    for (const name of names2) {
      const rel = dirRel ? `${dirRel}/${name}` : name;
      const path = join2(root, rel);
      const stat3 = lstatSync(path);
      yield { path, rel, stat: stat3 };
      if (stat3.isDirectory()) stack.push(rel);
    }
  }
}

// src/bundle-diracos/relocate.ts
var PREFERRED_LIB_DIRS = ["/usr/lib64", "/lib64", "/usr/lib", "/lib"];
var PATCHELF_BATCH = 200;
function findElfFiles(bundle) {
  const out = [];
  for (const e of walkTree(bundle)) {
    if (!e.stat.isFile() || e.stat.size < 64 || !isElfFile(e.path)) continue;
    const info = readElf(e.path);
    if (info.type === "EXEC" || info.type === "DYN") out.push({ rel: e.rel, info });
  }
  return out.sort((a, b) => a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0);
}
function digest(path) {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}
function sonameConflicts(bundle, elves) {
  const bySoname = /* @__PURE__ */ new Map();
  for (const f of elves) if (f.info.soname) bySoname.set(f.info.soname, [...bySoname.get(f.info.soname) ?? [], f]);
  const problems = [];
  for (const [soname, files] of bySoname) {
    for (let i = 1; i < files.length; i++) {
      const a = files[0];
      const b = files[i];
      if (posix.dirname(a.rel) === posix.dirname(b.rel)) continue;
      if (digest(posix.join(bundle, a.rel)) !== digest(posix.join(bundle, b.rel))) {
        problems.push(`SONAME ${soname} is provided by two different files: /${a.rel} and /${b.rel}`);
      }
    }
  }
  return problems;
}
function libraryIndex(bundle, elves) {
  const byReal = new Map(elves.map((e) => [`/${e.rel}`, e.info]));
  const index = /* @__PURE__ */ new Map();
  for (const e of walkTree(bundle)) {
    if (!e.stat.isFile() && !e.stat.isSymbolicLink()) continue;
    if (!/\.so(\.|$)/.test(e.rel)) continue;
    const real = e.stat.isFile() ? `/${e.rel}` : realpathInRoot(bundle, `/${e.rel}`);
    const info = real ? byReal.get(real) : void 0;
    if (!info) continue;
    const name = posix.basename(e.rel);
    index.set(name, [...index.get(name) ?? [], { dir: `/${posix.dirname(e.rel)}`.replace(/\/\.$/, "/"), info }]);
  }
  const rank = (d) => (PREFERRED_LIB_DIRS.indexOf(d) + PREFERRED_LIB_DIRS.length + 1) % (PREFERRED_LIB_DIRS.length + 1);
  for (const list of index.values()) list.sort((a, b) => rank(a.dir) - rank(b.dir) || a.dir.localeCompare(b.dir));
  return index;
}
function planRpaths(bundle, elves) {
  const index = libraryIndex(bundle, elves);
  const rpaths = /* @__PURE__ */ new Map();
  const external = /* @__PURE__ */ new Map();
  for (const f of elves) {
    if (f.info.needed.length === 0) continue;
    const origin = `/${posix.dirname(f.rel)}`;
    const dirs = [];
    for (const name of f.info.needed) {
      const hit = index.get(name)?.find((c) => c.info.elfClass === f.info.elfClass && c.info.machine === f.info.machine);
      if (!hit) {
        external.set(name, [...external.get(name) ?? [], f.rel]);
        continue;
      }
      const rel = posix.relative(origin, hit.dir);
      const entry = rel ? `$ORIGIN/${rel}` : "$ORIGIN";
      if (!dirs.includes(entry)) dirs.push(entry);
    }
    if (dirs.length > 0) rpaths.set(f.rel, dirs.join(":"));
  }
  return { rpaths, external };
}
async function relocateElves(exec, bundle) {
  const elves = findElfFiles(bundle);
  const conflicts = sonameConflicts(bundle, elves);
  if (conflicts.length > 0) throw new DiracosErrors(conflicts.map((message) => ({ message })), "ambiguous libraries in the bundle");
  const plan = planRpaths(bundle, elves);
  const current = new Map(elves.map((e) => [e.rel, e.info]));
  const byValue = /* @__PURE__ */ new Map();
  for (const [rel, rpath] of plan.rpaths) {
    const info = current.get(rel);
    if (info?.rpath === rpath && !info.runpath) continue;
    byValue.set(rpath, [...byValue.get(rpath) ?? [], rel]);
  }
  const patched = [];
  for (const [rpath, files] of byValue) {
    for (let i = 0; i < files.length; i += PATCHELF_BATCH) {
      const batch = files.slice(i, i + PATCHELF_BATCH);
      await exec("patchelf", ["--force-rpath", "--set-rpath", rpath, ...batch], { cwd: bundle });
      patched.push(...batch);
    }
  }
  return { ...plan, patched };
}
var RELOCATABLE_INTERPRETERS = [/^python[0-9.]*$/];
function relocatedShebang(line) {
  const m = /^#!\s*(\/\S+)(?:\s+(.*))?$/.exec(line);
  if (!m) return void 0;
  const name = posix.basename(m[1]);
  if (m[1] === "/usr/bin/env" || !RELOCATABLE_INTERPRETERS.some((re) => re.test(name))) return void 0;
  const args = m[2]?.trim();
  if (!args) return `#!/usr/bin/env ${name}`;
  if (!/^[-A-Za-z0-9_ .=]+$/.test(args)) return void 0;
  return `#!/bin/sh
'''exec' ${name} ${args} "$0" "$@"
' '''`;
}
function relocateShebangs(bundle) {
  const changed = [];
  const head = Buffer.alloc(256);
  for (const e of walkTree(bundle)) {
    if (!e.stat.isFile() || (e.stat.mode & 73) === 0 || e.stat.size < 4) continue;
    const fd = openSync(e.path, "r");
    const n = readSync(fd, head, 0, head.length, 0);
    closeSync(fd);
    if (head[0] !== 35 || head[1] !== 33) continue;
    const end = head.subarray(0, n).indexOf(10);
    if (end < 0) continue;
    const replacement = relocatedShebang(head.toString("utf8", 0, end));
    if (replacement === void 0) continue;
    const body = readFileSync(e.path).subarray(end);
    const tmp = `${e.path}.diracos-tmp-${process.pid}`;
    writeFileSync(tmp, Buffer.concat([Buffer.from(replacement), body]), { mode: e.stat.mode & 4095 });
    renameSync(tmp, e.path);
    changed.push(e.rel);
  }
  return changed;
}
var ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
function shellValue(value) {
  const quote = (s) => s === "" ? "" : `'${s.replace(/'/g, `'\\''`)}'`;
  const parts = value.split(/\$\{DIRACOS\}|\$DIRACOS(?![A-Za-z0-9_])/);
  const word = parts.map(quote).join('"$DIRACOS"');
  return word === "" ? "''" : word;
}
var CA_BUNDLE_FILES = [
  { path: "/etc/pki/tls/certs/ca-bundle.crt", where: "EL (a link to the extracted bundle from EL7), Fedora" },
  { path: "/etc/ssl/certs/ca-certificates.crt", where: "Debian, Ubuntu (update-ca-certificates), Arch, Gentoo" },
  { path: "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", where: "Fedora, EL8 and later (update-ca-trust)" },
  { path: "/etc/ssl/ca-bundle.pem", where: "openSUSE, SLES" },
  { path: "/var/lib/ca-certificates/ca-bundle.pem", where: "openSUSE, SLES 15" },
  { path: "/etc/ssl/cert.pem", where: "Alpine, other OpenSSL/LibreSSL defaults" }
];
var CA_DIRS = [
  { path: "/etc/ssl/certs", where: "Debian, Ubuntu, SUSE (hashed); on EL a link to /etc/pki/tls/certs" },
  { path: "/etc/pki/tls/certs", where: "EL" }
];
function caLines() {
  const words = (list) => list.map((e) => shellValue(e.path)).join(" ");
  return [
    "# The host's CA certificates for the bundled OpenSSL, which looks only under /etc/pki/tls (EL's layout).",
    'if [ -z "${SSL_CERT_FILE:-}" ]; then',
    `  for _diracos_ca in ${words(CA_BUNDLE_FILES)}; do`,
    '    if [ -f "$_diracos_ca" ] && [ -r "$_diracos_ca" ]; then export SSL_CERT_FILE="$_diracos_ca"; break; fi',
    "  done",
    "fi",
    'if [ -z "${SSL_CERT_DIR:-}" ]; then',
    `  for _diracos_ca in ${words(CA_DIRS)}; do`,
    '    if [ -d "$_diracos_ca" ] && [ -r "$_diracos_ca" ]; then export SSL_CERT_DIR="$_diracos_ca"; break; fi',
    "  done",
    "fi",
    "unset _diracos_ca"
  ];
}
function renderDiracosrc(environment = {}, manifestFile) {
  const refuse = (message) => new DiracosError(`bundle.environment: ${message}`, manifestFile ? { file: manifestFile } : void 0);
  const lines2 = Object.entries(environment).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => {
    if (!ENV_NAME.test(k)) throw refuse(`'${k}' is not a valid environment variable name`);
    if (RESERVED_ENVIRONMENT.includes(k)) throw refuse(`'${k}' is set by diracosrc itself`);
    return `export ${k}=${shellValue(v)}`;
  });
  return `# DIRACOS environment: source this file (". /path/to/diracos/diracosrc") from bash or zsh,
# or from any sh with DIRACOS set to the bundle's folder (a DIRACOS already set is kept).
if [ -z "\${DIRACOS:-}" ]; then
  if [ -n "\${BASH_SOURCE:-}" ]; then
    eval '_diracos_self="\${BASH_SOURCE[0]}"'
  elif [ -n "\${ZSH_VERSION:-}" ]; then
    eval '_diracos_self="\${(%):-%x}"'
  else
    echo "diracosrc: source me from bash or zsh, or set DIRACOS to the bundle's folder first" >&2
    return 1 2>/dev/null || exit 1
  fi
  DIRACOS="$(cd -- "$(dirname -- "$_diracos_self")" && pwd -P)" || return 1
  unset _diracos_self
fi
export DIRACOS
export PATH="$DIRACOS/usr/bin:$DIRACOS/bin:$DIRACOS/usr/sbin:$DIRACOS/sbin\${PATH:+:$PATH}"
unset LD_LIBRARY_PATH
unset LESSOPEN
${caLines().join("\n")}
${lines2.join("\n")}
`;
}

// src/bundle-diracos/graft.ts
function missingLibraries(bundle, hostSonames) {
  const elves = findElfFiles(bundle);
  const infoOf = new Map(elves.map((e) => [e.rel, e.info]));
  const host = /* @__PURE__ */ new Set([...hostSonames, ...KERNEL_PROVIDED]);
  const out = /* @__PURE__ */ new Map();
  for (const [name, files] of planRpaths(bundle, elves).external) {
    if (host.has(name) || name.includes("/")) continue;
    out.set(name, { files: [...files].sort(), info: infoOf.get(files[0]) });
  }
  return out;
}
function findInRoot(resolver, soname, wanted) {
  for (const dir of [...resolver.ldSoConfDirs(), ...GRAFT_SEARCH_DIRS]) {
    const path = posix2.join(dir, soname);
    const info = resolver.elf(path);
    if (info && info.elfClass === wanted.elfClass && info.machine === wanted.machine) return path;
  }
  return void 0;
}
function completeLibraries(bundle, o) {
  const grafted = [];
  const resolver = new LibraryResolver(o.buildRoot);
  const unavailable = /* @__PURE__ */ new Set();
  const ignored = o.ignored ?? /* @__PURE__ */ new Map();
  const leftToHost = /* @__PURE__ */ new Map();
  for (; ; ) {
    const missing = [...missingLibraries(bundle, o.hostSonames)].filter(([name]) => {
      const pkg = ignored.get(name);
      if (pkg !== void 0) leftToHost.set(name, pkg);
      return pkg === void 0 && !unavailable.has(name);
    });
    if (missing.length === 0 || !o.graft) {
      if (!o.graft) for (const [name] of missing) unavailable.add(name);
      break;
    }
    for (const [soname, { info }] of missing) {
      const from = findInRoot(resolver, soname, info);
      if (!from) {
        unavailable.add(soname);
        continue;
      }
      const to = posix2.join(GRAFT_DIR, soname);
      mkdirSync(join3(bundle, GRAFT_DIR), { recursive: true });
      const real = realpathInRoot(o.buildRoot, from) ?? from;
      copyFileSync(join3(o.buildRoot, real), join3(bundle, to));
      chmodSync(join3(bundle, to), 493);
      grafted.push({ soname, from: real, to });
    }
  }
  if (unavailable.size > 0) {
    const all = missingLibraries(bundle, [...o.hostSonames, ...ignored.keys()]);
    const lines2 = [...unavailable].sort().flatMap((name) => (all.get(name)?.files ?? []).map((f) => `  /${f} -> ${name}`));
    const where = o.graft ? ` (not in the bundle, not provided by the hosts, not found in ${o.buildRootName ?? o.buildRoot} to graft)` : " (set bundle.graftLibraries to copy them from the build platform)";
    throw new DiracosError(`bundle-diracos: libraries missing from the bundle${where}:
${lines2.join("\n")}`);
  }
  return {
    grafted: grafted.sort((a, b) => a.soname.localeCompare(b.soname)),
    leftToHost: [...leftToHost].map(([soname, pkg]) => ({ soname, package: pkg })).sort((a, b) => a.soname.localeCompare(b.soname))
  };
}

// src/bundle-diracos/links.ts
import { copyFileSync as copyFileSync2, cpSync, existsSync as existsSync2, lstatSync as lstatSync2, readlinkSync, renameSync as renameSync2, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync as writeFileSync2 } from "node:fs";

// src/rules/link-policy.ts
var LINK_COPY_POLICY = {
  forbiddenTrees: [
    { path: "/proc", why: "kernel interface" },
    { path: "/sys", why: "kernel interface" },
    { path: "/dev", why: "devices" },
    { path: "/run", why: "runtime state" },
    { path: "/var/run", why: "runtime state" },
    { path: "/tmp", why: "temporary files" },
    { path: "/var/tmp", why: "temporary files" },
    { path: "/root", why: "root's home" },
    { path: "/home", why: "home directories" },
    { path: "/boot", why: "boot files" },
    { path: "/lost+found", why: "file system recovery" }
  ],
  forbiddenFiles: [
    { pattern: /^\/etc\/(g?shadow|security\/opasswd|sudoers)(-|\.|$)/, why: "password or privilege file" },
    { pattern: /\/private(\/|$)/, why: "private key folder" },
    { pattern: /(_key|\.key)$/, why: "key file" }
  ],
  maxBytes: 64 * 1024 * 1024
};
var LINK_COPY_MODES = {
  file: { required: 4, refused: 2 },
  directory: { required: 5, refused: 2 }
};
function forbiddenTarget(rootPath, policy = LINK_COPY_POLICY) {
  if (rootPath === "/") return "the whole root";
  for (const t of policy.forbiddenTrees) if (rootPath === t.path || rootPath.startsWith(`${t.path}/`)) return `under ${t.path} (${t.why})`;
  for (const f of policy.forbiddenFiles) if (f.pattern.test(rootPath)) return f.why;
  return void 0;
}
function forbiddenMode(mode, isDirectory) {
  const rule = isDirectory ? LINK_COPY_MODES.directory : LINK_COPY_MODES.file;
  if ((mode & rule.refused) !== 0) return `world-writable ${isDirectory ? "directory" : "file"} (${(mode & 4095).toString(8)})`;
  if ((mode & rule.required) !== rule.required) return `not world-readable (${(mode & 4095).toString(8)})`;
  if ((mode & 3072) !== 0) return `setuid/setgid (${(mode & 4095).toString(8)})`;
  return void 0;
}

// src/bundle-diracos/links.ts
import { dirname, join as join4, posix as posix3 } from "node:path";
function linkTarget(rel, target) {
  if (target.startsWith("/")) return { rootPath: posix3.normalize(target), leaves: true };
  const joined = posix3.join(posix3.dirname(`/${rel}`), target);
  let depth = rel.split("/").length - 1;
  let leaves = false;
  for (const part of target.split("/")) {
    if (part === "..") depth--;
    else if (part && part !== ".") depth++;
    if (depth < 0) leaves = true;
  }
  return { rootPath: posix3.normalize(joined), leaves };
}
function replaceWith(path, make) {
  const tmp = join4(dirname(path), `.diracos-tmp-${process.pid}-${posix3.basename(path)}`);
  rmSync(tmp, { recursive: true, force: true });
  make(tmp);
  if (lstatSync2(tmp).isDirectory()) rmSync(path, { force: true });
  renameSync2(tmp, path);
}
function refusedCopy(buildRoot, rootPath, source) {
  const byName = forbiddenTarget(rootPath) ?? forbiddenTarget(source);
  if (byName) return byName;
  let bytes = 0;
  const entry = (rootRel, st) => {
    if (st.isSymbolicLink()) return void 0;
    const named = forbiddenTarget(rootRel);
    if (named) return `${rootRel}: ${named}`;
    if (!st.isFile() && !st.isDirectory()) return `${rootRel}: not a regular file or directory`;
    const mode = forbiddenMode(st.mode, st.isDirectory());
    if (mode) return `${rootRel}: ${mode}`;
    bytes += st.isFile() ? st.size : 0;
    return bytes > LINK_COPY_POLICY.maxBytes ? `more than ${LINK_COPY_POLICY.maxBytes >> 20} MiB` : void 0;
  };
  const top = lstatSync2(join4(buildRoot, source));
  const reason = entry(source, top);
  if (reason || !top.isDirectory()) return reason;
  for (const e of walkTree(join4(buildRoot, source))) {
    const inner = entry(posix3.join(source, e.rel), e.stat);
    if (inner) return inner;
  }
  return void 0;
}
function linkPass(bundle, options) {
  const result = { repointed: [], copied: [], broken: [], why: {}, hardLinksSplit: [] };
  const pending = [""];
  while (pending.length > 0) {
    const start = pending.pop();
    for (const entry of walkTree(bundle, start)) {
      const { path, rel, stat: stat3 } = entry;
      if (stat3.isSymbolicLink()) {
        const target = readlinkSync(path);
        const { rootPath, leaves } = linkTarget(rel, target);
        if (!leaves) continue;
        if (realpathInRoot(bundle, rootPath) !== void 0) {
          const relTarget = posix3.relative(posix3.dirname(`/${rel}`), rootPath) || ".";
          replaceWith(path, (tmp) => symlinkSync(relTarget, tmp));
          result.repointed.push(rel);
          continue;
        }
        const source = realpathInRoot(options.buildRoot, rootPath);
        const sourceHost = source === void 0 ? void 0 : join4(options.buildRoot, source);
        const refused = sourceHost && existsSync2(sourceHost) ? refusedCopy(options.buildRoot, rootPath, source) : "not on the build platform";
        if (refused === void 0 && sourceHost) {
          const isDir = statSync(sourceHost).isDirectory();
          replaceWith(
            path,
            (tmp) => isDir ? cpSync(sourceHost, tmp, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true }) : copyFileSync2(sourceHost, tmp)
          );
          result.copied.push(rel);
          if (isDir) pending.push(rel);
          continue;
        }
        unlinkSync(path);
        result.broken.push(`${rel} -> ${target}`);
        result.why[`${rel} -> ${target}`] = refused ?? "not on the build platform";
      } else if (stat3.isFile() && stat3.nlink > 1) {
        replaceWith(path, (tmp) => copyFileSync2(path, tmp));
        result.hardLinksSplit.push(rel);
      }
    }
  }
  if (options.brokenLinksFile) {
    const tmp = `${options.brokenLinksFile}.tmp-${process.pid}`;
    writeFileSync2(tmp, result.broken.map((b) => `${b}
`).join(""));
    renameSync2(tmp, options.brokenLinksFile);
  }
  return result;
}

// src/bundle-diracos/modes.ts
import { chmodSync as chmodSync2, statSync as statSync2 } from "node:fs";
function stripModes(root) {
  const changes = [];
  const top = judgeMode(statSync2(root).mode);
  if (top) {
    chmodSync2(root, top.to);
    changes.push({ rel: "", kind: "directory", verdict: top });
  }
  for (const e of walkTree(root)) {
    if (e.stat.isSymbolicLink()) continue;
    const verdict = judgeMode(e.stat.mode);
    if (!verdict) continue;
    chmodSync2(e.path, verdict.to);
    changes.push({ rel: e.rel, kind: e.stat.isDirectory() ? "directory" : "file", verdict });
  }
  return changes;
}
function describeModeChange(c, owner) {
  return `/${c.rel} (${c.kind}${owner ? ` of ${owner}` : ""}): ${describeVerdict(c.verdict)} removed`;
}

// src/bundle-diracos/pip.ts
import { createHash as createHash2 } from "node:crypto";
import { existsSync as existsSync3, readdirSync as readdirSync2, readFileSync as readFileSync2, renameSync as renameSync3, writeFileSync as writeFileSync3 } from "node:fs";
import { cp, mkdir as mkdir2, rm as rm2 } from "node:fs/promises";
import { isAbsolute, join as join5, posix as posix4, relative, resolve } from "node:path";
var BUNDLED_PYTHON = "usr/bin/python3";
var PIP_ROOT = "/tmp/diracos-bundle";
var PIP_HOME = "/tmp/diracos-pip-home";
var PIP_INPUTS = "/tmp/diracos-pip-inputs";
function pipInstallArgs(pip, manifestDir, prefix, mapLocal) {
  const local = (p) => isAbsolute(p) ? p : mapLocal ? mapLocal(p) : resolve(manifestDir, p);
  return [
    "-m",
    "pip",
    "install",
    "--no-cache-dir",
    "--no-compile",
    "--disable-pip-version-check",
    "--no-warn-script-location",
    "--prefix",
    prefix,
    ...pip.indexUrl ? ["--index-url", pip.indexUrl] : [],
    ...(pip.findLinks ?? []).flatMap((f) => ["--find-links", /^[a-z+]+:\/\//.test(f) ? f : local(f)]),
    ...pip.noIndex ? ["--no-index"] : [],
    ...pip.requirementsFile ? ["--requirement", isPipUrl(pip.requirementsFile) ? pip.requirementsFile : local(pip.requirementsFile)] : [],
    ...(pip.requirements ?? []).map((r) => isLocalRequirement(r) ? local(r) : r)
  ];
}
var ZIP_EPOCH = 315532800;
function pipEnv(epoch, home) {
  return {
    PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    HOME: home,
    PYTHONNOUSERSITE: "1",
    PIP_CONFIG_FILE: "/dev/null",
    SOURCE_DATE_EPOCH: String(Math.max(epoch, ZIP_EPOCH)),
    LC_ALL: "C.UTF-8"
  };
}
function hasPipWork(pip) {
  return !!pip && ((pip.requirements?.length ?? 0) > 0 || !!pip.requirementsFile);
}
function compileFlags(root) {
  const has = (rel) => existsSync3(join5(root, rel));
  let pythonIncludes = [];
  try {
    pythonIncludes = readdirSync2(join5(root, "usr/include")).filter((n) => /^python3\.\d+$/.test(n)).sort().map((n) => `usr/include/${n}`);
  } catch {
  }
  const includes = [...pythonIncludes, ...has("usr/include") ? ["usr/include"] : []];
  const libs = ["usr/lib64", "usr/lib"].filter(has);
  return {
    ...includes.length > 0 ? { CPPFLAGS: includes.map((i) => `-I${posix4.join(PIP_ROOT, i)}`).join(" ") } : {},
    ...libs.length > 0 ? { LDFLAGS: libs.map((l) => `-L${posix4.join(PIP_ROOT, l)}`).join(" ") } : {}
  };
}
function ensurepipWheels(root) {
  const out = [];
  for (const lib of ["usr/lib", "usr/lib64"]) {
    let names2 = [];
    try {
      names2 = readdirSync2(join5(root, lib));
    } catch {
      continue;
    }
    for (const n of names2.filter((x) => /^python3\.\d+$/.test(x)).sort()) {
      const dir = posix4.join(lib, n, "ensurepip", "_bundled");
      if (existsSync3(join5(root, dir))) out.push(dir);
    }
  }
  return out;
}
function siteDirs(root) {
  const out = [];
  for (const e of walkTree(root, "usr")) if (e.stat.isDirectory() && posix4.basename(e.rel) === "site-packages") out.push(e.path);
  return out.sort();
}
function pipLocalInputs(pip) {
  return [
    ...(pip.findLinks ?? []).filter((f) => !/^[a-z+]+:\/\//.test(f)),
    ...pip.requirementsFile && !isPipUrl(pip.requirementsFile) ? [pip.requirementsFile] : [],
    ...(pip.requirements ?? []).filter(isLocalRequirement)
  ].filter((p) => !isAbsolute(p));
}
var PIP_INPUT_LEFT_OUT = /\/(build|__pycache__|[^/]*\.egg-info)$/;
async function stageLocalInputs(pip, manifestDir, dir) {
  const relative3 = pipLocalInputs(pip);
  const seen = /* @__PURE__ */ new Map();
  await rm2(dir, { recursive: true, force: true });
  await mkdir2(dir, { recursive: true });
  for (const rel of relative3) {
    if (seen.has(rel)) continue;
    const name = `${seen.size}/${posix4.basename(rel.replace(/\/+$/, "")) || "input"}`;
    const top = resolve(manifestDir, rel);
    await cp(top, join5(dir, name), { recursive: true, dereference: true, filter: (src) => src === top || !PIP_INPUT_LEFT_OUT.test(src) });
    seen.set(rel, `${PIP_INPUTS}/${name}`);
  }
  return seen;
}
async function pipInstall(ctx, root, pip, o) {
  const python = posix4.join(PIP_ROOT, BUNDLED_PYTHON);
  const source = o.source ?? "bundle.pip";
  if (!existsSync3(join5(root, BUNDLED_PYTHON))) {
    throw new DiracosError(`${source}: requirements are given but the bundle has no ${BUNDLED_PYTHON} (is the Python RPM in the repository?)`, { file: source });
  }
  const home = join5(o.stageDir, "pip-home");
  const inputs = join5(o.stageDir, "pip-inputs");
  await mkdir2(home, { recursive: true });
  const local = await stageLocalInputs(pip, o.manifestDir, inputs);
  const user = ctx.runtime.name === "host" ? void 0 : `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}`;
  const run = (args2) => ctx.runtime.run({
    image: o.platform.image,
    command: [python, ...args2],
    mounts: [
      { source: root, target: PIP_ROOT },
      { source: home, target: PIP_HOME },
      ...local.size > 0 ? [{ source: inputs, target: PIP_INPUTS }] : []
    ],
    env: { ...o.platform.env, ...pipEnv(o.epoch, PIP_HOME), ...compileFlags(root) },
    workdir: PIP_HOME,
    user,
    allowFailure: true
  });
  const ensurepip = ensurepipWheels(root).map((dir) => posix4.join(PIP_ROOT, dir));
  const args = pipInstallArgs({ ...pip, findLinks: [...pip.findLinks ?? [], ...ensurepip] }, o.manifestDir, posix4.join(PIP_ROOT, "usr"), (rel) => local.get(rel) ?? rel);
  const install = await run(args);
  if (install.exitCode !== 0) {
    const tail = install.stderr.trim().split("\n").slice(-15).join("\n");
    throw new DiracosError(`${source}: pip install failed (exit ${install.exitCode}) on the build platform (${o.platform.image}):
${tail}`, { file: source });
  }
  const sites = siteDirs(root).map((s) => posix4.join(PIP_ROOT, relative(root, s)));
  const checked = async (what, args2) => {
    const r = await run(args2);
    if (r.exitCode !== 0) throw new DiracosError(`${source}: ${what} failed (exit ${r.exitCode}):
${r.stderr.trim().split("\n").slice(-15).join("\n")}`, { file: source });
    return r;
  };
  if (sites.length > 0) {
    await checked("compileall", ["-m", "compileall", "-q", "-j", String(ctx.jobs), "-s", PIP_ROOT, "-p", "/", "--invalidation-mode", "checked-hash", ...sites]);
  }
  const list = await checked("pip list", ["-m", "pip", "list", "--disable-pip-version-check", "--format=freeze", ...sites.flatMap((s) => ["--path", s])]);
  const freeze = list.stdout.split("\n").map((l) => l.trim()).filter(Boolean).sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
  return { freeze };
}
function recordHash(data) {
  return `sha256=${createHash2("sha256").update(data).digest("base64url")}`;
}
function refreshRecords(root, changedRel) {
  const changed = new Set(changedRel.map((r) => posix4.normalize(`/${r}`)));
  const rewritten = [];
  for (const e of walkTree(root)) {
    if (!e.stat.isFile() || !e.rel.endsWith(".dist-info/RECORD")) continue;
    const base = posix4.dirname(posix4.dirname(`/${e.rel}`));
    const text = readFileSync2(e.path, "utf8");
    let dirty = false;
    const out = text.split("\n").map((line) => {
      const m = /^("?)(.+?)\1,([^,]*),([^,]*)$/.exec(line);
      if (!m) return line;
      const target = posix4.normalize(posix4.join(base, m[2]));
      if (!changed.has(target)) return line;
      const data = readFileSync2(join5(root, target));
      dirty = true;
      return `${m[1]}${m[2]}${m[1]},${recordHash(data)},${data.length}`;
    });
    if (dirty) {
      const tmp = `${e.path}.diracos-tmp-${process.pid}`;
      writeFileSync3(tmp, out.join("\n"), { mode: e.stat.mode & 4095 });
      renameSync3(tmp, e.path);
      rewritten.push(e.rel);
    }
  }
  return rewritten;
}
function assertNoBuildPath(root) {
  const needles = [Buffer.from(root), Buffer.from(`${PIP_ROOT}/`)];
  const found = [];
  for (const e of walkTree(root)) {
    if (!e.stat.isFile()) continue;
    const inDistInfo = /\.dist-info\//.test(e.rel);
    const isScript = /^(usr\/)?s?bin\//.test(e.rel) && (e.stat.mode & 73) !== 0 && e.stat.size < 1 << 20;
    if (!inDistInfo && !isScript) continue;
    const data = readFileSync2(e.path);
    if (isScript && !inDistInfo && !(data[0] === 35 && data[1] === 33)) continue;
    if (needles.some((n) => data.includes(n))) found.push(`/${e.rel}`);
  }
  if (found.length > 0) throw new DiracosError(`bundle-diracos: the build path (${root} or ${PIP_ROOT}) is left in: ${found.join(", ")}`);
}

// src/bundle-diracos/publish.ts
import { lstatSync as lstatSync3, readdirSync as readdirSync3, readlinkSync as readlinkSync2 } from "node:fs";
import { mkdir as mkdir3, rename as rename2, rm as rm3, symlink } from "node:fs/promises";
import { basename, dirname as dirname2, join as join6 } from "node:path";
var DIE_AT_VARIABLE = "DIRACOS_DIE_AT";
function killPoint(step) {
  if (process.env[DIE_AT_VARIABLE] === step) process.kill(process.pid, "SIGKILL");
}
var names = (outDir) => {
  const parent = dirname2(outDir);
  const prefix = `.${basename(outDir)}.`;
  return { parent, prefix, tmp: /^tmp-(\d+)$/, link: /^link-(\d+)$/, old: /^old-(\d+)$/, set: /^[0-9a-f]{16}$/ };
};
async function sameFiles(a, b) {
  let names2;
  try {
    names2 = readdirSync3(a).sort();
    if (readdirSync3(b).sort().join("\0") !== names2.join("\0")) return false;
  } catch {
    return false;
  }
  for (const n of names2) if (await sha256File(join6(a, n)).catch(() => "a") !== await sha256File(join6(b, n)).catch(() => "b")) return false;
  return true;
}
function currentSet(outDir) {
  try {
    return lstatSync3(outDir).isSymbolicLink() ? readlinkSync2(outDir) : void 0;
  } catch {
    return void 0;
  }
}
async function removeStaleSets(outDir) {
  const { parent, prefix, tmp, link, old, set } = names(outDir);
  const current = currentSet(outDir);
  let entries;
  try {
    entries = readdirSync3(parent);
  } catch {
    return;
  }
  for (const name of entries) {
    if (!name.startsWith(prefix) || name === current) continue;
    const rest = name.slice(prefix.length);
    const pid = (tmp.exec(rest) ?? link.exec(rest) ?? old.exec(rest))?.[1];
    if (pid !== void 0 ? !pidAlive(Number(pid)) : set.test(rest)) await rm3(join6(parent, name), { recursive: true, force: true });
  }
}
async function stagingFolder(outDir) {
  const { parent, prefix } = names(outDir);
  const staging = join6(parent, `${prefix}tmp-${process.pid}`);
  await rm3(staging, { recursive: true, force: true });
  await mkdir3(staging, { recursive: true });
  return staging;
}
async function publishSet(staging, outDir, id) {
  const { parent, prefix, set } = names(outDir);
  if (!set.test(id)) throw new Error(`publishSet: '${id}' is not 16 hex digits`);
  killPoint("staged");
  let target = `${prefix}${id}`;
  if (currentSet(outDir) === target && !await sameFiles(staging, join6(parent, target))) target = `${prefix}${sha256String(`${id} ${process.pid} ${Date.now()}`).slice(0, 16)}`;
  if (currentSet(outDir) === target) {
    await rm3(staging, { recursive: true, force: true });
  } else {
    await rm3(join6(parent, target), { recursive: true, force: true });
    await rename2(staging, join6(parent, target));
    killPoint("stored");
    const link = join6(parent, `${prefix}link-${process.pid}`);
    await rm3(link, { force: true });
    await symlink(target, link);
    killPoint("linked");
    const plain = (() => {
      try {
        return !lstatSync3(outDir).isSymbolicLink();
      } catch {
        return false;
      }
    })();
    if (plain) {
      await rename2(outDir, join6(parent, `${prefix}old-${process.pid}`));
      killPoint("moved-aside");
    }
    await rename2(link, outDir);
    killPoint("switched");
  }
  await removeStaleSets(outDir);
  if (currentSet(outDir) === target) await rm3(join6(parent, `${prefix}old-${process.pid}`), { recursive: true, force: true });
  killPoint("cleaned");
}

// src/bundle-diracos/tarball.ts
import { closeSync as closeSync2, constants, openSync as openSync2, renameSync as renameSync4, rmSync as rmSync2, writeFileSync as writeFileSync4 } from "node:fs";
import { basename as basename2, join as join7 } from "node:path";
import { Worker } from "node:worker_threads";
var COMPRESSORS = {
  // pigz -n: no name and no timestamp in the gzip header, so equal input gives equal bytes. Level 6
  // (gzip's default): -9 costs about twice the time for ~1% of size on a bundle.
  gzip: { command: (jobs) => `pigz -n -6 -p ${jobs}` },
  // zstd output does not depend on the thread count; no timestamps in the frame.
  zstd: { command: (jobs) => `zstd -q -19 -T${jobs}` }
};
var DRAIN_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { closeSync, openSync, readSync, writeSync } = require('node:fs');
const { createHash } = require('node:crypto');
let fd;
try {
  fd = openSync(workerData.fifo, 'r');
  parentPort.postMessage({ open: true });
  const sha = createHash('sha256');
  const md5 = createHash('md5');
  const buf = Buffer.allocUnsafe(1 << 20);
  for (;;) {
    const n = readSync(fd, buf, 0, buf.length, null);
    if (n === 0) break;
    const chunk = buf.subarray(0, n);
    sha.update(chunk);
    md5.update(chunk);
    for (let at = 0; at < n; ) at += writeSync(workerData.out, chunk, at, n - at);
  }
  parentPort.postMessage({ sha256: sha.digest('hex'), md5: md5.digest('hex') });
} catch (e) {
  parentPort.postMessage({ error: { message: e.message, code: e.code, syscall: e.syscall, path: e.path } });
} finally {
  if (fd !== undefined) closeSync(fd);
}
`;
async function drainWithDigests(fifo, to, writer) {
  const open = /* @__PURE__ */ new Set();
  const close = (fd) => {
    if (open.delete(fd)) closeSync2(fd);
  };
  let exited;
  let out;
  try {
    out = openSync2(to, "w");
    open.add(out);
    const readEnd = openSync2(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    open.add(readEnd);
    const holdOpen = openSync2(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
    open.add(holdOpen);
    const worker = new Worker(DRAIN_WORKER, { eval: true, workerData: { fifo, out } });
    exited = new Promise((resolve3) => worker.once("exit", () => resolve3()));
    let opened;
    const reading = new Promise((resolve3) => opened = resolve3);
    const copied = new Promise((resolve3, reject) => {
      worker.on("message", (m) => {
        if (m.open) opened();
        else if (m.error) reject(Object.assign(new Error(m.error.message), m.error));
        else resolve3({ sha256: m.sha256, md5: m.md5 });
      });
      worker.once("error", reject);
      void exited.then(() => reject(new Error("the tarball drain ended without a result")));
    });
    await Promise.race([reading, copied]);
    close(readEnd);
    const written = writer().finally(() => close(holdOpen));
    const [writing, copying] = await Promise.allSettled([written, copied]);
    if (copying.status === "rejected") throw copying.reason;
    if (writing.status === "rejected") throw writing.reason;
    return copying.value;
  } finally {
    for (const fd of open) if (fd !== out) close(fd);
    await exited;
    for (const fd of open) close(fd);
  }
}
async function makeTarball(exec, bundle, outDir, o) {
  const name = tarballName(o);
  const top = topDirectory(o);
  const path = join7(outDir, name);
  const tmp = `${path}.tmp-${process.pid}`;
  const tarArgs = [
    "--create",
    "--file=-",
    `--directory=${bundle}`,
    "--sort=name",
    `--mtime=@${o.epoch}`,
    "--owner=0",
    "--group=0",
    "--numeric-owner",
    "--format=posix",
    "--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime",
    // ./x -> <top>/x for member names only (S: symlink targets stay as they are).
    `--transform=s,^\\.,${top},S`,
    "."
  ];
  const fifo = `${tmp}.fifo`;
  const script = `set -o pipefail; tar "$@" | ${COMPRESSORS[o.compression ?? "gzip"].command(o.jobs ?? 1)} > "$0"`;
  try {
    await exec("mkfifo", [fifo]);
    const sums = await drainWithDigests(fifo, tmp, () => exec("bash", ["-c", script, fifo, ...tarArgs], { env: { ...process.env, LC_ALL: "C" } }));
    writeFileSync4(`${tmp}.sha256`, `${sums.sha256}  ${basename2(path)}
`);
    writeFileSync4(`${tmp}.md5`, `${sums.md5}  ${basename2(path)}
`);
    renameSync4(`${tmp}.sha256`, `${path}.sha256`);
    renameSync4(`${tmp}.md5`, `${path}.md5`);
    renameSync4(tmp, path);
    return { path, ...sums };
  } catch (e) {
    throw systemFailure(e, `writing the tarball ${path}`) ?? e;
  } finally {
    for (const f of [tmp, fifo, `${tmp}.sha256`, `${tmp}.md5`]) rmSync2(f, { force: true });
  }
}

// src/bundle-diracos/versions.ts
import { renameSync as renameSync5, writeFileSync as writeFileSync5 } from "node:fs";
function renderVersions(nevras, pipFreeze) {
  const sorted = [...nevras].sort((a, b) => a < b ? -1 : a > b ? 1 : 0);
  return [...sorted, "# pip", ...pipFreeze].map((l) => `${l}
`).join("");
}
function writeVersions(file, text) {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync5(tmp, text);
  renameSync5(tmp, file);
}

// src/bundle-diracos/extension.ts
var NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
function distributionKey(line) {
  const [name = "", version = ""] = line.split("==");
  return `${name.trim().toLowerCase().replace(/[-_.]+/g, "-")}==${version.trim()}`;
}
function nameAndVersion(text) {
  const name = /^Name:\s*(\S+)/m.exec(text)?.[1];
  const version = /^Version:\s*(\S+)/m.exec(text)?.[1];
  return name && version ? `${name}==${version}` : void 0;
}
function installedDistributions(root) {
  const out = /* @__PURE__ */ new Set();
  for (const e of walkTree(root, "usr")) {
    if (posix5.basename(posix5.dirname(e.rel)) !== "site-packages") continue;
    let meta;
    if (e.rel.endsWith(".dist-info") && e.stat.isDirectory()) meta = join8(e.path, "METADATA");
    else if (e.rel.endsWith(".egg-info")) meta = e.stat.isDirectory() ? join8(e.path, "PKG-INFO") : e.path;
    if (!meta || !existsSync4(meta) || !statSync3(meta).isFile()) continue;
    const line = nameAndVersion(readFileSync3(meta, "utf8"));
    if (line) out.add(distributionKey(line));
  }
  return out;
}
function rpmLines(versions) {
  return versions.split("# pip")[0].split("\n").map((l) => l.trim()).filter(Boolean);
}
async function bundleExtension(ctx, m, o) {
  if (!NAME.test(o.name)) throw new DiracosError(`extension name '${o.name}' may hold only letters, digits, '.', '_' and '-'`);
  if (!existsSync4(o.baseTarball) || !statSync3(o.baseTarball).isFile()) throw new DiracosError(`extension '${o.name}': the base tarball ${o.baseTarball} is not a file`);
  const cfg = m.manifest.bundle ?? {};
  const pip = o.requirements ? { ...cfg.pip, requirements: o.requirements, requirementsFile: void 0 } : cfg.pip;
  if (!hasPipWork(pip)) {
    throw new DiracosError(`extension '${o.name}': nothing to add: bundle.pip names no requirements (an extension is its base tarball plus these)`, { file: m.file });
  }
  const work = join8(ctx.workdir, "bundle-extension", `${o.name}.tmp-${process.pid}`);
  await rm4(work, { recursive: true, force: true });
  await mkdir4(join8(work, "tree"), { recursive: true });
  await mkdir4(dirname3(o.outDir), { recursive: true });
  ctx.tools.share(work, o.baseTarball, dirname3(o.outDir));
  await removeStaleSets(o.outDir);
  const staging = await stagingFolder(o.outDir);
  const buildRoot = await openBuildRoot(ctx, m);
  try {
    await ctx.tools.exec("tar", ["-xf", o.baseTarball, "-C", join8(work, "tree"), "--no-same-owner"]);
    const tops = await readdir2(join8(work, "tree"));
    if (tops.length !== 1) throw new DiracosError(`${o.baseTarball}: expected one top directory, found ${tops.length}`, { file: o.baseTarball });
    const root = join8(work, "tree", tops[0]);
    const base = installedDistributions(root);
    const epoch = sourceDateEpoch(m);
    const platform = { image: buildRoot.image, env: m.buildPlatform.env };
    const { freeze } = await pipInstall(ctx, root, pip, { manifestDir: m.dir, epoch, stageDir: work, platform, source: `extension ${o.name}` });
    const added = freeze.filter((l) => !base.has(distributionKey(l)));
    ctx.reporter.info(`extension ${o.name} adds: ${added.join(", ") || "nothing new (every requirement is in the base at that version)"}`);
    linkPass(root, { buildRoot: buildRoot.path });
    const hostFile = join8(root, HOST_LIBRARIES_FILE);
    const ignored = new Map(existsSync4(hostFile) ? parseHostLibrariesFile(readFileSync3(hostFile, "utf8")).map((l) => [l.soname, l.package]) : []);
    const hostSonames = hostProvidedByAll([...new Set(m.manifest.platforms.map((p) => p.family))]);
    const { leftToHost } = completeLibraries(root, { hostSonames, ignored, graft: cfg.graftLibraries ?? false, buildRoot: buildRoot.path, buildRootName: buildRoot.source });
    if (existsSync4(hostFile) || leftToHost.length > 0) await writeFile(hostFile, renderHostLibrariesFile(leftToHost));
    await relocateElves(ctx.tools.exec, root);
    refreshRecords(root, relocateShebangs(root));
    assertNoBuildPath(root);
    const baseVersions = join8(root, "versions.txt");
    writeVersions(baseVersions, renderVersions(existsSync4(baseVersions) ? rpmLines(readFileSync3(baseVersions, "utf8")) : [], freeze));
    for (const c of stripModes(root)) ctx.reporter.warning(`extension ${o.name}: ${describeModeChange(c)}`);
    const versions = renderVersions([], added);
    writeVersions(join8(staging, "versions.txt"), versions);
    const tar = await makeTarball(ctx.tools.exec, root, staging, {
      version: m.manifest.version,
      arch: m.arch,
      epoch,
      compression: o.compression ?? cfg.compression ?? "gzip",
      jobs: ctx.jobs,
      prefix: o.name
    });
    const name = posix5.basename(tar.path);
    await publishSet(staging, o.outDir, tar.sha256.slice(0, 16));
    const tarball = join8(o.outDir, name);
    return { tarball, sha256: tar.sha256, size: (await stat(tarball)).size, files: [tarball, `${tarball}.sha256`, `${tarball}.md5`, join8(o.outDir, "versions.txt")], added, cached: false };
  } finally {
    await rm4(work, { recursive: true, force: true });
    await rm4(staging, { recursive: true, force: true });
  }
}

// src/bundle-diracos/index.ts
import { mkdir as mkdir6, readdir as readdir5, rm as rm7, stat as stat2, writeFile as writeFile3 } from "node:fs/promises";
import { dirname as dirname5, join as join12, posix as posix6 } from "node:path";

// src/bundle-diracos/build-only.ts
import { readdir as readdir3 } from "node:fs/promises";
import { basename as basename3 } from "node:path";
var BuildOnlyRequired = class extends DiracosError {
  constructor(needs, file) {
    const packages = [...new Set(needs.map((n) => n.package))].join(", ");
    const shipped = [...new Set(needs.map((n) => rpmNameOfFile(n.shipped)))].join(", ");
    super(
      [
        "bundle-diracos: shipped packages require buildOnly packages, which are never bundled:",
        ...needs.map(describeNeed).map((l) => `  ${l}`),
        `Drop buildOnly from ${packages} to ship it, list it in bundle.ignoredPackages when every host has it, or keep ${shipped} out of the bundle (bundle.excludedPackages, when no shipped package requires it).`
      ].join("\n"),
      { file }
    );
    this.needs = needs;
    this.name = "BuildOnlyRequired";
  }
  needs;
};
function describeNeed(n) {
  return `${n.shipped} requires ${n.capability}, provided only by ${n.provider} of the buildOnly package ${n.package}`;
}
function parseNeededBy(text) {
  const out = [];
  for (const line of text.split("\n")) {
    const m = /^\s*(.+?) is needed by \(installed\) (\S+)\s*$/.exec(line);
    if (m) out.push({ capability: m[1], shipped: m[2] });
  }
  return out;
}
async function buildOnlyNeeds(p) {
  const files = new Set((await readdir3(p.buildOnlyDir).catch(() => [])).filter((f) => f.endsWith(".rpm")));
  if (files.size === 0) return [];
  const { tools, installroot, options } = p;
  await tools.execAsRoot("rm", ["-rf", installroot]);
  const rpm = (args) => tools.execAsRoot("rpm", ["--root", installroot, ...args], options);
  try {
    try {
      await tools.execAsRoot(
        "dnf",
        [
          "-y",
          "-q",
          `--installroot=${installroot}`,
          ...p.dnfArgs,
          `--repofrompath=diracos-buildonly,${fileUrl(p.buildOnlyDir)}`,
          // the last resort: whatever else provides a capability is taken first
          "--setopt=diracos-buildonly.priority=99",
          "--setopt=tsflags=justdb",
          "--setopt=history_record=False",
          "install",
          ...p.install
        ],
        options
      );
    } catch (e) {
      if (e instanceof ExecError) return [];
      throw e;
    }
    const installed = (await rpm(["-qa", "--qf", "%{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}\\n"])).stdout.split("\n").map((l) => l.trim());
    const taken = installed.filter((n) => files.has(`${n}.rpm`)).sort();
    if (taken.length === 0) return [];
    const test = await tools.execAsRoot("rpm", ["--root", installroot, "-e", "--test", ...taken], { ...options, allowFailure: true });
    const report = `${test.stdout}
${test.stderr}`;
    const packageOf = (nevra) => Object.entries(p.index.packages).find(([, entry]) => entry.buildOnly && entry.rpms.some((r) => basename3(r) === `${nevra}.rpm`))?.[0] ?? rpmNameOfFile(nevra);
    const needs = [];
    for (const { capability, shipped } of parseNeededBy(report)) {
      const providers = (await rpm(["-q", "--whatprovides", capability, "--qf", "%{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}\\n"])).stdout.split("\n").map((l) => l.trim());
      const provider = providers.find((n) => taken.includes(n)) ?? taken[0];
      needs.push({ shipped, capability, provider, package: packageOf(provider) });
    }
    return needs.sort((a, b) => a.shipped + a.capability < b.shipped + b.capability ? -1 : 1);
  } finally {
    await tools.execAsRoot("rm", ["-rf", installroot]);
  }
}

// src/bundle-diracos/bundle-key.ts
import { existsSync as existsSync5, readdirSync as readdirSync4, readFileSync as readFileSync4, statSync as statSync4 } from "node:fs";
import { readFile, rename as rename3, rm as rm5, writeFile as writeFile2 } from "node:fs/promises";
import { basename as basename4, join as join9, resolve as resolve2 } from "node:path";
var BUNDLE_KEY_VERSION = 3;
var BUNDLE_RECORD = "bundle-key.json";
function treeDigest(path) {
  const entries = [];
  const walk = (abs, rel, depth) => {
    if (depth > 64) throw new Error(`${abs}: too deep (a symlink loop?)`);
    const st = statSync4(abs);
    if (st.isDirectory()) {
      entries.push(`d ${rel}`);
      for (const name of readdirSync4(abs).sort()) {
        const child = join9(abs, name);
        if (!PIP_INPUT_LEFT_OUT.test(child)) walk(child, rel ? `${rel}/${name}` : name, depth + 1);
      }
    } else {
      entries.push(`f ${rel} ${(st.mode & 73) !== 0 ? "x" : "-"} ${sha256String(readFileSync4(abs))}`);
    }
  };
  walk(path, "", 0);
  return sha256String(entries.join("\n"));
}
function fileStamp(path, name) {
  try {
    const st = statSync4(path);
    return `${name} ${st.size} ${st.mtimeMs}`;
  } catch {
    return `${name} missing`;
  }
}
async function bundleKey(ctx, m, o) {
  if (!(ctx.runtime instanceof ContainerRuntime)) return void 0;
  const platform = m.buildPlatform;
  const image = await ctx.runtime.prepareImage(platform.image, platform.setup ?? []);
  const imageId = await ctx.runtime.imageId(image);
  if (!imageId) return void 0;
  const index = await readIndex(repoLayout(m.repository, m.arch).index);
  const packages = Object.fromEntries(
    Object.entries(index.packages).filter(([, e]) => !e.buildOnly).map(([name, e]) => [name, { key: e.key, rpms: [...e.rpms].sort().map((r) => fileStamp(join9(m.repository, r), r)) }])
  );
  const { pip, ...bundle } = m.manifest.bundle ?? {};
  const local = pip ? Object.fromEntries(pipLocalInputs(pip).map((rel) => [rel, existsSync5(resolve2(m.dir, rel)) ? treeDigest(resolve2(m.dir, rel)) : "missing"])) : {};
  const families = [...new Set(m.manifest.platforms.map((p) => p.family))].sort();
  return sha256Object({
    v: BUNDLE_KEY_VERSION,
    version: m.manifest.version,
    arch: m.arch,
    epoch: o.epoch,
    compression: o.compression,
    packages,
    bundle,
    pip: pip ? { ...pip, local } : void 0,
    buildPlatform: { ...platform, imageId, runtime: ctx.runtime.name },
    families,
    rules: {
      hostSonames: hostProvidedByAll(families),
      hostCapabilities: HOST_CAPABILITIES,
      hostPackages: HOST_PACKAGES,
      graftDirs: GRAFT_SEARCH_DIRS,
      linkPolicy: { ...LINK_COPY_POLICY, forbiddenFiles: LINK_COPY_POLICY.forbiddenFiles.map((f) => ({ ...f, pattern: String(f.pattern) })) },
      linkModes: LINK_COPY_MODES
    },
    diracosrc: renderDiracosrc(m.manifest.bundle?.environment ?? {}, "bundle.environment")
  });
}
async function recordedBundle(outDir, key) {
  let record;
  try {
    record = JSON.parse(await readFile(join9(outDir, BUNDLE_RECORD), "utf8"));
  } catch {
    return void 0;
  }
  if (record.key !== key || !Array.isArray(record.files) || record.files.length === 0 || !Array.isArray(record.summary)) return void 0;
  if (!record.files.every((f) => basename4(f) === f && existsSync5(join9(outDir, f)))) return void 0;
  return await sha256File(join9(outDir, record.files[0])) === record.sha256 ? record : void 0;
}
async function dropRecord(outDir) {
  await rm5(join9(outDir, BUNDLE_RECORD), { force: true });
}
async function writeRecord(outDir, record) {
  const file = join9(outDir, BUNDLE_RECORD);
  await writeFile2(`${file}.partial`, JSON.stringify(record, null, 2) + "\n");
  await rename3(`${file}.partial`, file);
}

// src/bundle-diracos/closure.ts
import { existsSync as existsSync6 } from "node:fs";
import { mkdir as mkdir5, readdir as readdir4, rm as rm6 } from "node:fs/promises";
import { basename as basename5, dirname as dirname4, join as join10 } from "node:path";
function closureRoots(index, bundle = {}) {
  const ignored = new Set(bundle.ignoredPackages ?? []);
  const excluded = (bundle.excludedPackages ?? []).map(globToRegExp);
  const names2 = /* @__PURE__ */ new Set();
  for (const entry of Object.values(index.packages)) {
    if (entry.buildOnly) continue;
    for (const rpm of entry.rpms) {
      if (rpm.startsWith("src/") || rpm.endsWith(".src.rpm")) continue;
      const name = rpmNameOfFile(basename5(rpm));
      if (!ignored.has(name) && !excluded.some((re) => re.test(name))) names2.add(name);
    }
  }
  for (const name of bundle.manualDependencies ?? []) names2.add(name);
  return [...names2].sort();
}
async function rootRpmFiles(m) {
  const layout = repoLayout(m.repository, m.arch);
  const index = await readIndex(layout.index);
  const roots = new Set(closureRoots(index, m.manifest.bundle ?? {}));
  const files = /* @__PURE__ */ new Set();
  for (const entry of Object.values(index.packages)) {
    if (entry.buildOnly) continue;
    for (const rpm of entry.rpms) {
      const path = join10(layout.root, rpm);
      if (dirname4(path) === layout.binary && roots.has(rpmNameOfFile(basename5(rpm))) && existsSync6(path)) files.add(path);
    }
  }
  return [...files].sort();
}
function capabilitySoname(cap) {
  const m = /^([^\s()]+\.so(?:\.[^\s()]*)?)(?:\(.*\))?$/.exec(cap.trim());
  return m?.[1];
}
function hostProvides(i) {
  const libs = /* @__PURE__ */ new Set([...i.hostSonames, ...i.graftable]);
  const out = /* @__PURE__ */ new Set([...HOST_CAPABILITIES, ...i.hostPackages, ...i.ignored]);
  for (const req of i.requires) {
    const soname = capabilitySoname(req);
    if (!soname || !libs.has(soname)) continue;
    out.add(req.trim());
    out.add(req.trim().endsWith("(64bit)") ? `${soname}()(64bit)` : soname);
  }
  return [...out].filter((p) => p !== "" && !p.startsWith("(") && !p.startsWith("rpmlib(")).sort();
}
function hostProvidesSpec(provides) {
  return [
    `Name: ${HOST_PROVIDES_NAME}`,
    "Version: 1",
    "Release: 1",
    "License: GPL-3.0-only",
    "BuildArch: noarch",
    "Summary: What the hosts of the bundle provide (generated, never shipped)",
    ...provides.map((p) => `Provides: ${p}`),
    "%description",
    "Generated by diracos bundle-diracos.",
    "%files",
    ""
  ].join("\n");
}
var SOLVE_RPM_MACROS = {
  _pkgverify_level: "none",
  _dbpath: "/var/lib/rpm"
};
function closureDnfArgs(m) {
  const platform = m.buildPlatform;
  const rpmPlatform = platform.family !== "debian";
  const base = rpmPlatform ? platform.baseRepos ?? [] : [];
  const hostPackages = rpmPlatform ? HOST_PACKAGES[platform.family] : [];
  return [
    "--setopt=reposdir=/dev/null",
    "--noplugins",
    "--nogpgcheck",
    "--setopt=install_weak_deps=False",
    // The platform's release ($releasever of its baseurls): mock.releasever, else a well-known image's.
    `--releasever=${(rpmPlatform ? platformRelease(platform) : void 0) ?? "0"}`,
    `--forcearch=${m.arch}`,
    ...base.map((r) => `--repofrompath=${r.name},${r.baseurl}`),
    // The glibc family never comes from a base repository: the host has it.
    ...hostPackages.length > 0 ? base.map((r) => `--setopt=${r.name}.excludepkgs=${hostPackages.join(",")}`) : [],
    `--repofrompath=diracos,${fileUrl(repoLayout(m.repository, m.arch).binary)}`,
    // What we rebuilt is shipped even where a base repository has a newer version of it.
    "--setopt=diracos.priority=1"
  ];
}
function lines(text) {
  return text.split("\n").map((l) => l.trim()).filter(Boolean);
}
function graftableSonames(buildRoot, requires) {
  const out = /* @__PURE__ */ new Set();
  for (const req of requires) {
    const soname = capabilitySoname(req);
    if (soname && GRAFT_SEARCH_DIRS.some((d) => existsSync6(join10(buildRoot, d, soname)))) out.add(soname);
  }
  return [...out];
}
function dnfProblems(e) {
  return e.stderr.trim().split("\n").slice(-20).map((l) => `  ${l.trim()}`).join("\n");
}
async function resolveClosure(ctx, m, o) {
  const layout = repoLayout(m.repository, m.arch);
  const index = await readIndex(layout.index);
  const bundle = m.manifest.bundle ?? {};
  const roots = closureRoots(index, bundle);
  if (roots.length === 0) throw new DiracosError(`bundle-diracos: the repository ${m.repository} holds no package to bundle (run build-rpms first)`, { file: layout.index });
  const dir = join10(o.stageDir, "closure");
  await rm6(dir, { recursive: true, force: true });
  await mkdir5(dir, { recursive: true });
  const dnfArgs = closureDnfArgs(m);
  const tools = ctx.tools;
  tools.share(m.repository, dir);
  const scratch = join10(await tools.scratch(), "closure");
  await tools.execAsRoot("rm", ["-rf", scratch]);
  const queryRoot = join10(scratch, "query-root");
  const rpms = Object.values(index.packages).filter((e) => !e.buildOnly).flatMap((e) => e.rpms).filter((r) => !r.endsWith(".src.rpm"));
  const requires = [...new Set(lines((await tools.exec("rpm", ["-qp", "--nosignature", "--requires", ...rpms], { cwd: m.repository })).stdout))];
  const ignored = bundle.ignoredPackages ?? [];
  const ignoredQuery = ignored.length > 0 ? (await tools.execAsRoot("dnf", ["-q", `--installroot=${queryRoot}`, ...dnfArgs, "repoquery", "--qf", "%{name}\\t%{provides}", ...ignored])).stdout : "";
  const { provides: ignoredProvides, libraries: ignoredLibraries } = ignoredProvidesOf(ignoredQuery);
  const families = [...new Set(m.manifest.platforms.map((p) => p.family))];
  const provides = hostProvides({
    requires,
    hostSonames: hostProvidedByAll(families),
    ignored: [...ignored, ...ignoredProvides],
    graftable: bundle.graftLibraries && o.buildRoot ? graftableSonames(o.buildRoot, requires) : [],
    hostPackages: m.buildPlatform.family === "debian" ? [] : HOST_PACKAGES[m.buildPlatform.family]
  });
  const hostTop = join10(scratch, "host-provides");
  await tools.execAsRoot("sh", ["-c", 'mkdir -p "$1/top" && printf %s "$2" > "$1/host-provides.spec"', "sh", hostTop, hostProvidesSpec(provides)]);
  await tools.execAsRoot("rpmbuild", ["-bb", "--quiet", "--define", `_topdir ${hostTop}/top`, "--define", `_rpmdir ${hostTop}`, `${hostTop}/host-provides.spec`]);
  const hostRpm = join10(hostTop, "noarch", `${HOST_PROVIDES_NAME}-1-1.noarch.rpm`);
  await mkdir5(join10(dir, "noarch"), { recursive: true });
  await tools.exec("cp", [hostRpm, join10(dir, "noarch", basename5(hostRpm))]);
  const installroot = join10(scratch, "root");
  const home = join10(scratch, "rpm-home");
  const macros = Object.entries(SOLVE_RPM_MACROS).map(([k, v]) => `%${k} ${v}
`).join("");
  await tools.execAsRoot("sh", ["-c", 'mkdir -p "$1" && printf %s "$2" > "$1/.rpmmacros"', "sh", home, macros]);
  const solveEnv = { env: { ...process.env, HOME: home } };
  try {
    const solve = ["--setopt=tsflags=justdb", "--setopt=history_record=False"];
    await tools.execAsRoot("dnf", ["-y", "-q", `--installroot=${installroot}`, ...dnfArgs, ...solve, "install", hostRpm, ...roots], solveEnv);
  } catch (e) {
    if (!(e instanceof ExecError)) throw e;
    const install = [hostRpm, ...roots];
    const needs = await buildOnlyNeeds({ tools, installroot: join10(scratch, "build-only-root"), dnfArgs, install, buildOnlyDir: layout.buildOnly, index, options: solveEnv });
    if (needs.length > 0) throw new BuildOnlyRequired(needs, m.file);
    throw new DiracosError(`bundle-diracos: dnf cannot resolve the packages to bundle (${roots.join(", ")}) from ${m.repository}:
${dnfProblems(e)}`, {
      file: m.file
    });
  }
  const installed = lines((await tools.execAsRoot("rpm", ["--root", installroot, "-qa", "--qf", "%{NAME}\\t%{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}\\n"], solveEnv)).stdout).map((l) => l.split("	")).filter(([name]) => name !== HOST_PROVIDES_NAME).sort(([, a], [, b]) => a < b ? -1 : a > b ? 1 : 0);
  const ours = new Set(await readdir4(layout.binary));
  const packages = [];
  const foreign = [];
  for (const [name, nevra] of installed) {
    if (ours.has(`${nevra}.rpm`)) packages.push({ name, nevra, path: join10(layout.binary, `${nevra}.rpm`) });
    else foreign.push([name, nevra]);
  }
  if (foreign.length > 0) {
    const downloads = join10(o.stageDir, "downloads");
    await mkdir5(downloads, { recursive: true });
    const fetched = join10(scratch, "downloads");
    await tools.execAsRoot("dnf", ["-q", `--installroot=${queryRoot}`, ...dnfArgs, "download", `--destdir=${fetched}`, ...foreign.map(([, n]) => n)]);
    await tools.exec("sh", ["-c", 'cp -- "$1"/*.rpm "$2"/', "sh", fetched, downloads]);
    for (const [name, nevra] of foreign) {
      const path = join10(downloads, `${nevra}.rpm`);
      if (!existsSync6(path)) throw new DiracosError(`bundle-diracos: package ${nevra} was resolved but could not be downloaded`, { file: m.file });
      packages.push({ name, nevra, path });
    }
    packages.sort((a, b) => a.nevra < b.nevra ? -1 : a.nevra > b.nevra ? 1 : 0);
  }
  return { packages, hostProvides: provides, ignoredLibraries };
}
function ignoredProvidesOf(text) {
  const provides = [];
  const libraries = /* @__PURE__ */ new Map();
  let pkg = "";
  for (const line of text.split("\n")) {
    const tab = line.indexOf("	");
    if (tab >= 0) pkg = line.slice(0, tab).trim();
    const cap = line.slice(tab + 1).trim();
    if (cap === "" || pkg === "") continue;
    provides.push(cap);
    const soname = capabilitySoname(cap);
    if (soname && !libraries.has(soname)) libraries.set(soname, pkg);
  }
  return { provides, libraries };
}

// src/bundle-diracos/extract.ts
import { lstatSync as lstatSync4, mkdtempSync, realpathSync, rmSync as rmSync3 } from "node:fs";
import { basename as basename6, join as join11, relative as relative2, sep } from "node:path";

// src/shared/concurrency.ts
async function mapLimit(items, jobs, fn) {
  const out = new Array(items.length);
  let next = 0;
  let failure;
  const worker = async () => {
    while (!failure && next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i], i);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, worker));
  if (failure) throw failure.error;
  return out;
}

// src/bundle-diracos/cpio-newc.ts
import { closeSync as closeSync3, fstatSync, openSync as openSync3, readSync as readSync2 } from "node:fs";
var HEADER_BYTES = 110;
var MAGICS = /* @__PURE__ */ new Set(["070701", "070702"]);
var TRAILER = "TRAILER!!!";
var MAX_PATH_BYTES = 4095;
var KINDS = /* @__PURE__ */ new Map([
  [32768, "file"],
  [16384, "dir"],
  [40960, "symlink"],
  [8192, "char-device"],
  [24576, "block-device"],
  [4096, "fifo"],
  [49152, "socket"]
]);
var WITH_DATA = /* @__PURE__ */ new Set(["file", "symlink"]);
var FIELDS = ["ino", "mode", "uid", "gid", "nlink", "mtime", "filesize", "devmajor", "devminor", "rdevmajor", "rdevminor", "namesize", "check"];
var NewcError = class extends Error {
};
var align4 = (n) => n + 3 & ~3;
function readNewc(file) {
  const fd = openSync3(file, "r");
  try {
    const size = fstatSync(fd).size;
    const read = (at, length, what) => {
      const buf = Buffer.alloc(length);
      const n = length === 0 ? 0 : readSync2(fd, buf, 0, length, at);
      if (n !== length) throw new NewcError(`the archive ends inside ${what} at byte ${at} (${size} bytes in all)`);
      return buf;
    };
    const entries = [];
    let first;
    for (let at = 0; ; ) {
      const header = read(at, HEADER_BYTES, "an entry header");
      const magic = header.toString("latin1", 0, 6);
      if (!MAGICS.has(magic)) throw new NewcError(`no cpio "new ASCII" header at byte ${at} (magic ${JSON.stringify(magic)}; RPM payloads use 070701)`);
      first ??= magic;
      if (magic !== first) throw new NewcError(`the header at byte ${at} has the magic ${magic} in an archive of ${first}: cpio would skip it as junk and read on from inside it`);
      const field = {};
      FIELDS.forEach((f, i) => {
        const hex = header.toString("latin1", 6 + 8 * i, 14 + 8 * i);
        if (!/^[0-9a-fA-F]{8}$/.test(hex)) throw new NewcError(`the header at byte ${at} has a field ${f} that is not hexadecimal: ${JSON.stringify(hex)}`);
        field[f] = Number.parseInt(hex, 16);
      });
      const { mode, filesize, namesize } = field;
      if (namesize < 1 || namesize > MAX_PATH_BYTES + 1) throw new NewcError(`the header at byte ${at} gives a name of ${namesize} bytes (1 to ${MAX_PATH_BYTES + 1} with its NUL)`);
      const rawName = read(at + HEADER_BYTES, namesize, "an entry name");
      if (rawName[namesize - 1] !== 0) throw new NewcError(`the name at byte ${at + HEADER_BYTES} does not end with a NUL`);
      const name = rawName.subarray(0, namesize - 1);
      const dataAt = align4(at + HEADER_BYTES + namesize);
      if (name.toString("latin1") === TRAILER) return entries;
      if (name.includes(0)) throw new NewcError(`the name at byte ${at + HEADER_BYTES} holds a NUL byte`);
      if (dataAt + filesize > size) throw new NewcError(`the archive ends inside the data of ${JSON.stringify(name.toString("latin1"))} (entry at byte ${at})`);
      const kind = KINDS.get(mode & 61440);
      if (filesize !== 0 && kind !== void 0 && !WITH_DATA.has(kind)) {
        throw new NewcError(`${JSON.stringify(name.toString("latin1"))} (entry at byte ${at}, mode ${mode.toString(8)}) carries ${filesize} bytes of data: cpio would read them as the next header`);
      }
      const entry = { name, mode, kind, filesize };
      if (kind === "symlink") {
        if (filesize > MAX_PATH_BYTES) throw new NewcError(`the symlink ${JSON.stringify(name.toString("latin1"))} has a target of ${filesize} bytes (at most ${MAX_PATH_BYTES})`);
        entry.target = read(dataAt, filesize, "a symlink target");
      }
      entries.push(entry);
      at = align4(dataAt + filesize);
    }
  } finally {
    closeSync3(fd);
  }
}

// src/bundle-diracos/extract.ts
var KIND_ALLOWED = {
  file: true,
  dir: true,
  symlink: true,
  "char-device": false,
  "block-device": false,
  fifo: false,
  socket: false
};
var UTF8 = new TextDecoder("utf-8", { fatal: true });
var CONTROL = new RegExp("\\p{Cc}", "u");
function nameText(bytes, pkg) {
  let text;
  try {
    text = UTF8.decode(bytes);
  } catch {
    return { problem: `${pkg}: ${bytes.toString("utf8")}: a file name (or link target) that is not valid UTF-8 (each bad byte shown as \uFFFD); a bundle holds UTF-8 names only` };
  }
  if (CONTROL.test(text)) return { problem: `${pkg}: ${JSON.stringify(text)}: a file name (or link target) with a control character; a bundle holds none` };
  return { text };
}
function payloadEntries(raw, pkg) {
  const entries = [];
  const problems = [];
  for (const e of raw) {
    const name = nameText(e.name, pkg);
    if ("problem" in name) {
      problems.push(name.problem);
      continue;
    }
    if (!e.kind) {
      problems.push(`${pkg}: ${name.text} has the unknown file type ${(e.mode & 61440).toString(8)} (mode ${e.mode.toString(8)})`);
      continue;
    }
    if (e.kind !== "symlink") {
      entries.push({ name: name.text, kind: e.kind });
      continue;
    }
    const target = nameText(e.target ?? Buffer.alloc(0), pkg);
    if ("problem" in target) problems.push(target.problem);
    else if (target.text === "") problems.push(`${pkg}: ${name.text} is a symlink without a target (cpio cannot make it)`);
    else entries.push({ name: name.text, kind: "symlink", target: target.text });
  }
  return { entries, problems };
}
var NAME_MAX_BYTES = 255;
function inside(root, path) {
  const rel = relative2(root, path);
  return rel === "" || !rel.startsWith(".." + sep) && rel !== ".." && !rel.startsWith("/");
}
function payloadProblems(pkg, entries, root) {
  const problems = [];
  const payloadLinks = new Set(entries.filter((e) => e.kind === "symlink").map((e) => e.name.replace(/^\.\//, "")));
  const realRoot = realpathSync(root);
  const checkedDirs = /* @__PURE__ */ new Map();
  for (const e of entries) {
    if (!KIND_ALLOWED[e.kind]) problems.push(`${pkg}: ${e.name} is a ${e.kind}; bundles hold no device nodes, fifos or sockets`);
    if (e.name === "." || e.name === "./") {
      if (e.kind !== "dir") problems.push(`${pkg}: ${e.name} is a ${e.kind}; the payload's top may only be a directory`);
      continue;
    }
    if (!e.name.startsWith("./")) {
      problems.push(`${pkg}: ${e.name} is not a ./relative payload path (absolute or foreign layout)`);
      continue;
    }
    const parts = e.name.slice(2).split("/");
    if (parts.some((p) => p === "..")) {
      problems.push(`${pkg}: ${e.name} climbs out of the root with '..'`);
      continue;
    }
    if (parts.some((p) => p === "" || p === ".")) {
      problems.push(`${pkg}: ${e.name} is not a plain ./relative path (an empty or '.' component, or a trailing slash)`);
      continue;
    }
    const long = parts.find((p) => Buffer.byteLength(p) > NAME_MAX_BYTES);
    if (long !== void 0) problems.push(`${pkg}: ${e.name} has a component of ${Buffer.byteLength(long)} bytes (a file name holds at most ${NAME_MAX_BYTES})`);
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join("/");
      if (payloadLinks.has(parent)) {
        problems.push(`${pkg}: ${e.name} would be written through the symlink ./${parent} of the same package`);
        break;
      }
      if (!checkedDirs.has(parent)) checkedDirs.set(parent, escapeOf(realRoot, parent));
      const escape = checkedDirs.get(parent);
      if (escape) {
        problems.push(`${pkg}: ${e.name} would be written through ./${parent}, a symlink in the bundle to ${escape} outside it`);
        break;
      }
    }
  }
  return problems;
}
function escapeOf(realRoot, rel) {
  const p = join11(realRoot, rel);
  try {
    if (!lstatSync4(p).isSymbolicLink()) return void 0;
  } catch {
    return void 0;
  }
  let real;
  try {
    real = realpathSync(p);
  } catch {
    return `${rel} (dangling)`;
  }
  return inside(realRoot, real) ? void 0 : real;
}
var CPIO_BLOCKS = 128;
var UNPACK = `cpio -idmu --no-absolute-filenames --no-preserve-owner --quiet --block-size=${CPIO_BLOCKS}`;
var LIST_BATCH = `out=$1; shift; k=$(mktemp); d=$(mktemp -d); i=0; for r in "$@"; do i=$((i+1)); ln -s "$r" "$d/$(printf %06d "$i").rpm"; done; (cd "$d" && rpm -Kv --nosignature -- $(seq -f '%06g.rpm' 1 "$i")) > "$k" 2>&1 & i=0; for r in "$@"; do i=$((i+1)); n=$(printf %06d "$i"); rpm2cpio "$r" > "$out/$n.cpio" || printf '\\0\\1%s %s\\n' "$n" "$?"; done; wait; printf '\\0\\3'; cat "$k"; rm -rf "$k" "$d"`;
var UNPACK_BATCH = `e=$(mktemp); trap 'rm -f "$e"' EXIT; while [ $# -gt 0 ]; do ${UNPACK} < "$2" 2> "$e"; s=$?; if [ "$s" -ne 0 ] || [ -s "$e" ]; then echo "extracting $1 failed (cpio exited with $s): $(cat "$e")" >&2; exit 1; fi; rm -f "$2"; shift 2; done`;
function badDigests(output, rpms) {
  const wanted = new Set(rpms);
  const blocks = /* @__PURE__ */ new Map();
  const errors = [];
  let current;
  for (const line of output.split("\n")) {
    if (/^\s/.test(line)) current?.push(line.trim());
    else if (line.startsWith("error: ")) errors.push(line.slice(7));
    else if (line.endsWith(":") && wanted.has(line.slice(0, -1))) blocks.set(line.slice(0, -1), current = []);
  }
  const bad = /* @__PURE__ */ new Map();
  for (const rpm of rpms) {
    const lines2 = blocks.get(rpm) ?? [];
    const notOk = lines2.filter((l) => !/: OK$/.test(l));
    if (lines2.length > 0 && notOk.length === 0) continue;
    const said = notOk.length > 0 ? notOk : errors.filter((e) => e.includes(rpm)).map((e) => e.replace(`${rpm}: `, ""));
    bad.set(rpm, said.join("; ") || "rpm -K printed nothing for it");
  }
  return bad;
}
async function decompressBatch(exec, rpms, scratch) {
  const batch = mkdtempSync(join11(scratch, "batch-"));
  const { stdout } = await exec("bash", ["-c", LIST_BATCH, "list-payloads", batch, ...rpms]);
  const at = stdout.lastIndexOf("\0");
  if (at < 0) throw new DiracosError(`listing payloads: unexpected output from the tools: ${JSON.stringify(stdout.slice(0, 200))}`);
  const aliases = rpms.map((_, i) => `${String(i + 1).padStart(6, "0")}.rpm`);
  const digests = badDigests(stdout.slice(at + 2), aliases);
  const unreadable = new Map(
    stdout.slice(0, at).split("\0").slice(1).map((line) => line.trim().split(" "))
  );
  return new Map(
    rpms.map((rpm, i) => {
      const n = String(i + 1).padStart(6, "0");
      const bad = digests.get(`${n}.rpm`);
      if (bad !== void 0) return [rpm, { problems: [`${basename6(rpm)}: digests NOT OK (${bad.replaceAll(`${n}.rpm`, basename6(rpm))}): the file changed after it was built; rebuild or restore it`] }];
      const status = unreadable.get(n);
      if (status !== void 0) return [rpm, { problems: [`${basename6(rpm)}: its payload cannot be read (rpm2cpio exited with ${status})`] }];
      return [rpm, { archive: join11(batch, `${n}.cpio`), problems: [] }];
    })
  );
}
function chunks(items, parts) {
  const size = Math.max(1, Math.ceil(items.length / Math.max(1, parts)));
  const out = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
function escapeThroughLinks(dir, links) {
  const walked = walkLinks(dir, (parts) => links.get(parts.join("/")), { absolute: "stop", aboveRoot: "stop" });
  if (walked.ok) return void 0;
  const at = `./${walked.at.join("/")}`;
  if (walked.why === "absolute") return `${at} -> ${walked.target}`;
  if (walked.why === "loop") return `${at} (symlink loop)`;
  return `${dir} (climbs above the root)`;
}
function setProblems(payloads) {
  const links = /* @__PURE__ */ new Map();
  for (const { entries } of payloads) for (const e of entries) if (e.kind === "symlink" && e.target !== void 0) links.set(e.name.replace(/^\.\//, ""), e.target);
  const kinds = /* @__PURE__ */ new Map();
  const realDirs = /* @__PURE__ */ new Map();
  const realDir = (dir) => {
    if (!realDirs.has(dir)) {
      const walked = walkLinks(dir, (at) => links.get(at.join("/")), { absolute: "stop", aboveRoot: "stop" });
      realDirs.set(dir, walked.ok ? walked.parts.join("/") : void 0);
    }
    return realDirs.get(dir);
  };
  const problems = [];
  for (const { pkg, entries } of payloads) {
    for (const e of entries) {
      const rel = e.name.replace(/^\.\//, "");
      if (rel === "" || rel === ".") continue;
      const slash = rel.lastIndexOf("/");
      const dir = slash < 0 ? "" : realDir(rel.slice(0, slash));
      const real = dir === void 0 ? rel : dir === "" ? rel.slice(slash + 1) : `${dir}/${rel.slice(slash + 1)}`;
      const seen = kinds.get(real);
      if (seen && seen.kind !== e.kind && (seen.kind === "symlink" || e.kind === "symlink")) {
        const other = seen.name === e.name ? `a ${seen.kind}` : `${seen.name}, the same path, is a ${seen.kind}`;
        problems.push(`${pkg}: ${e.name} is a ${e.kind} but ${other} in ${seen.pkg}`);
      } else if (!seen) kinds.set(real, { kind: e.kind, pkg, name: e.name });
    }
  }
  for (const { pkg, entries } of payloads) {
    const checked = /* @__PURE__ */ new Map();
    for (const e of entries) {
      const rel = e.name.replace(/^\.\//, "");
      const parent = rel.split("/").slice(0, -1).join("/");
      if (parent === "") continue;
      if (!checked.has(parent)) checked.set(parent, escapeThroughLinks(parent, links));
      const escape = checked.get(parent);
      if (escape) problems.push(`${pkg}: ${e.name} would be written through ${escape}, outside the bundle`);
    }
  }
  return problems;
}
async function listPayloads(exec, rpms, root, jobs) {
  if (rpms.length === 0) return [];
  const scratch = mkdtempSync(`${root}.payloads-`);
  try {
    const raw = /* @__PURE__ */ new Map();
    for (const batch of await mapLimit(chunks(rpms, jobs), jobs, (b) => decompressBatch(exec, b, scratch))) for (const [r, l] of batch) raw.set(r, l);
    return rpms.map((rpm) => {
      const pkg = basename6(rpm);
      const { archive, problems: unread } = raw.get(rpm);
      if (!archive) return { rpm, pkg, entries: [], problems: unread, scratch };
      let listing;
      try {
        listing = payloadEntries(readNewc(archive), pkg);
      } catch (e) {
        if (!(e instanceof NewcError)) throw e;
        return { rpm, pkg, entries: [], problems: [`${pkg}: its payload is not a cpio archive as RPM writes them: ${e.message}`], scratch };
      }
      const { entries, problems } = listing;
      problems.push(...payloadProblems(pkg, entries, root));
      return { rpm, pkg, entries, problems, archive, scratch };
    });
  } catch (e) {
    rmSync3(scratch, { recursive: true, force: true });
    throw e;
  }
}
function discardListed(listed) {
  for (const dir of new Set(listed.flatMap((l) => l.scratch ? [l.scratch] : []))) rmSync3(dir, { recursive: true, force: true });
}
async function extractListed(exec, listed, root, jobs, extracted = []) {
  try {
    const problems = listed.flatMap((l) => l.problems.map((message) => ({ message, location: { file: l.rpm } })));
    problems.push(...setProblems([...extracted, ...listed.filter((l) => l.problems.length === 0)]).map((message) => ({ message })));
    if (problems.length > 0) {
      const bad = [...new Set(problems.map((p) => p.message.split(":")[0]))].join(", ");
      throw new DiracosErrors(problems, `refusing to extract ${bad}`);
    }
    const pairs = listed.map((l) => [l.pkg, l.archive]);
    await mapLimit(chunks(pairs, jobs), jobs, async (batch) => {
      if (batch.length > 0) await exec("bash", ["-c", UNPACK_BATCH, "extract-rpms", ...batch.flat()], { cwd: root });
    });
    return new Map(listed.map((l) => [l.rpm, l.entries]));
  } finally {
    discardListed(listed);
  }
}

// src/bundle-diracos/index.ts
var ROOT_PREFIX = "root.tmp-";
async function removeFolders(root, folders, file) {
  for (const f of folders) {
    const rel = posix6.normalize(f.replace(/^\/+/, ""));
    if (rel === "." || rel === "" || rel.startsWith("..")) {
      throw new DiracosError(`bundle.removedFolders: '${f}' is not a folder inside the bundle`, { file });
    }
    await rm7(join12(root, rel), { recursive: true, force: true });
  }
}
function reportBrokenLinks(ctx, links) {
  for (const line of links.broken) ctx.reporter.warning(`bundle-diracos: removed the link /${line} (${links.why[line]}); listed in brokenLinks.txt`);
}
async function removeLeftovers(dir, prefix) {
  for (const name of await readdir5(dir).catch(() => [])) {
    if (name.startsWith(prefix)) await rm7(join12(dir, name), { recursive: true, force: true });
  }
}
function reportModeChanges(ctx, changes, payloads) {
  if (changes.length === 0) return;
  const owners = /* @__PURE__ */ new Map();
  for (const p of payloads) for (const e of p.entries) owners.set(e.name.replace(/^\.\//, ""), p.pkg);
  for (const c of changes) ctx.reporter.warning(`bundle-diracos: ${describeModeChange(c, owners.get(c.rel))} (payload-mode rules: nothing setuid, setgid or world-writable is shipped)`);
}
var SUMMARY_HEADER = ["result", "packages", "pip", "grafted", "left to host", "RPATHs set", "shebangs", "links repointed/copied/broken", "hard links split", "modes stripped"];
function cachedTable(row) {
  return { title: "bundle-diracos", header: SUMMARY_HEADER, rows: [["cached", ...row]] };
}
function summaryTable(s, result) {
  const n = (v) => v === void 0 ? "-" : String(v);
  return {
    title: "bundle-diracos",
    header: SUMMARY_HEADER,
    rows: [
      [
        result,
        n(s.packages),
        n(s.pip),
        s.grafted ?? "-",
        n(s.leftToHost),
        n(s.rpaths),
        n(s.shebangs),
        s.links ? `${s.links.repointed.length}/${s.links.copied.length}/${s.links.broken.length}` : "-",
        s.links ? String(s.links.hardLinksSplit.length) : "-",
        n(s.modes)
      ]
    ],
    ...s.notes?.length ? { notes: s.notes } : {}
  };
}
function bundleDiracos(ctx, m, opts) {
  const stageDir = join12(ctx.workdir, "bundle-diracos");
  return holding(lockWorkFolder(ctx, stageDir, opts), () => bundleLocked(ctx, m, opts, stageDir));
}
async function bundleLocked(ctx, m, opts, stageDir) {
  const cfg = m.manifest.bundle ?? {};
  const epoch = sourceDateEpoch(m);
  const compression = opts.compression ?? cfg.compression ?? "gzip";
  await mkdir6(stageDir, { recursive: true });
  await mkdir6(dirname5(opts.outDir), { recursive: true });
  ctx.tools.share(m.repository, stageDir, dirname5(opts.outDir));
  await removeLeftovers(stageDir, ROOT_PREFIX);
  await removeStaleSets(opts.outDir);
  const key = await bundleKey(ctx, m, { epoch, compression });
  const recorded = key && !opts.force ? await recordedBundle(opts.outDir, key) : void 0;
  if (key && recorded) {
    const files = recorded.files.map((f) => join12(opts.outDir, f));
    ctx.reporter.info(`bundle-diracos: nothing changed since ${recorded.builtAt} (key ${key.slice(0, 12)}): reusing ${files[0]} (force makes it again)`);
    ctx.reporter.table(cachedTable(recorded.summary));
    return { tarball: files[0], sha256: recorded.sha256, size: (await stat2(files[0])).size, files, key, cached: true };
  }
  const root = join12(stageDir, `${ROOT_PREFIX}${process.pid}`);
  await mkdir6(root);
  const staging = await stagingFolder(opts.outDir);
  const seconds = [];
  const summary = {};
  let failedIn;
  const phase = async (name, fn) => {
    const start = process.hrtime.bigint();
    let ok = false;
    try {
      const value = await ctx.reporter.progress({ what: `bundling: ${name}` }, async () => fn());
      ok = true;
      return value;
    } catch (e) {
      failedIn ??= name;
      throw e;
    } finally {
      seconds.push([name, Number(process.hrtime.bigint() - start) / 1e9, ok ? "ok" : "FAILED"]);
    }
  };
  let published = false;
  try {
    const buildRoot = await phase("build platform root", () => openBuildRoot(ctx, m));
    const hostSonames = hostProvidedByAll([...new Set(m.manifest.platforms.map((p) => p.family))]);
    const roots = await rootRpmFiles(m);
    const payloads = [];
    const extractRoots = async () => {
      const listed = await listPayloads(ctx.tools.exec, roots, root, ctx.jobs);
      await extractListed(ctx.tools.exec, listed, root, ctx.jobs);
      return listed;
    };
    const [solved, extracted] = await phase("closure (dnf) | extract roots", async () => {
      const both = await Promise.allSettled([resolveClosure(ctx, m, { stageDir, buildRoot: buildRoot.path }), extractRoots()]);
      if (both[0].status === "rejected") {
        if (both[1].status === "rejected" && both[1].reason instanceof DiracosErrors) throw both[1].reason;
        throw both[0].reason;
      }
      return both;
    });
    if (solved.status === "rejected") throw solved.reason;
    const closure = solved.value;
    summary.packages = closure.packages.length;
    ctx.reporter.info(`bundle-diracos: ${closure.packages.length} packages in the closure`);
    const wanted = closure.packages.map((p) => p.path);
    const inClosure = new Set(wanted);
    const early = new Set(roots);
    await phase("extract the rest", async () => {
      if (roots.every((r) => inClosure.has(r))) {
        if (extracted.status === "rejected") throw extracted.reason;
        const rest = await listPayloads(ctx.tools.exec, wanted.filter((p) => !early.has(p)), root, ctx.jobs);
        await extractListed(ctx.tools.exec, rest, root, ctx.jobs, extracted.value);
        payloads.push(...extracted.value, ...rest);
      } else {
        await rm7(root, { recursive: true, force: true });
        await mkdir6(root);
        const all = await listPayloads(ctx.tools.exec, wanted, root, ctx.jobs);
        await extractListed(ctx.tools.exec, all, root, ctx.jobs);
        payloads.push(...all);
      }
    });
    let freeze = [];
    if (hasPipWork(cfg.pip)) {
      const pip = cfg.pip;
      const platform = { image: buildRoot.image, env: m.buildPlatform.env };
      freeze = (await phase("pip", () => pipInstall(ctx, root, pip, { manifestDir: m.dir, epoch, stageDir, platform, source: m.file }))).freeze;
      summary.pip = freeze.length;
    }
    await removeFolders(root, cfg.removedFolders ?? [], m.file);
    const links = await phase("link pass", () => linkPass(root, { buildRoot: buildRoot.path, brokenLinksFile: join12(root, "brokenLinks.txt") }));
    summary.links = links;
    reportBrokenLinks(ctx, links);
    const { grafted, leftToHost } = await phase(
      "ELF completeness",
      () => completeLibraries(root, { hostSonames, ignored: closure.ignoredLibraries, graft: cfg.graftLibraries ?? false, buildRoot: buildRoot.path, buildRootName: buildRoot.source })
    );
    summary.grafted = grafted.map((g) => g.soname).join(" ") || "-";
    summary.leftToHost = leftToHost.length;
    await writeFile3(join12(root, HOST_LIBRARIES_FILE), renderHostLibrariesFile(leftToHost));
    if (leftToHost.length > 0) {
      ctx.reporter.info(`bundle-diracos: left to the host (bundle.ignoredPackages), listed in ${HOST_LIBRARIES_FILE}: ${leftToHost.map((l) => `${l.soname} (${l.package})`).join(", ")}`);
    }
    const elves = await phase("RPATHs", () => relocateElves(ctx.tools.exec, root));
    summary.rpaths = elves.patched.length;
    const shebangs = await phase("shebangs", () => relocateShebangs(root));
    summary.shebangs = shebangs.length;
    if (hasPipWork(cfg.pip)) {
      refreshRecords(root, shebangs);
      assertNoBuildPath(root);
    }
    await writeFile3(join12(root, "diracosrc"), renderDiracosrc(cfg.environment ?? {}, m.file));
    const modes = await phase("modes", () => stripModes(root));
    summary.modes = modes.length;
    reportModeChanges(ctx, modes, payloads);
    const versions = renderVersions(closure.packages.map((p) => p.nevra), freeze);
    writeVersions(join12(root, "versions.txt"), versions);
    const tar = await phase("tar + compress + digests", () => {
      writeVersions(join12(staging, "versions.txt"), versions);
      return makeTarball(ctx.tools.exec, root, staging, { version: m.manifest.version, arch: m.arch, epoch, compression, jobs: ctx.jobs });
    });
    const name = posix6.basename(tar.path);
    await dropRecord(opts.outDir);
    await phase("publish", () => publishSet(staging, opts.outDir, sha256Object({ tarball: tar.sha256, versions }).slice(0, 16)));
    published = true;
    const tarball = join12(opts.outDir, name);
    const files = [tarball, `${tarball}.sha256`, `${tarball}.md5`, join12(opts.outDir, "versions.txt")];
    if (key) await writeRecord(opts.outDir, { key, files: files.map((f) => posix6.basename(f)), sha256: tar.sha256, builtAt: (/* @__PURE__ */ new Date()).toISOString(), summary: summaryTable(summary, "ok").rows[0].slice(1) });
    return { tarball, sha256: tar.sha256, size: (await stat2(tarball)).size, files, key, cached: false };
  } catch (e) {
    if (e instanceof BuildOnlyRequired) summary.notes = e.needs.map((n) => `not shipped: ${describeNeed(n)}`);
    throw systemFailure(e, `bundle-diracos${failedIn ? ` (${failedIn})` : ""}`) ?? e;
  } finally {
    ctx.reporter.table({ title: "bundle-diracos phases", header: ["phase", "seconds", "result"], rows: seconds.map(([p, s, r]) => [p, s.toFixed(1), r]) });
    ctx.reporter.table(summaryTable(summary, published ? "ok" : `FAILED${failedIn ? ` in ${failedIn}` : ""}`));
    await rm7(root, { recursive: true, force: true });
    await rm7(staging, { recursive: true, force: true });
  }
}

export {
  bundleExtension,
  bundleDiracos
};
