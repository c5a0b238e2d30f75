import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  FORBIDDEN_CHROOT_PACKAGES,
  PLACEHOLDER_SHA256,
  REGEX_SIGNS,
  RESERVED_ENVIRONMENT,
  globForRegex,
  onTermination,
  processState,
  require_dist,
  thisProcess
} from "./chunk-6GWKZRC5.js";
import {
  DiracosError,
  DiracosErrors,
  __toESM
} from "./chunk-5I364NK5.js";

// src/shared/exec.ts
import { spawn } from "node:child_process";

// src/shared/tools.ts
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, join } from "node:path";
var TOOL_PACKAGES = {
  podman: "podman",
  docker: "docker.io",
  rpmbuild: "rpm",
  rpm: "rpm",
  rpm2cpio: "rpm",
  rpmspec: "rpm",
  createrepo_c: "createrepo-c",
  dnf: "dnf",
  cpio: "cpio",
  patch: "patch",
  patchelf: "patchelf",
  tar: "tar",
  pigz: "pigz",
  zstd: "zstd",
  debootstrap: "debootstrap",
  "apt-get": "apt",
  bwrap: "bubblewrap",
  bash: "bash",
  sh: "dash",
  "dpkg-source": "dpkg-dev",
  file: "file",
  mock: "mock"
};
function missingToolMessage(tool) {
  const pkg = TOOL_PACKAGES[tool];
  return `required tool '${tool}' was not found on PATH` + (pkg ? ` (on Debian: apt-get install ${pkg})` : "");
}
var HOST_TOOLS = {
  container: ["tar", "bash", "sh"],
  host: ["tar", "bash", "sh", "rpm", "rpmbuild", "rpm2cpio", "cpio", "createrepo_c", "dnf", "patch", "patchelf", "pigz", "zstd", "bwrap"]
};
function missingOnPath(names, path = process.env.PATH ?? "") {
  const dirs = path.split(delimiter).filter(Boolean);
  return names.filter((n) => !dirs.some((d) => isExecutable(join(d, n))));
}
function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

// src/shared/exec.ts
var ExecError = class extends DiracosError {
  constructor(command, args, exitCode, stderr) {
    const tail2 = stderr.trim().split("\n").slice(-15).join("\n");
    super(`'${[command, ...args].join(" ")}' exited with ${exitCode}${tail2 ? `:
${tail2}` : ""}`);
    this.command = command;
    this.args = args;
    this.exitCode = exitCode;
    this.stderr = stderr;
    this.name = "ExecError";
  }
  command;
  args;
  exitCode;
  stderr;
};
function execFailure(command, args, result) {
  return new ExecError(command, args, result.exitCode, result.stderr);
}
var nodeExec = (command, args, options = {}) => new Promise((resolve2, reject) => {
  const capture = options.capture ?? true;
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    // No input: /dev/null, not a pipe. Node's pipes are sockets, and bash, as the top shell (the
    // actions' case), reads ~/.bashrc when its stdin is a socket: a user's startup files in our scripts.
    stdio: [options.input === void 0 ? "ignore" : "pipe", "pipe", "pipe"]
  });
  const out = [];
  const err = [];
  let errTail = "";
  child.stdout.on("data", (chunk) => {
    if (capture) out.push(chunk);
    options.onOutput?.(chunk, "stdout");
  });
  child.stderr.on("data", (chunk) => {
    if (capture) err.push(chunk);
    else errTail = (errTail + chunk.toString()).slice(-8192);
    options.onOutput?.(chunk, "stderr");
  });
  child.on("error", (e) => {
    reject(e.code === "ENOENT" ? new DiracosError(missingToolMessage(command)) : e);
  });
  child.on("close", (code, signal) => {
    const result = {
      exitCode: code ?? (signal ? 128 + 9 : 1),
      stdout: Buffer.concat(out).toString(),
      stderr: capture ? Buffer.concat(err).toString() : errTail
    };
    if (result.exitCode !== 0 && !options.allowFailure) reject(execFailure(command, args, result));
    else resolve2(result);
  });
  child.stdin?.on("error", () => void 0);
  child.stdin?.end(options.input);
});

// src/cache/local.ts
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { copyFile, mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, isAbsolute, join as join2, relative, resolve as resolvePath, sep } from "node:path";

