import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  globToRegExp,
  isGlob
} from "./chunk-MXW55USB.js";
import {
  DiracosError
} from "./chunk-5I364NK5.js";

// src/pipeline/bundle-artifact.ts
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve as resolvePath } from "node:path";

// src/shared/bundle-names.ts
var TARBALL_EXTENSIONS = { gzip: "tar.gz", zstd: "tar.zst" };
function topDirectory(o) {
  return `${o.prefix ?? ""}diracos-${o.version}-${o.arch}`;
}
function tarballName(o) {
  return `${topDirectory(o)}.${TARBALL_EXTENSIONS[o.compression ?? "gzip"]}`;
}
function tarballCompression(file) {
  return Object.keys(TARBALL_EXTENSIONS).find((c) => file.endsWith(`.${TARBALL_EXTENSIONS[c]}`));
}
function tarballGlobs() {
  return Object.values(TARBALL_EXTENSIONS).map((e) => `*.${e}`).join(", ");
}

// src/pipeline/bundle-artifact.ts
function bundleArtifactName(m) {
  return `DIRACOS-${m.manifest.version}`;
}
function extensionOutputs(m, workdir, name) {
  return { outDir: join(workdir, "bundle-extension", name, "out"), artifact: `${name}${bundleArtifactName(m)}` };
}
function extensionRequest(base, name, spell) {
  if (!base && !name) return void 0;
  if (!base) throw new DiracosError(`${spell.name}: goes with ${spell.extends} (the base tarball the extension adds to)`);
  if (!name) throw new DiracosError(`${spell.extends}: needs ${spell.name} (the extension's name, prepended to its tarball's)`);
  if (!existsSync(base) || !statSync(base).isFile()) throw new DiracosError(`${spell.extends}: the base tarball '${base}' is not a file`);
  return { base: resolvePath(base), name };
}
async function locateTarball(ctx, m, ref, what) {
  if (ref && existsSync(ref)) {
    if (!statSync(ref).isFile()) throw new DiracosError(`${what}: '${ref}' is not a file`);
    return resolvePath(ref);
  }
  if (ref && /[\\/]/.test(ref)) throw new DiracosError(`${what}: file '${ref}' does not exist`);
  const name = ref || bundleArtifactName(m);
  const dir = await ctx.artifacts.download(name, join(ctx.workdir, "test-platforms", "artifact", name));
  const found = readdirSync(dir).filter((f) => tarballCompression(f) !== void 0);
  if (found.length !== 1) {
    throw new DiracosError(`${what}: artifact '${name}' holds ${found.length} tarballs (${tarballGlobs()}), expected one: ${found.join(", ") || "none"}`);
  }
  return join(dir, found[0]);
}

