import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  replaceFile
} from "./chunk-IPZFQFHS.js";
import {
  commandLine,
  describeProcess,
  onTermination,
  processState,
  thisProcess
} from "./chunk-6GWKZRC5.js";
import {
  DiracosError
} from "./chunk-5I364NK5.js";

// src/shared/lock.ts
import { AsyncLocalStorage } from "node:async_hooks";
import { randomBytes } from "node:crypto";
import { readFileSync, unlinkSync } from "node:fs";
import { link, mkdir, readFile, stat, unlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
var TAKEOVER_STALE_MS = 3e4;
var inProcess = /* @__PURE__ */ new Map();
var heldHere = new AsyncLocalStorage();
async function holding(lock, fn) {
  const held = await lock;
  try {
    return await heldHere.run(/* @__PURE__ */ new Set([...heldHere.getStore() ?? [], held.file]), fn);
  } finally {
    await held.release();
  }
}
function describeHolder(h) {
  const since = new Date(h.since);
  const age = Number.isNaN(since.getTime()) ? "" : ` (${ago(Date.now() - since.getTime())} ago)`;
  return `${describeProcess(h)}, command '${h.command}', since ${h.since}${age}`;
}
function ago(ms) {
  const s = Math.max(0, Math.round(ms / 1e3));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${Math.round(s / 3600)} h`;
}
async function acquireLock(file, opts) {
  if (heldHere.getStore()?.has(file)) return { file, release: async () => void 0 };
  const before = inProcess.get(file) ?? Promise.resolve();
  let done;
  const mine = new Promise((resolve) => done = resolve);
  const chained = before.then(() => mine);
  inProcess.set(file, chained);
  const leave = () => {
    done();
    if (inProcess.get(file) === chained) inProcess.delete(file);
  };
  await before;
  try {
    return await acquireFile(file, opts, leave);
  } catch (e) {
    leave();
    throw e;
  }
}
async function acquireFile(file, opts, leave) {
  await mkdir(dirname(file), { recursive: true });
  const me = {
    ...thisProcess(),
    // For the message another run prints; nothing is parsed from it.
    command: commandLine(),
    since: (/* @__PURE__ */ new Date()).toISOString(),
    token: randomBytes(8).toString("hex")
  };
  const started = Date.now();
  const pollMs = opts.pollMs ?? 500;
  const noticeMs = (opts.noticeSeconds ?? 60) * 1e3;
  let lastNotice;
  for (; ; ) {
    if (await tryLink(file, me)) break;
    const holder = await readHolder(file);
    if (holder === "gone") continue;
    if (holder === "unreadable" || processState(holder) === "dead") {
      if (await takeOver(file, holder, me)) {
        opts.onTakeover?.(
          holder === "unreadable" ? `${opts.what}: its lock file ${file} was unreadable; taken over` : `${opts.what}: taking over the lock left by ${describeHolder(holder)}, which is no longer running`
        );
      }
      continue;
    }
    const waited = Date.now() - started;
    const where = `${opts.what} is in use by another run: ${describeHolder(holder)}`;
    const remedy = holder.host === me.host ? `if that process is stuck, stop it (kill ${holder.pid})` : `if no such process runs on host ${holder.host}, delete ${file}`;
    if (opts.timeoutSeconds !== void 0 && waited >= opts.timeoutSeconds * 1e3) {
      throw new DiracosError(`${where}; gave up after ${Math.round(waited / 1e3)} s of waiting (lock timeout ${opts.timeoutSeconds} s); ${remedy}`, { file });
    }
    if (lastNotice === void 0 || Date.now() - lastNotice >= noticeMs) {
      lastNotice = Date.now();
      const limit = opts.timeoutSeconds === void 0 ? "without a time limit" : `at most ${opts.timeoutSeconds} s`;
      opts.onWait?.(`${where}; waiting for it to finish (${limit}, waited ${Math.round(waited / 1e3)} s so far; ${remedy})`);
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
  const releaseSync = () => {
    try {
      if (JSON.parse(readFileSync(file, "utf8")).token === me.token) unlinkSync(file);
    } catch {
    }
  };
  const unregister = onTermination(releaseSync);
  let released = false;
  return {
    file,
    release: async () => {
      if (released) return;
      released = true;
      unregister();
      releaseSync();
      leave();
    }
  };
}
async function tryLink(file, holder) {
  const tmp = `${file}.${holder.token}.tmp`;
  await writeFile(tmp, JSON.stringify(holder) + "\n");
  try {
    await link(tmp, file);
    return true;
  } catch (e) {
    if (e.code === "EEXIST") return false;
    throw new DiracosError(`cannot create the lock file ${file}: ${e.message}`, { file });
  } finally {
    await unlink(tmp).catch(() => void 0);
  }
}
async function readHolder(file) {
  let text;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    if (e.code === "ENOENT") return "gone";
    throw new DiracosError(`cannot read the lock file ${file}: ${e.message}`, { file });
  }
  try {
    const h = JSON.parse(text);
    if (typeof h.pid === "number" && typeof h.host === "string" && typeof h.token === "string") return h;
  } catch {
  }
  return "unreadable";
}
async function takeOver(file, dead, me) {
  const guard = `${file}.takeover`;
  if (!await tryLink(guard, me)) {
    const age = await stat(guard).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0
    );
    if (age > TAKEOVER_STALE_MS) await unlink(guard).catch(() => void 0);
    await new Promise((r) => setTimeout(r, 50));
    return false;
  }
  try {
    const now = await readHolder(file);
    const same = now === "unreadable" ? dead === "unreadable" : now !== "gone" && dead !== "unreadable" && now.token === dead.token;
    if (!same) return false;
    await unlink(file).catch(() => void 0);
    return true;
  } finally {
    await unlink(guard).catch(() => void 0);
  }
}
function lockOptions(ctx, opts = {}) {
  let waited = false;
  return {
    timeoutSeconds: opts.lockTimeoutSeconds,
    onWait: (message) => {
      if (waited) ctx.reporter.info(message);
      else ctx.reporter.warning(message);
      waited = true;
    },
    onTakeover: (message) => ctx.reporter.warning(message)
  };
}
function lockWorkFolder(ctx, dir, opts = {}) {
  return acquireLock(join(dir, ".diracos-lock"), { ...lockOptions(ctx, opts), what: `the work folder ${dir}` });
}

// src/repo/index-file.ts
import { readFile as readFile2 } from "node:fs/promises";
function emptyIndex() {
  return { version: 1, packages: {} };
}
async function readIndex(file) {
  let text;
  try {
    text = await readFile2(file, "utf8");
  } catch (e) {
    if (e.code === "ENOENT") return emptyIndex();
    throw e;
  }
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new DiracosError(`the repository index is not valid JSON (${e.message}); delete it to rebuild everything`, { file });
  }
  if (parsed.version !== 1 || typeof parsed.packages !== "object" || parsed.packages === null) {
    throw new DiracosError("the repository index has an unknown format (expected version 1)", { file });
  }
  if (parsed.pending !== void 0 && !(Array.isArray(parsed.pending) && parsed.pending.every((p) => typeof p === "string"))) {
    throw new DiracosError("the repository index has an unknown format ('pending' is not a list of paths)", { file });
  }
  return parsed;
}
async function writeIndex(file, index) {
  const sorted = {
    version: 1,
    packages: Object.fromEntries(Object.keys(index.packages).sort().map((k) => [k, index.packages[k]])),
    ...index.pending?.length ? { pending: [...new Set(index.pending)].sort() } : {}
  };
  await replaceFile(file, JSON.stringify(sorted, null, 2) + "\n");
}

// src/repo/layout.ts
import { join as join2 } from "node:path";
var REPO_PARTS = ["binary", "src", "buildOnly"];
function repoLayout(root, arch) {
  return {
    root,
    arch,
    binary: join2(root, arch),
    src: join2(root, "src"),
    buildOnly: join2(root, "buildOnly", arch),
    index: join2(root, "diracos-index.json")
  };
}
var REPO_TEMP_PREFIX = ".incoming-";

// src/repo/rpm-names.ts
function rpmNameOfFile(fileName) {
  return fileName.replace(/\.rpm$/, "").split("-").slice(0, -2).join("-");
}

// src/manifest/source-date-epoch.ts
var DEFAULT_SOURCE_DATE_EPOCH = 946684800;
function sourceDateEpoch(m, env = process.env) {
  if (m.manifest.sourceDateEpoch !== void 0) return m.manifest.sourceDateEpoch;
  const fromEnv = env.SOURCE_DATE_EPOCH;
  if (fromEnv === void 0 || fromEnv === "") return DEFAULT_SOURCE_DATE_EPOCH;
  if (!/^\d+$/.test(fromEnv) || !Number.isSafeInteger(Number(fromEnv)) || Number(fromEnv) < 1) {
    throw new DiracosError(`SOURCE_DATE_EPOCH='${fromEnv}' in the environment is not a whole number of seconds >= 1 (unset it, or set sourceDateEpoch in the manifest)`);
  }
  return Number(fromEnv);
}

// src/shared/file-url.ts
function fileUrl(path) {
  if (!path.startsWith("/")) throw new Error(`fileUrl: not an absolute path: ${path}`);
  return `file://${path.split("/").map(encodeURIComponent).join("/")}`;
}

export {
  holding,
  acquireLock,
  lockOptions,
  lockWorkFolder,
  readIndex,
  writeIndex,
  REPO_PARTS,
  repoLayout,
  REPO_TEMP_PREFIX,
  rpmNameOfFile,
  fileUrl,
  sourceDateEpoch
};