// node_modules/tar/dist/esm/index.min.js
import Qr from "events";
import I from "fs";
import { EventEmitter as Di } from "node:events";
import Cs from "node:stream";
import { StringDecoder as Hr } from "node:string_decoder";
import cr from "node:path";
import Kt from "node:fs";
import { dirname as Fn, parse as kn } from "path";
import { EventEmitter as Dn } from "events";
import zi from "assert";
import { Buffer as Ot } from "buffer";
import * as Ps from "zlib";
import en from "zlib";
import { posix as Zt } from "node:path";
import { basename as _n } from "node:path";
import mi from "fs";
import X from "fs";
import js from "path";
import { win32 as Pn } from "node:path";
import ar from "path";
import Br from "node:fs";
import co from "node:assert";
import { randomBytes as Mr } from "node:crypto";
import u from "node:fs";
import R from "node:path";
import pr from "fs";
import wi from "node:fs";
import we from "node:path";
import k from "node:fs";
import ro from "node:fs/promises";
import Si from "node:path";
import { join as xr } from "node:path";
import v from "node:fs";
import Pr from "node:path";
var zr = Object.defineProperty;
var Ur = (s3, t) => {
  for (var e in t) zr(s3, e, { get: t[e], enumerable: true });
};
var Ds = typeof process == "object" && process ? process : { stdout: null, stderr: null };
var Wr = (s3) => !!s3 && typeof s3 == "object" && (s3 instanceof A || s3 instanceof Cs || Gr(s3) || Zr(s3));
var Gr = (s3) => !!s3 && typeof s3 == "object" && s3 instanceof Di && typeof s3.pipe == "function" && s3.pipe !== Cs.Writable.prototype.pipe;
var Zr = (s3) => !!s3 && typeof s3 == "object" && s3 instanceof Di && typeof s3.write == "function" && typeof s3.end == "function";
var Q = /* @__PURE__ */ Symbol("EOF");
var J = /* @__PURE__ */ Symbol("maybeEmitEnd");
var nt = /* @__PURE__ */ Symbol("emittedEnd");
var De = /* @__PURE__ */ Symbol("emittingEnd");
var qt = /* @__PURE__ */ Symbol("emittedError");
var Ne = /* @__PURE__ */ Symbol("closed");
var Ns = /* @__PURE__ */ Symbol("read");
var Ae = /* @__PURE__ */ Symbol("flush");
var As = /* @__PURE__ */ Symbol("flushChunk");
var z = /* @__PURE__ */ Symbol("encoding");
var Mt = /* @__PURE__ */ Symbol("decoder");
var g = /* @__PURE__ */ Symbol("flowing");
var Qt = /* @__PURE__ */ Symbol("paused");
var Bt = /* @__PURE__ */ Symbol("resume");
var b = /* @__PURE__ */ Symbol("buffer");
var N = /* @__PURE__ */ Symbol("pipes");
var _ = /* @__PURE__ */ Symbol("bufferLength");
var bi = /* @__PURE__ */ Symbol("bufferPush");
var Ie = /* @__PURE__ */ Symbol("bufferShift");
var L = /* @__PURE__ */ Symbol("objectMode");
var S = /* @__PURE__ */ Symbol("destroyed");
var _i = /* @__PURE__ */ Symbol("error");
var Oi = /* @__PURE__ */ Symbol("emitData");
var Is = /* @__PURE__ */ Symbol("emitEnd");
var Ti = /* @__PURE__ */ Symbol("emitEnd2");
var Z = /* @__PURE__ */ Symbol("async");
var xi = /* @__PURE__ */ Symbol("abort");
var Ce = /* @__PURE__ */ Symbol("aborted");
var Jt = /* @__PURE__ */ Symbol("signal");
var Rt = /* @__PURE__ */ Symbol("dataListeners");
var C = /* @__PURE__ */ Symbol("discarded");
var jt = (s3) => Promise.resolve().then(s3);
var Yr = (s3) => s3();
var Kr = (s3) => s3 === "end" || s3 === "finish" || s3 === "prefinish";
var Vr = (s3) => s3 instanceof ArrayBuffer || !!s3 && typeof s3 == "object" && s3.constructor && s3.constructor.name === "ArrayBuffer" && s3.byteLength >= 0;
var $r = (s3) => !Buffer.isBuffer(s3) && ArrayBuffer.isView(s3);
var Fe = class {
  src;
  dest;
  opts;
  ondrain;
  constructor(t, e, i) {
    this.src = t, this.dest = e, this.opts = i, this.ondrain = () => t[Bt](), this.dest.on("drain", this.ondrain);
  }
  unpipe() {
    this.dest.removeListener("drain", this.ondrain);
  }
  proxyErrors(t) {
  }
  end() {
    this.unpipe(), this.opts.end && this.dest.end();
  }
};
var Li = class extends Fe {
  unpipe() {
    this.src.removeListener("error", this.proxyErrors), super.unpipe();
  }
  constructor(t, e, i) {
    super(t, e, i), this.proxyErrors = (r) => this.dest.emit("error", r), t.on("error", this.proxyErrors);
  }
};
var Xr = (s3) => !!s3.objectMode;
var qr = (s3) => !s3.objectMode && !!s3.encoding && s3.encoding !== "buffer";
var A = class extends Di {
  [g] = false;
  [Qt] = false;
  [N] = [];
  [b] = [];
  [L];
  [z];
  [Z];
  [Mt];
  [Q] = false;
  [nt] = false;
  [De] = false;
  [Ne] = false;
  [qt] = null;
  [_] = 0;
  [S] = false;
  [Jt];
  [Ce] = false;
  [Rt] = 0;
  [C] = false;
  writable = true;
  readable = true;
  constructor(...t) {
    let e = t[0] || {};
    if (super(), e.objectMode && typeof e.encoding == "string") throw new TypeError("Encoding and objectMode may not be used together");
    Xr(e) ? (this[L] = true, this[z] = null) : qr(e) ? (this[z] = e.encoding, this[L] = false) : (this[L] = false, this[z] = null), this[Z] = !!e.async, this[Mt] = this[z] ? new Hr(this[z]) : null, e && e.debugExposeBuffer === true && Object.defineProperty(this, "buffer", { get: () => this[b] }), e && e.debugExposePipes === true && Object.defineProperty(this, "pipes", { get: () => this[N] });
    let { signal: i } = e;
    i && (this[Jt] = i, i.aborted ? this[xi]() : i.addEventListener("abort", () => this[xi]()));
  }
  get bufferLength() {
    return this[_];
  }
  get encoding() {
    return this[z];
  }
  set encoding(t) {
    throw new Error("Encoding must be set at instantiation time");
  }
  setEncoding(t) {
    throw new Error("Encoding must be set at instantiation time");
  }
  get objectMode() {
    return this[L];
  }
  set objectMode(t) {
    throw new Error("objectMode must be set at instantiation time");
  }
  get async() {
    return this[Z];
  }
  set async(t) {
    this[Z] = this[Z] || !!t;
  }
  [xi]() {
    this[Ce] = true, this.emit("abort", this[Jt]?.reason), this.destroy(this[Jt]?.reason);
  }
  get aborted() {
    return this[Ce];
  }
  set aborted(t) {
  }
  write(t, e, i) {
    if (this[Ce]) return false;
    if (this[Q]) throw new Error("write after end");
    if (this[S]) return this.emit("error", Object.assign(new Error("Cannot call write after a stream was destroyed"), { code: "ERR_STREAM_DESTROYED" })), true;
    typeof e == "function" && (i = e, e = "utf8"), e || (e = "utf8");
    let r = this[Z] ? jt : Yr;
    if (!this[L] && !Buffer.isBuffer(t)) {
      if ($r(t)) t = Buffer.from(t.buffer, t.byteOffset, t.byteLength);
      else if (Vr(t)) t = Buffer.from(t);
      else if (typeof t != "string") throw new Error("Non-contiguous data written to non-objectMode stream");
    }
    return this[L] ? (this[g] && this[_] !== 0 && this[Ae](true), this[g] ? this.emit("data", t) : this[bi](t), this[_] !== 0 && this.emit("readable"), i && r(i), this[g]) : t.length ? (typeof t == "string" && !(e === this[z] && !this[Mt]?.lastNeed) && (t = Buffer.from(t, e)), Buffer.isBuffer(t) && this[z] && (t = this[Mt].write(t)), this[g] && this[_] !== 0 && this[Ae](true), this[g] ? this.emit("data", t) : this[bi](t), this[_] !== 0 && this.emit("readable"), i && r(i), this[g]) : (this[_] !== 0 && this.emit("readable"), i && r(i), this[g]);
  }
  read(t) {
    if (this[S]) return null;
    if (this[C] = false, this[_] === 0 || t === 0 || t && t > this[_]) return this[J](), null;
    this[L] && (t = null), this[b].length > 1 && !this[L] && (this[b] = [this[z] ? this[b].join("") : Buffer.concat(this[b], this[_])]);
    let e = this[Ns](t || null, this[b][0]);
    return this[J](), e;
  }
  [Ns](t, e) {
    if (this[L]) this[Ie]();
    else {
      let i = e;
      t === i.length || t === null ? this[Ie]() : typeof i == "string" ? (this[b][0] = i.slice(t), e = i.slice(0, t), this[_] -= t) : (this[b][0] = i.subarray(t), e = i.subarray(0, t), this[_] -= t);
    }
    return this.emit("data", e), !this[b].length && !this[Q] && this.emit("drain"), e;
  }
  end(t, e, i) {
    return typeof t == "function" && (i = t, t = void 0), typeof e == "function" && (i = e, e = "utf8"), t !== void 0 && this.write(t, e), i && this.once("end", i), this[Q] = true, this.writable = false, (this[g] || !this[Qt]) && this[J](), this;
  }
  [Bt]() {
    this[S] || (!this[Rt] && !this[N].length && (this[C] = true), this[Qt] = false, this[g] = true, this.emit("resume"), this[b].length ? this[Ae]() : this[Q] ? this[J]() : this.emit("drain"));
  }
  resume() {
    return this[Bt]();
  }
  pause() {
    this[g] = false, this[Qt] = true, this[C] = false;
  }
  get destroyed() {
    return this[S];
  }
  get flowing() {
    return this[g];
  }
  get paused() {
    return this[Qt];
  }
  [bi](t) {
    this[L] ? this[_] += 1 : this[_] += t.length, this[b].push(t);
  }
  [Ie]() {
    return this[L] ? this[_] -= 1 : this[_] -= this[b][0].length, this[b].shift();
  }
  [Ae](t = false) {
    do
      ;
    while (this[As](this[Ie]()) && this[b].length);
    !t && !this[b].length && !this[Q] && this.emit("drain");
  }
  [As](t) {
    return this.emit("data", t), this[g];
  }
  pipe(t, e) {
    if (this[S]) return t;
    this[C] = false;
    let i = this[nt];
    return e = e || {}, t === Ds.stdout || t === Ds.stderr ? e.end = false : e.end = e.end !== false, e.proxyErrors = !!e.proxyErrors, i ? e.end && t.end() : (this[N].push(e.proxyErrors ? new Li(this, t, e) : new Fe(this, t, e)), this[Z] ? jt(() => this[Bt]()) : this[Bt]()), t;
  }
  unpipe(t) {
    let e = this[N].find((i) => i.dest === t);
    e && (this[N].length === 1 ? (this[g] && this[Rt] === 0 && (this[g] = false), this[N] = []) : this[N].splice(this[N].indexOf(e), 1), e.unpipe());
  }
  addListener(t, e) {
    return this.on(t, e);
  }
  on(t, e) {
    let i = super.on(t, e);
    if (t === "data") this[C] = false, this[Rt]++, !this[N].length && !this[g] && this[Bt]();
    else if (t === "readable" && this[_] !== 0) super.emit("readable");
    else if (Kr(t) && this[nt]) super.emit(t), this.removeAllListeners(t);
    else if (t === "error" && this[qt]) {
      let r = e;
      this[Z] ? jt(() => r.call(this, this[qt])) : r.call(this, this[qt]);
    }
    return i;
  }
  removeListener(t, e) {
    return this.off(t, e);
  }
  off(t, e) {
    let i = super.off(t, e);
    return t === "data" && (this[Rt] = this.listeners("data").length, this[Rt] === 0 && !this[C] && !this[N].length && (this[g] = false)), i;
  }
  removeAllListeners(t) {
    let e = super.removeAllListeners(t);
    return (t === "data" || t === void 0) && (this[Rt] = 0, !this[C] && !this[N].length && (this[g] = false)), e;
  }
  get emittedEnd() {
    return this[nt];
  }
  [J]() {
    !this[De] && !this[nt] && !this[S] && this[b].length === 0 && this[Q] && (this[De] = true, this.emit("end"), this.emit("prefinish"), this.emit("finish"), this[Ne] && this.emit("close"), this[De] = false);
  }
  emit(t, ...e) {
    let i = e[0];
    if (t !== "error" && t !== "close" && t !== S && this[S]) return false;
    if (t === "data") return !this[L] && !i ? false : this[Z] ? (jt(() => this[Oi](i)), true) : this[Oi](i);
    if (t === "end") return this[Is]();
    if (t === "close") {
      if (this[Ne] = true, !this[nt] && !this[S]) return false;
      let n = super.emit("close");
      return this.removeAllListeners("close"), n;
    } else if (t === "error") {
      this[qt] = i, super.emit(_i, i);
      let n = !this[Jt] || this.listeners("error").length ? super.emit("error", i) : false;
      return this[J](), n;
    } else if (t === "resume") {
      let n = super.emit("resume");
      return this[J](), n;
    } else if (t === "finish" || t === "prefinish") {
      let n = super.emit(t);
      return this.removeAllListeners(t), n;
    }
    let r = super.emit(t, ...e);
    return this[J](), r;
  }
  [Oi](t) {
    for (let i of this[N]) i.dest.write(t) === false && this.pause();
    let e = this[C] ? false : super.emit("data", t);
    return this[J](), e;
  }
  [Is]() {
    return this[nt] ? false : (this[nt] = true, this.readable = false, this[Z] ? (jt(() => this[Ti]()), true) : this[Ti]());
  }
  [Ti]() {
    if (this[Mt]) {
      let e = this[Mt].end();
      if (e) {
        for (let i of this[N]) i.dest.write(e);
        this[C] || super.emit("data", e);
      }
    }
    for (let e of this[N]) e.end();
    let t = super.emit("end");
    return this.removeAllListeners("end"), t;
  }
  async collect() {
    let t = Object.assign([], { dataLength: 0 });
    this[L] || (t.dataLength = 0);
    let e = this.promise();
    return this.on("data", (i) => {
      t.push(i), this[L] || (t.dataLength += i.length);
    }), await e, t;
  }
  async concat() {
    if (this[L]) throw new Error("cannot concat in objectMode");
    let t = await this.collect();
    return this[z] ? t.join("") : Buffer.concat(t, t.dataLength);
  }
  async promise() {
    return new Promise((t, e) => {
      this.on(S, () => e(new Error("stream destroyed"))), this.on("error", (i) => e(i)), this.on("end", () => t());
    });
  }
  [Symbol.asyncIterator]() {
    this[C] = false;
    let t = false, e = async () => (this.pause(), t = true, { value: void 0, done: true });
    return { next: () => {
      if (t) return e();
      let r = this.read();
      if (r !== null) return Promise.resolve({ done: false, value: r });
      if (this[Q]) return e();
      let n, o, h = (d) => {
        this.off("data", a), this.off("end", l), this.off(S, c), e(), o(d);
      }, a = (d) => {
        this.off("error", h), this.off("end", l), this.off(S, c), this.pause(), n({ value: d, done: !!this[Q] });
      }, l = () => {
        this.off("error", h), this.off("data", a), this.off(S, c), e(), n({ done: true, value: void 0 });
      }, c = () => h(new Error("stream destroyed"));
      return new Promise((d, y) => {
        o = y, n = d, this.once(S, c), this.once("error", h), this.once("end", l), this.once("data", a);
      });
    }, throw: e, return: e, [Symbol.asyncIterator]() {
      return this;
    }, [Symbol.asyncDispose]: async () => {
    } };
  }
  [Symbol.iterator]() {
    this[C] = false;
    let t = false, e = () => (this.pause(), this.off(_i, e), this.off(S, e), this.off("end", e), t = true, { done: true, value: void 0 }), i = () => {
      if (t) return e();
      let r = this.read();
      return r === null ? e() : { done: false, value: r };
    };
    return this.once("end", e), this.once(_i, e), this.once(S, e), { next: i, throw: e, return: e, [Symbol.iterator]() {
      return this;
    }, [Symbol.dispose]: () => {
    } };
  }
  destroy(t) {
    if (this[S]) return t ? this.emit("error", t) : this.emit(S), this;
    this[S] = true, this[C] = true, this[b].length = 0, this[_] = 0;
    let e = this;
    return typeof e.close == "function" && !this[Ne] && e.close(), t ? this.emit("error", t) : this.emit(S), this;
  }
  static get isStream() {
    return Wr;
  }
};
var Jr = I.writev;
var ht = /* @__PURE__ */ Symbol("_autoClose");
var H = /* @__PURE__ */ Symbol("_close");
var te = /* @__PURE__ */ Symbol("_ended");
var m = /* @__PURE__ */ Symbol("_fd");
var Ni = /* @__PURE__ */ Symbol("_finished");
var tt = /* @__PURE__ */ Symbol("_flags");
var Ai = /* @__PURE__ */ Symbol("_flush");
var ki = /* @__PURE__ */ Symbol("_handleChunk");
var vi = /* @__PURE__ */ Symbol("_makeBuf");
var ie = /* @__PURE__ */ Symbol("_mode");
var ke = /* @__PURE__ */ Symbol("_needDrain");
var Ut = /* @__PURE__ */ Symbol("_onerror");
var Ht = /* @__PURE__ */ Symbol("_onopen");
var Ii = /* @__PURE__ */ Symbol("_onread");
var Pt = /* @__PURE__ */ Symbol("_onwrite");
var at = /* @__PURE__ */ Symbol("_open");
var U = /* @__PURE__ */ Symbol("_path");
var ot = /* @__PURE__ */ Symbol("_pos");
var Y = /* @__PURE__ */ Symbol("_queue");
var zt = /* @__PURE__ */ Symbol("_read");
var Ci = /* @__PURE__ */ Symbol("_readSize");
var j = /* @__PURE__ */ Symbol("_reading");
var ee = /* @__PURE__ */ Symbol("_remain");
var Fi = /* @__PURE__ */ Symbol("_size");
var ve = /* @__PURE__ */ Symbol("_write");
var gt = /* @__PURE__ */ Symbol("_writing");
var Me = /* @__PURE__ */ Symbol("_defaultFlag");
var bt = /* @__PURE__ */ Symbol("_errored");
var _t = class extends A {
  [bt] = false;
  [m];
  [U];
  [Ci];
  [j] = false;
  [Fi];
  [ee];
  [ht];
  constructor(t, e) {
    if (e = e || {}, super(e), this.readable = true, this.writable = false, typeof t != "string") throw new TypeError("path must be a string");
    this[bt] = false, this[m] = typeof e.fd == "number" ? e.fd : void 0, this[U] = t, this[Ci] = e.readSize || 16 * 1024 * 1024, this[j] = false, this[Fi] = typeof e.size == "number" ? e.size : 1 / 0, this[ee] = this[Fi], this[ht] = typeof e.autoClose == "boolean" ? e.autoClose : true, typeof this[m] == "number" ? this[zt]() : this[at]();
  }
  get fd() {
    return this[m];
  }
  get path() {
    return this[U];
  }
  write() {
    throw new TypeError("this is a readable stream");
  }
  end() {
    throw new TypeError("this is a readable stream");
  }
  [at]() {
    I.open(this[U], "r", (t, e) => this[Ht](t, e));
  }
  [Ht](t, e) {
    t ? this[Ut](t) : (this[m] = e, this.emit("open", e), this[zt]());
  }
  [vi]() {
    return Buffer.allocUnsafe(Math.min(this[Ci], this[ee]));
  }
  [zt]() {
    if (!this[j]) {
      this[j] = true;
      let t = this[vi]();
      if (t.length === 0) return process.nextTick(() => this[Ii](null, 0, t));
      I.read(this[m], t, 0, t.length, null, (e, i, r) => this[Ii](e, i, r));
    }
  }
  [Ii](t, e, i) {
    this[j] = false, t ? this[Ut](t) : this[ki](e, i) && this[zt]();
  }
  [H]() {
    if (this[ht] && typeof this[m] == "number") {
      let t = this[m];
      this[m] = void 0, I.close(t, (e) => e ? this.emit("error", e) : this.emit("close"));
    }
  }
  [Ut](t) {
    this[j] = true, this[H](), this.emit("error", t);
  }
  [ki](t, e) {
    let i = false;
    return this[ee] -= t, t > 0 && (i = super.write(t < e.length ? e.subarray(0, t) : e)), (t === 0 || this[ee] <= 0) && (i = false, this[H](), super.end()), i;
  }
  emit(t, ...e) {
    switch (t) {
      case "prefinish":
      case "finish":
        return false;
      case "drain":
        return typeof this[m] == "number" && this[zt](), false;
      case "error":
        return this[bt] ? false : (this[bt] = true, super.emit(t, ...e));
      default:
        return super.emit(t, ...e);
    }
  }
};
var Be = class extends _t {
  [at]() {
    let t = true;
    try {
      this[Ht](null, I.openSync(this[U], "r")), t = false;
    } finally {
      t && this[H]();
    }
  }
  [zt]() {
    let t = true;
    try {
      if (!this[j]) {
        this[j] = true;
        do {
          let e = this[vi](), i = e.length === 0 ? 0 : I.readSync(this[m], e, 0, e.length, null);
          if (!this[ki](i, e)) break;
        } while (true);
        this[j] = false;
      }
      t = false;
    } finally {
      t && this[H]();
    }
  }
  [H]() {
    if (this[ht] && typeof this[m] == "number") {
      let t = this[m];
      this[m] = void 0, I.closeSync(t), this.emit("close");
    }
  }
};
var et = class extends Qr {
  readable = false;
  writable = true;
  [bt] = false;
  [gt] = false;
  [te] = false;
  [Y] = [];
  [ke] = false;
  [U];
  [ie];
  [ht];
  [m];
  [Me];
  [tt];
  [Ni] = false;
  [ot];
  constructor(t, e) {
    e = e || {}, super(e), this[U] = t, this[m] = typeof e.fd == "number" ? e.fd : void 0, this[ie] = e.mode === void 0 ? 438 : e.mode, this[ot] = typeof e.start == "number" ? e.start : void 0, this[ht] = typeof e.autoClose == "boolean" ? e.autoClose : true;
    let i = this[ot] !== void 0 ? "r+" : "w";
    this[Me] = e.flags === void 0, this[tt] = e.flags === void 0 ? i : e.flags, this[m] === void 0 && this[at]();
  }
  emit(t, ...e) {
    if (t === "error") {
      if (this[bt]) return false;
      this[bt] = true;
    }
    return super.emit(t, ...e);
  }
  get fd() {
    return this[m];
  }
  get path() {
    return this[U];
  }
  [Ut](t) {
    this[H](), this[gt] = true, this.emit("error", t);
  }
  [at]() {
    I.open(this[U], this[tt], this[ie], (t, e) => this[Ht](t, e));
  }
  [Ht](t, e) {
    this[Me] && this[tt] === "r+" && t && t.code === "ENOENT" ? (this[tt] = "w", this[at]()) : t ? this[Ut](t) : (this[m] = e, this.emit("open", e), this[gt] || this[Ai]());
  }
  end(t, e) {
    return t && this.write(t, e), this[te] = true, !this[gt] && !this[Y].length && typeof this[m] == "number" && this[Pt](null, 0), this;
  }
  write(t, e) {
    return typeof t == "string" && (t = Buffer.from(t, e)), this[te] ? (this.emit("error", new Error("write() after end()")), false) : this[m] === void 0 || this[gt] || this[Y].length ? (this[Y].push(t), this[ke] = true, false) : (this[gt] = true, this[ve](t), true);
  }
  [ve](t) {
    I.write(this[m], t, 0, t.length, this[ot], (e, i) => this[Pt](e, i));
  }
  [Pt](t, e) {
    t ? this[Ut](t) : (this[ot] !== void 0 && typeof e == "number" && (this[ot] += e), this[Y].length ? this[Ai]() : (this[gt] = false, this[te] && !this[Ni] ? (this[Ni] = true, this[H](), this.emit("finish")) : this[ke] && (this[ke] = false, this.emit("drain"))));
  }
  [Ai]() {
    if (this[Y].length === 0) this[te] && this[Pt](null, 0);
    else if (this[Y].length === 1) this[ve](this[Y].pop());
    else {
      let t = this[Y];
      this[Y] = [], Jr(this[m], t, this[ot], (e, i) => this[Pt](e, i));
    }
  }
  [H]() {
    if (this[ht] && typeof this[m] == "number") {
      let t = this[m];
      this[m] = void 0, I.close(t, (e) => e ? this.emit("error", e) : this.emit("close"));
    }
  }
};
var Wt = class extends et {
  [at]() {
    let t;
    if (this[Me] && this[tt] === "r+") try {
      t = I.openSync(this[U], this[tt], this[ie]);
    } catch (e) {
      if (e?.code === "ENOENT") return this[tt] = "w", this[at]();
      throw e;
    }
    else t = I.openSync(this[U], this[tt], this[ie]);
    this[Ht](null, t);
  }
  [H]() {
    if (this[ht] && typeof this[m] == "number") {
      let t = this[m];
      this[m] = void 0, I.closeSync(t), this.emit("close");
    }
  }
  [ve](t) {
    let e = true;
    try {
      this[Pt](null, I.writeSync(this[m], t, 0, t.length, this[ot])), e = false;
    } finally {
      if (e) try {
        this[H]();
      } catch {
      }
    }
  }
};
var jr = /* @__PURE__ */ new Map([["C", "cwd"], ["f", "file"], ["z", "gzip"], ["P", "preservePaths"], ["U", "unlink"], ["strip-components", "strip"], ["stripComponents", "strip"], ["keep-newer", "newer"], ["keepNewer", "newer"], ["keep-newer-files", "newer"], ["keepNewerFiles", "newer"], ["k", "keep"], ["keep-existing", "keep"], ["keepExisting", "keep"], ["m", "noMtime"], ["no-mtime", "noMtime"], ["p", "preserveOwner"], ["L", "follow"], ["h", "follow"], ["onentry", "onReadEntry"]]);
var Fs = (s3) => !!s3.sync && !!s3.file;
var ks = (s3) => !s3.sync && !!s3.file;
var vs = (s3) => !!s3.sync && !s3.file;
var Ms = (s3) => !s3.sync && !s3.file;
var Bs = (s3) => !!s3.file;
var tn = (s3) => {
  let t = jr.get(s3);
  return t || s3;
};
var se = (s3 = {}) => {
  if (!s3) return {};
  let t = {};
  for (let [e, i] of Object.entries(s3)) {
    let r = tn(e);
    t[r] = i;
  }
  return t.chmod === void 0 && t.noChmod === false && (t.chmod = true), delete t.noChmod, t;
};
var K = (s3, t, e, i, r) => Object.assign((n = [], o, h) => {
  Array.isArray(n) && (o = n, n = {}), typeof o == "function" && (h = o, o = void 0), o = o ? Array.from(o) : [];
  let a = se(n);
  if (r?.(a, o), Fs(a)) {
    if (typeof h == "function") throw new TypeError("callback not supported for sync tar functions");
    return s3(a, o);
  } else if (ks(a)) {
    let l = t(a, o);
    return h ? l.then(() => h(), h) : l;
  } else if (vs(a)) {
    if (typeof h == "function") throw new TypeError("callback not supported for sync tar functions");
    return e(a, o);
  } else if (Ms(a)) {
    if (typeof h == "function") throw new TypeError("callback only supported with file option");
    return i(a, o);
  }
  throw new Error("impossible options??");
}, { syncFile: s3, asyncFile: t, syncNoFile: e, asyncNoFile: i, validate: r });
var sn = en.constants || { ZLIB_VERNUM: 4736 };
var M = Object.freeze(Object.assign(/* @__PURE__ */ Object.create(null), { Z_NO_FLUSH: 0, Z_PARTIAL_FLUSH: 1, Z_SYNC_FLUSH: 2, Z_FULL_FLUSH: 3, Z_FINISH: 4, Z_BLOCK: 5, Z_OK: 0, Z_STREAM_END: 1, Z_NEED_DICT: 2, Z_ERRNO: -1, Z_STREAM_ERROR: -2, Z_DATA_ERROR: -3, Z_MEM_ERROR: -4, Z_BUF_ERROR: -5, Z_VERSION_ERROR: -6, Z_NO_COMPRESSION: 0, Z_BEST_SPEED: 1, Z_BEST_COMPRESSION: 9, Z_DEFAULT_COMPRESSION: -1, Z_FILTERED: 1, Z_HUFFMAN_ONLY: 2, Z_RLE: 3, Z_FIXED: 4, Z_DEFAULT_STRATEGY: 0, DEFLATE: 1, INFLATE: 2, GZIP: 3, GUNZIP: 4, DEFLATERAW: 5, INFLATERAW: 6, UNZIP: 7, BROTLI_DECODE: 8, BROTLI_ENCODE: 9, Z_MIN_WINDOWBITS: 8, Z_MAX_WINDOWBITS: 15, Z_DEFAULT_WINDOWBITS: 15, Z_MIN_CHUNK: 64, Z_MAX_CHUNK: 1 / 0, Z_DEFAULT_CHUNK: 16384, Z_MIN_MEMLEVEL: 1, Z_MAX_MEMLEVEL: 9, Z_DEFAULT_MEMLEVEL: 8, Z_MIN_LEVEL: -1, Z_MAX_LEVEL: 9, Z_DEFAULT_LEVEL: -1, BROTLI_OPERATION_PROCESS: 0, BROTLI_OPERATION_FLUSH: 1, BROTLI_OPERATION_FINISH: 2, BROTLI_OPERATION_EMIT_METADATA: 3, BROTLI_MODE_GENERIC: 0, BROTLI_MODE_TEXT: 1, BROTLI_MODE_FONT: 2, BROTLI_DEFAULT_MODE: 0, BROTLI_MIN_QUALITY: 0, BROTLI_MAX_QUALITY: 11, BROTLI_DEFAULT_QUALITY: 11, BROTLI_MIN_WINDOW_BITS: 10, BROTLI_MAX_WINDOW_BITS: 24, BROTLI_LARGE_MAX_WINDOW_BITS: 30, BROTLI_DEFAULT_WINDOW: 22, BROTLI_MIN_INPUT_BLOCK_BITS: 16, BROTLI_MAX_INPUT_BLOCK_BITS: 24, BROTLI_PARAM_MODE: 0, BROTLI_PARAM_QUALITY: 1, BROTLI_PARAM_LGWIN: 2, BROTLI_PARAM_LGBLOCK: 3, BROTLI_PARAM_DISABLE_LITERAL_CONTEXT_MODELING: 4, BROTLI_PARAM_SIZE_HINT: 5, BROTLI_PARAM_LARGE_WINDOW: 6, BROTLI_PARAM_NPOSTFIX: 7, BROTLI_PARAM_NDIRECT: 8, BROTLI_DECODER_RESULT_ERROR: 0, BROTLI_DECODER_RESULT_SUCCESS: 1, BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT: 2, BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT: 3, BROTLI_DECODER_PARAM_DISABLE_RING_BUFFER_REALLOCATION: 0, BROTLI_DECODER_PARAM_LARGE_WINDOW: 1, BROTLI_DECODER_NO_ERROR: 0, BROTLI_DECODER_SUCCESS: 1, BROTLI_DECODER_NEEDS_MORE_INPUT: 2, BROTLI_DECODER_NEEDS_MORE_OUTPUT: 3, BROTLI_DECODER_ERROR_FORMAT_EXUBERANT_NIBBLE: -1, BROTLI_DECODER_ERROR_FORMAT_RESERVED: -2, BROTLI_DECODER_ERROR_FORMAT_EXUBERANT_META_NIBBLE: -3, BROTLI_DECODER_ERROR_FORMAT_SIMPLE_HUFFMAN_ALPHABET: -4, BROTLI_DECODER_ERROR_FORMAT_SIMPLE_HUFFMAN_SAME: -5, BROTLI_DECODER_ERROR_FORMAT_CL_SPACE: -6, BROTLI_DECODER_ERROR_FORMAT_HUFFMAN_SPACE: -7, BROTLI_DECODER_ERROR_FORMAT_CONTEXT_MAP_REPEAT: -8, BROTLI_DECODER_ERROR_FORMAT_BLOCK_LENGTH_1: -9, BROTLI_DECODER_ERROR_FORMAT_BLOCK_LENGTH_2: -10, BROTLI_DECODER_ERROR_FORMAT_TRANSFORM: -11, BROTLI_DECODER_ERROR_FORMAT_DICTIONARY: -12, BROTLI_DECODER_ERROR_FORMAT_WINDOW_BITS: -13, BROTLI_DECODER_ERROR_FORMAT_PADDING_1: -14, BROTLI_DECODER_ERROR_FORMAT_PADDING_2: -15, BROTLI_DECODER_ERROR_FORMAT_DISTANCE: -16, BROTLI_DECODER_ERROR_DICTIONARY_NOT_SET: -19, BROTLI_DECODER_ERROR_INVALID_ARGUMENTS: -20, BROTLI_DECODER_ERROR_ALLOC_CONTEXT_MODES: -21, BROTLI_DECODER_ERROR_ALLOC_TREE_GROUPS: -22, BROTLI_DECODER_ERROR_ALLOC_CONTEXT_MAP: -25, BROTLI_DECODER_ERROR_ALLOC_RING_BUFFER_1: -26, BROTLI_DECODER_ERROR_ALLOC_RING_BUFFER_2: -27, BROTLI_DECODER_ERROR_ALLOC_BLOCK_TYPE_TREES: -30, BROTLI_DECODER_ERROR_UNREACHABLE: -31 }, sn));
var rn = Ot.concat;
var zs = Object.getOwnPropertyDescriptor(Ot, "concat");
var nn = (s3) => s3;
var Bi = zs?.writable === true || zs?.set !== void 0 ? (s3) => {
  Ot.concat = s3 ? nn : rn;
} : (s3) => {
};
var Tt = /* @__PURE__ */ Symbol("_superWrite");
var Gt = class extends Error {
  code;
  errno;
  constructor(t, e) {
    super("zlib: " + t.message, { cause: t }), this.code = t.code, this.errno = t.errno, this.code || (this.code = "ZLIB_ERROR"), this.message = "zlib: " + t.message, Error.captureStackTrace(this, e ?? this.constructor);
  }
  get name() {
    return "ZlibError";
  }
};
var Pi = /* @__PURE__ */ Symbol("flushFlag");
var re = class extends A {
  #t = false;
  #i = false;
  #s;
  #n;
  #r;
  #e;
  #o;
  get sawError() {
    return this.#t;
  }
  get handle() {
    return this.#e;
  }
  get flushFlag() {
    return this.#s;
  }
  constructor(t, e) {
    if (!t || typeof t != "object") throw new TypeError("invalid options for ZlibBase constructor");
    if (super(t), this.#s = t.flush ?? 0, this.#n = t.finishFlush ?? 0, this.#r = t.fullFlushFlag ?? 0, typeof Ps[e] != "function") throw new TypeError("Compression method not supported: " + e);
    try {
      this.#e = new Ps[e](t);
    } catch (i) {
      throw new Gt(i, this.constructor);
    }
    this.#o = (i) => {
      this.#t || (this.#t = true, this.close(), this.emit("error", i));
    }, this.#e?.on("error", (i) => this.#o(new Gt(i))), this.once("end", () => this.close);
  }
  close() {
    this.#e && (this.#e.close(), this.#e = void 0, this.emit("close"));
  }
  reset() {
    if (!this.#t) return zi(this.#e, "zlib binding closed"), this.#e.reset?.();
  }
  flush(t) {
    this.ended || (typeof t != "number" && (t = this.#r), this.write(Object.assign(Ot.alloc(0), { [Pi]: t })));
  }
  end(t, e, i) {
    return typeof t == "function" && (i = t, e = void 0, t = void 0), typeof e == "function" && (i = e, e = void 0), t && (e ? this.write(t, e) : this.write(t)), this.flush(this.#n), this.#i = true, super.end(i);
  }
  get ended() {
    return this.#i;
  }
  [Tt](t) {
    return super.write(t);
  }
  write(t, e, i) {
    if (typeof e == "function" && (i = e, e = "utf8"), typeof t == "string" && (t = Ot.from(t, e)), this.#t) return;
    zi(this.#e, "zlib binding closed");
    let r = this.#e._handle, n = r.close;
    r.close = () => {
    };
    let o = this.#e.close;
    this.#e.close = () => {
    }, Bi(true);
    let h;
    try {
      let l = typeof t[Pi] == "number" ? t[Pi] : this.#s;
      h = this.#e._processChunk(t, l), Bi(false);
    } catch (l) {
      Bi(false), this.#o(new Gt(l, this.write));
    } finally {
      this.#e && (this.#e._handle = r, r.close = n, this.#e.close = o, this.#e.removeAllListeners("error"));
    }
    this.#e && this.#e.on("error", (l) => this.#o(new Gt(l, this.write)));
    let a;
    if (h) if (Array.isArray(h) && h.length > 0) {
      let l = h[0];
      a = this[Tt](Ot.from(l));
      for (let c = 1; c < h.length; c++) a = this[Tt](h[c]);
    } else a = this[Tt](Ot.from(h));
    return i && i(), a;
  }
};
var Pe = class extends re {
  #t;
  #i;
  constructor(t, e) {
    t = t || {}, t.flush = t.flush || M.Z_NO_FLUSH, t.finishFlush = t.finishFlush || M.Z_FINISH, t.fullFlushFlag = M.Z_FULL_FLUSH, super(t, e), this.#t = t.level, this.#i = t.strategy;
  }
  params(t, e) {
    if (!this.sawError) {
      if (!this.handle) throw new Error("cannot switch params when binding is closed");
      if (!this.handle.params) throw new Error("not supported in this implementation");
      if (this.#t !== t || this.#i !== e) {
        this.flush(M.Z_SYNC_FLUSH), zi(this.handle, "zlib binding closed");
        let i = this.handle.flush;
        this.handle.flush = (r, n) => {
          typeof r == "function" && (n = r, r = this.flushFlag), this.flush(r), n?.();
        };
        try {
          this.handle.params(t, e);
        } finally {
          this.handle.flush = i;
        }
        this.handle && (this.#t = t, this.#i = e);
      }
    }
  }
};
var ze = class extends Pe {
  #t;
  constructor(t) {
    super(t, "Gzip"), this.#t = t && !!t.portable;
  }
  [Tt](t) {
    return this.#t ? (this.#t = false, t[9] = 255, super[Tt](t)) : super[Tt](t);
  }
};
var Ue = class extends Pe {
  constructor(t) {
    super(t, "Unzip");
  }
};
var He = class extends re {
  constructor(t, e) {
    t = t || {}, t.flush = t.flush || M.BROTLI_OPERATION_PROCESS, t.finishFlush = t.finishFlush || M.BROTLI_OPERATION_FINISH, t.fullFlushFlag = M.BROTLI_OPERATION_FLUSH, super(t, e);
  }
};
var We = class extends He {
  constructor(t) {
    super(t, "BrotliCompress");
  }
};
var Ge = class extends He {
  constructor(t) {
    super(t, "BrotliDecompress");
  }
};
var Ze = class extends re {
  constructor(t, e) {
    t = t || {}, t.flush = t.flush || M.ZSTD_e_continue, t.finishFlush = t.finishFlush || M.ZSTD_e_end, t.fullFlushFlag = M.ZSTD_e_flush, super(t, e);
  }
};
var Ye = class extends Ze {
  constructor(t) {
    super(t, "ZstdCompress");
  }
};
var Ke = class extends Ze {
  constructor(t) {
    super(t, "ZstdDecompress");
  }
};
var Us = (s3, t) => {
  if (Number.isSafeInteger(s3)) s3 < 0 ? an(s3, t) : hn(s3, t);
  else throw Error("cannot encode number outside of javascript safe integer range");
  return t;
};
var hn = (s3, t) => {
  t[0] = 128;
  for (var e = t.length; e > 1; e--) t[e - 1] = s3 & 255, s3 = Math.floor(s3 / 256);
};
var an = (s3, t) => {
  t[0] = 255;
  var e = false;
  s3 = s3 * -1;
  for (var i = t.length; i > 1; i--) {
    var r = s3 & 255;
    s3 = Math.floor(s3 / 256), e ? t[i - 1] = Ws(r) : r === 0 ? t[i - 1] = 0 : (e = true, t[i - 1] = Gs(r));
  }
};
var Hs = (s3) => {
  let t = s3[0], e = t === 128 ? cn(s3.subarray(1, s3.length)) : t === 255 ? ln(s3) : null;
  if (e === null) throw Error("invalid base256 encoding");
  if (!Number.isSafeInteger(e)) throw Error("parsed number outside of javascript safe integer range");
  return e;
};
var ln = (s3) => {
  for (var t = s3.length, e = 0, i = false, r = t - 1; r > -1; r--) {
    var n = Number(s3[r]), o;
    i ? o = Ws(n) : n === 0 ? o = n : (i = true, o = Gs(n)), o !== 0 && (e -= o * Math.pow(256, t - r - 1));
  }
  return e;
};
var cn = (s3) => {
  for (var t = s3.length, e = 0, i = t - 1; i > -1; i--) {
    var r = Number(s3[i]);
    r !== 0 && (e += r * Math.pow(256, t - i - 1));
  }
  return e;
};
var Ws = (s3) => (255 ^ s3) & 255;
var Gs = (s3) => (255 ^ s3) + 1 & 255;
var Hi = {};
Ur(Hi, { code: () => Ve, isCode: () => ne, isName: () => dn, name: () => oe, normalFsTypes: () => Ui });
var ne = (s3) => oe.has(s3);
var dn = (s3) => Ve.has(s3);
var Ui = /* @__PURE__ */ new Set(["0", "", "1", "2", "3", "4", "5", "6", "7", "D"]);
var oe = /* @__PURE__ */ new Map([["0", "File"], ["", "OldFile"], ["1", "Link"], ["2", "SymbolicLink"], ["3", "CharacterDevice"], ["4", "BlockDevice"], ["5", "Directory"], ["6", "FIFO"], ["7", "ContiguousFile"], ["g", "GlobalExtendedHeader"], ["x", "ExtendedHeader"], ["A", "SolarisACL"], ["D", "GNUDumpDir"], ["I", "Inode"], ["K", "NextFileHasLongLinkpath"], ["L", "NextFileHasLongPath"], ["M", "ContinuationFile"], ["N", "OldGnuLongPath"], ["S", "SparseFile"], ["V", "TapeVolumeHeader"], ["X", "OldExtendedHeader"]]);
var Ve = new Map(Array.from(oe).map((s3) => [s3[1], s3[0]]));
var un = (s3) => s3 === void 0 || s3 < 0 ? void 0 : s3;
var F = class {
  cksumValid = false;
  needPax = false;
  nullBlock = false;
  block;
  path;
  mode;
  uid;
  gid;
  size;
  cksum;
  #t = "Unsupported";
  linkpath;
  uname;
  gname;
  devmaj = 0;
  devmin = 0;
  atime;
  ctime;
  mtime;
  charset;
  comment;
  constructor(t, e = 0, i, r) {
    Buffer.isBuffer(t) ? this.decode(t, e || 0, i, r) : t && this.#i(t);
  }
  decode(t, e, i, r) {
    if (e || (e = 0), !t || !(t.length >= e + 512)) throw new Error("need 512 bytes for header");
    let n = xt(t, e + 156, 1), o = Ui.has(n), h = o ? i : void 0, a = o ? r : void 0;
    if (this.path = h?.path ?? xt(t, e, 100), this.mode = h?.mode ?? a?.mode ?? lt(t, e + 100, 8), this.uid = h?.uid ?? a?.uid ?? lt(t, e + 108, 8), this.gid = h?.gid ?? a?.gid ?? lt(t, e + 116, 8), this.size = un(h?.size ?? a?.size ?? lt(t, e + 124, 12)), this.mtime = h?.mtime ?? a?.mtime ?? Wi(t, e + 136, 12), this.cksum = lt(t, e + 148, 12), a && this.#i(a, true), h && this.#i(h), ne(n) && (this.#t = n || "0"), this.#t === "0" && this.path.slice(-1) === "/" && (this.#t = "5"), this.#t === "5" && (this.size = 0), this.linkpath = xt(t, e + 157, 100), t.subarray(e + 257, e + 265).toString() === "ustar\x0000") if (this.uname = h?.uname ?? a?.uname ?? xt(t, e + 265, 32), this.gname = h?.gname ?? a?.gname ?? xt(t, e + 297, 32), this.devmaj = h?.devmaj ?? a?.devmaj ?? lt(t, e + 329, 8) ?? 0, this.devmin = h?.devmin ?? a?.devmin ?? lt(t, e + 337, 8) ?? 0, t[e + 475] !== 0) {
      let c = xt(t, e + 345, 155);
      this.path = c + "/" + this.path;
    } else {
      let c = xt(t, e + 345, 130);
      c && (this.path = c + "/" + this.path), this.atime = i?.atime ?? r?.atime ?? Wi(t, e + 476, 12), this.ctime = i?.ctime ?? r?.ctime ?? Wi(t, e + 488, 12);
    }
    let l = 256;
    for (let c = e; c < e + 148; c++) l += t[c];
    for (let c = e + 156; c < e + 512; c++) l += t[c];
    this.cksumValid = l === this.cksum, this.cksum === void 0 && l === 256 && (this.nullBlock = true);
  }
  #i(t, e = false) {
    Object.assign(this, Object.fromEntries(Object.entries(t).filter(([i, r]) => !(r == null || i === "size" && Number(r) < 0 || i === "path" && e || i === "linkpath" && e || i === "global"))));
  }
  encode(t, e = 0) {
    if (t || (t = this.block = Buffer.alloc(512)), this.#t === "Unsupported" && (this.#t = "0"), !(t.length >= e + 512)) throw new Error("need 512 bytes for header");
    let i = this.ctime || this.atime ? 130 : 155, r = mn(this.path || "", i), n = r[0], o = r[1];
    this.needPax = !!r[2], this.needPax = Lt(t, e, 100, n) || this.needPax, this.needPax = ct(t, e + 100, 8, this.mode) || this.needPax, this.needPax = ct(t, e + 108, 8, this.uid) || this.needPax, this.needPax = ct(t, e + 116, 8, this.gid) || this.needPax, this.needPax = ct(t, e + 124, 12, this.size) || this.needPax, this.needPax = Gi(t, e + 136, 12, this.mtime) || this.needPax, t[e + 156] = Number(this.#t.codePointAt(0)), this.needPax = Lt(t, e + 157, 100, this.linkpath) || this.needPax, t.write("ustar\x0000", e + 257, 8), this.needPax = Lt(t, e + 265, 32, this.uname) || this.needPax, this.needPax = Lt(t, e + 297, 32, this.gname) || this.needPax, this.needPax = ct(t, e + 329, 8, this.devmaj) || this.needPax, this.needPax = ct(t, e + 337, 8, this.devmin) || this.needPax, this.needPax = Lt(t, e + 345, i, o) || this.needPax, t[e + 475] !== 0 ? this.needPax = Lt(t, e + 345, 155, o) || this.needPax : (this.needPax = Lt(t, e + 345, 130, o) || this.needPax, this.needPax = Gi(t, e + 476, 12, this.atime) || this.needPax, this.needPax = Gi(t, e + 488, 12, this.ctime) || this.needPax);
    let h = 256;
    for (let a = e; a < e + 148; a++) h += t[a];
    for (let a = e + 156; a < e + 512; a++) h += t[a];
    return this.cksum = h, ct(t, e + 148, 8, this.cksum), this.cksumValid = true, this.needPax;
  }
  get type() {
    return this.#t === "Unsupported" ? this.#t : oe.get(this.#t);
  }
  get typeKey() {
    return this.#t;
  }
  set type(t) {
    let e = String(Ve.get(t));
    if (ne(e) || e === "Unsupported") this.#t = e;
    else if (ne(t)) this.#t = t;
    else throw new TypeError("invalid entry type: " + t);
  }
};
var mn = (s3, t) => {
  let i = s3, r = "", n, o = Zt.parse(s3).root || ".";
  if (Buffer.byteLength(i) < 100) n = [i, r, false];
  else {
    r = Zt.dirname(i), i = Zt.basename(i);
    do
      Buffer.byteLength(i) <= 100 && Buffer.byteLength(r) <= t ? n = [i, r, false] : Buffer.byteLength(i) > 100 && Buffer.byteLength(r) <= t ? n = [i.slice(0, 99), r, true] : (i = Zt.join(Zt.basename(r), i), r = Zt.dirname(r));
    while (r !== o && n === void 0);
    n || (n = [s3.slice(0, 99), "", true]);
  }
  return n;
};
var xt = (s3, t, e) => s3.subarray(t, t + e).toString("utf8").replace(/\0.*/, "");
var Wi = (s3, t, e) => pn(lt(s3, t, e));
var pn = (s3) => s3 === void 0 ? void 0 : new Date(s3 * 1e3);
var lt = (s3, t, e) => Number(s3[t]) & 128 ? Hs(s3.subarray(t, t + e)) : wn(s3, t, e);
var En = (s3) => isNaN(s3) ? void 0 : s3;
var wn = (s3, t, e) => En(parseInt(s3.subarray(t, t + e).toString("utf8").replace(/\0.*$/, "").trim(), 8));
var Sn = { 12: 8589934591, 8: 2097151 };
var ct = (s3, t, e, i) => i === void 0 ? false : i > Sn[e] || i < 0 ? (Us(i, s3.subarray(t, t + e)), true) : (yn(s3, t, e, i), false);
var yn = (s3, t, e, i) => s3.write(Rn(i, e), t, e, "ascii");
var Rn = (s3, t) => gn(Math.floor(s3).toString(8), t);
var gn = (s3, t) => (s3.length === t - 1 ? s3 : new Array(t - s3.length - 1).join("0") + s3 + " ") + "\0";
var Gi = (s3, t, e, i) => i === void 0 ? false : ct(s3, t, e, i.getTime() / 1e3);
var bn = new Array(156).join("\0");
var Lt = (s3, t, e, i) => i === void 0 ? false : (s3.write(i + bn, t, e, "utf8"), i.length !== Buffer.byteLength(i) || i.length > e);
var ft = class s {
  atime;
  mtime;
  ctime;
  charset;
  comment;
  gid;
  uid;
  gname;
  uname;
  linkpath;
  dev;
  ino;
  nlink;
  path;
  size;
  mode;
  global;
  constructor(t, e = false) {
    this.atime = t.atime, this.charset = t.charset, this.comment = t.comment, this.ctime = t.ctime, this.dev = t.dev, this.gid = t.gid, this.global = e, this.gname = t.gname, this.ino = t.ino, this.linkpath = t.linkpath, this.mtime = t.mtime, this.nlink = t.nlink, this.path = t.path, this.size = t.size, this.uid = t.uid, this.uname = t.uname;
  }
  encode() {
    let t = this.encodeBody();
    if (t === "") return Buffer.allocUnsafe(0);
    let e = Buffer.byteLength(t), i = 512 * Math.ceil(1 + e / 512), r = Buffer.allocUnsafe(i);
    for (let n = 0; n < 512; n++) r[n] = 0;
    new F({ path: ("PaxHeader/" + _n(this.path ?? "")).slice(0, 99), mode: this.mode || 420, uid: this.uid, gid: this.gid, size: e, mtime: this.mtime, type: this.global ? "GlobalExtendedHeader" : "ExtendedHeader", linkpath: "", uname: this.uname || "", gname: this.gname || "", devmaj: 0, devmin: 0, atime: this.atime, ctime: this.ctime }).encode(r), r.write(t, 512, e, "utf8");
    for (let n = e + 512; n < r.length; n++) r[n] = 0;
    return r;
  }
  encodeBody() {
    return this.encodeField("path") + this.encodeField("ctime") + this.encodeField("atime") + this.encodeField("dev") + this.encodeField("ino") + this.encodeField("nlink") + this.encodeField("charset") + this.encodeField("comment") + this.encodeField("gid") + this.encodeField("gname") + this.encodeField("linkpath") + this.encodeField("mtime") + this.encodeField("size") + this.encodeField("uid") + this.encodeField("uname");
  }
  encodeField(t) {
    if (this[t] === void 0) return "";
    let e = this[t], i = e instanceof Date ? e.getTime() / 1e3 : e, r = " " + (t === "dev" || t === "ino" || t === "nlink" ? "SCHILY." : "") + t + "=" + i + `
`, n = Buffer.byteLength(r), o = Math.floor(Math.log(n) / Math.log(10)) + 1;
    return n + o >= Math.pow(10, o) && (o += 1), o + n + r;
  }
  static parse(t, e, i = false) {
    return new s(On(Tn(t), e), i);
  }
};
var On = (s3, t) => t ? Object.assign({}, t, s3) : s3;
var Tn = (s3) => s3.replace(/\n$/, "").split(`
`).reduce(xn, /* @__PURE__ */ Object.create(null));
var xn = (s3, t) => {
  let e = parseInt(t, 10);
  if (e !== Buffer.byteLength(t) + 1) return s3;
  t = t.slice((e + " ").length);
  let i = t.split("="), r = i.shift();
  if (!r) return s3;
  let n = r.replace(/^SCHILY\.(dev|ino|nlink)/, "$1"), o = i.join("=").replace(/\0.*/, "");
  switch (n) {
    case "path":
    case "linkpath":
    case "type":
    case "charset":
    case "comment":
    case "gname":
    case "uname":
      s3[n] = o;
      break;
    case "ctime":
    case "atime":
    case "mtime":
      s3[n] = new Date(Number(o) * 1e3);
      break;
    case "size":
      let h = +o;
      h >= 0 && (s3[n] = h);
      break;
    case "gid":
    case "uid":
    case "dev":
    case "ino":
    case "nlink":
    case "mode":
      s3[n] = +o;
      break;
  }
  return s3;
};
var Ln = process.env.TESTING_TAR_FAKE_PLATFORM || process.platform;
var f = Ln !== "win32" ? (s3) => String(s3) : (s3) => String(s3).replaceAll(/\\/g, "/");
var $e = class extends A {
  extended;
  globalExtended;
  header;
  startBlockSize;
  blockRemain;
  remain;
  type;
  meta = false;
  ignore = false;
  path;
  mode;
  uid;
  gid;
  uname;
  gname;
  size = 0;
  mtime;
  atime;
  ctime;
  linkpath;
  dev;
  ino;
  nlink;
  invalid = false;
  absolute;
  unsupported = false;
  constructor(t, e, i) {
    switch (super({}), this.pause(), this.extended = e, this.globalExtended = i, this.header = t, this.remain = t.size ?? 0, this.startBlockSize = 512 * Math.ceil(this.remain / 512), this.blockRemain = this.startBlockSize, this.type = t.type, this.type) {
      case "File":
      case "OldFile":
      case "Link":
      case "SymbolicLink":
      case "CharacterDevice":
      case "BlockDevice":
      case "Directory":
      case "FIFO":
      case "ContiguousFile":
      case "GNUDumpDir":
        break;
      case "NextFileHasLongLinkpath":
      case "NextFileHasLongPath":
      case "OldGnuLongPath":
      case "GlobalExtendedHeader":
      case "ExtendedHeader":
      case "OldExtendedHeader":
        this.meta = true;
        break;
      default:
        this.ignore = true;
    }
    if (!t.path) throw new Error("no path provided for tar.ReadEntry");
    this.path = f(t.path), this.mode = t.mode, this.mode && (this.mode = this.mode & 4095), this.uid = t.uid, this.gid = t.gid, this.uname = t.uname, this.gname = t.gname, this.size = this.remain, this.mtime = t.mtime, this.atime = t.atime, this.ctime = t.ctime, this.linkpath = t.linkpath ? f(t.linkpath) : void 0, this.uname = t.uname, this.gname = t.gname, e && this.#t(e), i && this.#t(i, true);
  }
  write(t) {
    let e = t.length;
    if (e > this.blockRemain) throw new Error("writing more to entry than is appropriate");
    let i = this.remain, r = this.blockRemain;
    return this.remain = Math.max(0, i - e), this.blockRemain = Math.max(0, r - e), this.ignore ? true : i >= e ? super.write(t) : super.write(t.subarray(0, i));
  }
  #t(t, e = false) {
    t.path && (t.path = f(t.path)), t.linkpath && (t.linkpath = f(t.linkpath)), Object.assign(this, Object.fromEntries(Object.entries(t).filter(([i, r]) => !(r == null || i === "path" && e))));
  }
};
var Dt = (s3, t, e, i = {}) => {
  s3.file && (i.file = s3.file), s3.cwd && (i.cwd = s3.cwd), i.code = e instanceof Error && e.code || t, i.tarCode = t, !s3.strict && i.recoverable !== false ? (e instanceof Error && (i = Object.assign(e, i), e = e.message), s3.emit("warn", t, e, i)) : e instanceof Error ? s3.emit("error", Object.assign(e, i)) : s3.emit("error", Object.assign(new Error(`${t}: ${e}`), i));
};
var Nn = 1024 * 1024;
var Xi = Buffer.from([31, 139]);
var qi = Buffer.from([40, 181, 47, 253]);
var An = Math.max(Xi.length, qi.length);
var B = /* @__PURE__ */ Symbol("state");
var Nt = /* @__PURE__ */ Symbol("writeEntry");
var it = /* @__PURE__ */ Symbol("readEntry");
var Zi = /* @__PURE__ */ Symbol("nextEntry");
var Zs = /* @__PURE__ */ Symbol("processEntry");
var V = /* @__PURE__ */ Symbol("extendedHeader");
var he = /* @__PURE__ */ Symbol("globalExtendedHeader");
var dt = /* @__PURE__ */ Symbol("meta");
var Ys = /* @__PURE__ */ Symbol("emitMeta");
var p = /* @__PURE__ */ Symbol("buffer");
var st = /* @__PURE__ */ Symbol("queue");
var ut = /* @__PURE__ */ Symbol("ended");
var Yi = /* @__PURE__ */ Symbol("emittedEnd");
var At = /* @__PURE__ */ Symbol("emit");
var w = /* @__PURE__ */ Symbol("unzip");
var Xe = /* @__PURE__ */ Symbol("consumeChunk");
var qe = /* @__PURE__ */ Symbol("consumeChunkSub");
var Ki = /* @__PURE__ */ Symbol("consumeBody");
var Ks = /* @__PURE__ */ Symbol("consumeMeta");
var Vs = /* @__PURE__ */ Symbol("consumeHeader");
var ae = /* @__PURE__ */ Symbol("consuming");
var Vi = /* @__PURE__ */ Symbol("bufferConcat");
var Qe = /* @__PURE__ */ Symbol("maybeEnd");
var Yt = /* @__PURE__ */ Symbol("writing");
var $ = /* @__PURE__ */ Symbol("aborted");
var Je = /* @__PURE__ */ Symbol("onDone");
var It = /* @__PURE__ */ Symbol("sawValidEntry");
var je = /* @__PURE__ */ Symbol("sawNullBlock");
var ti = /* @__PURE__ */ Symbol("sawEOF");
var $s = /* @__PURE__ */ Symbol("closeStream");
var In = 1e3;
var le = /* @__PURE__ */ Symbol("compressedBytesRead");
var $i = /* @__PURE__ */ Symbol("decompressedBytesRead");
var Xs = /* @__PURE__ */ Symbol("checkDecompressionRatio");
var Cn = () => true;
var rt = class extends Dn {
  file;
  strict;
  maxMetaEntrySize;
  filter;
  brotli;
  zstd;
  maxDecompressionRatio;
  writable = true;
  readable = false;
  [st] = [];
  [p];
  [it];
  [Nt];
  [B] = "begin";
  [dt] = "";
  [V];
  [he];
  [ut] = false;
  [w];
  [$] = false;
  [It];
  [je] = false;
  [ti] = false;
  [Yt] = false;
  [ae] = false;
  [Yi] = false;
  [le] = 0;
  [$i] = 0;
  constructor(t = {}) {
    super(), this.file = t.file || "", this.on(Je, () => {
      (this[B] === "begin" || this[It] === false) && this.warn("TAR_BAD_ARCHIVE", "Unrecognized archive format");
    }), t.ondone ? this.on(Je, t.ondone) : this.on(Je, () => {
      this.emit("prefinish"), this.emit("finish"), this.emit("end");
    }), this.strict = !!t.strict, this.maxDecompressionRatio = typeof t.maxDecompressionRatio == "number" ? t.maxDecompressionRatio : In, this.maxMetaEntrySize = t.maxMetaEntrySize || Nn, this.filter = typeof t.filter == "function" ? t.filter : Cn;
    let e = t.file && (t.file.endsWith(".tar.br") || t.file.endsWith(".tbr"));
    this.brotli = !(t.gzip || t.zstd) && t.brotli !== void 0 ? t.brotli : e ? void 0 : false;
    let i = t.file && (t.file.endsWith(".tar.zst") || t.file.endsWith(".tzst"));
    this.zstd = !(t.gzip || t.brotli) && t.zstd !== void 0 ? t.zstd : i ? true : void 0, this.on("end", () => this[$s]()), typeof t.onwarn == "function" && this.on("warn", t.onwarn), typeof t.onReadEntry == "function" && this.on("entry", t.onReadEntry);
  }
  warn(t, e, i = {}) {
    Dt(this, t, e, i);
  }
  [Vs](t, e) {
    this[It] === void 0 && (this[It] = false);
    let i;
    try {
      i = new F(t, e, this[V], this[he]);
    } catch (r) {
      return this.warn("TAR_ENTRY_INVALID", r);
    }
    if (i.nullBlock) this[je] ? (this[ti] = true, this[B] === "begin" && (this[B] = "header"), this[At]("eof")) : (this[je] = true, this[At]("nullBlock"));
    else if (this[je] = false, !i.cksumValid) this.warn("TAR_ENTRY_INVALID", "checksum failure", { header: i });
    else if (!i.path) this.warn("TAR_ENTRY_INVALID", "path is required", { header: i });
    else {
      let r = i.type;
      if (/^(Symbolic)?Link$/.test(r) && !i.linkpath) this.warn("TAR_ENTRY_INVALID", "linkpath required", { header: i });
      else if (!/^(Symbolic)?Link$/.test(r) && !/^(Global)?ExtendedHeader$/.test(r) && i.linkpath) this.warn("TAR_ENTRY_INVALID", "linkpath forbidden", { header: i });
      else {
        let n = this[Nt] = new $e(i, this[V], this[he]);
        if (!this[It]) if (n.remain) {
          let o = () => {
            n.invalid || (this[It] = true);
          };
          n.on("end", o);
        } else this[It] = true;
        n.meta ? n.size > this.maxMetaEntrySize ? (n.ignore = true, this[At]("ignoredEntry", n), this[B] = "ignore", n.resume()) : n.size > 0 && (this[dt] = "", n.on("data", (o) => this[dt] += o), this[B] = "meta") : (this[V] = void 0, n.ignore = n.ignore || !this.filter(n.path, n), n.ignore ? (this[At]("ignoredEntry", n), this[B] = n.remain ? "ignore" : "header", n.resume()) : (n.remain ? this[B] = "body" : (this[B] = "header", n.end()), this[it] ? this[st].push(n) : (this[st].push(n), this[Zi]())));
      }
    }
  }
  [$s]() {
    queueMicrotask(() => this.emit("close"));
  }
  [Zs](t) {
    let e = true;
    if (!t) this[it] = void 0, e = false;
    else if (Array.isArray(t)) {
      let [i, ...r] = t;
      this.emit(i, ...r);
    } else this[it] = t, this.emit("entry", t), t.emittedEnd || (t.on("end", () => this[Zi]()), e = false);
    return e;
  }
  [Zi]() {
    do
      ;
    while (this[Zs](this[st].shift()));
    if (this[st].length === 0) {
      let t = this[it];
      !t || t.flowing || t.size === t.remain ? this[Yt] || this.emit("drain") : t.once("drain", () => this.emit("drain"));
    }
  }
  [Ki](t, e) {
    let i = this[Nt];
    if (!i) throw new Error("attempt to consume body without entry??");
    let r = i.blockRemain ?? 0, n = r >= t.length && e === 0 ? t : t.subarray(e, e + r);
    return i.write(n), i.blockRemain || (this[B] = "header", this[Nt] = void 0, i.end()), n.length;
  }
  [Ks](t, e) {
    let i = this[Nt], r = this[Ki](t, e);
    return !this[Nt] && i && this[Ys](i), r;
  }
  [At](t, e, i) {
    this[st].length === 0 && !this[it] ? this.emit(t, e, i) : this[st].push([t, e, i]);
  }
  [Ys](t) {
    switch (this[At]("meta", this[dt]), t.type) {
      case "ExtendedHeader":
      case "OldExtendedHeader":
        this[V] = ft.parse(this[dt], this[V], false);
        break;
      case "GlobalExtendedHeader":
        this[he] = ft.parse(this[dt], this[he], true);
        break;
      case "NextFileHasLongPath":
      case "OldGnuLongPath": {
        let e = this[V] ?? /* @__PURE__ */ Object.create(null);
        this[V] = e, e.path = this[dt].replace(/\0.*/, "");
        break;
      }
      case "NextFileHasLongLinkpath": {
        let e = this[V] || /* @__PURE__ */ Object.create(null);
        this[V] = e, e.linkpath = this[dt].replace(/\0.*/, "");
        break;
      }
      default:
        throw new Error("unknown meta: " + t.type);
    }
  }
  abort(t) {
    if (!this[$]) {
      if (this[w]) {
        let e = this[w];
        e.write = () => true, e.end = () => e, e.emit = () => false, e.destroy?.();
      }
      this[$] = true, this.emit("abort", t), this.warn("TAR_ABORT", t, { recoverable: false });
    }
  }
  [Xs](t) {
    this[$i] += t.length;
    let e = this[$i] / this[le];
    return e > this.maxDecompressionRatio ? (this.abort(new Error(`max decompression ratio exceeded: ${e.toFixed(2)} > ${this.maxDecompressionRatio}`)), false) : true;
  }
  write(t, e, i) {
    if (typeof e == "function" && (i = e, e = void 0), typeof t == "string" && (t = Buffer.from(t, typeof e == "string" ? e : "utf8")), this[$]) return i?.(), false;
    if ((this[w] === void 0 || this.brotli === void 0 && this[w] === false) && t) {
      if (this[p] && (t = Buffer.concat([this[p], t]), this[p] = void 0), t.length < An) return this[p] = t, i?.(), true;
      for (let a = 0; this[w] === void 0 && a < Xi.length; a++) t[a] !== Xi[a] && (this[w] = false);
      let o = false;
      if (this[w] === false && this.zstd !== false) {
        o = true;
        for (let a = 0; a < qi.length; a++) if (t[a] !== qi[a]) {
          o = false;
          break;
        }
      }
      let h = this.brotli === void 0 && !o;
      if (this[w] === false && h) if (t.length < 512) if (this[ut]) this.brotli = true;
      else return this[p] = t, i?.(), true;
      else try {
        new F(t.subarray(0, 512)), this.brotli = false;
      } catch {
        this.brotli = true;
      }
      if (this[w] === void 0 || this[w] === false && (this.brotli || o)) {
        let a = this[ut];
        this[ut] = false, this[w] = this[w] === void 0 ? new Ue({}) : o ? new Ke({}) : new Ge({}), this[w].on("data", (c) => {
          this[Xs](c) && this[Xe](c);
        }), this[w].on("error", (c) => {
          this[$] || this.abort(c);
        }), this[w].on("end", () => {
          this[ut] = true, this[Xe]();
        }), this[Yt] = true, this[le] += t.length;
        let l = !!this[w][a ? "end" : "write"](t);
        return this[Yt] = false, i?.(), l;
      }
    }
    this[Yt] = true, this[w] ? (this[le] += t.length, this[w].write(t)) : this[Xe](t), this[Yt] = false;
    let n = this[st].length > 0 ? false : this[it] ? this[it].flowing : true;
    return !n && this[st].length === 0 && this[it]?.once("drain", () => this.emit("drain")), i?.(), n;
  }
  [Vi](t) {
    t && !this[$] && (this[p] = this[p] ? Buffer.concat([this[p], t]) : t);
  }
  [Qe]() {
    if (this[ut] && !this[Yi] && !this[$] && !this[ae]) {
      this[Yi] = true;
      let t = this[Nt];
      if (t?.blockRemain) {
        let e = this[p] ? this[p].length : 0;
        this.warn("TAR_BAD_ARCHIVE", `Truncated input (needed ${t.blockRemain} more bytes, only ${e} available)`, { entry: t }), this[p] && t.write(this[p]), t.end();
      }
      this[At](Je);
    }
  }
  [Xe](t) {
    if (this[ae] && t) this[Vi](t);
    else if (!t && !this[p]) this[Qe]();
    else if (t) {
      if (this[ae] = true, this[p]) {
        this[Vi](t);
        let e = this[p];
        this[p] = void 0, this[qe](e);
      } else this[qe](t);
      for (; this[p] && this[p]?.length >= 512 && !this[$] && !this[ti]; ) {
        let e = this[p];
        this[p] = void 0, this[qe](e);
      }
      this[ae] = false;
    }
    (!this[p] || this[ut]) && this[Qe]();
  }
  [qe](t) {
    let e = 0, i = t.length;
    for (; e + 512 <= i && !this[$] && !this[ti]; ) switch (this[B]) {
      case "begin":
      case "header":
        this[Vs](t, e), e += 512;
        break;
      case "ignore":
      case "body":
        e += this[Ki](t, e);
        break;
      case "meta":
        e += this[Ks](t, e);
        break;
      default:
        throw new Error("invalid state: " + this[B]);
    }
    e < i && (this[p] = this[p] ? Buffer.concat([t.subarray(e), this[p]]) : t.subarray(e));
  }
  end(t, e, i) {
    return typeof t == "function" && (i = t, e = void 0, t = void 0), typeof e == "function" && (i = e, e = void 0), typeof t == "string" && (t = Buffer.from(t, e)), i && this.once("finish", i), this[$] || (this[w] ? (t && (this[le] += t.length, this[w].write(t)), this[w].end()) : (this[ut] = true, (this.brotli === void 0 || this.zstd === void 0) && (t = t || Buffer.alloc(0)), t && this.write(t), this[Qe]())), this;
  }
};
var mt = (s3) => {
  let t = s3.length - 1, e = -1;
  for (; t > -1 && s3.charAt(t) === "/"; ) e = t, t--;
  return e === -1 ? s3 : s3.slice(0, e);
};
var vn = (s3) => {
  let t = s3.onReadEntry;
  s3.onReadEntry = t ? (e) => {
    t(e), e.resume();
  } : (e) => e.resume();
};
var Qi = (s3, t) => {
  let e = new Map(t.map((o) => [mt(o), true])), i = s3.filter, r = 100, n = (o, h = "", a = 0) => {
    if (a >= r) return e.set(o, false), false;
    let l = h || kn(o).root || ".", c;
    if (o === l) c = false;
    else {
      let d = e.get(o);
      c = d !== void 0 ? d : n(Fn(o), l, a + 1);
    }
    return e.set(o, c), c;
  };
  s3.filter = i ? (o, h) => i(o, h) && n(mt(o)) : (o) => n(mt(o));
};
var Mn = (s3) => {
  let t = new rt(s3), e = s3.file, i;
  try {
    i = Kt.openSync(e, "r");
    let r = Kt.fstatSync(i), n = s3.maxReadSize || 16 * 1024 * 1024;
    if (r.size < n) {
      let o = Buffer.allocUnsafe(r.size), h = Kt.readSync(i, o, 0, r.size, 0);
      t.end(h === o.byteLength ? o : o.subarray(0, h));
    } else {
      let o = 0, h = Buffer.allocUnsafe(n);
      for (; o < r.size; ) {
        let a = Kt.readSync(i, h, 0, n, o);
        if (a === 0) break;
        o += a, t.write(h.subarray(0, a));
      }
      t.end();
    }
  } finally {
    if (typeof i == "number") try {
      Kt.closeSync(i);
    } catch {
    }
  }
};
var Bn = (s3, t) => {
  let e = new rt(s3), i = s3.maxReadSize || 16 * 1024 * 1024, r = s3.file;
  return new Promise((o, h) => {
    e.on("error", h), e.on("end", o), Kt.stat(r, (a, l) => {
      if (a) h(a);
      else {
        let c = new _t(r, { readSize: i, size: l.size });
        c.on("error", h), c.pipe(e);
      }
    });
  });
};
var Ct = K(Mn, Bn, (s3) => new rt(s3), (s3) => new rt(s3), (s3, t) => {
  t?.length && Qi(s3, t), s3.noResume || vn(s3);
});
var Ji = (s3, t, e) => (s3 &= 4095, e && (s3 = (s3 | 384) & -19), t && (s3 & 256 && (s3 |= 64), s3 & 32 && (s3 |= 8), s3 & 4 && (s3 |= 1)), s3);
var { isAbsolute: zn, parse: qs } = Pn;
var ce = (s3) => {
  let t = "", e = qs(s3);
  for (; zn(s3) || e.root; ) {
    let i = s3.charAt(0) === "/" && s3.slice(0, 4) !== "//?/" ? "/" : e.root;
    s3 = s3.slice(i.length), t += i, e = qs(s3);
  }
  return [t, s3];
};
var ei = ["|", "<", ">", "?", ":"];
var ji = ei.map((s3) => String.fromCodePoint(61440 + Number(s3.codePointAt(0))));
var Un = new Map(ei.map((s3, t) => [s3, ji[t]]));
var Hn = new Map(ji.map((s3, t) => [s3, ei[t]]));
var ts = (s3) => ei.reduce((t, e) => t.split(e).join(Un.get(e)), s3);
var Qs = (s3) => ji.reduce((t, e) => t.split(e).join(Hn.get(e)), s3);
var rr = (s3, t) => t ? (s3 = f(s3).replace(/^\.(\/|$)/, ""), mt(t) + "/" + s3) : f(s3);
var Wn = 16 * 1024 * 1024;
var tr = /* @__PURE__ */ Symbol("process");
var er = /* @__PURE__ */ Symbol("file");
var ir = /* @__PURE__ */ Symbol("directory");
var is = /* @__PURE__ */ Symbol("symlink");
var sr = /* @__PURE__ */ Symbol("hardlink");
var fe = /* @__PURE__ */ Symbol("header");
var ii = /* @__PURE__ */ Symbol("read");
var ss = /* @__PURE__ */ Symbol("lstat");
var si = /* @__PURE__ */ Symbol("onlstat");
var rs = /* @__PURE__ */ Symbol("onread");
var ns = /* @__PURE__ */ Symbol("onreadlink");
var os = /* @__PURE__ */ Symbol("openfile");
var hs = /* @__PURE__ */ Symbol("onopenfile");
var pt = /* @__PURE__ */ Symbol("close");
var ri = /* @__PURE__ */ Symbol("mode");
var as = /* @__PURE__ */ Symbol("awaitDrain");
var es = /* @__PURE__ */ Symbol("ondrain");
var q = /* @__PURE__ */ Symbol("prefix");
var de = class extends A {
  path;
  portable;
  myuid = process.getuid && process.getuid() || 0;
  myuser = process.env.USER || "";
  maxReadSize;
  linkCache;
  statCache;
  preservePaths;
  cwd;
  strict;
  mtime;
  noPax;
  noMtime;
  prefix;
  fd;
  blockLen = 0;
  blockRemain = 0;
  buf;
  pos = 0;
  remain = 0;
  length = 0;
  offset = 0;
  win32;
  absolute;
  header;
  type;
  linkpath;
  stat;
  onWriteEntry;
  #t = false;
  constructor(t, e = {}) {
    let i = se(e);
    super(), this.path = f(t), this.portable = !!i.portable, this.maxReadSize = i.maxReadSize || Wn, this.linkCache = i.linkCache || /* @__PURE__ */ new Map(), this.statCache = i.statCache || /* @__PURE__ */ new Map(), this.preservePaths = !!i.preservePaths, this.cwd = f(i.cwd || process.cwd()), this.strict = !!i.strict, this.noPax = !!i.noPax, this.noMtime = !!i.noMtime, this.mtime = i.mtime, this.prefix = i.prefix ? f(i.prefix) : void 0, this.onWriteEntry = i.onWriteEntry, typeof i.onwarn == "function" && this.on("warn", i.onwarn);
    let r = false;
    if (!this.preservePaths) {
      let [o, h] = ce(this.path);
      o && typeof h == "string" && (this.path = h, r = o);
    }
    this.win32 = !!i.win32 || process.platform === "win32", this.win32 && (this.path = Qs(this.path.replaceAll(/\\/g, "/")), t = t.replaceAll(/\\/g, "/")), this.absolute = f(i.absolute || js.resolve(this.cwd, t)), this.path === "" && (this.path = "./"), r && this.warn("TAR_ENTRY_INFO", `stripping ${r} from absolute path`, { entry: this, path: r + this.path });
    let n = this.statCache.get(this.absolute);
    n ? this[si](n) : this[ss]();
  }
  warn(t, e, i = {}) {
    return Dt(this, t, e, i);
  }
  emit(t, ...e) {
    return t === "error" && (this.#t = true), super.emit(t, ...e);
  }
  [ss]() {
    X.lstat(this.absolute, (t, e) => {
      if (t) return this.emit("error", t);
      this[si](e);
    });
  }
  [si](t) {
    this.statCache.set(this.absolute, t), this.stat = t, t.isFile() || (t.size = 0), this.type = Gn(t), this.emit("stat", t), this[tr]();
  }
  [tr]() {
    switch (this.type) {
      case "File":
        return this[er]();
      case "Directory":
        return this[ir]();
      case "SymbolicLink":
        return this[is]();
      default:
        return this.end();
    }
  }
  [ri](t) {
    return Ji(t, this.type === "Directory", this.portable);
  }
  [q](t) {
    return rr(t, this.prefix);
  }
  [fe]() {
    if (!this.stat) throw new Error("cannot write header before stat");
    this.type === "Directory" && this.portable && (this.noMtime = true), this.onWriteEntry?.(this), this.header = new F({ path: this[q](this.path), linkpath: this.type === "Link" && this.linkpath !== void 0 ? this[q](this.linkpath) : this.linkpath, mode: this[ri](this.stat.mode), uid: this.portable ? void 0 : this.stat.uid, gid: this.portable ? void 0 : this.stat.gid, size: this.stat.size, mtime: this.noMtime ? void 0 : this.mtime || this.stat.mtime, type: this.type === "Unsupported" ? void 0 : this.type, uname: this.portable ? void 0 : this.stat.uid === this.myuid ? this.myuser : "", atime: this.portable ? void 0 : this.stat.atime, ctime: this.portable ? void 0 : this.stat.ctime }), this.header.encode() && !this.noPax && super.write(new ft({ atime: this.portable ? void 0 : this.header.atime, ctime: this.portable ? void 0 : this.header.ctime, gid: this.portable ? void 0 : this.header.gid, mtime: this.noMtime ? void 0 : this.mtime || this.header.mtime, path: this[q](this.path), linkpath: this.type === "Link" && this.linkpath !== void 0 ? this[q](this.linkpath) : this.linkpath, size: this.header.size, uid: this.portable ? void 0 : this.header.uid, uname: this.portable ? void 0 : this.header.uname, dev: this.portable ? void 0 : this.stat.dev, ino: this.portable ? void 0 : this.stat.ino, nlink: this.portable ? void 0 : this.stat.nlink }).encode());
    let t = this.header?.block;
    if (!t) throw new Error("failed to encode header");
    super.write(t);
  }
  [ir]() {
    if (!this.stat) throw new Error("cannot create directory entry without stat");
    this.path.slice(-1) !== "/" && (this.path += "/"), this.stat.size = 0, this[fe](), this.end();
  }
  [is]() {
    X.readlink(this.absolute, (t, e) => {
      if (t) return this.emit("error", t);
      this[ns](e);
    });
  }
  [ns](t) {
    this.linkpath = f(t), this[fe](), this.end();
  }
  [sr](t) {
    if (!this.stat) throw new Error("cannot create link entry without stat");
    this.type = "Link", this.linkpath = f(js.relative(this.cwd, t)), this.stat.size = 0, this[fe](), this.end();
  }
  [er]() {
    if (!this.stat) throw new Error("cannot create file entry without stat");
    if (this.stat.nlink > 1) {
      let t = `${this.stat.dev}:${this.stat.ino}`, e = this.linkCache.get(t);
      if (e?.indexOf(this.cwd) === 0) return this[sr](e);
      this.linkCache.set(t, this.absolute);
    }
    if (this[fe](), this.stat.size === 0) return this.end();
    this[os]();
  }
  [os]() {
    X.open(this.absolute, "r", (t, e) => {
      if (t) return this.emit("error", t);
      this[hs](e);
    });
  }
  [hs](t) {
    if (this.fd = t, this.#t) return this[pt]();
    if (!this.stat) throw new Error("should stat before calling onopenfile");
    this.blockLen = 512 * Math.ceil(this.stat.size / 512), this.blockRemain = this.blockLen;
    let e = Math.min(this.blockLen, this.maxReadSize);
    this.buf = Buffer.allocUnsafe(e), this.offset = 0, this.pos = 0, this.remain = this.stat.size, this.length = this.buf.length, this[ii]();
  }
  [ii]() {
    let { fd: t, buf: e, offset: i, length: r, pos: n } = this;
    if (t === void 0 || e === void 0) throw new Error("cannot read file without first opening");
    X.read(t, e, i, r, n, (o, h) => {
      if (o) return this[pt](() => this.emit("error", o));
      this[rs](h);
    });
  }
  [pt](t = () => {
  }) {
    this.fd !== void 0 && X.close(this.fd, t);
  }
  [rs](t) {
    if (t <= 0 && this.remain > 0) {
      let r = Object.assign(new Error("encountered unexpected EOF"), { path: this.absolute, syscall: "read", code: "EOF" });
      return this[pt](() => this.emit("error", r));
    }
    if (t > this.remain) {
      let r = Object.assign(new Error("did not encounter expected EOF"), { path: this.absolute, syscall: "read", code: "EOF" });
      return this[pt](() => this.emit("error", r));
    }
    if (!this.buf) throw new Error("should have created buffer prior to reading");
    if (t === this.remain) for (let r = t; r < this.length && t < this.blockRemain; r++) this.buf[r + this.offset] = 0, t++, this.remain++;
    let e = this.offset === 0 && t === this.buf.length ? this.buf : this.buf.subarray(this.offset, this.offset + t);
    this.write(e) ? this[es]() : this[as](() => this[es]());
  }
  [as](t) {
    this.once("drain", t);
  }
  write(t, e, i) {
    if (typeof e == "function" && (i = e, e = void 0), typeof t == "string" && (t = Buffer.from(t, typeof e == "string" ? e : "utf8")), this.blockRemain < t.length) {
      let r = Object.assign(new Error("writing more data than expected"), { path: this.absolute });
      return this.emit("error", r);
    }
    return this.remain -= t.length, this.blockRemain -= t.length, this.pos += t.length, this.offset += t.length, super.write(t, null, i);
  }
  [es]() {
    if (!this.remain) return this.blockRemain && super.write(Buffer.alloc(this.blockRemain)), this[pt]((t) => t ? this.emit("error", t) : this.end());
    if (!this.buf) throw new Error("buffer lost somehow in ONDRAIN");
    this.offset >= this.length && (this.buf = Buffer.allocUnsafe(Math.min(this.blockRemain, this.buf.length)), this.offset = 0), this.length = this.buf.length - this.offset, this[ii]();
  }
};
var ni = class extends de {
  sync = true;
  [ss]() {
    this[si](X.lstatSync(this.absolute));
  }
  [is]() {
    this[ns](X.readlinkSync(this.absolute));
  }
  [os]() {
    this[hs](X.openSync(this.absolute, "r"));
  }
  [ii]() {
    let t = true;
    try {
      let { fd: e, buf: i, offset: r, length: n, pos: o } = this;
      if (e === void 0 || i === void 0) throw new Error("fd and buf must be set in READ method");
      let h = X.readSync(e, i, r, n, o);
      this[rs](h), t = false;
    } finally {
      if (t) try {
        this[pt](() => {
        });
      } catch {
      }
    }
  }
  [as](t) {
    t();
  }
  [pt](t = () => {
  }) {
    this.fd !== void 0 && X.closeSync(this.fd), t();
  }
};
var oi = class extends A {
  blockLen = 0;
  blockRemain = 0;
  buf = 0;
  pos = 0;
  remain = 0;
  length = 0;
  preservePaths;
  portable;
  strict;
  noPax;
  noMtime;
  readEntry;
  type;
  prefix;
  path;
  mode;
  uid;
  gid;
  uname;
  gname;
  header;
  mtime;
  atime;
  ctime;
  linkpath;
  size;
  onWriteEntry;
  warn(t, e, i = {}) {
    return Dt(this, t, e, i);
  }
  constructor(t, e = {}) {
    let i = se(e);
    super(), this.preservePaths = !!i.preservePaths, this.portable = !!i.portable, this.strict = !!i.strict, this.noPax = !!i.noPax, this.noMtime = !!i.noMtime, this.onWriteEntry = i.onWriteEntry, this.readEntry = t;
    let { type: r } = t;
    if (r === "Unsupported") throw new Error("writing entry that should be ignored");
    this.type = r, this.type === "Directory" && this.portable && (this.noMtime = true), this.prefix = i.prefix, this.path = f(t.path), this.mode = t.mode !== void 0 ? this[ri](t.mode) : void 0, this.uid = this.portable ? void 0 : t.uid, this.gid = this.portable ? void 0 : t.gid, this.uname = this.portable ? void 0 : t.uname, this.gname = this.portable ? void 0 : t.gname, this.size = t.size, this.mtime = this.noMtime ? void 0 : i.mtime || t.mtime, this.atime = this.portable ? void 0 : t.atime, this.ctime = this.portable ? void 0 : t.ctime, this.linkpath = t.linkpath !== void 0 ? f(t.linkpath) : void 0, typeof i.onwarn == "function" && this.on("warn", i.onwarn);
    let n = false;
    if (!this.preservePaths) {
      let [h, a] = ce(this.path);
      h && typeof a == "string" && (this.path = a, n = h);
    }
    this.remain = t.size, this.blockRemain = t.startBlockSize, this.onWriteEntry?.(this), this.header = new F({ path: this[q](this.path), linkpath: this.type === "Link" && this.linkpath !== void 0 ? this[q](this.linkpath) : this.linkpath, mode: this.mode, uid: this.portable ? void 0 : this.uid, gid: this.portable ? void 0 : this.gid, size: this.size, mtime: this.noMtime ? void 0 : this.mtime, type: this.type, uname: this.portable ? void 0 : this.uname, atime: this.portable ? void 0 : this.atime, ctime: this.portable ? void 0 : this.ctime }), n && this.warn("TAR_ENTRY_INFO", `stripping ${n} from absolute path`, { entry: this, path: n + this.path }), this.header.encode() && !this.noPax && super.write(new ft({ atime: this.portable ? void 0 : this.atime, ctime: this.portable ? void 0 : this.ctime, gid: this.portable ? void 0 : this.gid, mtime: this.noMtime ? void 0 : this.mtime, path: this[q](this.path), linkpath: this.type === "Link" && this.linkpath !== void 0 ? this[q](this.linkpath) : this.linkpath, size: this.size, uid: this.portable ? void 0 : this.uid, uname: this.portable ? void 0 : this.uname, dev: this.portable ? void 0 : this.readEntry.dev, ino: this.portable ? void 0 : this.readEntry.ino, nlink: this.portable ? void 0 : this.readEntry.nlink }).encode());
    let o = this.header?.block;
    if (!o) throw new Error("failed to encode header");
    super.write(o), t.pipe(this);
  }
  [q](t) {
    return rr(t, this.prefix);
  }
  [ri](t) {
    return Ji(t, this.type === "Directory", this.portable);
  }
  write(t, e, i) {
    typeof e == "function" && (i = e, e = void 0), typeof t == "string" && (t = Buffer.from(t, typeof e == "string" ? e : "utf8"));
    let r = t.length;
    if (r > this.blockRemain) throw new Error("writing more to entry than is appropriate");
    return this.blockRemain -= r, super.write(t, i);
  }
  end(t, e, i) {
    return this.blockRemain && super.write(Buffer.alloc(this.blockRemain)), typeof t == "function" && (i = t, e = void 0, t = void 0), typeof e == "function" && (i = e, e = void 0), typeof t == "string" && (t = Buffer.from(t, e ?? "utf8")), i && this.once("finish", i), t ? super.end(t, i) : super.end(i), this;
  }
};
var Gn = (s3) => s3.isFile() ? "File" : s3.isDirectory() ? "Directory" : s3.isSymbolicLink() ? "SymbolicLink" : "Unsupported";
var hi = class s2 {
  tail;
  head;
  length = 0;
  static create(t = []) {
    return new s2(t);
  }
  constructor(t = []) {
    for (let e of t) this.push(e);
  }
  *[Symbol.iterator]() {
    for (let t = this.head; t; t = t.next) yield t.value;
  }
  removeNode(t) {
    if (t.list !== this) throw new Error("removing node which does not belong to this list");
    let e = t.next, i = t.prev;
    return e && (e.prev = i), i && (i.next = e), t === this.head && (this.head = e), t === this.tail && (this.tail = i), this.length--, t.next = void 0, t.prev = void 0, t.list = void 0, e;
  }
  unshiftNode(t) {
    if (t === this.head) return;
    t.list && t.list.removeNode(t);
    let e = this.head;
    t.list = this, t.next = e, e && (e.prev = t), this.head = t, this.tail || (this.tail = t), this.length++;
  }
  pushNode(t) {
    if (t === this.tail) return;
    t.list && t.list.removeNode(t);
    let e = this.tail;
    t.list = this, t.prev = e, e && (e.next = t), this.tail = t, this.head || (this.head = t), this.length++;
  }
  push(...t) {
    for (let e = 0, i = t.length; e < i; e++) Yn(this, t[e]);
    return this.length;
  }
  unshift(...t) {
    for (var e = 0, i = t.length; e < i; e++) Kn(this, t[e]);
    return this.length;
  }
  pop() {
    if (!this.tail) return;
    let t = this.tail.value, e = this.tail;
    return this.tail = this.tail.prev, this.tail ? this.tail.next = void 0 : this.head = void 0, e.list = void 0, this.length--, t;
  }
  shift() {
    if (!this.head) return;
    let t = this.head.value, e = this.head;
    return this.head = this.head.next, this.head ? this.head.prev = void 0 : this.tail = void 0, e.list = void 0, this.length--, t;
  }
  forEach(t, e) {
    e = e || this;
    for (let i = this.head, r = 0; i; r++) t.call(e, i.value, r, this), i = i.next;
  }
  forEachReverse(t, e) {
    e = e || this;
    for (let i = this.tail, r = this.length - 1; i; r--) t.call(e, i.value, r, this), i = i.prev;
  }
  get(t) {
    let e = 0, i = this.head;
    for (; i && e < t; e++) i = i.next;
    if (e === t && i) return i.value;
  }
  getReverse(t) {
    let e = 0, i = this.tail;
    for (; i && e < t; e++) i = i.prev;
    if (e === t && i) return i.value;
  }
  map(t, e) {
    e = e || this;
    let i = new s2();
    for (let r = this.head; r; ) i.push(t.call(e, r.value, this)), r = r.next;
    return i;
  }
  mapReverse(t, e) {
    e = e || this;
    var i = new s2();
    for (let r = this.tail; r; ) i.push(t.call(e, r.value, this)), r = r.prev;
    return i;
  }
  reduce(t, e) {
    let i, r = this.head;
    if (arguments.length > 1) i = e;
    else if (this.head) r = this.head.next, i = this.head.value;
    else throw new TypeError("Reduce of empty list with no initial value");
    for (var n = 0; r; n++) i = t(i, r.value, n), r = r.next;
    return i;
  }
  reduceReverse(t, e) {
    let i, r = this.tail;
    if (arguments.length > 1) i = e;
    else if (this.tail) r = this.tail.prev, i = this.tail.value;
    else throw new TypeError("Reduce of empty list with no initial value");
    for (let n = this.length - 1; r; n--) i = t(i, r.value, n), r = r.prev;
    return i;
  }
  toArray() {
    let t = new Array(this.length);
    for (let e = 0, i = this.head; i; e++) t[e] = i.value, i = i.next;
    return t;
  }
  toArrayReverse() {
    let t = new Array(this.length);
    for (let e = 0, i = this.tail; i; e++) t[e] = i.value, i = i.prev;
    return t;
  }
  slice(t = 0, e = this.length) {
    e < 0 && (e += this.length), t < 0 && (t += this.length);
    let i = new s2();
    if (e < t || e < 0) return i;
    t < 0 && (t = 0), e > this.length && (e = this.length);
    let r = this.head, n = 0;
    for (n = 0; r && n < t; n++) r = r.next;
    for (; r && n < e; n++, r = r.next) i.push(r.value);
    return i;
  }
  sliceReverse(t = 0, e = this.length) {
    e < 0 && (e += this.length), t < 0 && (t += this.length);
    let i = new s2();
    if (e < t || e < 0) return i;
    t < 0 && (t = 0), e > this.length && (e = this.length);
    let r = this.length, n = this.tail;
    for (; n && r > e; r--) n = n.prev;
    for (; n && r > t; r--, n = n.prev) i.push(n.value);
    return i;
  }
  splice(t, e = 0, ...i) {
    t > this.length && (t = this.length - 1), t < 0 && (t = this.length + t);
    let r = this.head;
    for (let o = 0; r && o < t; o++) r = r.next;
    let n = [];
    for (let o = 0; r && o < e; o++) n.push(r.value), r = this.removeNode(r);
    r ? r !== this.tail && (r = r.prev) : r = this.tail;
    for (let o of i) r = Zn(this, r, o);
    return n;
  }
  reverse() {
    let t = this.head, e = this.tail;
    for (let i = t; i; i = i.prev) {
      let r = i.prev;
      i.prev = i.next, i.next = r;
    }
    return this.head = e, this.tail = t, this;
  }
};
function Zn(s3, t, e) {
  let i = t, r = t ? t.next : s3.head, n = new ue(e, i, r, s3);
  return n.next === void 0 && (s3.tail = n), n.prev === void 0 && (s3.head = n), s3.length++, n;
}
function Yn(s3, t) {
  s3.tail = new ue(t, s3.tail, void 0, s3), s3.head || (s3.head = s3.tail), s3.length++;
}
function Kn(s3, t) {
  s3.head = new ue(t, void 0, s3.head, s3), s3.tail || (s3.tail = s3.head), s3.length++;
}
var ue = class {
  list;
  next;
  prev;
  value;
  constructor(t, e, i, r) {
    this.list = r, this.value = t, e ? (e.next = this, this.prev = e) : this.prev = void 0, i ? (i.prev = this, this.next = i) : this.next = void 0;
  }
};
var pi = class {
  path;
  absolute;
  entry;
  stat;
  readdir;
  pending = false;
  pendingLink = false;
  ignore = false;
  piped = false;
  constructor(t, e) {
    this.path = t || "./", this.absolute = e;
  }
};
var nr = Buffer.alloc(1024);
var li = /* @__PURE__ */ Symbol("onStat");
var me = /* @__PURE__ */ Symbol("ended");
var W = /* @__PURE__ */ Symbol("queue");
var pe = /* @__PURE__ */ Symbol("pendingLinks");
var Et = /* @__PURE__ */ Symbol("current");
var Ft = /* @__PURE__ */ Symbol("process");
var Ee = /* @__PURE__ */ Symbol("processing");
var ai = /* @__PURE__ */ Symbol("processJob");
var G = /* @__PURE__ */ Symbol("jobs");
var ls = /* @__PURE__ */ Symbol("jobDone");
var ci = /* @__PURE__ */ Symbol("addFSEntry");
var or = /* @__PURE__ */ Symbol("addTarEntry");
var ds = /* @__PURE__ */ Symbol("stat");
var us = /* @__PURE__ */ Symbol("readdir");
var fi = /* @__PURE__ */ Symbol("onreaddir");
var di = /* @__PURE__ */ Symbol("pipe");
var hr = /* @__PURE__ */ Symbol("entry");
var cs = /* @__PURE__ */ Symbol("entryOpt");
var ui = /* @__PURE__ */ Symbol("writeEntryClass");
var lr = /* @__PURE__ */ Symbol("write");
var fs = /* @__PURE__ */ Symbol("ondrain");
var wt = class extends A {
  sync = false;
  opt;
  cwd;
  maxReadSize;
  preservePaths;
  strict;
  noPax;
  prefix;
  linkCache;
  statCache;
  file;
  portable;
  zip;
  readdirCache;
  noDirRecurse;
  follow;
  noMtime;
  mtime;
  filter;
  jobs;
  [ui];
  onWriteEntry;
  [W];
  [pe] = /* @__PURE__ */ new Map();
  [G] = 0;
  [Ee] = false;
  [me] = false;
  constructor(t = {}) {
    if (super(), this.opt = t, this.file = t.file || "", this.cwd = t.cwd || process.cwd(), this.maxReadSize = t.maxReadSize, this.preservePaths = !!t.preservePaths, this.strict = !!t.strict, this.noPax = !!t.noPax, this.prefix = f(t.prefix || ""), this.linkCache = t.linkCache || /* @__PURE__ */ new Map(), this.statCache = t.statCache || /* @__PURE__ */ new Map(), this.readdirCache = t.readdirCache || /* @__PURE__ */ new Map(), this.onWriteEntry = t.onWriteEntry, this[ui] = de, typeof t.onwarn == "function" && this.on("warn", t.onwarn), this.portable = !!t.portable, t.gzip || t.brotli || t.zstd) {
      if ((t.gzip ? 1 : 0) + (t.brotli ? 1 : 0) + (t.zstd ? 1 : 0) > 1) throw new TypeError("gzip, brotli, zstd are mutually exclusive");
      if (t.gzip && (typeof t.gzip != "object" && (t.gzip = {}), this.portable && (t.gzip.portable = true), this.zip = new ze(t.gzip)), t.brotli && (typeof t.brotli != "object" && (t.brotli = {}), this.zip = new We(t.brotli)), t.zstd && (typeof t.zstd != "object" && (t.zstd = {}), this.zip = new Ye(t.zstd)), !this.zip) throw new Error("impossible");
      let e = this.zip;
      e.on("data", (i) => super.write(i)), e.on("end", () => super.end()), e.on("drain", () => this[fs]()), this.on("resume", () => e.resume());
    } else this.on("drain", this[fs]);
    this.noDirRecurse = !!t.noDirRecurse, this.follow = !!t.follow, this.noMtime = !!t.noMtime, t.mtime && (this.mtime = t.mtime), this.filter = typeof t.filter == "function" ? t.filter : () => true, this[W] = new hi(), this[G] = 0, this.jobs = Number(t.jobs) || 4, this[Ee] = false, this[me] = false;
  }
  [lr](t) {
    return super.write(t);
  }
  add(t) {
    return this.write(t), this;
  }
  end(t, e, i) {
    return typeof t == "function" && (i = t, t = void 0), typeof e == "function" && (i = e, e = void 0), t && this.add(t), this[me] = true, this[Ft](), i && i(), this;
  }
  write(t) {
    if (this[me]) throw new Error("write after end");
    return typeof t == "string" ? this[ci](t) : this[or](t), this.flowing;
  }
  [or](t) {
    let e = f(ar.resolve(this.cwd, t.path));
    if (!this.filter(t.path, t)) t.resume();
    else {
      let i = new pi(t.path, e);
      i.entry = new oi(t, this[cs](i)), i.entry.on("end", () => this[ls](i)), this[G] += 1, this[W].push(i);
    }
    this[Ft]();
  }
  [ci](t) {
    let e = f(ar.resolve(this.cwd, t));
    this[W].push(new pi(t, e)), this[Ft]();
  }
  [ds](t) {
    t.pending = true, this[G] += 1;
    let e = this.follow ? "stat" : "lstat";
    mi[e](t.absolute, (i, r) => {
      t.pending = false, this[G] -= 1, i ? this.emit("error", i) : this[li](t, r);
    });
  }
  [li](t, e) {
    if (this.statCache.set(t.absolute, e), t.stat = e, !this.filter(t.path, e)) t.ignore = true;
    else if (e.isFile() && e.nlink > 1 && !this.linkCache.get(`${e.dev}:${e.ino}`) && !this.sync) if (t === this[Et]) this[ai](t);
    else {
      let i = `${e.dev}:${e.ino}`, r = this[pe].get(i);
      r ? r.push(t) : this[pe].set(i, [t]), t.pendingLink = true, t.pending = true;
    }
    this[Ft]();
  }
  [us](t) {
    t.pending = true, this[G] += 1, mi.readdir(t.absolute, (e, i) => {
      if (t.pending = false, this[G] -= 1, e) return this.emit("error", e);
      this[fi](t, i);
    });
  }
  [fi](t, e) {
    this.readdirCache.set(t.absolute, e), t.readdir = e, this[Ft]();
  }
  [Ft]() {
    if (!this[Ee]) {
      this[Ee] = true;
      for (let t = this[W].head; t && this[G] < this.jobs; t = t.next) if (this[ai](t.value), t.value.ignore) {
        let e = t.next;
        this[W].removeNode(t), t.next = e;
      }
      this[Ee] = false, this[me] && this[W].length === 0 && this[G] === 0 && (this.zip ? this.zip.end(nr) : (super.write(nr), super.end()));
    }
  }
  get [Et]() {
    return this[W] && this[W].head && this[W].head.value;
  }
  [ls](t) {
    this[W].shift(), this[G] -= 1;
    let { stat: e } = t;
    if (e && e.isFile() && e.nlink > 1) {
      let i = `${e.dev}:${e.ino}`, r = this[pe].get(i);
      if (r) {
        this[pe].delete(i);
        for (let n of r) n.pending = false, this[ai](n);
      }
    }
    this[Ft]();
  }
  [ai](t) {
    if (t.pending && t.pendingLink && t === this[Et] && (t.pending = false, t.pendingLink = false), !t.pending) {
      if (t.entry) {
        t === this[Et] && !t.piped && this[di](t);
        return;
      }
      if (!t.stat) {
        let e = this.statCache.get(t.absolute);
        e ? this[li](t, e) : this[ds](t);
      }
      if (t.stat && !t.ignore) {
        if (!this.noDirRecurse && t.stat.isDirectory() && !t.readdir) {
          let e = this.readdirCache.get(t.absolute);
          if (e ? this[fi](t, e) : this[us](t), !t.readdir) return;
        }
        if (t.entry = this[hr](t), !t.entry) {
          t.ignore = true;
          return;
        }
        t === this[Et] && !t.piped && this[di](t);
      }
    }
  }
  [cs](t) {
    return { onwarn: (e, i, r) => this.warn(e, i, r), noPax: this.noPax, cwd: this.cwd, absolute: t.absolute, preservePaths: this.preservePaths, maxReadSize: this.maxReadSize, strict: this.strict, portable: this.portable, linkCache: this.linkCache, statCache: this.statCache, noMtime: this.noMtime, mtime: this.mtime, prefix: this.prefix, onWriteEntry: this.onWriteEntry };
  }
  [hr](t) {
    this[G] += 1;
    try {
      return new this[ui](t.path, this[cs](t)).on("end", () => this[ls](t)).on("error", (i) => this.emit("error", i));
    } catch (e) {
      this.emit("error", e);
    }
  }
  [fs]() {
    this[Et] && this[Et].entry && this[Et].entry.resume();
  }
  [di](t) {
    t.piped = true, t.readdir && t.readdir.forEach((r) => {
      let n = t.path, o = n === "./" ? "" : n.replace(/\/*$/, "/");
      this[ci](o + r);
    });
    let e = t.entry, i = this.zip;
    if (!e) throw new Error("cannot pipe without source");
    i ? e.on("data", (r) => {
      i.write(r) || e.pause();
    }) : e.on("data", (r) => {
      super.write(r) || e.pause();
    });
  }
  pause() {
    return this.zip && this.zip.pause(), super.pause();
  }
  warn(t, e, i = {}) {
    Dt(this, t, e, i);
  }
};
var kt = class extends wt {
  sync = true;
  constructor(t) {
    super(t), this[ui] = ni;
  }
  pause() {
  }
  resume() {
  }
  [ds](t) {
    let e = this.follow ? "statSync" : "lstatSync";
    this[li](t, mi[e](t.absolute));
  }
  [us](t) {
    this[fi](t, mi.readdirSync(t.absolute));
  }
  [di](t) {
    let e = t.entry, i = this.zip;
    if (t.readdir && t.readdir.forEach((r) => {
      let n = t.path, o = n === "./" ? "" : n.replace(/\/*$/, "/");
      this[ci](o + r);
    }), !e) throw new Error("Cannot pipe without source");
    i ? e.on("data", (r) => {
      i.write(r);
    }) : e.on("data", (r) => {
      super[lr](r);
    });
  }
};
var Vn = (s3, t) => {
  let e = new kt(s3), i = new Wt(s3.file, { mode: s3.mode || 438 });
  e.pipe(i), fr(e, t);
};
var $n = (s3, t) => {
  let e = new wt(s3), i = new et(s3.file, { mode: s3.mode || 438 });
  e.pipe(i);
  let r = new Promise((n, o) => {
    i.on("error", o), i.on("close", n), e.on("error", o);
  });
  return dr(e, t).catch((n) => e.emit("error", n)), r;
};
var fr = (s3, t) => {
  t.forEach((e) => {
    e.charAt(0) === "@" ? Ct({ file: cr.resolve(s3.cwd, e.slice(1)), sync: true, noResume: true, onReadEntry: (i) => s3.add(i) }) : s3.add(e);
  }), s3.end();
};
var dr = async (s3, t) => {
  for (let e of t) e.charAt(0) === "@" ? await Ct({ file: cr.resolve(String(s3.cwd), e.slice(1)), noResume: true, onReadEntry: (i) => {
    s3.add(i);
  } }) : s3.add(e);
  s3.end();
};
var Xn = (s3, t) => {
  let e = new kt(s3);
  return fr(e, t), e;
};
var qn = (s3, t) => {
  let e = new wt(s3);
  return dr(e, t).catch((i) => e.emit("error", i)), e;
};
var Qn = K(Vn, $n, Xn, qn, (s3, t) => {
  if (!t?.length) throw new TypeError("no paths specified to add to archive");
});
var Jn = process.env.__FAKE_PLATFORM__ || process.platform;
var Er = Jn === "win32";
var { O_CREAT: wr, O_NOFOLLOW: ur, O_TRUNC: Sr, O_WRONLY: yr } = pr.constants;
var Rr = Number(process.env.__FAKE_FS_O_FILENAME__) || pr.constants.UV_FS_O_FILEMAP || 0;
var jn = Er && !!Rr;
var to = 512 * 1024;
var eo = Rr | Sr | wr | yr;
var mr = !Er && typeof ur == "number" ? ur | Sr | wr | yr : null;
var ms = mr !== null ? () => mr : jn ? (s3) => s3 < to ? eo : "w" : () => "w";
var ps = (s3, t, e) => {
  try {
    return wi.lchownSync(s3, t, e);
  } catch (i) {
    if (i?.code !== "ENOENT") throw i;
  }
};
var Ei = (s3, t, e, i) => {
  wi.lchown(s3, t, e, (r) => {
    i(r && r?.code !== "ENOENT" ? r : null);
  });
};
var io = (s3, t, e, i, r) => {
  if (t.isDirectory()) Es(we.resolve(s3, t.name), e, i, (n) => {
    if (n) return r(n);
    let o = we.resolve(s3, t.name);
    Ei(o, e, i, r);
  });
  else {
    let n = we.resolve(s3, t.name);
    Ei(n, e, i, r);
  }
};
var Es = (s3, t, e, i) => {
  wi.readdir(s3, { withFileTypes: true }, (r, n) => {
    if (r) {
      if (r.code === "ENOENT") return i();
      if (r.code !== "ENOTDIR" && r.code !== "ENOTSUP") return i(r);
    }
    if (r || !n.length) return Ei(s3, t, e, i);
    let o = n.length, h = null, a = (l) => {
      if (!h) {
        if (l) return i(h = l);
        if (--o === 0) return Ei(s3, t, e, i);
      }
    };
    for (let l of n) io(s3, l, t, e, a);
  });
};
var so = (s3, t, e, i) => {
  t.isDirectory() && ws(we.resolve(s3, t.name), e, i), ps(we.resolve(s3, t.name), e, i);
};
var ws = (s3, t, e) => {
  let i;
  try {
    i = wi.readdirSync(s3, { withFileTypes: true });
  } catch (r) {
    let n = r;
    if (n?.code === "ENOENT") return;
    if (n?.code === "ENOTDIR" || n?.code === "ENOTSUP") return ps(s3, t, e);
    throw n;
  }
  for (let r of i) so(s3, r, t, e);
  return ps(s3, t, e);
};
var Se = class extends Error {
  path;
  code;
  syscall = "chdir";
  constructor(t, e) {
    super(`${e}: Cannot cd into '${t}'`), this.path = t, this.code = e;
  }
  get name() {
    return "CwdError";
  }
};
var St = class extends Error {
  path;
  symlink;
  syscall = "symlink";
  code = "TAR_SYMLINK_ERROR";
  constructor(t, e) {
    super("TAR_SYMLINK_ERROR: Cannot extract through symbolic link"), this.symlink = t, this.path = e;
  }
  get name() {
    return "SymlinkError";
  }
};
var no = (s3, t) => {
  k.stat(s3, (e, i) => {
    (e || !i.isDirectory()) && (e = new Se(s3, e?.code || "ENOTDIR")), t(e);
  });
};
var gr = (s3, t, e) => {
  s3 = f(s3);
  let i = t.umask ?? 18, r = t.mode | 448, n = (r & i) !== 0, o = t.uid, h = t.gid, a = typeof o == "number" && typeof h == "number" && (o !== t.processUid || h !== t.processGid), l = t.preserve, c = t.unlink, d = f(t.cwd), y = (E, x) => {
    E ? e(E) : x && a ? Es(x, o, h, (Le) => y(Le)) : n ? k.chmod(s3, r, e) : e();
  };
  if (s3 === d) return no(s3, y);
  if (l) return ro.mkdir(s3, { mode: r, recursive: true }).then((E) => y(null, E ?? void 0), y);
  let D = f(Si.relative(d, s3)).split("/");
  Ss(d, D, r, c, d, void 0, y);
};
var Ss = (s3, t, e, i, r, n, o) => {
  if (t.length === 0) return o(null, n);
  let h = t.shift(), a = f(Si.resolve(s3 + "/" + h));
  k.mkdir(a, e, br(a, t, e, i, r, n, o));
};
var br = (s3, t, e, i, r, n, o) => (h) => {
  h ? k.lstat(s3, (a, l) => {
    if (a) a.path = a.path && f(a.path), o(a);
    else if (l.isDirectory()) Ss(s3, t, e, i, r, n, o);
    else if (i) k.unlink(s3, (c) => {
      if (c) return o(c);
      k.mkdir(s3, e, br(s3, t, e, i, r, n, o));
    });
    else {
      if (l.isSymbolicLink()) return o(new St(s3, s3 + "/" + t.join("/")));
      o(h);
    }
  }) : (n = n || s3, Ss(s3, t, e, i, r, n, o));
};
var oo = (s3) => {
  let t = false, e;
  try {
    t = k.statSync(s3).isDirectory();
  } catch (i) {
    e = i?.code;
  } finally {
    if (!t) throw new Se(s3, e ?? "ENOTDIR");
  }
};
var _r = (s3, t) => {
  s3 = f(s3);
  let e = t.umask ?? 18, i = t.mode | 448, r = (i & e) !== 0, n = t.uid, o = t.gid, h = typeof n == "number" && typeof o == "number" && (n !== t.processUid || o !== t.processGid), a = t.preserve, l = t.unlink, c = f(t.cwd), d = (E) => {
    E && h && ws(E, n, o), r && k.chmodSync(s3, i);
  };
  if (s3 === c) return oo(c), d();
  if (a) return d(k.mkdirSync(s3, { mode: i, recursive: true }) ?? void 0);
  let T = f(Si.relative(c, s3)).split("/"), D;
  for (let E = T.shift(), x = c; E && (x += "/" + E); E = T.shift()) {
    x = f(Si.resolve(x));
    try {
      k.mkdirSync(x, i), D = D || x;
    } catch {
      let Le = k.lstatSync(x);
      if (Le.isDirectory()) continue;
      if (l) {
        k.unlinkSync(x), k.mkdirSync(x, i), D = D || x;
        continue;
      } else if (Le.isSymbolicLink()) return new St(x, x + "/" + T.join("/"));
    }
  }
  return d(D);
};
var ys = /* @__PURE__ */ Object.create(null);
var Or = 1e4;
var Vt = /* @__PURE__ */ new Set();
var Tr = (s3) => {
  Vt.has(s3) ? Vt.delete(s3) : ys[s3] = s3.normalize("NFD").toLocaleLowerCase("en").toLocaleUpperCase("en"), Vt.add(s3);
  let t = ys[s3], e = Vt.size - Or;
  if (e > Or / 10) {
    for (let i of Vt) if (Vt.delete(i), delete ys[i], --e <= 0) break;
  }
  return t;
};
var ho = process.env.TESTING_TAR_FAKE_PLATFORM || process.platform;
var ao = ho === "win32";
var lo = (s3) => s3.split("/").slice(0, -1).reduce((e, i) => {
  let r = e.at(-1);
  return r !== void 0 && (i = xr(r, i)), e.push(i || "/"), e;
}, []);
var yi = class {
  #t = /* @__PURE__ */ new Map();
  #i = /* @__PURE__ */ new Map();
  #s = /* @__PURE__ */ new Set();
  reserve(t, e) {
    t = ao ? ["win32 parallelization disabled"] : t.map((r) => mt(xr(Tr(r))));
    let i = new Set(t.map((r) => lo(r)).reduce((r, n) => r.concat(n)));
    this.#i.set(e, { dirs: i, paths: t });
    for (let r of t) {
      let n = this.#t.get(r);
      n ? n.push(e) : this.#t.set(r, [e]);
    }
    for (let r of i) {
      let n = this.#t.get(r);
      if (!n) this.#t.set(r, [/* @__PURE__ */ new Set([e])]);
      else {
        let o = n.at(-1);
        o instanceof Set ? o.add(e) : n.push(/* @__PURE__ */ new Set([e]));
      }
    }
    return this.#r(e);
  }
  #n(t) {
    let e = this.#i.get(t);
    if (!e) throw new Error("function does not have any path reservations");
    return { paths: e.paths.map((i) => this.#t.get(i)), dirs: [...e.dirs].map((i) => this.#t.get(i)) };
  }
  check(t) {
    let { paths: e, dirs: i } = this.#n(t);
    return e.every((r) => r && r[0] === t) && i.every((r) => r && r[0] instanceof Set && r[0].has(t));
  }
  #r(t) {
    return this.#s.has(t) || !this.check(t) ? false : (this.#s.add(t), t(() => this.#e(t)), true);
  }
  #e(t) {
    if (!this.#s.has(t)) return false;
    let e = this.#i.get(t);
    if (!e) throw new Error("invalid reservation");
    let { paths: i, dirs: r } = e, n = /* @__PURE__ */ new Set();
    for (let o of i) {
      let h = this.#t.get(o);
      if (!h || h?.[0] !== t) continue;
      let a = h[1];
      if (!a) {
        this.#t.delete(o);
        continue;
      }
      if (h.shift(), typeof a == "function") n.add(a);
      else for (let l of a) n.add(l);
    }
    for (let o of r) {
      let h = this.#t.get(o), a = h?.[0];
      if (!(!h || !(a instanceof Set))) if (a.size === 1 && h.length === 1) {
        this.#t.delete(o);
        continue;
      } else if (a.size === 1) {
        h.shift();
        let l = h[0];
        typeof l == "function" && n.add(l);
      } else a.delete(t);
    }
    return this.#s.delete(t), n.forEach((o) => this.#r(o)), true;
  }
};
var Lr = () => process.umask();
var Dr = /* @__PURE__ */ Symbol("onEntry");
var _s = /* @__PURE__ */ Symbol("checkFs");
var Nr = /* @__PURE__ */ Symbol("checkFs2");
var Os = /* @__PURE__ */ Symbol("isReusable");
var P = /* @__PURE__ */ Symbol("makeFs");
var Ts = /* @__PURE__ */ Symbol("file");
var xs = /* @__PURE__ */ Symbol("directory");
var gi = /* @__PURE__ */ Symbol("link");
var Ar = /* @__PURE__ */ Symbol("symlink");
var Ir = /* @__PURE__ */ Symbol("hardlink");
var Re = /* @__PURE__ */ Symbol("ensureNoSymlink");
var Cr = /* @__PURE__ */ Symbol("unsupported");
var Fr = /* @__PURE__ */ Symbol("checkPath");
var Rs = /* @__PURE__ */ Symbol("stripAbsolutePath");
var yt = /* @__PURE__ */ Symbol("mkdir");
var O = /* @__PURE__ */ Symbol("onError");
var Ri = /* @__PURE__ */ Symbol("pending");
var kr = /* @__PURE__ */ Symbol("pend");
var $t = /* @__PURE__ */ Symbol("unpend");
var gs = /* @__PURE__ */ Symbol("ended");
var bs = /* @__PURE__ */ Symbol("maybeClose");
var Ls = /* @__PURE__ */ Symbol("skip");
var ge = /* @__PURE__ */ Symbol("doChown");
var be = /* @__PURE__ */ Symbol("uid");
var _e = /* @__PURE__ */ Symbol("gid");
var Oe = /* @__PURE__ */ Symbol("checkedCwd");
var fo = process.env.TESTING_TAR_FAKE_PLATFORM || process.platform;
var Te = fo === "win32";
var uo = 1024;
var mo = (s3, t) => {
  if (!Te) return u.unlink(s3, t);
  let e = s3 + ".DELETE." + Mr(16).toString("hex");
  u.rename(s3, e, (i) => {
    if (i) return t(i);
    u.unlink(e, t);
  });
};
var po = (s3) => {
  if (!Te) return u.unlinkSync(s3);
  let t = s3 + ".DELETE." + Mr(16).toString("hex");
  u.renameSync(s3, t), u.unlinkSync(t);
};
var vr = (s3, t, e) => s3 !== void 0 && s3 === s3 >>> 0 ? s3 : t !== void 0 && t === t >>> 0 ? t : e;
var Xt = class extends rt {
  [gs] = false;
  [Oe] = false;
  [Ri] = 0;
  reservations = new yi();
  transform;
  writable = true;
  readable = false;
  uid;
  gid;
  setOwner;
  preserveOwner;
  processGid;
  processUid;
  maxDepth;
  forceChown;
  win32;
  newer;
  keep;
  noMtime;
  preservePaths;
  unlink;
  cwd;
  strip;
  processUmask;
  umask;
  dmode;
  fmode;
  chmod;
  constructor(t = {}) {
    if (t.ondone = () => {
      this[gs] = true, this[bs]();
    }, super(t), this.transform = t.transform, this.chmod = !!t.chmod, typeof t.uid == "number" || typeof t.gid == "number") {
      if (typeof t.uid != "number" || typeof t.gid != "number") throw new TypeError("cannot set owner without number uid and gid");
      if (t.preserveOwner) throw new TypeError("cannot preserve owner in archive and also set owner explicitly");
      this.uid = t.uid, this.gid = t.gid, this.setOwner = true;
    } else this.uid = void 0, this.gid = void 0, this.setOwner = false;
    this.preserveOwner = t.preserveOwner === void 0 && typeof t.uid != "number" ? process.getuid?.() === 0 : !!t.preserveOwner, this.processUid = (this.preserveOwner || this.setOwner) && process.getuid ? process.getuid() : void 0, this.processGid = (this.preserveOwner || this.setOwner) && process.getgid ? process.getgid() : void 0, this.maxDepth = typeof t.maxDepth == "number" ? t.maxDepth : uo, this.forceChown = t.forceChown === true, this.win32 = !!t.win32 || Te, this.newer = !!t.newer, this.keep = !!t.keep, this.noMtime = !!t.noMtime, this.preservePaths = !!t.preservePaths, this.unlink = !!t.unlink, this.cwd = f(R.resolve(t.cwd || process.cwd())), this.strip = Number(t.strip) || 0, this.processUmask = this.chmod ? typeof t.processUmask == "number" ? t.processUmask : Lr() : 0, this.umask = typeof t.umask == "number" ? t.umask : this.processUmask, this.dmode = t.dmode || 511 & ~this.umask, this.fmode = t.fmode || 438 & ~this.umask, this.on("entry", (e) => this[Dr](e));
  }
  warn(t, e, i = {}) {
    return (t === "TAR_BAD_ARCHIVE" || t === "TAR_ABORT") && (i.recoverable = false), super.warn(t, e, i);
  }
  [bs]() {
    this[gs] && this[Ri] === 0 && (this.emit("prefinish"), this.emit("finish"), this.emit("end"));
  }
  [Rs](t, e) {
    let i = t[e], { type: r } = t;
    if (!i || this.preservePaths) return true;
    let [n, o] = ce(i), h = o.replaceAll(/\\/g, "/").split("/");
    if (h.includes("..") || Te && /^[a-z]:\.\.$/i.test(h[0] ?? "")) {
      if (e === "path" || r === "Link") return this.warn("TAR_ENTRY_ERROR", `${e} contains '..'`, { entry: t, [e]: i }), false;
      let a = R.posix.dirname(t.path), l = R.posix.normalize(R.posix.join(a, h.join("/")));
      if (l.startsWith("../") || l === "..") return this.warn("TAR_ENTRY_ERROR", `${e} escapes extraction directory`, { entry: t, [e]: i }), false;
    }
    return n && (t[e] = String(o), this.warn("TAR_ENTRY_INFO", `stripping ${n} from absolute ${e}`, { entry: t, [e]: i })), true;
  }
  [Fr](t) {
    let e = f(t.path), i = e.split("/");
    if (this.strip) {
      if (i.length < this.strip) return false;
      if (t.type === "Link") {
        let r = f(String(t.linkpath)).split("/");
        if (r.length >= this.strip) t.linkpath = r.slice(this.strip).join("/");
        else return false;
      }
      i.splice(0, this.strip), t.path = i.join("/");
    }
    if (isFinite(this.maxDepth) && i.length > this.maxDepth) return this.warn("TAR_ENTRY_ERROR", "path excessively deep", { entry: t, path: e, depth: i.length, maxDepth: this.maxDepth }), false;
    if (!this[Rs](t, "path") || !this[Rs](t, "linkpath")) return false;
    if (t.absolute = R.isAbsolute(t.path) ? f(R.resolve(t.path)) : f(R.resolve(this.cwd, t.path)), !this.preservePaths && typeof t.absolute == "string" && t.absolute.indexOf(this.cwd + "/") !== 0 && t.absolute !== this.cwd) return this.warn("TAR_ENTRY_ERROR", "path escaped extraction target", { entry: t, path: f(t.path), resolvedPath: t.absolute, cwd: this.cwd }), false;
    if (t.absolute === this.cwd && t.type !== "Directory" && t.type !== "GNUDumpDir") return false;
    if (this.win32) {
      let { root: r } = R.win32.parse(String(t.absolute));
      t.absolute = r + ts(String(t.absolute).slice(r.length));
      let { root: n } = R.win32.parse(t.path);
      t.path = n + ts(t.path.slice(n.length));
    }
    return true;
  }
  [Dr](t) {
    if (!this[Fr](t)) return t.resume();
    switch (co.equal(typeof t.absolute, "string"), t.type) {
      case "Directory":
      case "GNUDumpDir":
        t.mode && (t.mode = t.mode | 448);
      case "File":
      case "OldFile":
      case "ContiguousFile":
      case "Link":
      case "SymbolicLink":
        return this[_s](t);
      default:
        return this[Cr](t);
    }
  }
  [O](t, e) {
    t.name === "CwdError" ? this.emit("error", t) : (this.warn("TAR_ENTRY_ERROR", t, { entry: e }), this[$t](), e.resume());
  }
  [yt](t, e, i) {
    gr(f(t), { uid: this.uid, gid: this.gid, processUid: this.processUid, processGid: this.processGid, umask: this.processUmask, preserve: this.preservePaths, unlink: this.unlink, cwd: this.cwd, mode: e }, i);
  }
  [ge](t) {
    return this.forceChown || this.preserveOwner && (typeof t.uid == "number" && t.uid !== this.processUid || typeof t.gid == "number" && t.gid !== this.processGid) || typeof this.uid == "number" && this.uid !== this.processUid || typeof this.gid == "number" && this.gid !== this.processGid;
  }
  [be](t) {
    return vr(this.uid, t.uid, this.processUid);
  }
  [_e](t) {
    return vr(this.gid, t.gid, this.processGid);
  }
  [Ts](t, e) {
    let i = typeof t.mode == "number" ? t.mode & 4095 : this.fmode, r = new et(String(t.absolute), { flags: ms(t.size), mode: i, autoClose: false });
    r.on("error", (a) => {
      r.fd && u.close(r.fd, () => {
      }), r.write = () => true, this[O](a, t), e();
    });
    let n = 1, o = (a) => {
      if (a) {
        r.fd && u.close(r.fd, () => {
        }), this[O](a, t), e();
        return;
      }
      --n === 0 && r.fd !== void 0 && u.close(r.fd, (l) => {
        l ? this[O](l, t) : this[$t](), e();
      });
    };
    r.on("finish", () => {
      let a = String(t.absolute), l = r.fd;
      if (typeof l == "number" && t.mtime && !this.noMtime) {
        n++;
        let c = t.atime || /* @__PURE__ */ new Date(), d = t.mtime;
        u.futimes(l, c, d, (y) => y ? u.utimes(a, c, d, (T) => o(T && y)) : o());
      }
      if (typeof l == "number" && this[ge](t)) {
        n++;
        let c = this[be](t), d = this[_e](t);
        typeof c == "number" && typeof d == "number" && u.fchown(l, c, d, (y) => y ? u.chown(a, c, d, (T) => o(T && y)) : o());
      }
      o();
    });
    let h = this.transform && this.transform(t) || t;
    h !== t && (h.on("error", (a) => {
      this[O](a, t), e();
    }), t.pipe(h)), h.pipe(r);
  }
  [xs](t, e) {
    let i = typeof t.mode == "number" ? t.mode & 4095 : this.dmode;
    this[yt](String(t.absolute), i, (r) => {
      if (r) {
        this[O](r, t), e();
        return;
      }
      let n = 1, o = () => {
        --n === 0 && (e(), this[$t](), t.resume());
      };
      t.mtime && !this.noMtime && (n++, u.utimes(String(t.absolute), t.atime || /* @__PURE__ */ new Date(), t.mtime, o)), this[ge](t) && (n++, u.chown(String(t.absolute), Number(this[be](t)), Number(this[_e](t)), o)), o();
    });
  }
  [Cr](t) {
    t.unsupported = true, this.warn("TAR_ENTRY_UNSUPPORTED", `unsupported entry type: ${t.type}`, { entry: t }), t.resume();
  }
  [Ar](t, e) {
    let i = f(R.relative(this.cwd, R.resolve(R.dirname(String(t.absolute)), String(t.linkpath)))).split("/");
    this[Re](t, this.cwd, i, () => this[gi](t, String(t.linkpath), "symlink", e), (r) => {
      this[O](r, t), e();
    });
  }
  [Ir](t, e) {
    let i = f(R.resolve(this.cwd, String(t.linkpath))), r = f(String(t.linkpath)).split("/");
    this[Re](t, this.cwd, r, () => this[gi](t, i, "link", e), (n) => {
      this[O](n, t), e();
    });
  }
  [Re](t, e, i, r, n) {
    let o = i.shift();
    if (this.preservePaths || o === void 0) return r();
    let h = R.resolve(e, o);
    u.lstat(h, (a, l) => {
      if (a) return r();
      if (l?.isSymbolicLink()) return n(new St(h, R.resolve(h, i.join("/"))));
      this[Re](t, h, i, r, n);
    });
  }
  [kr]() {
    this[Ri]++;
  }
  [$t]() {
    this[Ri]--, this[bs]();
  }
  [Ls](t) {
    this[$t](), t.resume();
  }
  [Os](t, e) {
    return t.type === "File" && !this.unlink && e.isFile() && e.nlink <= 1 && !Te;
  }
  [_s](t) {
    this[kr]();
    let e = [t.path];
    t.linkpath && e.push(t.linkpath), this.reservations.reserve(e, (i) => this[Nr](t, i));
  }
  [Nr](t, e) {
    let i = (h) => {
      e(h);
    }, r = () => {
      this[yt](this.cwd, this.dmode, (h) => {
        if (h) {
          this[O](h, t), i();
          return;
        }
        this[Oe] = true, n();
      });
    }, n = () => {
      if (t.absolute !== this.cwd) {
        let h = f(R.dirname(String(t.absolute)));
        if (h !== this.cwd) return this[yt](h, this.dmode, (a) => {
          if (a) {
            this[O](a, t), i();
            return;
          }
          o();
        });
      }
      o();
    }, o = () => {
      u.lstat(String(t.absolute), (h, a) => {
        if (a && (this.keep || this.newer && a.mtime > (t.mtime ?? a.mtime))) {
          this[Ls](t), i();
          return;
        }
        if (h || this[Os](t, a)) return this[P](null, t, i);
        if (a.isDirectory()) {
          if (t.type === "Directory") {
            let l = this.chmod && t.mode && (a.mode & 4095) !== t.mode, c = (d) => this[P](d ?? null, t, i);
            return l ? u.chmod(String(t.absolute), Number(t.mode), c) : c();
          }
          if (t.absolute !== this.cwd) return u.rmdir(String(t.absolute), (l) => this[P](l ?? null, t, i));
        }
        if (t.absolute === this.cwd) return this[P](null, t, i);
        mo(String(t.absolute), (l) => this[P](l ?? null, t, i));
      });
    };
    this[Oe] ? n() : r();
  }
  [P](t, e, i) {
    if (t) {
      this[O](t, e), i();
      return;
    }
    switch (e.type) {
      case "File":
      case "OldFile":
      case "ContiguousFile":
        return this[Ts](e, i);
      case "Link":
        return this[Ir](e, i);
      case "SymbolicLink":
        return this[Ar](e, i);
      case "Directory":
      case "GNUDumpDir":
        return this[xs](e, i);
    }
  }
  [gi](t, e, i, r) {
    u[i](e, String(t.absolute), (n) => {
      n ? this[O](n, t) : (this[$t](), t.resume()), r();
    });
  }
};
var ye = (s3) => {
  try {
    return [null, s3()];
  } catch (t) {
    return [t, null];
  }
};
var xe = class extends Xt {
  sync = true;
  [P](t, e) {
    return super[P](t, e, () => {
    });
  }
  [_s](t) {
    if (!this[Oe]) {
      let n = this[yt](this.cwd, this.dmode);
      if (n) return this[O](n, t);
      this[Oe] = true;
    }
    if (t.absolute !== this.cwd) {
      let n = f(R.dirname(String(t.absolute)));
      if (n !== this.cwd) {
        let o = this[yt](n, this.dmode);
        if (o) return this[O](o, t);
      }
    }
    let [e, i] = ye(() => u.lstatSync(String(t.absolute)));
    if (i && (this.keep || this.newer && i.mtime > (t.mtime ?? i.mtime))) return this[Ls](t);
    if (e || this[Os](t, i)) return this[P](null, t);
    if (i.isDirectory()) {
      if (t.type === "Directory") {
        let o = this.chmod && t.mode && (i.mode & 4095) !== t.mode, [h] = o ? ye(() => {
          u.chmodSync(String(t.absolute), Number(t.mode));
        }) : [];
        return this[P](h, t);
      }
      let [n] = ye(() => u.rmdirSync(String(t.absolute)));
      this[P](n, t);
    }
    let [r] = t.absolute === this.cwd ? [] : ye(() => po(String(t.absolute)));
    this[P](r, t);
  }
  [Ts](t, e) {
    let i = typeof t.mode == "number" ? t.mode & 4095 : this.fmode, r = (h) => {
      let a;
      try {
        u.closeSync(n);
      } catch (l) {
        a = l;
      }
      (h || a) && this[O](h || a, t), e();
    }, n;
    try {
      n = u.openSync(String(t.absolute), ms(t.size), i);
    } catch (h) {
      return r(h);
    }
    let o = this.transform && this.transform(t) || t;
    o !== t && (o.on("error", (h) => this[O](h, t)), t.pipe(o)), o.on("data", (h) => {
      try {
        u.writeSync(n, h, 0, h.length);
      } catch (a) {
        r(a);
      }
    }), o.on("end", () => {
      let h = null;
      if (t.mtime && !this.noMtime) {
        let a = t.atime || /* @__PURE__ */ new Date(), l = t.mtime;
        try {
          u.futimesSync(n, a, l);
        } catch (c) {
          try {
            u.utimesSync(String(t.absolute), a, l);
          } catch {
            h = c;
          }
        }
      }
      if (this[ge](t)) {
        let a = this[be](t), l = this[_e](t);
        try {
          u.fchownSync(n, Number(a), Number(l));
        } catch (c) {
          try {
            u.chownSync(String(t.absolute), Number(a), Number(l));
          } catch {
            h = h || c;
          }
        }
      }
      r(h);
    });
  }
  [xs](t, e) {
    let i = typeof t.mode == "number" ? t.mode & 4095 : this.dmode, r = this[yt](String(t.absolute), i);
    if (r) {
      this[O](r, t), e();
      return;
    }
    if (t.mtime && !this.noMtime) try {
      u.utimesSync(String(t.absolute), t.atime || /* @__PURE__ */ new Date(), t.mtime);
    } catch {
    }
    if (this[ge](t)) try {
      u.chownSync(String(t.absolute), Number(this[be](t)), Number(this[_e](t)));
    } catch {
    }
    e(), t.resume();
  }
  [yt](t, e) {
    try {
      return _r(f(t), { uid: this.uid, gid: this.gid, processUid: this.processUid, processGid: this.processGid, umask: this.processUmask, preserve: this.preservePaths, unlink: this.unlink, cwd: this.cwd, mode: e });
    } catch (i) {
      return i;
    }
  }
  [Re](t, e, i, r, n) {
    if (this.preservePaths || i.length === 0) return r();
    let o = e;
    for (let h of i) {
      o = R.resolve(o, h);
      let [a, l] = ye(() => u.lstatSync(o));
      if (a) return r();
      if (l.isSymbolicLink()) return n(new St(o, R.resolve(e, i.join("/"))));
    }
    r();
  }
  [gi](t, e, i, r) {
    let n = `${i}Sync`;
    try {
      u[n](e, String(t.absolute)), r(), t.resume();
    } catch (o) {
      return this[O](o, t);
    }
  }
};
var Eo = (s3) => {
  let t = new xe(s3), e = s3.file, i = Br.statSync(e), r = s3.maxReadSize || 16 * 1024 * 1024;
  new Be(e, { readSize: r, size: i.size }).pipe(t);
};
var wo = (s3, t) => {
  let e = new Xt(s3), i = s3.maxReadSize || 16 * 1024 * 1024, r = s3.file;
  return new Promise((o, h) => {
    e.on("error", h), e.on("close", o), Br.stat(r, (a, l) => {
      if (a) h(a);
      else {
        let c = new _t(r, { readSize: i, size: l.size });
        c.on("error", h), c.pipe(e);
      }
    });
  });
};
var So = K(Eo, wo, (s3) => new xe(s3), (s3) => new Xt(s3), (s3, t) => {
  t?.length && Qi(s3, t);
});
var yo = (s3, t) => {
  let e = new kt(s3), i = true, r, n;
  try {
    try {
      r = v.openSync(s3.file, "r+");
    } catch (a) {
      if (a?.code === "ENOENT") r = v.openSync(s3.file, "w+");
      else throw a;
    }
    let o = v.fstatSync(r), h = Buffer.alloc(512);
    t: for (n = 0; n < o.size; n += 512) {
      for (let c = 0, d = 0; c < 512; c += d) {
        if (d = v.readSync(r, h, c, h.length - c, n + c), n === 0 && h[0] === 31 && h[1] === 139) throw new Error("cannot append to compressed archives");
        if (!d) break t;
      }
      let a = new F(h);
      if (!a.cksumValid) break;
      let l = 512 * Math.ceil((a.size || 0) / 512);
      if (n + l + 512 > o.size) break;
      n += l, s3.mtimeCache && a.mtime && s3.mtimeCache.set(String(a.path), a.mtime);
    }
    i = false, Ro(s3, e, n, r, t);
  } finally {
    if (i) try {
      v.closeSync(r);
    } catch {
    }
  }
};
var Ro = (s3, t, e, i, r) => {
  let n = new Wt(s3.file, { fd: i, start: e });
  t.pipe(n), bo(t, r);
};
var go = (s3, t) => {
  t = Array.from(t);
  let e = new wt(s3), i = (n, o, h) => {
    let a = (T, D) => {
      T ? v.close(n, (E) => h(T)) : h(null, D);
    }, l = 0;
    if (o === 0) return a(null, 0);
    let c = 0, d = Buffer.alloc(512), y = (T, D) => {
      if (T || D === void 0) return a(T);
      if (c += D, c < 512 && D) return v.read(n, d, c, d.length - c, l + c, y);
      if (l === 0 && d[0] === 31 && d[1] === 139) return a(new Error("cannot append to compressed archives"));
      if (c < 512) return a(null, l);
      let E = new F(d);
      if (!E.cksumValid) return a(null, l);
      let x = 512 * Math.ceil((E.size ?? 0) / 512);
      if (l + x + 512 > o || (l += x + 512, l >= o)) return a(null, l);
      s3.mtimeCache && E.mtime && s3.mtimeCache.set(String(E.path), E.mtime), c = 0, v.read(n, d, 0, 512, l, y);
    };
    v.read(n, d, 0, 512, l, y);
  };
  return new Promise((n, o) => {
    e.on("error", o);
    let h = "r+", a = (l, c) => {
      if (l && l.code === "ENOENT" && h === "r+") return h = "w+", v.open(s3.file, h, a);
      if (l || !c) return o(l);
      v.fstat(c, (d, y) => {
        if (d) return v.close(c, () => o(d));
        i(c, y.size, (T, D) => {
          if (T) return o(T);
          let E = new et(s3.file, { fd: c, start: D });
          e.pipe(E), E.on("error", o), E.on("close", n), _o(e, t);
        });
      });
    };
    v.open(s3.file, h, a);
  });
};
var bo = (s3, t) => {
  t.forEach((e) => {
    e.charAt(0) === "@" ? Ct({ file: Pr.resolve(s3.cwd, e.slice(1)), sync: true, noResume: true, onReadEntry: (i) => s3.add(i) }) : s3.add(e);
  }), s3.end();
};
var _o = async (s3, t) => {
  for (let e of t) e.charAt(0) === "@" ? await Ct({ file: Pr.resolve(String(s3.cwd), e.slice(1)), noResume: true, onReadEntry: (i) => s3.add(i) }) : s3.add(e);
  s3.end();
};
var vt = K(yo, go, () => {
  throw new TypeError("file is required");
}, () => {
  throw new TypeError("file is required");
}, (s3, t) => {
  if (!Bs(s3)) throw new TypeError("file is required");
  if (s3.gzip || s3.brotli || s3.zstd || s3.file.endsWith(".br") || s3.file.endsWith(".tbr")) throw new TypeError("cannot append to compressed archives");
  if (!t?.length) throw new TypeError("no paths specified to add/replace");
});
var Oo = K(vt.syncFile, vt.asyncFile, vt.syncNoFile, vt.asyncNoFile, (s3, t = []) => {
  vt.validate?.(s3, t), To(s3);
});
var To = (s3) => {
  let t = s3.filter;
  s3.mtimeCache || (s3.mtimeCache = /* @__PURE__ */ new Map()), s3.filter = t ? (e, i) => t(e, i) && !((s3.mtimeCache?.get(e) ?? i.mtime ?? 0) > (i.mtime ?? 0)) : (e, i) => !((s3.mtimeCache?.get(e) ?? i.mtime ?? 0) > (i.mtime ?? 0));
};

// src/cache/local.ts
function defaultCacheDir(env = process.env) {
  return join2(env.XDG_CACHE_HOME || join2(homedir(), ".cache"), "diracos");
}
var ARCHIVE = ".tar";
function fileOf(key) {
  if (!key) throw new DiracosError("a cache key must not be empty");
  return encodeURIComponent(key).replace(/\./g, "%2E") + ARCHIVE;
}
function keyOf(file) {
  if (!file.endsWith(ARCHIVE) || file.startsWith(".")) return void 0;
  try {
    return decodeURIComponent(file.slice(0, -ARCHIVE.length));
  } catch {
    return void 0;
  }
}
function checkAbsolute(paths, what) {
  if (paths.length === 0) throw new DiracosError(`${what}: no paths given`);
  for (const p2 of paths) if (!isAbsolute(p2)) throw new DiracosError(`${what}: path '${p2}' is not absolute`);
}
function tempPath(target) {
  return join2(dirname(target), `.tmp-${process.pid}-${randomBytes(6).toString("hex")}`);
}
var LocalCache = class {
  constructor(dir = join2(defaultCacheDir(), "entries")) {
    this.dir = dir;
  }
  dir;
  async restore(paths, key, restoreKeys = []) {
    checkAbsolute(paths, `cache restore '${key}'`);
    const hit = await this.lookup(key, restoreKeys);
    if (hit === void 0) return void 0;
    const wanted = paths.map((p2) => resolvePath(p2).replace(/\/$/, ""));
    await So({
      file: join2(this.dir, fileOf(hit)),
      preservePaths: true,
      strict: true,
      filter: (entry) => {
        const name = entry.replace(/\/$/, "");
        return wanted.some((w2) => w2 === "" || name === w2 || name.startsWith(w2 + "/"));
      }
    });
    return hit;
  }
  async save(paths, key) {
    checkAbsolute(paths, `cache save '${key}'`);
    const present = paths.map((p2) => resolvePath(p2)).filter((p2) => existsSync(p2));
    if (present.length === 0) return;
    await mkdir(this.dir, { recursive: true });
    const target = join2(this.dir, fileOf(key));
    const tmp = tempPath(target);
    try {
      await Qn({ file: tmp, preservePaths: true, portable: true, strict: true }, present);
      await rename(tmp, target);
    } finally {
      await rm(tmp, { force: true });
    }
  }
  /** The exact key, else for each restore key in order the newest entry whose key starts with it. */
  async lookup(key, restoreKeys = []) {
    if (!existsSync(this.dir)) return void 0;
    const entries = [];
    for (const file of await readdir(this.dir)) {
      const k2 = keyOf(file);
      if (k2 === void 0) continue;
      entries.push({ key: k2, mtime: (await stat(join2(this.dir, file), { bigint: true })).mtimeNs });
    }
    if (entries.some((e) => e.key === key)) return key;
    for (const prefix of restoreKeys) {
      const matches = entries.filter((e) => e.key.startsWith(prefix));
      matches.sort((a, b2) => a.mtime === b2.mtime ? b2.key.localeCompare(a.key) : a.mtime > b2.mtime ? -1 : 1);
      if (matches.length > 0) return matches[0].key;
    }
    return void 0;
  }
};
var ARTIFACT_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;
var LocalArtifactStore = class {
  constructor(dir) {
    this.dir = dir;
  }
  dir;
  async upload(name, files, rootDir) {
    if (!ARTIFACT_NAME.test(name)) throw new DiracosError(`artifact name '${name}' is not valid (letters, digits, . _ + - only)`);
    if (!isAbsolute(rootDir)) throw new DiracosError(`artifact '${name}': root directory '${rootDir}' is not absolute`);
    if (files.length === 0) throw new DiracosError(`artifact '${name}': no files to upload`);
    const rels = files.map((f2) => {
      if (!isAbsolute(f2)) throw new DiracosError(`artifact '${name}': path '${f2}' is not absolute`);
      const rel = relative(rootDir, f2);
      if (rel === "" || rel.startsWith(".." + sep) || rel === ".." || isAbsolute(rel)) {
        throw new DiracosError(`artifact '${name}': file '${f2}' is not under its root directory '${rootDir}'`);
      }
      return rel;
    });
    await mkdir(this.dir, { recursive: true });
    const target = join2(this.dir, name);
    const tmp = tempPath(target);
    try {
      for (const [i, rel] of rels.entries()) {
        await mkdir(dirname(join2(tmp, rel)), { recursive: true });
        await copyFile(files[i], join2(tmp, rel));
      }
      const old = existsSync(target) ? tempPath(target) : void 0;
      if (old) await rename(target, old);
      await rename(tmp, target);
      if (old) await rm(old, { recursive: true, force: true });
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
    return target;
  }
  async download(name, dir) {
    const source2 = join2(this.dir, name);
    if (!ARTIFACT_NAME.test(name) || !existsSync(source2)) {
      throw new DiracosError(`artifact '${name}' not found in ${this.dir}`);
    }
    await mkdir(dir, { recursive: true });
    await copyTree(source2, dir);
    return dir;
  }
};
async function copyTree(from, to2) {
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const src = join2(from, entry.name);
    const dst = join2(to2, entry.name);
    if (entry.isDirectory()) {
      await mkdir(dst, { recursive: true });
      await copyTree(src, dst);
    } else {
      const tmp = tempPath(dst);
      await copyFile(src, tmp);
      await rename(tmp, dst);
    }
  }
}

// src/manifest/resolve.ts
import { isAbsolute as isAbsolute2, resolve as resolvePath2 } from "node:path";
function inherit(...levels) {
  const pick = (key) => levels.reduce((acc, l) => l[key] ?? acc, void 0);
  return {
    defines: Object.assign({}, ...levels.map((l) => l.defines ?? {})),
    with: pick("with") ?? [],
    without: pick("without") ?? [],
    check: pick("check") ?? true,
    buildOnly: pick("buildOnly") ?? false,
    pkgList: pick("pkgList"),
    excludePatterns: pick("excludePatterns") ?? [],
    preSteps: pick("preSteps") ?? [],
    buildCommand: pick("buildCommand"),
    postSteps: pick("postSteps") ?? []
  };
}
function absoluteSource(source2, base) {
  return "path" in source2 ? { ...source2, path: absolute(base, source2.path) } : source2;
}
function absolute(base, path) {
  return isAbsolute2(path) ? path : resolvePath2(base, path);
}
function resolvePackages(m2, base) {
  const { packageGroups: _groups, backend: _b, platform: buildPlatform, ...global } = m2.build;
  return m2.build.packageGroups.flatMap((group) => {
    const { packages, name: groupName, bootstrap, platform: groupPlatform, platformOptions: groupPlatformOptions, ...groupOptions } = group;
    return packages.map((p2) => {
      const platform = p2.platform ?? groupPlatform;
      const platformOptions = p2.platformOptions ?? groupPlatformOptions;
      const { preSteps, buildCommand, ...options } = inherit(global, groupOptions, p2);
      return {
        name: p2.name,
        group: groupName,
        bootstrap: bootstrap ?? false,
        kind: p2.srpm ? "srpm" : p2.spec ? "spec" : p2.tarball ? "tarball" : "rpms",
        srpm: p2.srpm && absoluteSource(p2.srpm, base),
        spec: p2.spec && absolute(base, p2.spec),
        sources: (p2.sources ?? []).map((s3) => absoluteSource(s3, base)),
        tarball: p2.tarball && absoluteSource(p2.tarball, base),
        ...p2.rpms ? { rpms: p2.rpms.map((s3) => absoluteSource(s3, base)) } : {},
        patches: (p2.patches ?? []).map((f2) => absolute(base, f2)),
        ...p2.specPatches?.length ? { specPatches: p2.specPatches.map((f2) => absolute(base, f2)) } : {},
        ...platform !== void 0 && platform !== buildPlatform ? { platform } : {},
        ...hasPlatformOptions(platformOptions) ? { platformOptions } : {},
        ...options,
        ...preSteps.length > 0 ? { preSteps } : {},
        ...buildCommand !== void 0 ? { buildCommand } : {}
      };
    });
  });
}
function hasPlatformOptions(o) {
  return !!o && ((o.setup?.length ?? 0) > 0 || (o.chrootSetup?.length ?? 0) > 0);
}
function findPlatform(m2, name) {
  return m2.platforms.find((p2) => p2.name === name);
}

// src/shared/hash.ts
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
async function sha256File(path) {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk);
  return hash.digest("hex");
}
function sha256String(data) {
  return createHash("sha256").update(data).digest("hex");
}
function stableStringify(value) {
  return JSON.stringify(sortKeys(value));
}
function sortKeys(value) {
  if (Array.isArray(value)) return value.map((v2) => v2 === void 0 ? null : sortKeys(v2));
  if (value !== null && typeof value === "object" && !(value instanceof Date)) {
    const out = {};
    for (const key of Object.keys(value).sort()) {
      const v2 = value[key];
      if (v2 !== void 0) out[key] = sortKeys(v2);
    }
    return out;
  }
  return value;
}
function sha256Object(value) {
  return sha256String(stableStringify(value));
}

// src/pipeline/create-context.ts
import { mkdirSync as mkdirSync3 } from "node:fs";
import { availableParallelism } from "node:os";
import { resolve as resolvePath3 } from "node:path";

// src/runtime/container.ts
import { existsSync as existsSync2, mkdirSync } from "node:fs";

// src/shared/shell.ts
function shQuote(word) {
  return /^[A-Za-z0-9_./:=+@%,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
function shJoin(words) {
  return words.map(shQuote).join(" ");
}

// src/runtime/owned.ts
import { spawnSync } from "node:child_process";
import { randomBytes as randomBytes2 } from "node:crypto";
var OWNER_LABEL = "org.diracos.owner";
var LEGACY_OWNER_LABEL = "org.diracos.tools-owner";
var FORCE_REMOVE = {
  docker: ["rm", "--force"],
  podman: ["rm", "--force", "--ignore", "--time", "0"]
};
function forceRemoveArgs(engine, names) {
  return [...FORCE_REMOVE[engine], ...names];
}
function ownerLabelValue(p2 = thisProcess()) {
  return `${p2.pid}.${p2.start ?? ""}@${p2.host}`;
}
function parseOwner(label, value) {
  if (label === OWNER_LABEL) {
    const m3 = /^(\d+)\.(\d*)@(.+)$/.exec(value);
    return m3 ? { pid: Number(m3[1]), start: m3[2] || void 0, host: m3[3] } : void 0;
  }
  const m2 = /^(.+)\.(\d+)$/.exec(value);
  return m2 ? { host: m2[1], pid: Number(m2[2]) } : void 0;
}
function containerIdentity(purpose) {
  const clean = purpose.replace(/[^A-Za-z0-9_.-]+/g, "-").replace(/^[^A-Za-z0-9]+/, "").slice(0, 60) || "run";
  const name = `diracos-${clean}-${process.pid}-${randomBytes2(3).toString("hex")}`;
  return { name, flags: ["--name", name, "--label", `${OWNER_LABEL}=${ownerLabelValue()}`] };
}
var live = /* @__PURE__ */ new Map();
var unregister;
function removeAllNow() {
  const byEngine = /* @__PURE__ */ new Map();
  for (const [name, engine] of live) byEngine.set(engine, [...byEngine.get(engine) ?? [], name]);
  live.clear();
  unregister = void 0;
  for (const [engine, names] of byEngine) spawnSync(engine, forceRemoveArgs(engine, names), { stdio: "ignore", timeout: 6e4 });
}
function track(engine, name) {
  live.set(name, engine);
  unregister ??= onTermination(removeAllNow);
  return () => {
    live.delete(name);
    if (live.size === 0 && unregister) {
      unregister();
      unregister = void 0;
    }
  };
}
async function removeOrphans(engine, exec) {
  const removed = [];
  for (const label of [OWNER_LABEL, LEGACY_OWNER_LABEL]) {
    const listed = await exec(engine, ["ps", "--all", "--filter", `label=${label}`, "--format", "{{.Names}} {{.Labels}}"], { allowFailure: true }).catch(() => void 0);
    if (!listed || listed.exitCode !== 0) continue;
    const pattern = new RegExp(`${label.replace(/[.]/g, "\\.")}[=:]([^,\\] ]+)`);
    const orphans = listed.stdout.split("\n").map((line) => ({ name: line.trim().split(" ")[0], value: pattern.exec(line)?.[1] })).filter((c) => Boolean(c.name && c.value)).filter((c) => {
      const owner = parseOwner(label, c.value);
      return owner !== void 0 && owner.pid !== process.pid && processState(owner) === "dead";
    }).map((c) => c.name);
    if (orphans.length === 0) continue;
    await exec(engine, forceRemoveArgs(engine, orphans), { allowFailure: true });
    removed.push(...orphans);
  }
  return removed;
}

// src/runtime/container.ts
var PREPARED_REPOSITORY = "localhost/diracos-prepared";
var RUN_FLAGS = [
  (s3) => Object.entries(s3.env ?? {}).flatMap(([k2, v2]) => ["-e", `${k2}=${v2}`]),
  (s3) => s3.workdir ? ["-w", s3.workdir] : [],
  (s3) => s3.user ? ["--user", s3.user] : [],
  (s3) => s3.privileged ? ["--privileged"] : [],
  (s3) => s3.network === false ? ["--network", "none"] : []
];
function csvField(field) {
  return /[",]/.test(field) || field.trim() !== field ? `"${field.replace(/"/g, '""')}"` : field;
}
function mountFlag(mount) {
  for (const path of [mount.source, mount.target]) {
    if (!path.startsWith("/")) throw new DiracosError(`container mount '${mount.source}' -> '${mount.target}': paths must be absolute`);
    if (/[\x00-\x1f]/.test(path)) throw new DiracosError(`container mount ${JSON.stringify(mount.source)}: a path with a line break or another control character cannot be mounted into a container`);
  }
  const fields = ["type=bind", `source=${mount.source}`, `target=${mount.target}`, ...mount.readOnly ? ["ro"] : []];
  return ["--mount", fields.map(csvField).join(",")];
}
function handBack(command, targets, owner) {
  const script = `"$@"; status=$?; chown -R -h ${shQuote(owner)} -- ${targets.map(shQuote).join(" ")} 2>/dev/null; exit $status`;
  return ["sh", "-c", script, "diracos-hand-back", ...command];
}
function unprivilegedOwner() {
  const uid = process.getuid?.();
  return uid === void 0 || uid === 0 ? void 0 : `${uid}:${process.getgid?.() ?? uid}`;
}
function runArgs(spec, owner, identity = []) {
  if (spec.command.length === 0) throw new DiracosError(`container run of '${spec.image}': empty command`);
  for (const key of Object.keys(spec.env ?? {})) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new DiracosError(`container run of '${spec.image}': bad environment variable name '${key}'`);
  }
  const writable = (spec.mounts ?? []).filter((m2) => !m2.readOnly).map((m2) => m2.target);
  const command = owner && !spec.user && writable.length > 0 ? handBack(spec.command, writable, owner) : spec.command;
  return ["run", "--rm", ...identity, ...(spec.mounts ?? []).flatMap(mountFlag), ...RUN_FLAGS.flatMap((flag) => flag(spec)), spec.image, ...command];
}
var SETUP_SCRIPT = [
  "i=0",
  'for c in "$@"; do',
  "  i=$((i+1))",
  '  bash -e -o pipefail -c "$c" || { s=$?; echo "diracos-setup-failed $i $s" >&2; exit "$s"; }',
  "done"
].join("\n");
var SETUP_FAILED = /^diracos-setup-failed (\d+) (\d+)$/m;
var preparing = /* @__PURE__ */ new Map();
var ContainerRuntime = class {
  constructor(name, exec) {
    this.name = name;
    this.exec = exec;
  }
  name;
  exec;
  async run(spec) {
    const { name, flags } = containerIdentity(spec.name ?? "run");
    const args = runArgs(spec, unprivilegedOwner(), flags);
    for (const m2 of spec.mounts ?? []) if (!m2.readOnly && !existsSync2(m2.source)) mkdirSync(m2.source, { recursive: true });
    const untrack = track(this.name, name);
    try {
      return await this.exec(this.name, args, {
        capture: spec.capture,
        onOutput: spec.onOutput,
        allowFailure: spec.allowFailure
      });
    } finally {
      untrack();
    }
  }
  async imageExists(image) {
    return await this.imageId(image) !== void 0;
  }
  /** The image's id, or undefined when it is not present locally (`image inspect` works in both engines). */
  async imageId(image) {
    const r = await this.exec(this.name, ["image", "inspect", "--format", "{{.Id}}", image], { allowFailure: true });
    return r.exitCode === 0 ? r.stdout.trim() : void 0;
  }
  /** The tag `prepareImage` gives this base and setup (base is resolved to its image id when present). */
  async preparedTag(base, setup) {
    const baseId = await this.imageIdOrPull(base);
    return `${PREPARED_REPOSITORY}:${sha256Object({ base: baseId, setup }).slice(0, 16)}`;
  }
  async prepareImage(base, setup, options = {}) {
    if (setup.length === 0) return base;
    const tag = await this.preparedTag(base, setup);
    const key = `${this.name}\0${tag}`;
    let build = preparing.get(key);
    if (!build) {
      build = this.buildPrepared(base, setup, tag, options);
      preparing.set(key, build);
      build.then(
        () => preparing.delete(key),
        () => preparing.delete(key)
      );
    }
    return build;
  }
  async buildPrepared(base, setup, tag, options) {
    if (await this.imageExists(tag)) return tag;
    const { name: container, flags } = containerIdentity(`prepare-${tag.split(":")[1]}`);
    const untrack = track(this.name, container);
    const result = await this.exec(this.name, ["run", ...flags, base, "bash", "-c", SETUP_SCRIPT, "diracos-setup", ...setup], {
      onOutput: options.onOutput,
      allowFailure: true
    }).catch((e) => {
      untrack();
      throw e;
    });
    try {
      if (result.exitCode !== 0) throw setupFailure(base, setup, result);
      await this.exec(this.name, ["commit", "--change", 'CMD ["/bin/bash"]', container, tag]);
    } finally {
      await this.exec(this.name, ["rm", "--force", container], { allowFailure: true });
      untrack();
    }
    return tag;
  }
  /** The image's id, pulled first when it is not present locally. */
  async imageIdOrPull(image) {
    return await this.imageId(image) ?? await this.pull(image);
  }
  async pull(image) {
    const r = await this.exec(this.name, ["pull", image], { allowFailure: true });
    const id = r.exitCode === 0 ? await this.imageId(image) : void 0;
    if (!id) throw new DiracosError(`image '${image}' is not present locally and could not be pulled with ${this.name}:
${r.stderr.trim().split("\n").slice(-5).join("\n")}`);
    return id;
  }
};
function setupFailure(base, setup, result) {
  const marker = SETUP_FAILED.exec(result.stderr);
  const tail2 = result.stderr.replace(SETUP_FAILED, "").trim().split("\n").slice(-15).join("\n");
  if (!marker) {
    return new DiracosError(`preparing image from '${base}': the setup container exited with ${result.exitCode}${tail2 ? `:
${tail2}` : ""}`);
  }
  const index = Number(marker[1]);
  return new DiracosError(
    `preparing image from '${base}': setup command ${index} of ${setup.length} failed (exit ${marker[2]}): ${setup[index - 1]}` + (tail2 ? `
${tail2}` : "")
  );
}

// src/runtime/host.ts
var BWRAP_FLAGS = [
  (s3) => sandboxMounts(s3.mounts ?? []).flatMap((m2) => [m2.readOnly ? "--ro-bind" : "--bind", m2.source, m2.target]),
  (s3) => s3.network === false ? ["--unshare-net"] : []
];
function sandboxMounts(mounts) {
  return mounts.filter((m2) => m2.source !== m2.target || m2.readOnly).sort((a, b2) => a.target.length - b2.target.length);
}
var HostRuntime = class {
  constructor(exec) {
    this.exec = exec;
  }
  exec;
  name = "host";
  run(spec) {
    if (spec.command.length === 0) throw new DiracosError("host run: empty command");
    if (spec.user !== void 0) {
      throw new DiracosError(`host run of '${spec.command[0]}': the host runtime cannot switch user (asked for '${spec.user}'); use podman or docker`);
    }
    const env = { ...process.env, ...spec.env };
    const options = { env, capture: spec.capture, onOutput: spec.onOutput, allowFailure: spec.allowFailure };
    const sandbox = BWRAP_FLAGS.flatMap((flag) => flag(spec));
    if (sandbox.length === 0) return this.exec(spec.command[0], spec.command.slice(1), { ...options, cwd: spec.workdir });
    const chdir = spec.workdir ? ["--chdir", spec.workdir] : [];
    return this.exec("bwrap", ["--bind", "/", "/", ...sandbox, ...chdir, "--", ...spec.command], options);
  }
  /** Every image "exists": the host stands in for all of them. */
  imageExists() {
    return Promise.resolve(true);
  }
  prepareImage(base, setup, _options) {
    if (setup.length > 0) {
      return Promise.reject(
        new DiracosError(
          `the host runtime cannot prepare image '${base}': setup commands (${setup[0]}${setup.length > 1 ? ", ..." : ""}) would change this machine; install what they need beforehand or use podman or docker`
        )
      );
    }
    return Promise.resolve(base);
  }
};

// src/runtime/detect.ts
var AUTO_ORDER = ["docker", "podman"];
async function createRuntime(exec, preference = "auto", onNote) {
  if (preference === "host") return new HostRuntime(exec);
  const engine = preference === "auto" ? await workingEngine(exec) : preference;
  const orphans = await removeOrphans(engine, exec);
  if (orphans.length > 0) onNote?.(`removed ${orphans.length} container(s) left running by an earlier run that was killed: ${orphans.join(", ")}`);
  return new ContainerRuntime(engine, exec);
}
async function workingEngine(exec) {
  const failures = [];
  for (const engine of AUTO_ORDER) {
    const problem = await engineProblem(exec, engine);
    if (problem === void 0) return engine;
    failures.push(`  ${engine}: ${problem}`);
  }
  throw new DiracosError(
    `no working container engine found (tried ${AUTO_ORDER.join(", ")}):
${failures.join("\n")}
install podman (on Debian: apt-get install podman) or choose the host runtime`
  );
}
async function engineProblem(exec, engine) {
  try {
    const r = await exec(engine, ["info"], { allowFailure: true });
    if (r.exitCode === 0) return void 0;
    const lastLine = r.stderr.trim().split("\n").pop() ?? "";
    return `'${engine} info' exited with ${r.exitCode}${lastLine ? `: ${lastLine}` : ""}`;
  } catch (e) {
    if (e instanceof DiracosError) return e.message;
    throw e;
  }
}

// src/runtime/tools.ts
import { existsSync as existsSync3, mkdirSync as mkdirSync2, readFileSync, statSync as statSync2 } from "node:fs";
import { dirname as dirname2, join as join3, resolve, sep as sep2 } from "node:path";
import { fileURLToPath } from "node:url";
var TOOLS_BASE_VARIABLE = "DIRACOS_TOOLS_BASE";
var TOOLS_REPOSITORY = "localhost/diracos-tools";
function hostTools(exec) {
  let dir;
  return {
    where: "host",
    exec,
    execAsRoot: exec,
    scratch: async () => {
      dir ??= join3(process.env.TMPDIR ?? "/tmp", `diracos-tools-${process.pid}`);
      mkdirSync2(dir, { recursive: true });
      return dir;
    },
    share: () => void 0,
    close: async () => void 0
  };
}
function containerfilePath() {
  let dir = dirname2(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join3(dir, "tools", "Containerfile");
    if (existsSync3(candidate)) return candidate;
    dir = dirname2(dir);
  }
  throw new DiracosError(`tools/Containerfile not found above ${fileURLToPath(import.meta.url)} (an incomplete checkout of the actions?)`);
}
function outermost(paths) {
  const sorted = [...new Set([...paths].map((p2) => resolve(p2)))].sort();
  const out = [];
  for (const p2 of sorted) if (!out.some((o) => p2 === o || p2.startsWith(o.endsWith(sep2) ? o : o + sep2))) out.push(p2);
  return out;
}
function changedEnv(env) {
  if (!env) return [];
  return Object.entries(env).filter((e) => e[1] !== void 0 && process.env[e[0]] !== e[1] && e[0] !== "PATH");
}
var ContainerTools = class {
  constructor(runtime, hostExec, shared = [], onNote = () => void 0) {
    this.runtime = runtime;
    this.hostExec = hostExec;
    this.onNote = onNote;
    this.share(...shared);
  }
  runtime;
  hostExec;
  onNote;
  shared = /* @__PURE__ */ new Set();
  container;
  ensuring = Promise.resolve();
  image;
  user = `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}`;
  get where() {
    return `${this.runtime.name} image ${TOOLS_REPOSITORY}`;
  }
  share(...paths) {
    for (const p2 of paths) {
      const abs = resolve(p2);
      const isFile2 = existsSync3(abs) && !statSync2(abs).isDirectory();
      if (!isFile2) mkdirSync2(abs, { recursive: true });
      this.shared.add(isFile2 ? dirname2(abs) : abs);
    }
  }
  exec = (command, args, options) => this.run(this.user, command, args, options);
  execAsRoot = (command, args, options) => this.run("0:0", command, args, options);
  async scratch() {
    const dir = `/var/tmp/diracos-scratch-${process.pid}`;
    await this.execAsRoot("mkdir", ["-p", dir]);
    return dir;
  }
  async close() {
    const c = this.container;
    this.container = void 0;
    if (!c) return;
    const started = await c.catch(() => void 0);
    if (!started) return;
    await this.hostExec(this.runtime.name, forceRemoveArgs(this.runtime.name, [started.name]), { allowFailure: true });
    started.untrack();
  }
  /** The tools image: built once per Containerfile and base image, then reused. */
  toolsImage() {
    this.image ??= this.buildImage();
    return this.image;
  }
  async buildImage() {
    const file = containerfilePath();
    const text = readFileSync(file, "utf8");
    const base = process.env[TOOLS_BASE_VARIABLE] || /^ARG BASE=(\S+)/m.exec(text)?.[1];
    if (!base) throw new DiracosError(`${file}: no 'ARG BASE=' line`);
    const baseId = await this.runtime.imageIdOrPull(base);
    const tag = `${TOOLS_REPOSITORY}:${sha256Object({ text, baseId }).slice(0, 16)}`;
    if (await this.runtime.imageExists(tag)) return tag;
    this.onNote(`building the tools image ${tag} from ${base}`);
    const built = await this.hostExec(this.runtime.name, ["build", "--quiet", "--build-arg", `BASE=${base}`, "-t", tag, "-f", file, dirname2(file)], { allowFailure: true });
    if (built.exitCode !== 0) {
      throw new DiracosError(`building the tools image from ${file} (base ${base}) with ${this.runtime.name} failed:
${built.stderr.trim().split("\n").slice(-15).join("\n")}`);
    }
    return tag;
  }
  async run(user, command, args, options = {}) {
    const cwd = options.cwd ? resolve(options.cwd) : void 0;
    if (cwd) this.share(cwd);
    const { name } = await this.ensure();
    const flags = [
      ...options.input !== void 0 ? ["-i"] : [],
      "-u",
      user,
      ...cwd ? ["-w", cwd] : [],
      ...changedEnv(options.env).flatMap(([k2, v2]) => ["-e", `${k2}=${v2}`])
    ];
    try {
      return await this.hostExec(this.runtime.name, ["exec", ...flags, name, command, ...args], { ...options, cwd: void 0, env: void 0 });
    } catch (e) {
      if (e instanceof ExecError) throw new ExecError(command, args, e.exitCode, e.stderr);
      throw e;
    }
  }
  /**
   * The running container, restarted when a folder was shared after it started or when a mounted folder
   * was removed and made again (the container would still see the removed one). One at a time.
   */
  ensure() {
    const next = this.ensuring.then(() => this.ensureNow());
    this.ensuring = next.catch(() => void 0);
    return next;
  }
  async ensureNow() {
    const wanted = outermost(this.shared);
    const current = this.container ? await this.container.catch(() => void 0) : void 0;
    const covered = current && wanted.every((w2) => current.mounts.some((m2) => w2 === m2 || w2.startsWith(m2 + sep2)));
    if (current && covered && current.mounts.every((m2) => folderId(m2) === current.ids.get(m2))) return current;
    if (current) await this.close();
    for (const m2 of wanted) mkdirSync2(m2, { recursive: true });
    this.container = this.start(wanted);
    this.container.catch(() => this.container = void 0);
    return this.container;
  }
  async start(mounts) {
    const image = await this.toolsImage();
    await removeOrphans(this.runtime.name, this.hostExec);
    const { name, flags } = containerIdentity("tools");
    const ids = new Map(mounts.map((m2) => [m2, folderId(m2)]));
    const untrack = track(this.runtime.name, name);
    const started = await this.hostExec(
      this.runtime.name,
      ["run", "--detach", "--rm", ...flags, "--env", "HOME=/tmp", ...mounts.flatMap((m2) => mountFlag({ source: m2, target: m2 })), image, "sleep", "infinity"],
      { allowFailure: true }
    ).catch((e) => {
      untrack();
      throw e;
    });
    if (started.exitCode !== 0) {
      untrack();
      throw new DiracosError(`starting the tools container (${image}) with ${this.runtime.name} failed:${tail(started.stderr)}`);
    }
    return { name, mounts, ids, untrack };
  }
};
function folderId(path) {
  try {
    const s3 = statSync2(path);
    return `${s3.dev}:${s3.ino}`;
  } catch {
    return void 0;
  }
}
function tail(stderr) {
  const t = stderr.trim().split("\n").slice(-15).join("\n");
  return t ? `:
${t}` : "";
}
function createTools(runtime, exec, shared, onNote) {
  return runtime instanceof ContainerRuntime ? new ContainerTools(runtime, exec, shared, onNote) : hostTools(exec);
}

// src/pipeline/create-context.ts
var RUNTIME_CHOICES = ["auto", "docker", "podman", "host"];
function missingToolLines(where) {
  return missingOnPath(HOST_TOOLS[where]).map((t) => `  ${missingToolMessage(t)}`);
}
async function createContext(parts) {
  const workdir = resolvePath3(parts.workdir);
  const downloadCache = resolvePath3(parts.downloadCache);
  mkdirSync3(workdir, { recursive: true });
  mkdirSync3(downloadCache, { recursive: true });
  const runtime = await createRuntime(parts.exec, parts.runtime, (m2) => parts.reporter.info(m2)).catch((e) => {
    if (!(e instanceof DiracosError)) throw e;
    throw new DiracosError([e.message, ...missingToolLines("container")].join("\n"));
  });
  const lacking = missingToolLines(runtime.name === "host" ? "host" : "container");
  if (lacking.length > 0) throw new DiracosError([`this machine lacks tools the pipeline needs (runtime ${runtime.name}):`, ...lacking].join("\n"));
  const tools = createTools(runtime, parts.exec, [workdir, downloadCache, ...parts.shared ?? []], (m2) => parts.reporter.info(m2));
  parts.reporter.info(`containers: ${runtime.name}; RPM tools: ${tools.where}; workdir ${workdir}`);
  return {
    exec: parts.exec,
    reporter: parts.reporter,
    runtime,
    tools,
    cache: parts.cache,
    artifacts: parts.artifacts,
    jobs: parts.jobs ?? availableParallelism(),
    workdir,
    downloadCache
  };
}

// src/manifest/overrides.ts
var BUILD_BACKENDS = ["container", "mock"];
function withBackend(m2, backend) {
  return backend === void 0 ? m2 : { ...m2, manifest: { ...m2.manifest, build: { ...m2.manifest.build, backend } } };
}

// src/manifest/validate.ts
var import_yaml = __toESM(require_dist(), 1);
import { readdirSync, statSync as statSync3 } from "node:fs";
import { dirname as dirname4, join as join4, resolve as resolvePath5 } from "node:path";

// src/sources/rpm-lead.ts
import { closeSync, openSync, readSync } from "node:fs";
import { open } from "node:fs/promises";
var RPM_LEAD_SIZE = 96;
var MAGIC = Buffer.from([237, 171, 238, 219]);
var TYPES = { 0: "binary", 1: "source" };
function parseRpmLead(head) {
  const b2 = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  if (b2.length < RPM_LEAD_SIZE || !b2.subarray(0, 4).equals(MAGIC)) return void 0;
  const type = TYPES[b2.readUInt16BE(6)];
  if (!type) return void 0;
  const nameField = b2.subarray(10, 76);
  const end = nameField.indexOf(0);
  return { type, name: nameField.subarray(0, end < 0 ? nameField.length : end).toString("latin1") };
}
function readRpmLeadSync(path) {
  const fd = openSync(path, "r");
  try {
    const head = Buffer.alloc(RPM_LEAD_SIZE);
    const n = readSync(fd, head, 0, RPM_LEAD_SIZE, 0);
    return parseRpmLead(head.subarray(0, n));
  } finally {
    closeSync(fd);
  }
}
async function readRpmLead(path) {
  const handle = await open(path, "r");
  try {
    const head = Buffer.alloc(RPM_LEAD_SIZE);
    const { bytesRead } = await handle.read(head, 0, RPM_LEAD_SIZE, 0);
    return parseRpmLead(head.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}
var INSTEAD = {
  source: { key: "srpm", other: "list it under `rpms:` to put it into the repository as it is" },
  binary: { key: "rpms", other: "give it as `srpm:` to rebuild it" }
};
function rpmKindProblem(file, lead, expected2) {
  const what = expected2 === "source" ? "a source RPM" : "a binary RPM";
  if (!lead) return `${file} is not an RPM (no RPM lead in its first ${RPM_LEAD_SIZE} bytes); ${INSTEAD[expected2].key} takes ${what}`;
  if (lead.type === expected2) return void 0;
  return `${file} is ${lead.type === "binary" ? "a binary RPM" : "a source RPM"} (its lead says ${lead.type}: ${lead.name}), not ${what}; ${INSTEAD[expected2].other}`;
}
async function assertRpmKind(pkg, file, expected2) {
  const problem = rpmKindProblem(file, await readRpmLead(file), expected2);
  if (problem) throw new DiracosError(`package '${pkg}': ${problem}`, { file });
}

// src/manifest/paths.ts
import { createHash as createHash2 } from "node:crypto";
import { closeSync as closeSync2, lstatSync, openSync as openSync2, readlinkSync, readSync as readSync2, realpathSync } from "node:fs";
import { basename, dirname as dirname3, isAbsolute as isAbsolute3, posix, relative as relative2, resolve as resolvePath4, sep as sep3 } from "node:path";
function pathRoots(base, allowPathsOutside = []) {
  return { base: realPath(base), allowed: allowPathsOutside.map((d) => realPath(resolvePath4(base, d))) };
}
function realPath(abs, hops = 0) {
  try {
    return realpathSync(abs);
  } catch {
  }
  const parent = dirname3(abs);
  if (parent === abs) return abs;
  const here = resolvePath4(realPath(parent, hops), basename(abs));
  let link;
  try {
    if (lstatSync(here).isSymbolicLink()) link = readlinkSync(here);
  } catch {
  }
  return link !== void 0 && hops < 40 ? realPath(resolvePath4(dirname3(here), link), hops + 1) : here;
}
function within(child, parent) {
  const r = relative2(parent, child);
  return r === "" || r !== ".." && !r.startsWith(`..${sep3}`) && !isAbsolute3(r);
}
function escapeOf(written, roots) {
  const lexical = resolvePath4(roots.base, written);
  const real = realPath(lexical);
  if ([roots.base, ...roots.allowed].some((root) => within(real, root))) return void 0;
  const how = within(lexical, roots.base) ? `leads out of the manifest's folder through a symlink (to ${real})` : `is outside the manifest's folder (${real})`;
  return `'${written}' ${how}; list a folder holding it in allowPathsOutside to allow it`;
}
function isLocalRequirement(req) {
  return /^(\.{1,2}\/|\/)/.test(req) || /\.(whl|tar\.gz|zip|tar\.bz2)$/.test(req);
}
function pipLocalPath(value, kind) {
  if (isPipUrl(value)) return void 0;
  if (kind === "indexUrl" || isAbsolute3(value)) return void 0;
  return kind === "findLinks" || kind === "requirementsFile" || isLocalRequirement(value) ? value : void 0;
}
function isPipUrl(value) {
  return /^(?:[^\s@]+\s*@\s*)?file:/.test(value) || /^[a-z][a-z0-9+.-]*:\/\//i.test(value);
}
function sha256FileSync(path) {
  const hash = createHash2("sha256");
  const fd = openSync2(path, "r");
  try {
    const buffer = Buffer.alloc(1 << 20);
    for (let n = readSync2(fd, buffer); n > 0; n = readSync2(fd, buffer)) hash.update(buffer.subarray(0, n));
  } finally {
    closeSync2(fd);
  }
  return hash.digest("hex");
}
function knownLinkPath(entry) {
  const path = posix.normalize(entry.split(" -> ")[0].trim().replace(/^\/+/, ""));
  return path === "." || path === "" || path === ".." || path.startsWith("../") ? void 0 : path.replace(/\/+$/, "");
}

// src/manifest/schema.ts
var sha256 = { type: "string", pattern: /^[0-9a-f]{64}$/, patternHint: "64 lowercase hex digits", doc: "sha256 of the file" };
var fileName = { type: "string", pattern: /^(?!\.)[^/\p{Cc}]+$/u, patternHint: "a file name without / or control characters that does not start with .", doc: "name to store the file under (default: from the url or path)" };
var stringList = (doc, minItems) => ({ type: "array", items: { type: "string" }, minItems, doc });
var envMap = (doc) => ({
  type: "map",
  values: { type: "scalar" },
  keyPattern: /^[A-Za-z_][A-Za-z0-9_]*$/,
  keyHint: "an environment variable name",
  doc
});
var sourceSchema = {
  type: "object",
  name: "source",
  exactlyOne: ["url", "path", "apt"],
  together: [{ keys: ["url", "apt"], meaning: "url with apt: ways to the same bytes, urls first" }],
  fields: {
    url: {
      type: "strings",
      pattern: /^(https?|file):\/\/\S+$/,
      patternHint: "an http, https or file URL",
      doc: "download URL, or a list of mirrors tried in order"
    },
    path: { type: "string", doc: "local file or directory, relative to the manifest" },
    apt: {
      type: "string",
      pattern: /^[a-z0-9][a-z0-9+.-]+$/,
      patternHint: "a Debian source package name",
      doc: "Debian/Ubuntu source package whose upstream (orig) tarball is fetched with `apt-get source --download-only`; beside `url`, tried after the urls"
    },
    version: { type: "string", doc: "with apt: the source package version to fetch" },
    sha256: {
      ...sha256,
      doc: "sha256 of the file, whichever way it came: url and apt sources without one are not locked yet (`diracos lock` writes it; fetching refuses them until then); with path, the file is checked against it (a directory cannot have one)"
    },
    fileName: { ...fileName, doc: "name to store the file under (default: from the first url, else the path, else the Debian orig tarball's name)" }
  },
  onlyWith: [{ key: "version", with: "apt", message: "version goes only with apt" }]
};
var source = (doc, required = false) => ({ ...sourceSchema, doc, required });
var buildOptionFields = {
  defines: { type: "map", values: { type: "scalar" }, keyPattern: /^[A-Za-z_][A-Za-z0-9_]*$/, keyHint: "an rpm macro name", doc: 'rpm macros passed as `--define "name value"`' },
  with: stringList("bconds passed as `--with NAME`"),
  without: stringList("bconds passed as `--without NAME`"),
  check: { type: "boolean", doc: "run the %check section (default true; false passes `--nocheck`)" },
  buildOnly: { type: "boolean", doc: "RPMs go to the repository's buildOnly part: used to build, never bundled (a shipped package requiring one fails the bundle, naming both)" },
  pkgList: stringList("only the built RPMs with these names enter the repository"),
  excludePatterns: stringList("built RPMs whose file name matches one of these globs are dropped (e.g. `*-debuginfo-*`; globs, not regexes: validate warns about `.*`)"),
  preSteps: stringList("shell commands run in the build container before the build, after the BuildRequires are installed, in the rpmbuild tree (see Routines)"),
  buildCommand: {
    type: "string",
    doc: 'a shell command run in the build container instead of `rpmbuild -ba` (container backend; see Routines: `eval "$DIRACOS_RPMBUILD"` runs the default)'
  },
  postSteps: stringList("shell commands run on the build platform after the package entered the repository")
};
var placementFields = {
  platform: { type: "string", doc: "build on this platform (a name from `platforms`) instead of `build.platform`" },
  platformOptions: {
    type: "object",
    name: "platform options",
    doc: "additions to the build platform for these builds (replaced as a whole by a closer level); EPEL stays excluded",
    fields: {
      setup: stringList("shell commands run after the platform's setup: these packages build in that prepared image"),
      chrootSetup: stringList("mock: packages added to the platform's chroot setup (`chroot_setup_cmd`) for these builds")
    }
  }
};
var packageSchema = {
  type: "object",
  name: "package",
  exactlyOne: ["srpm", "spec", "tarball", "rpms"],
  together: [{ keys: ["srpm", "spec"], meaning: "srpm with spec: the SRPM's spec replaced by ours" }],
  fields: {
    name: { type: "string", required: true, pattern: /^[A-Za-z0-9][A-Za-z0-9._+-]*$/, patternHint: "an RPM name", doc: "package name, unique in the manifest" },
    srpm: source("a source RPM to rebuild"),
    spec: { type: "string", doc: "a spec file of ours, relative to the manifest; beside `srpm`, it replaces the SRPM's spec (the SRPM's sources stay)" },
    sources: { type: "array", items: sourceSchema, doc: "with spec: the files its SourceN lines name" },
    tarball: source("an upstream tarball that carries its own spec (built like `rpmbuild -ta`)"),
    rpms: {
      type: "array",
      items: sourceSchema,
      minItems: 1,
      doc: "prebuilt binary RPMs put into the repository as they are, nothing built (each needs a sha256)"
    },
    patches: stringList("patch files (relative to the manifest) placed where the spec's PatchN lines expect them"),
    specPatches: stringList(
      "with srpm: patches applied with `patch -p1` to the unpacked SRPM (its spec and sources side by side, as DIRACOS v1 did) before the rebuild; they may edit the spec and add files"
    ),
    ...placementFields,
    ...buildOptionFields
  },
  onlyWith: [
    { key: "sources", with: "spec", message: "sources go only with spec (an SRPM or tarball carries its own)" },
    { key: "specPatches", with: "srpm", message: "specPatches go only with srpm (they edit the SRPM's spec)" }
  ],
  notWith: [
    { key: "specPatches", with: "spec", message: "specPatches do not go with spec: the spec is ours, edit it" },
    { key: "patches", with: "rpms", message: "patches do not go with rpms: prebuilt RPMs are not built" },
    { key: "preSteps", with: "rpms", message: "preSteps do not go with rpms: prebuilt RPMs are not built" },
    { key: "buildCommand", with: "rpms", message: "buildCommand does not go with rpms: prebuilt RPMs are not built" },
    { key: "platformOptions", with: "rpms", message: "platformOptions do not go with rpms: prebuilt RPMs are not built" }
  ]
};
var groupSchema = {
  type: "object",
  name: "package group",
  fields: {
    name: { type: "string", required: true, doc: "group name" },
    bootstrap: { type: "boolean", doc: "build this group first, before Python and everything else (e.g. gdb without python for mock)" },
    packages: { type: "array", items: packageSchema, required: true, doc: "the packages of the group" },
    ...placementFields,
    ...buildOptionFields
  }
};
var platformSchema = {
  type: "object",
  name: "platform",
  fields: {
    name: { type: "string", required: true, pattern: /^[a-z0-9][a-z0-9._-]*$/, patternHint: "lowercase letters, digits, . _ -", doc: "platform name, unique" },
    image: { type: "string", required: true, doc: "container image, e.g. `centos:7`" },
    family: { type: "string", enum: ["debian", "el", "fedora"], required: true, doc: "package family: how setup installs, which host-library policy applies" },
    setup: stringList("shell commands run once to prepare the image (cached by a hash of image and commands)"),
    env: envMap("environment for tests on this platform (e.g. `LD_PRELOAD`)"),
    required: { type: "boolean", doc: "a failure here fails the run (default true); false: allowed to fail, reported as a warning" },
    glibc: { type: "string", pattern: /^\d+\.\d+$/, patternHint: "MAJOR.MINOR", doc: "newest glibc symbol version the bundle may need here" },
    knownMissing: stringList('libraries known to be missing here (ldd "not found"); a new one fails, a vanished one is reported'),
    modulesAllowedToFail: stringList(
      "modules of `tests.modules` allowed to fail to import here (DIRACOS v1's graphic modules on a host without X libraries): a failed import is a warning, one that imports is reported"
    ),
    baseRepos: {
      type: "array",
      doc: "base repositories of an RPM platform (e.g. vault mirrors for EL6/EL7); EPEL is never added",
      items: {
        type: "object",
        name: "repository",
        fields: {
          name: { type: "string", required: true, pattern: /^[A-Za-z0-9._-]+$/, patternHint: "a repo id", doc: "repo id" },
          baseurl: { type: "string", required: true, pattern: /^(https?|file):\/\/\S+$/, patternHint: "an http, https or file URL", doc: "base URL" }
        }
      }
    },
    mock: {
      type: "object",
      name: "mock settings",
      doc: "mock target of an RPM platform",
      fields: {
        releasever: { type: "string", doc: "releasever, e.g. `7`" },
        distTag: { type: "string", pattern: /^\.\S+$/, patternHint: "starts with a dot, e.g. .el7", doc: "the %dist tag" },
        chrootSetup: stringList("packages installed in the chroot before every build (`chroot_setup_cmd`); never `epel-release` or another EPEL package")
      }
    }
  }
};
var manifestSchema = {
  type: "object",
  name: "manifest",
  fields: {
    version: { type: "string", required: true, pattern: /^[0-9A-Za-z][0-9A-Za-z._+-]*$/, patternHint: "a version like 2.1.0", doc: "DIRACOS version; names the tarball" },
    arch: { type: "string", enum: ["x86_64", "aarch64", "ppc64le"], doc: "target architecture (default x86_64)" },
    repository: { type: "string", required: true, doc: "RPM repository directory, relative to the manifest" },
    allowPathsOutside: stringList(
      "folders outside the manifest's folder that its paths may lead into (absolute, or relative to the manifest); without them every input path (spec, patches, path sources, pip files, find-links and local requirements, tests.script), symlinks resolved, must stay in the manifest's folder"
    ),
    sourceDateEpoch: {
      type: "integer",
      min: 1,
      doc: "SOURCE_DATE_EPOCH of the run: build time and file times of the RPMs, mtime of every tarball entry (default: the environment's SOURCE_DATE_EPOCH, else 946684800, 2000-01-01)"
    },
    python: {
      type: "object",
      name: "python",
      required: true,
      doc: "the CPython we compile and ship",
      fields: {
        version: { type: "string", required: true, pattern: /^3\.\d+\.\d+$/, patternHint: "3.X.Y", doc: "CPython version" },
        source: source("CPython source tarball", true),
        configureOptions: stringList("extra `./configure` options (e.g. `--enable-optimizations`)"),
        rpmName: { type: "string", pattern: /^[A-Za-z0-9][A-Za-z0-9._+-]*$/, patternHint: "an RPM name", doc: "RPM name (default `diracos-python3.X`)" }
      }
    },
    build: {
      type: "object",
      name: "build",
      required: true,
      doc: "the RPMs to rebuild; its build options are inherited by groups and packages",
      fields: {
        backend: { type: "string", enum: [...BUILD_BACKENDS], doc: "`container` (rpmbuild in a fresh container, default) or `mock`" },
        platform: { type: "string", required: true, doc: "name of the platform the RPMs are built on" },
        packageGroups: { type: "array", items: groupSchema, required: true, doc: "package groups, in order" },
        ...buildOptionFields
      }
    },
    bundle: {
      type: "object",
      name: "bundle",
      doc: "how the tarball is made",
      fields: {
        ignoredPackages: stringList(
          "packages the host provides: never shipped, their capabilities assumed present; the libraries of theirs the bundle needs are left to the host (never grafted), listed in hostLibraries.txt, and test-platforms checks every platform has them"
        ),
        excludedPackages: stringList("repository packages that are not shipped for themselves (globs, e.g. `*-devel`); still shipped when a shipped package requires one"),
        manualDependencies: stringList("packages shipped although nothing requires them"),
        removedFolders: stringList("folders removed from the bundle (relative to its root)"),
        graftLibraries: { type: "boolean", doc: "copy a missing NEEDED library from the build platform instead of failing" },
        compression: { type: "string", enum: ["gzip", "zstd"], doc: "tarball compression (default gzip)" },
        pip: {
          type: "object",
          name: "pip",
          doc: "Python packages installed into the bundle with its own pip",
          fields: {
            requirements: stringList("requirement specifiers or local paths"),
            requirementsFile: { type: "string", doc: "a requirements.txt, relative to the manifest, or a URL (pip `-r URL`)" },
            indexUrl: { type: "string", doc: "pip `--index-url`" },
            findLinks: stringList("pip `--find-links` (directories or URLs; a wheelhouse works offline)"),
            noIndex: { type: "boolean", doc: "pip `--no-index`" }
          }
        },
        environment: envMap(`extra variables exported by \`diracosrc\` (not ${RESERVED_ENVIRONMENT.join(", ")}: diracosrc sets those)`)
      }
    },
    platforms: { type: "array", items: platformSchema, required: true, minItems: 1, doc: "where the bundle is built and tested" },
    tests: {
      type: "object",
      name: "tests",
      doc: "what test-platforms checks in each platform",
      fields: {
        modules: stringList("Python modules that must import, each from inside the bundle"),
        commands: stringList("shell commands that must succeed after `source diracosrc`"),
        script: { type: "string", doc: "a test script of the user, relative to the manifest" },
        knownBrokenLinks: stringList(
          "links the bundle stage is known to remove (paths inside the bundle, or lines of its brokenLinks.txt): another broken link fails the static checks, a known one no longer broken is reported"
        )
      }
    }
  }
};

// src/manifest/validate.ts
var ALIAS_EXPANSION_LIMIT = 1e5;
var AliasBomb = class extends Error {
  constructor(location) {
    super("alias bomb");
    this.location = location;
  }
  location;
};
function validateManifestText(text, file) {
  const lines = new import_yaml.LineCounter();
  const doc = (0, import_yaml.parseDocument)(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false, merge: true });
  const walk = { file, lines, problems: [], warnings: [], where: /* @__PURE__ */ new Map(), anchors: anchorsOf(doc), inAlias: 0, budget: ALIAS_EXPANSION_LIMIT, merging: /* @__PURE__ */ new Set() };
  const warnings = walk.warnings;
  const at2 = (offset) => ({ file, ...lineCol(lines, offset) });
  for (const e of doc.errors) walk.problems.push({ message: `YAML: ${YAML_ERRORS[e.code] ?? e.message.split("\n")[0]}`, location: at2(e.pos[0]) });
  if (walk.problems.length > 0) return { problems: walk.problems, warnings };
  if (!doc.contents) {
    return { problems: [{ message: "the manifest is empty", location: { file, line: 1, col: 1 } }], warnings };
  }
  let value;
  try {
    value = check(doc.contents, manifestSchema, "", walk, 0);
  } catch (e) {
    if (!(e instanceof AliasBomb)) throw e;
    const message = `YAML: aliases expand to more than ${ALIAS_EXPANSION_LIMIT} nodes (an alias bomb?); refusing the manifest`;
    return { problems: [{ message, location: e.location }], warnings };
  }
  if (value) crossChecks(value, walk, dirname4(resolvePath5(file)));
  const byPlace = (a, b2) => (a.location.line ?? 0) - (b2.location.line ?? 0) || (a.location.col ?? 0) - (b2.location.col ?? 0);
  walk.problems.sort(byPlace);
  warnings.sort(byPlace);
  return walk.problems.length ? { problems: walk.problems, warnings } : { manifest: value, problems: [], warnings };
}
var YAML_ERRORS = {
  MULTIPLE_DOCS: "a second document starts here; a manifest is one YAML document"
};
function nodeAt(doc, path) {
  const walk = { file: "", lines: new import_yaml.LineCounter(), problems: [], warnings: [], where: /* @__PURE__ */ new Map(), anchors: anchorsOf(doc), inAlias: 0, budget: ALIAS_EXPANSION_LIMIT, merging: /* @__PURE__ */ new Set() };
  const resolve2 = (n) => n && (0, import_yaml.isAlias)(n) ? walk.anchors.get(n) : n ?? void 0;
  let node = resolve2(doc.contents);
  for (const key of path) {
    if (typeof key === "number") node = node && (0, import_yaml.isSeq)(node) ? resolve2(node.items[key]) : void 0;
    else node = node && (0, import_yaml.isMap)(node) ? resolve2(mapEntries(node, "", walk).find((e) => e.key === key)?.value) : void 0;
  }
  return node;
}
function anchorsOf(doc) {
  const named = /* @__PURE__ */ new Map();
  const out = /* @__PURE__ */ new Map();
  (0, import_yaml.visit)(doc, {
    Node(_key, node) {
      if ((0, import_yaml.isAlias)(node)) {
        const target = named.get(node.source);
        if (target) out.set(node, target);
      } else if (node.anchor) named.set(node.anchor, node);
    }
  });
  return out;
}
function lineCol(lines, offset) {
  const { line, col } = lines.linePos(offset);
  return { line, col };
}
function locationAt(walk, offset) {
  return { file: walk.file, ...lineCol(walk.lines, offset) };
}
function describe(node) {
  if (node === null || (0, import_yaml.isScalar)(node) && node.value === null) return "nothing";
  if ((0, import_yaml.isMap)(node)) return "a mapping";
  if ((0, import_yaml.isSeq)(node)) return "a list";
  if ((0, import_yaml.isScalar)(node)) return `${typeof node.value} ${JSON.stringify(node.value)}`;
  return "an alias";
}
var expected = {
  string: "a string",
  strings: "a string or a list of strings",
  scalar: "a string, number or boolean",
  boolean: "true or false",
  integer: "an integer",
  array: "a list",
  map: "a mapping",
  object: "a mapping"
};
function throughAlias(walk, loc, fn) {
  if (walk.inAlias++ === 0) walk.aliasAt = loc;
  try {
    return fn();
  } finally {
    walk.inAlias--;
  }
}
function check(node, schema, path, walk, offset) {
  const start = node?.range?.[0] ?? offset;
  const loc = () => locationAt(walk, start);
  if (walk.inAlias > 0 && --walk.budget < 0) throw new AliasBomb(walk.aliasAt ?? loc());
  const fail = (message) => {
    walk.problems.push({ message: `${path || "(top)"}: ${message}`, location: loc() });
    return void 0;
  };
  if (node && (0, import_yaml.isAlias)(node)) {
    const target = walk.anchors.get(node);
    if (!target) return fail(`alias *${node.source} has no anchor &${node.source} before it`);
    const value = throughAlias(walk, loc(), () => check(target, schema, path, walk, start));
    if (path) walk.where.set(path, start);
    return value;
  }
  if (path) walk.where.set(path, start);
  switch (schema.type) {
    case "string":
    case "scalar":
    case "boolean":
    case "integer": {
      const got = () => describe(node);
      if (!node || !(0, import_yaml.isScalar)(node) || node.value === null) return fail(`expected ${expected[schema.type]}, got ${got()}`);
      const v2 = node.value;
      if (schema.type === "scalar") {
        if (!["string", "number", "boolean"].includes(typeof v2)) return fail(`expected ${expected.scalar}, got ${got()}`);
        return String(v2);
      }
      if (schema.type === "boolean") return typeof v2 === "boolean" ? v2 : fail(`expected true or false, got ${got()}`);
      if (schema.type === "integer") {
        if (typeof v2 !== "number" || !Number.isInteger(v2)) return fail(`expected an integer, got ${got()}`);
        if (schema.min !== void 0 && v2 < schema.min) return fail(`must be at least ${schema.min}, got ${v2}`);
        return v2;
      }
      if (typeof v2 !== "string") {
        return fail(`expected a string, got ${got()}${typeof v2 === "number" ? " (quote it)" : ""}`);
      }
      if (schema.enum && !schema.enum.includes(v2)) return fail(`must be one of ${schema.enum.join(", ")}; got ${JSON.stringify(v2)}`);
      if (schema.pattern && !schema.pattern.test(v2)) return fail(`must be ${schema.patternHint}; got ${JSON.stringify(v2)}`);
      return v2;
    }
    case "strings": {
      if (node && (0, import_yaml.isSeq)(node)) {
        if (node.items.length === 0) return fail("needs at least 1 item");
        const items = node.items.map((item, i) => check(item, { ...schema, type: "string" }, `${path}[${i}]`, walk, start));
        return items.some((v2) => v2 === void 0) ? void 0 : items;
      }
      if (!node || !(0, import_yaml.isScalar)(node)) return fail(`expected ${expected.strings}, got ${describe(node)}`);
      const one = check(node, { ...schema, type: "string" }, path, walk, start);
      return one === void 0 ? void 0 : [one];
    }
    case "array": {
      if (!node || !(0, import_yaml.isSeq)(node)) return fail(`expected a list, got ${describe(node)}`);
      if (schema.minItems !== void 0 && node.items.length < schema.minItems) {
        return fail(`needs at least ${schema.minItems} item${schema.minItems === 1 ? "" : "s"}`);
      }
      return node.items.map((item, i) => check(item, schema.items, `${path}[${i}]`, walk, start));
    }
    case "map":
    case "object": {
      if (!node || !(0, import_yaml.isMap)(node)) return fail(`expected a mapping, got ${describe(node)}`);
      const out = {};
      const entries = mapEntries(node, path, walk);
      for (const { key, keyNode, value, merged } of entries) {
        const keyPath = path ? `${path}.${key}` : key;
        const keyLoc = () => locationAt(walk, keyNode?.range?.[0] ?? start);
        const field = schema.type === "object" ? schema.fields[key] : void 0;
        if (schema.type === "object" && !field) {
          walk.problems.push({ message: `${keyPath}: unknown key in ${schema.name}${suggest(key, Object.keys(schema.fields))}`, location: keyLoc() });
          continue;
        }
        if (schema.type === "map" && schema.keyPattern && !schema.keyPattern.test(key)) {
          walk.problems.push({ message: `${keyPath}: key must be ${schema.keyHint}`, location: keyLoc() });
          continue;
        }
        const valueSchema = field ?? schema.values;
        const after = keyNode?.range?.[1] ?? start;
        const v2 = merged ? throughAlias(walk, keyLoc(), () => check(value, valueSchema, keyPath, walk, after)) : check(value, valueSchema, keyPath, walk, after);
        if (v2 !== void 0) out[key] = v2;
      }
      if (schema.type === "object") {
        const present = new Set(entries.map((e) => e.key));
        for (const [key, field] of Object.entries(schema.fields)) {
          if (field.required && !present.has(key)) fail(`missing required key '${key}'`);
        }
        if (schema.exactlyOne) {
          const p2 = schema.exactlyOne.filter((k2) => present.has(k2));
          const together = schema.together ?? [];
          const allowed = p2.length === 1 || together.some((t) => t.keys.length === p2.length && t.keys.every((k2) => p2.includes(k2)));
          if (!allowed) {
            const or2 = together.length ? ` (or ${together.map((t) => t.meaning).join("; ")})` : "";
            fail(`${schema.name} needs exactly one of ${schema.exactlyOne.join(", ")}${or2}${p2.length ? `; got ${p2.join(" and ")}` : ""}`);
          }
        }
        for (const rule of schema.needs ?? []) if (present.has(rule.key) && !present.has(rule.needs)) fail(rule.message);
        const onKey = (rule) => {
          const keyPath = path ? `${path}.${rule.key}` : rule.key;
          walk.problems.push({ message: `${keyPath}: ${rule.message}`, location: locationAt(walk, walk.where.get(keyPath) ?? start) });
        };
        for (const rule of schema.onlyWith ?? []) if (present.has(rule.key) && !present.has(rule.with)) onKey(rule);
        for (const rule of schema.notWith ?? []) if (present.has(rule.key) && present.has(rule.with)) onKey(rule);
      }
      return out;
    }
  }
}
var isMergeKey = (key) => (0, import_yaml.isScalar)(key) && typeof key.value === "symbol" && key.value.description === "<<";
function mapEntries(map, path, walk) {
  if (!(0, import_yaml.isMap)(map)) return [];
  const own = [];
  const merged = [];
  for (const pair of map.items) {
    const keyNode = pair.key;
    const value = pair.value;
    if (isMergeKey(keyNode)) {
      merged.push(...mergeSources(value, `${path ? `${path}.` : ""}<<`, walk));
      continue;
    }
    own.push({ key: (0, import_yaml.isScalar)(keyNode) ? String(keyNode.value) : "", keyNode, value, merged: false });
  }
  const seen = new Set(own.map((e) => e.key));
  return [...own, ...merged.filter((e) => !seen.has(e.key) && seen.add(e.key))];
}
function mergeSources(value, path, walk) {
  const resolve2 = (n) => n && (0, import_yaml.isAlias)(n) ? walk.anchors.get(n) ?? null : n;
  const at2 = (n) => locationAt(walk, n?.range?.[0] ?? 0);
  const target = resolve2(value);
  const sources = target && (0, import_yaml.isSeq)(target) ? target.items.map((i) => i) : [value];
  const out = [];
  for (const source2 of sources) {
    const map = resolve2(source2);
    if (!map || !(0, import_yaml.isMap)(map)) {
      const what = source2 && (0, import_yaml.isAlias)(source2) && !map ? `alias *${source2.source} with no anchor before it` : describe(map);
      walk.problems.push({ message: `${path}: a merge takes a mapping or a list of mappings, got ${what}`, location: at2(source2) });
      continue;
    }
    if (walk.merging.has(map)) {
      walk.problems.push({ message: `${path}: a mapping cannot be merged into itself`, location: at2(source2) });
      continue;
    }
    walk.budget -= map.items.length;
    if (walk.budget < 0) throw new AliasBomb(walk.aliasAt ?? at2(source2));
    walk.merging.add(map);
    try {
      out.push(...mapEntries(map, path, walk).map((e) => ({ ...e, merged: true })));
    } finally {
      walk.merging.delete(map);
    }
  }
  return out;
}
function suggest(key, known) {
  const near = known.find((k2) => k2.toLowerCase() === key.toLowerCase()) ?? known.find((k2) => editDistance(k2, key) <= 2);
  return near ? ` (did you mean '${near}'?)` : ` (known: ${known.join(", ")})`;
}
function editDistance(a, b2) {
  let prev = Array.from({ length: b2.length + 1 }, (_2, j2) => j2);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j2 = 1; j2 <= b2.length; j2++) cur[j2] = Math.min(prev[j2] + 1, cur[j2 - 1] + 1, prev[j2 - 1] + (a[i - 1] === b2[j2 - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b2.length];
}
function crossChecks(m2, walk, base) {
  const where = (path) => {
    const offset = walk.where.get(path);
    return offset === void 0 ? { file: walk.file } : locationAt(walk, offset);
  };
  const problem = (path, message) => walk.problems.push({ message: `${path}: ${message}`, location: where(path) });
  const warn = (path, message) => walk.warnings.push({ message: `${path}: ${message}`, location: where(path) });
  const unique = (items, path, what) => {
    const seen = /* @__PURE__ */ new Map();
    items.forEach((item, i) => {
      if (item?.name === void 0) return;
      const first = seen.get(item.name);
      if (first) {
        const line = where(`${first}.name`).line;
        problem(`${path(i)}.name`, `duplicate ${what} name '${item.name}' (first at ${line === void 0 ? "" : `line ${line}, `}${first})`);
      } else seen.set(item.name, path(i));
    });
  };
  const groups = m2.build?.packageGroups ?? [];
  const packages = groups.flatMap((g2, gi2) => (g2?.packages ?? []).map((p2, pi2) => ({ p: p2, path: `build.packageGroups[${gi2}].packages[${pi2}]` })));
  unique(packages.map((x) => x.p), (i) => packages[i].path, "package");
  unique(groups, (i) => `build.packageGroups[${i}]`, "package group");
  unique(m2.platforms ?? [], (i) => `platforms[${i}]`, "platform");
  const platforms = m2.platforms;
  const buildPlatform = m2.build?.platform;
  if (buildPlatform !== void 0 && platforms && platforms.every((p2) => p2?.name !== void 0) && !platforms.some((p2) => p2.name === buildPlatform)) {
    problem("build.platform", `no platform named '${buildPlatform}' (platforms: ${platforms.map((p2) => p2.name).join(", ")})`);
  }
  const platformNames = platforms && platforms.every((p2) => p2?.name !== void 0) ? platforms.map((p2) => p2.name) : void 0;
  const placements = [
    ...groups.map((g2, gi2) => ({ at: g2, path: `build.packageGroups[${gi2}]` })),
    ...packages.map(({ p: p2, path }) => ({ at: p2, path }))
  ];
  for (const { at: at2, path } of placements) {
    if (at2?.platform !== void 0 && platformNames && !platformNames.includes(at2.platform)) {
      problem(`${path}.platform`, `no platform named '${at2.platform}' (platforms: ${platformNames.join(", ")})`);
    }
  }
  const checkChroot = (path, list) => list?.forEach((pkg, i) => {
    const rule = pkg === void 0 ? void 0 : FORBIDDEN_CHROOT_PACKAGES.find((r) => r.pattern.test(pkg));
    if (rule) problem(`${path}[${i}]`, `'${pkg}' may not be installed in a build root (${rule.why})`);
  });
  m2.platforms?.forEach((pl, i) => checkChroot(`platforms[${i}].mock.chrootSetup`, pl?.mock?.chrootSetup));
  for (const { at: at2, path } of placements) checkChroot(`${path}.platformOptions.chrootSetup`, at2?.platformOptions?.chrootSetup);
  if (m2.build?.backend === "mock") {
    for (const { at: at2, path } of [{ at: m2.build, path: "build" }, ...placements]) {
      if (at2?.buildCommand !== void 0) {
        problem(`${path}.buildCommand`, "buildCommand needs build.backend container (mock rebuilds the source RPM in its own chroot); prepare the tree with preSteps instead");
      }
    }
  }
  const checkGlobs = (path, list) => list?.forEach((pattern, i) => {
    const glob = pattern === void 0 ? void 0 : globForRegex(pattern);
    if (glob === void 0) return;
    const signs = REGEX_SIGNS.filter((r) => r.sign.test(pattern)).map((r) => r.what);
    warn(`${path}[${i}]`, `'${pattern}' looks like a regex (${signs.join("; ")}), but these patterns are globs; did you mean '${glob}'?`);
  });
  checkGlobs("build.excludePatterns", m2.build?.excludePatterns);
  for (const { at: at2, path } of placements) checkGlobs(`${path}.excludePatterns`, at2?.excludePatterns);
  checkGlobs("bundle.excludedPackages", m2.bundle?.excludedPackages);
  for (const name of Object.keys(m2.bundle?.environment ?? {})) {
    if (RESERVED_ENVIRONMENT.includes(name)) problem(`bundle.environment.${name}`, `'${name}' is set by diracosrc itself (it manages ${RESERVED_ENVIRONMENT.join(", ")}); use another name`);
  }
  const modules = m2.tests?.modules;
  m2.platforms?.forEach(
    (pl, i) => pl?.modulesAllowedToFail?.forEach((mod, j2) => {
      if (mod !== void 0 && !(modules ?? []).includes(mod)) {
        problem(`platforms[${i}].modulesAllowedToFail[${j2}]`, `'${mod}' is not in tests.modules (${(modules ?? []).filter(Boolean).join(", ") || "none"}): only a module the tests import can be allowed to fail`);
      }
    })
  );
  m2.tests?.knownBrokenLinks?.forEach((entry, i) => {
    if (entry !== void 0 && knownLinkPath(entry) === void 0) problem(`tests.knownBrokenLinks[${i}]`, `'${entry}' is not a path inside the bundle (e.g. usr/lib/x, as brokenLinks.txt lists it)`);
  });
  const allowed = m2.allowPathsOutside ?? [];
  const roots = pathRoots(base, allowed.filter((d) => d !== void 0));
  const input = (path, rel, mustExist) => {
    if (rel === void 0) return void 0;
    const escape = escapeOf(rel, roots);
    if (escape) return void problem(path, escape);
    const abs = resolvePath5(base, rel);
    if (mustExist && !exists(abs)) return void problem(path, `file not found: ${abs}`);
    return abs;
  };
  const checkSource = (path, s3, o = {}) => {
    if (!s3) return;
    if (s3.sha256 && PLACEHOLDER_SHA256.test(s3.sha256) && !("path" in s3)) {
      warn(`${path}.sha256`, "all zeros: a placeholder, not a digest; fetching the file fails its check until the real sha256 is given");
    }
    if (!("path" in s3)) {
      if (!s3.sha256) warn(path, "not locked: no sha256 yet; run `diracos lock` where it can be downloaded (fetching refuses it until then)");
      return;
    }
    if (o.pinned && !s3.sha256) problem(path, o.pinned);
    const abs = input(`${path}.path`, s3.path, true);
    if (!abs) return;
    if (s3.sha256) checkDigest(`${path}.sha256`, abs, s3.sha256);
    if (o.rpm && isFile(abs)) {
      try {
        const wrong = rpmKindProblem(abs, readRpmLeadSync(abs), o.rpm);
        if (wrong) problem(`${path}.path`, wrong);
      } catch (e) {
        problem(`${path}.path`, `cannot read ${abs}: ${e.message}`);
      }
    }
  };
  const checkDigest = (path, abs, want) => {
    try {
      const info = statSync3(abs);
      if (info.isDirectory()) return problem(path, `${abs} is a directory, which has no sha256 (point at a file such as a tarball, or drop sha256)`);
      if (!info.isFile()) return problem(path, `${abs} is not a regular file`);
      const got = sha256FileSync(abs);
      if (got !== want.toLowerCase()) problem(path, `sha256 mismatch for ${abs}: the manifest says ${want}, the file has ${got}`);
    } catch (e) {
      problem(path, `cannot read ${abs}: ${e.message}`);
    }
  };
  checkSource("python.source", m2.python?.source);
  for (const { p: p2, path } of packages) {
    if (!p2) continue;
    checkSource(`${path}.srpm`, p2.srpm, { rpm: "source" });
    checkSource(`${path}.tarball`, p2.tarball);
    p2.sources?.forEach((s3, i) => checkSource(`${path}.sources[${i}]`, s3));
    p2.rpms?.forEach((s3, i) => checkSource(`${path}.rpms[${i}]`, s3, { rpm: "binary", pinned: "a prebuilt RPM needs a sha256: it enters the repository as it is" }));
    input(`${path}.spec`, p2.spec, true);
    p2.patches?.forEach((f2, i) => input(`${path}.patches[${i}]`, f2, true));
    p2.specPatches?.forEach((f2, i) => input(`${path}.specPatches[${i}]`, f2, true));
  }
  const pip = m2.bundle?.pip;
  input("bundle.pip.requirementsFile", pip?.requirementsFile === void 0 ? void 0 : pipLocalPath(pip.requirementsFile, "requirementsFile"), true);
  const indexPath = pip?.indexUrl === void 0 ? void 0 : pipLocalPath(pip.indexUrl, "indexUrl");
  input("bundle.pip.indexUrl", indexPath, false);
  pip?.requirements?.forEach((r, i) => input(`bundle.pip.requirements[${i}]`, r === void 0 ? void 0 : pipLocalPath(r, "requirement"), false));
  pip?.findLinks?.forEach((f2, i) => {
    const path = `bundle.pip.findLinks[${i}]`;
    const abs = input(path, f2 === void 0 ? void 0 : pipLocalPath(f2, "findLinks"), false);
    if (abs) for (const name of filesIn(abs)) {
      const real = realPath(join4(abs, name));
      if (![roots.base, ...roots.allowed].some((root) => within(real, root))) {
        problem(path, `${name} in '${f2}' is a symlink out of the manifest's folder (to ${real}); list a folder holding it in allowPathsOutside to allow it`);
      }
    }
  });
  input("tests.script", m2.tests?.script, true);
}
function isFile(path) {
  try {
    return statSync3(path).isFile();
  } catch {
    return false;
  }
}
function exists(path) {
  try {
    statSync3(path);
    return true;
  } catch {
    return false;
  }
}
function filesIn(dir) {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

// src/manifest/load.ts
import { closeSync as closeSync3, constants as constants2, fstatSync, openSync as openSync3, readSync as readSync3 } from "node:fs";
import { dirname as dirname5, resolve as resolvePath6 } from "node:path";
function loadManifest(file) {
  const path = resolvePath6(file);
  const text = readManifestText(path);
  const { manifest, problems, warnings } = validateManifestText(text, path);
  if (!manifest) throw new DiracosErrors(problems, `${path}: ${problems.length} problem(s) in the manifest`);
  const dir = dirname5(path);
  return {
    file: path,
    dir,
    manifest,
    packages: resolvePackages(manifest, dir),
    repository: absolute(dir, manifest.repository),
    buildPlatform: findPlatform(manifest, manifest.build.platform),
    arch: manifest.arch ?? "x86_64",
    warnings
  };
}
var MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
function readManifestText(path, opts = {}) {
  const refuse = (why) => new DiracosError(`cannot read manifest: ${why}`, { file: path });
  let fd;
  try {
    fd = openSync3(path, constants2.O_RDONLY | constants2.O_NONBLOCK);
  } catch (e) {
    throw refuse(e.message);
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) throw refuse(`it is ${kindOf(info)}, not a regular file`);
    const tooBig = (size) => refuse(`it has ${size} bytes, more than the ${MAX_MANIFEST_BYTES / 1024 / 1024} MiB a manifest may have`);
    if (info.size > MAX_MANIFEST_BYTES) throw tooBig(String(info.size));
    const buffer = Buffer.allocUnsafe(MAX_MANIFEST_BYTES + 1);
    let length = 0;
    for (let n = -1; n !== 0 && length < buffer.length; length += n) n = readSync3(fd, buffer, length, buffer.length - length, null);
    if (length > MAX_MANIFEST_BYTES) throw tooBig(`over ${MAX_MANIFEST_BYTES}`);
    try {
      return new TextDecoder("utf-8", { fatal: true, ignoreBOM: opts.keepBom === true }).decode(buffer.subarray(0, length));
    } catch {
      throw refuse("it is not UTF-8 text");
    }
  } catch (e) {
    if (e instanceof DiracosError) throw e;
    throw refuse(e.message);
  } finally {
    closeSync3(fd);
  }
}
function kindOf(info) {
  if (info.isDirectory()) return "a directory";
  if (info.isCharacterDevice() || info.isBlockDevice()) return "a device";
  if (info.isFIFO()) return "a FIFO";
  if (info.isSocket()) return "a socket";
  return "a special file";
}

export {
  shQuote,
  shJoin,
  absoluteSource,
  findPlatform,
  sha256File,
  sha256String,
  sha256Object,
  missingToolMessage,
  ExecError,
  execFailure,
  nodeExec,
  assertRpmKind,
  ContainerRuntime,
  RUNTIME_CHOICES,
  createContext,
  isLocalRequirement,
  isPipUrl,
  knownLinkPath,
  BUILD_BACKENDS,
  withBackend,
  validateManifestText,
  nodeAt,
  loadManifest,
  readManifestText,
  defaultCacheDir,
  LocalCache,
  LocalArtifactStore
};