// src/rules/host-libraries.ts
var GLIBC_CORE = [
  { soname: "libc.so.6", why: "glibc" },
  { soname: "libm.so.6", why: "glibc" },
  // Merged into libc.so.6 in glibc 2.34, but every distribution keeps the stub for old binaries.
  { soname: "libpthread.so.0", why: "glibc (stub since 2.34)" },
  { soname: "libdl.so.2", why: "glibc (stub since 2.34)" },
  { soname: "librt.so.1", why: "glibc (stub since 2.34)" },
  { soname: "libutil.so.1", why: "glibc (stub since 2.34)" },
  { soname: "libanl.so.1", why: "glibc (stub since 2.34)" },
  { soname: "libresolv.so.2", why: "glibc" },
  // x86_64 only and since glibc 2.22: an ELF needing it also needs GLIBC_2.22, which the ceiling check catches.
  { soname: "libmvec.so.1", why: "glibc (x86_64, 2.22+)" },
  { soname: "ld-linux-x86-64.so.2", why: "glibc dynamic loader (x86_64)" },
  { soname: "ld-linux-aarch64.so.1", why: "glibc dynamic loader (aarch64)" },
  { soname: "ld64.so.2", why: "glibc dynamic loader (ppc64le)" },
  // glibc dlopens libgcc_s for pthread_cancel and backtrace, so no glibc system lacks it (auditwheel agrees).
  { soname: "libgcc_s.so.1", why: "loaded by glibc itself; on every glibc system" }
];
var HOST_LIBRARIES = {
  // libcrypt1 is Essential on Debian/Ubuntu (bullseye+, from libxcrypt; older: from libc6).
  debian: [...GLIBC_CORE, { soname: "libcrypt.so.1", why: "Essential package libcrypt1 / libc6" }],
  // EL6/EL7 glibc ships libcrypt.so.1; EL8+ libxcrypt (pulled in by pam and shadow-utils) keeps the soname.
  el: [...GLIBC_CORE, { soname: "libcrypt.so.1", why: "glibc (EL6/7), libxcrypt (EL8+)" }],
  // Fedora 30+ has libcrypt.so.2 by default; libcrypt.so.1 is in libxcrypt-compat, not installed by default.
  fedora: [...GLIBC_CORE]
};
var KERNEL_PROVIDED = ["linux-vdso.so.1", "linux-gate.so.1", "linux-vdso64.so.1"];
function isHostProvided(family, soname) {
  return KERNEL_PROVIDED.includes(soname) || HOST_LIBRARIES[family].some((l) => l.soname === soname);
}
function hostProvidedByAll(families) {
  const [first, ...rest] = families;
  if (!first) return [];
  return HOST_LIBRARIES[first].map((l) => l.soname).filter((s) => rest.every((f) => isHostProvided(f, s)));
}
var HOST_LIBRARIES_FILE = "hostLibraries.txt";
function renderHostLibrariesFile(libs) {
  return [...libs].sort((a, b) => a.soname < b.soname ? -1 : a.soname > b.soname ? 1 : 0).map((l) => `${l.soname} ${l.package}
`).join("");
}
function parseHostLibrariesFile(text) {
  return text.split("\n").map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#")).map((l) => {
    const [soname, pkg] = l.split(/\s+/);
    return { soname, package: pkg ?? "?" };
  });
}

// src/shared/file-names.ts
function escapeBytes(name) {
  let out = "";
  for (const b of name) out += b >= 32 && b < 127 && b !== 92 ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, "0")}`;
  return out;
}
function isUtf8(bytes) {
  return Buffer.from(bytes.toString("utf8"), "utf8").equals(bytes);
}

// src/elf/reader.ts
import { closeSync, fstatSync, openSync, readSync } from "node:fs";

// src/elf/constants.ts
var ELF_MAGIC = Buffer.from([127, 69, 76, 70]);
var ELFCLASS = { 1: 32, 2: 64 };
var ELFDATA = { 1: "little", 2: "big" };
var PT_LOAD = 1;
var PT_DYNAMIC = 2;
var PT_INTERP = 3;
var DT_NULL = 0n;
var DT_NEEDED = 1n;
var DT_STRTAB = 5n;
var DT_STRSZ = 10n;
var DT_SONAME = 14n;
var DT_RPATH = 15n;
var DT_RUNPATH = 29n;
var DT_VERNEED = 0x6ffffffen;
var DT_VERNEEDNUM = 0x6fffffffn;
var ET_NAMES = {
  0: "NONE",
  1: "REL",
  2: "EXEC",
  3: "DYN",
  4: "CORE"
};
var EM_NAMES = {
  3: "i386",
  8: "mips",
  20: "ppc",
  21: "ppc64",
  22: "s390",
  40: "arm",
  62: "x86_64",
  183: "aarch64",
  243: "riscv"
};
var LIMITS = {
  maxProgramHeaders: 4096,
  maxDynamicEntries: 65536,
  maxVerneed: 4096,
  maxVernaux: 4096,
  maxString: 64 * 1024
};

// src/elf/reader.ts
var ElfError = class extends DiracosError {
  constructor(file, reason) {
    super(`${file}: not a readable ELF file: ${reason}`, { file });
    this.name = "ElfError";
  }
};
function fdSource(fd) {
  const size = fstatSync(fd).size;
  return {
    size,
    read(offset, length) {
      const out = Buffer.alloc(length);
      const n = readSync(fd, out, 0, length, offset);
      return n === length ? out : out.subarray(0, n);
    }
  };
}
function isElfFile(path) {
  let fd;
  try {
    fd = openSync(path, "r");
    const head = Buffer.alloc(4);
    return readSync(fd, head, 0, 4, 0) === 4 && head.equals(ELF_MAGIC);
  } catch {
    return false;
  } finally {
    if (fd !== void 0) closeSync(fd);
  }
}
function readElf(path) {
  let fd;
  try {
    fd = openSync(path, "r");
  } catch (e) {
    throw new ElfError(path, e.message);
  }
  try {
    return parseElf(fdSource(fd), path);
  } finally {
    closeSync(fd);
  }
}
function parseElf(src, name = "<buffer>") {
  const fail = (reason) => {
    throw new ElfError(name, reason);
  };
  const bytes = (offset, length, what) => {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > src.size) {
      return fail(`${what} at offset ${offset} (+${length}) lies outside the file (${src.size} bytes)`);
    }
    const b = src.read(offset, length);
    return b.length === length ? b : fail(`short read of ${what}`);
  };
  const ident = bytes(0, 16, "ELF identification");
  if (!ident.subarray(0, 4).equals(ELF_MAGIC)) fail("bad magic");
  const elfClass = ELFCLASS[ident[4]] ?? fail(`unknown class ${ident[4]}`);
  const endian = ELFDATA[ident[5]] ?? fail(`unknown data encoding ${ident[5]}`);
  const le = endian === "little";
  const is64 = elfClass === 64;
  const u16 = (b, o) => le ? b.readUInt16LE(o) : b.readUInt16BE(o);
  const u32 = (b, o) => le ? b.readUInt32LE(o) : b.readUInt32BE(o);
  const u64 = (b, o) => le ? b.readBigUInt64LE(o) : b.readBigUInt64BE(o);
  const addr = (b, o) => is64 ? u64(b, o) : BigInt(u32(b, o));
  const toNum = (v, what) => v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : fail(`${what} ${v} is out of range`);
  const ehdr = bytes(0, is64 ? 64 : 52, "ELF header");
  const eType = u16(ehdr, 16);
  const machine = u16(ehdr, 18);
  const phoff = toNum(addr(ehdr, is64 ? 32 : 28), "e_phoff");
  const phentsize = u16(ehdr, is64 ? 54 : 42);
  const phnum = u16(ehdr, is64 ? 56 : 44);
  const segments = [];
  if (phnum > 0) {
    const minEnt = is64 ? 56 : 32;
    if (phentsize < minEnt) fail(`program header entry size ${phentsize} < ${minEnt}`);
    if (phnum > LIMITS.maxProgramHeaders) fail(`${phnum} program headers`);
    const table2 = bytes(phoff, phentsize * phnum, "program header table");
    for (let i = 0; i < phnum; i++) {
      const o = i * phentsize;
      segments.push(
        is64 ? { type: u32(table2, o), offset: toNum(u64(table2, o + 8), "p_offset"), vaddr: u64(table2, o + 16), filesz: toNum(u64(table2, o + 32), "p_filesz") } : { type: u32(table2, o), offset: u32(table2, o + 4), vaddr: BigInt(u32(table2, o + 8)), filesz: u32(table2, o + 16) }
      );
    }
  }
  const cstring = (offset, limit, what) => {
    const max = Math.min(limit, LIMITS.maxString, src.size - offset);
    if (offset < 0 || max <= 0) return fail(`${what} at offset ${offset} lies outside the file`);
    const b = bytes(offset, max, what);
    const end = b.indexOf(0);
    return end < 0 ? fail(`${what} is not NUL-terminated`) : b.toString("utf8", 0, end);
  };
  const info = {
    elfClass,
    endian,
    type: ET_NAMES[eType] ?? String(eType),
    machine,
    machineName: EM_NAMES[machine] ?? `em${machine}`,
    needed: [],
    versionNeeds: []
  };
  const interp = segments.find((s) => s.type === PT_INTERP);
  if (interp) info.interpreter = cstring(interp.offset, interp.filesz, "PT_INTERP");
  const dyn = segments.find((s) => s.type === PT_DYNAMIC);
  if (!dyn) return info;
  const entSize = is64 ? 16 : 8;
  const count = Math.min(Math.floor(dyn.filesz / entSize), LIMITS.maxDynamicEntries);
  const table = bytes(dyn.offset, count * entSize, "dynamic section");
  const entries = [];
  for (let i = 0; i < count; i++) {
    const o = i * entSize;
    const tag = is64 ? u64(table, o) : BigInt(u32(table, o));
    if (tag === DT_NULL) break;
    entries.push([tag, addr(table, o + entSize / 2)]);
  }
  const first = (tag) => entries.find(([t]) => t === tag)?.[1];
  const toOffset = (vaddr, what) => {
    const load = segments.find((s) => s.type === PT_LOAD && vaddr >= s.vaddr && vaddr < s.vaddr + BigInt(s.filesz));
    return load ? load.offset + Number(vaddr - load.vaddr) : fail(`${what} address 0x${vaddr.toString(16)} is in no loaded segment`);
  };
  const strtabAddr = first(DT_STRTAB);
  if (strtabAddr === void 0) {
    if (entries.some(([t]) => [DT_NEEDED, DT_SONAME, DT_RPATH, DT_RUNPATH].includes(t))) fail("dynamic section without DT_STRTAB");
    return info;
  }
  const strtab = toOffset(strtabAddr, "DT_STRTAB");
  const strsz = toNum(first(DT_STRSZ) ?? BigInt(src.size - strtab), "DT_STRSZ");
  const dynString = (v, what) => {
    const off = toNum(v, what);
    if (off >= strsz) fail(`${what} string offset ${off} is past DT_STRSZ ${strsz}`);
    return cstring(strtab + off, strsz - off, what);
  };
  for (const [tag, val] of entries) {
    if (tag === DT_NEEDED) info.needed.push(dynString(val, "DT_NEEDED"));
    else if (tag === DT_SONAME) info.soname = dynString(val, "DT_SONAME");
    else if (tag === DT_RPATH) info.rpath = dynString(val, "DT_RPATH");
    else if (tag === DT_RUNPATH) info.runpath = dynString(val, "DT_RUNPATH");
  }
  const verneedAddr = first(DT_VERNEED);
  if (verneedAddr !== void 0) {
    const num = toNum(first(DT_VERNEEDNUM) ?? 0n, "DT_VERNEEDNUM");
    if (num > LIMITS.maxVerneed) fail(`DT_VERNEEDNUM ${num}`);
    let at = toOffset(verneedAddr, "DT_VERNEED");
    for (let i = 0; i < num; i++) {
      const vn = bytes(at, 16, "Elf_Verneed");
      const cnt = u16(vn, 2);
      if (cnt > LIMITS.maxVernaux) fail(`Elf_Verneed count ${cnt}`);
      const need = { file: dynString(BigInt(u32(vn, 4)), "vn_file"), versions: [] };
      let auxAt = at + u32(vn, 8);
      for (let j = 0; j < cnt; j++) {
        const aux = bytes(auxAt, 16, "Elf_Vernaux");
        need.versions.push(dynString(BigInt(u32(aux, 8)), "vna_name"));
        const next2 = u32(aux, 12);
        if (next2 === 0) break;
        auxAt += next2;
      }
      info.versionNeeds.push(need);
      const next = u32(vn, 12);
      if (next === 0) break;
      at += next;
    }
  }
  return info;
}

// src/shared/link-walk.ts
var MAX_SYMLINKS = 40;
function walkLinks(path, linkAt, opts) {
  const pending = path.split("/").filter(Boolean);
  const done = [];
  let hops = 0;
  while (pending.length > 0) {
    const part = pending.shift();
    if (part === ".") continue;
    if (part === "..") {
      if (done.length === 0 && opts.aboveRoot === "stop") return { ok: false, why: "above-root", at: [] };
      done.pop();
      continue;
    }
    const at = [...done, part];
    const target = linkAt(at);
    if (target === null) return { ok: false, why: "missing", at };
    if (target === void 0) {
      done.push(part);
      continue;
    }
    const absolute = target.startsWith("/");
    if (absolute && opts.absolute === "stop") return { ok: false, why: "absolute", at, target };
    if (++hops > MAX_SYMLINKS) return { ok: false, why: "loop", at };
    pending.unshift(...target.split("/").filter(Boolean));
    if (absolute) done.length = 0;
  }
  return { ok: true, parts: done };
}

// src/elf/rootfs.ts
import { lstatSync, readdirSync as readdirSync2, readlinkSync } from "node:fs";
import { join as join2, posix } from "node:path";
function hostPath(root, rootPath) {
  return join2(root, rootPath);
}
function realpathInRoot(root, rootPath) {
  const linkAt = (parts) => {
    const host = join2(root, ...parts);
    try {
      return lstatSync(host).isSymbolicLink() ? readlinkSync(host) : void 0;
    } catch {
      return null;
    }
  };
  const walked = walkLinks(rootPath, linkAt, { absolute: "restart", aboveRoot: "stay" });
  return walked.ok ? "/" + walked.parts.join("/") : void 0;
}
function normalizeRootPath(p) {
  return posix.normalize(posix.join("/", p));
}
function globInRoot(root, pattern) {
  const dir = posix.dirname(pattern);
  const base = posix.basename(pattern);
  if (!isGlob(base)) return [pattern];
  const re = globToRegExp(base);
  const real = realpathInRoot(root, dir);
  if (!real) return [];
  try {
    return readdirSync2(hostPath(root, real)).filter((n) => re.test(n)).sort().map((n) => posix.join(dir, n));
  } catch {
    return [];
  }
}

// src/elf/lddtree.ts
import { readFileSync } from "node:fs";
import { posix as posix2 } from "node:path";
var DEFAULT_DIRS = {
  64: ["/lib64", "/usr/lib64", "/lib", "/usr/lib"],
  32: ["/lib", "/usr/lib"]
};
var MULTIARCH = {
  62: "x86_64-linux-gnu",
  183: "aarch64-linux-gnu",
  3: "i386-linux-gnu",
  21: "powerpc64le-linux-gnu"
};
var LIB_TOKEN = { 64: "lib64", 32: "lib" };
var PLATFORM_TOKEN = { 62: "x86_64", 183: "aarch64", 3: "i686" };
var LibraryResolver = class {
  constructor(root, options = {}) {
    this.root = root;
    this.options = options;
  }
  root;
  options;
  infos = /* @__PURE__ */ new Map();
  confDirs;
  /** Parsed ELF at a root-namespace path (cached by real path); null when not an ELF. */
  elf(rootPath) {
    const real = realpathInRoot(this.root, rootPath);
    if (!real) return null;
    let info = this.infos.get(real);
    if (info === void 0) {
      const host = hostPath(this.root, real);
      info = isElfFile(host) ? readElf(host) : null;
      this.infos.set(real, info);
    }
    return info;
  }
  /** The root's ld.so.conf directories, includes expanded (root-namespace). */
  ldSoConfDirs() {
    if (this.confDirs) return this.confDirs;
    const dirs = [];
    const seen = /* @__PURE__ */ new Set();
    const readConf = (file, depth) => {
      if (depth > 8 || seen.has(file)) return;
      seen.add(file);
      const real = realpathInRoot(this.root, file);
      if (!real) return;
      let text;
      try {
        text = readFileSync(hostPath(this.root, real), "utf8");
      } catch {
        return;
      }
      for (const raw of text.split("\n")) {
        const line = raw.replace(/#.*/, "").trim();
        if (!line || line.startsWith("hwcap")) continue;
        const inc = /^include\s+(.+)$/.exec(line);
        if (inc) {
          for (const pat of inc[1].split(/\s+/)) {
            const abs = pat.startsWith("/") ? pat : posix2.join(posix2.dirname(file), pat);
            for (const f of globInRoot(this.root, abs)) readConf(f, depth + 1);
          }
        } else {
          for (const d of line.split(/[:,\s]+/).filter(Boolean)) dirs.push(normalizeRootPath(d));
        }
      }
    };
    if (this.options.ldSoConf ?? true) readConf("/etc/ld.so.conf", 0);
    this.confDirs = dirs;
    return dirs;
  }
  /** Expands $ORIGIN, $LIB, $PLATFORM in one RPATH/RUNPATH list; empty entries mean the current dir, dropped. */
  expand(list, origin, info) {
    return list.split(":").filter(Boolean).map(
      (d) => d.replace(/\$(?:\{ORIGIN\}|ORIGIN(?![A-Za-z0-9_]))/g, origin).replace(/\$(?:\{LIB\}|LIB(?![A-Za-z0-9_]))/g, LIB_TOKEN[info.elfClass]).replace(/\$(?:\{PLATFORM\}|PLATFORM(?![A-Za-z0-9_]))/g, PLATFORM_TOKEN[info.machine] ?? "")
    ).map(normalizeRootPath);
  }
  compatible(candidate, wanted) {
    return candidate.elfClass === wanted.elfClass && candidate.machine === wanted.machine && candidate.endian === wanted.endian;
  }
  search(name, dirs, wanted) {
    if (name.includes("/")) {
      const p = normalizeRootPath(name);
      const info = this.elf(p);
      return info && this.compatible(info, wanted) ? { name, path: p, realPath: realpathInRoot(this.root, p), via: "default" } : { name };
    }
    for (const [dir, via] of dirs) {
      const p = posix2.join(dir, name);
      const info = this.elf(p);
      if (info && this.compatible(info, wanted)) return { name, path: p, realPath: realpathInRoot(this.root, p), via };
    }
    return { name };
  }
  /**
   * Resolves the NEEDED entries of one object. `loaderRpaths` are the expanded DT_RPATHs of the
   * objects that loaded it (ld.so searches them too, when the object has no DT_RUNPATH).
   */
  resolve(rootPath, loaderRpaths = []) {
    const info = this.elf(rootPath);
    if (!info) throw new Error(`${rootPath} is not an ELF file in ${this.root}`);
    const origin = posix2.dirname(rootPath);
    const own = info.rpath && !info.runpath ? this.expand(info.rpath, origin, info) : [];
    const rpaths = info.runpath ? [] : [...own, ...loaderRpaths];
    const runpath = info.runpath ? this.expand(info.runpath, origin, info) : [];
    const multi = MULTIARCH[info.machine];
    const defaults = [...multi ? [`/lib/${multi}`, `/usr/lib/${multi}`] : [], ...DEFAULT_DIRS[info.elfClass]];
    const dirs = [
      ...rpaths.map((d) => [d, "rpath"]),
      ...runpath.map((d) => [d, "runpath"]),
      ...this.ldSoConfDirs().map((d) => [d, "ld.so.conf"]),
      ...(this.options.extraDirs ?? []).map((d) => [normalizeRootPath(d), "default"]),
      ...defaults.map((d) => [d, "default"])
    ];
    return { node: { path: rootPath, info, needed: info.needed.map((n) => this.search(n, dirs, info)) }, rpaths: [...own, ...loaderRpaths] };
  }
  /** The whole closure of one object, breadth first like ld.so. */
  tree(rootPath) {
    const first = this.resolve(rootPath);
    const libs = /* @__PURE__ */ new Map();
    const missing = [];
    const queue = [];
    const visit = (needed, rpaths) => {
      for (const lib of needed) {
        if (libs.has(lib.name)) continue;
        libs.set(lib.name, lib);
        if (lib.path) queue.push({ lib, rpaths });
        else missing.push(lib.name);
      }
    };
    visit(first.node.needed, first.rpaths);
    while (queue.length > 0) {
      const { lib, rpaths } = queue.shift();
      const next = this.resolve(lib.path, rpaths);
      visit(next.node.needed, next.rpaths);
    }
    return { top: first.node, libs, missing };
  }
};

// src/rules/payload-modes.ts
var PAYLOAD_MODE_RULES = [
  { bits: 2048, name: "setuid", why: "would run with the rights of its owner" },
  { bits: 1024, name: "setgid", why: "would run with the rights of its group" },
  { bits: 2, name: "world-writable", why: "any user of the machine could change it" }
];
function judgeMode(mode, rules = PAYLOAD_MODE_RULES) {
  const from = mode & 4095;
  const matched = rules.filter((r) => (from & r.bits) !== 0);
  if (matched.length === 0) return void 0;
  return { from, to: matched.reduce((m, r) => m & ~r.bits, from), rules: matched };
}
function describeVerdict(v) {
  const octal = (n) => n.toString(8).padStart(4, "0");
  return `${v.rules.map((r) => r.name).join(", ")} (${octal(v.from)} -> ${octal(v.to)})`;
}

export {
  HOST_LIBRARIES,
  KERNEL_PROVIDED,
  isHostProvided,
  hostProvidedByAll,
  HOST_LIBRARIES_FILE,
  renderHostLibrariesFile,
  parseHostLibrariesFile,
  escapeBytes,
  isUtf8,
  isElfFile,
  readElf,
  walkLinks,
  realpathInRoot,
  LibraryResolver,
  judgeMode,
  describeVerdict,
  TARBALL_EXTENSIONS,
  topDirectory,
  tarballName,
  tarballCompression,
  bundleArtifactName,
  extensionOutputs,
  extensionRequest,
  locateTarball
};
