import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  ExecError,
  sha256File,
  sha256String
} from "./chunk-76TJA7O4.js";
import {
  onTermination,
  pidAlive
} from "./chunk-6GWKZRC5.js";
import {
  DiracosError
} from "./chunk-5I364NK5.js";

// src/sources/apt.ts
import { mkdir as mkdir2, mkdtemp, readdir as readdir2, readFile as readFile2, rename as rename2, rm as rm2, writeFile } from "node:fs/promises";
import { userInfo } from "node:os";
import { join as join2 } from "node:path";

// src/sources/debSources.ts
import { readFile } from "node:fs/promises";
var SYSTEM_APT_SOURCES = ["/etc/apt/sources.list.d/debian.sources", "/etc/apt/sources.list"];
function parseDeb822(text) {
  const stanzas = [];
  let current = {};
  let last;
  const flush = () => {
    if (Object.keys(current).length) stanzas.push(current);
    current = {};
    last = void 0;
  };
  for (const line of text.split("\n")) {
    if (line.startsWith("#")) continue;
    if (!line.trim()) {
      flush();
      continue;
    }
    if (/^\s/.test(line)) {
      if (last !== void 0) current[last] += `
${line.trim() === "." ? "" : line.trim()}`;
      continue;
    }
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    last = line.slice(0, colon).trim().toLowerCase();
    current[last] = line.slice(colon + 1).trim();
  }
  flush();
  return stanzas;
}
var words = (s) => (s ?? "").split(/\s+/).filter(Boolean);
function reposFromDeb822(text) {
  return parseDeb822(text).filter((s) => words(s.types).some((t) => t === "deb" || t === "deb-src")).filter((s) => (s.enabled ?? "yes").toLowerCase() !== "no").map((s) => ({ uris: words(s.uris), suites: words(s.suites), components: words(s.components), signedBy: s["signed-by"] })).filter((r) => r.uris.length && r.suites.length);
}
function reposFromOneLine(text) {
  const repos = [];
  for (const raw of text.split("\n")) {
    const line = raw.replace(/#.*/, "").trim();
    const m = /^(deb|deb-src)\s+(?:\[([^\]]*)\]\s+)?(\S+)\s+(\S+)\s*(.*)$/.exec(line);
    if (!m) continue;
    const signedBy = /(?:^|\s)signed-by=(\S+)/.exec(m[2] ?? "")?.[1];
    repos.push({ uris: [m[3]], suites: [m[4]], components: words(m[5]), signedBy });
  }
  return repos;
}
async function readSystemRepositories(files = SYSTEM_APT_SOURCES) {
  for (const file of files) {
    let text;
    try {
      text = await readFile(file, "utf8");
    } catch (e) {
      if (e.code === "ENOENT") continue;
      throw e;
    }
    const repos = file.endsWith(".sources") ? reposFromDeb822(text) : reposFromOneLine(text);
    if (repos.length) return dedupe(repos);
  }
  return [];
}
function dedupe(repos) {
  const seen = /* @__PURE__ */ new Set();
  return repos.filter((r) => {
    const key = JSON.stringify(r);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
function debSrcStanzas(repos) {
  return repos.map(
    (r) => [
      field("Types", "deb-src"),
      field("URIs", r.uris.join(" ")),
      field("Suites", r.suites.join(" ")),
      ...r.components.length ? [field("Components", r.components.join(" "))] : [],
      ...r.signedBy ? [field("Signed-By", r.signedBy)] : []
    ].join("\n")
  ).join("\n\n").concat("\n");
}
function field(key, value) {
  const [first, ...rest] = value.split("\n");
  return [`${key}: ${first}`, ...rest.map((l) => ` ${l || "."}`)].join("\n");
}

// src/sources/store.ts
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { mkdir, readdir, rename, rm, rmdir } from "node:fs/promises";
import { join } from "node:path";
var TEMP_PREFIX = ".tmp-";
function entryDir(downloadCache, sha256) {
  return join(downloadCache, "sha256", sha256.toLowerCase());
}
function checkFileName(fileName, what) {
  if (!fileName || fileName.includes("/") || fileName.startsWith(".") || fileName.includes("\0")) {
    throw new DiracosError(`${what}: '${fileName}' is not a usable file name; set fileName`);
  }
  return fileName;
}
async function entryFiles(downloadCache, sha256) {
  try {
    return (await readdir(entryDir(downloadCache, sha256))).filter((n) => !n.startsWith(".")).sort();
  } catch (e) {
    if (e.code === "ENOENT") return [];
    throw e;
  }
}
async function lookup(downloadCache, sha256, fileName, reporter) {
  if (!(await entryFiles(downloadCache, sha256)).includes(fileName)) return void 0;
  const path = join(entryDir(downloadCache, sha256), fileName);
  if (await sha256File(path) === sha256.toLowerCase()) return path;
  reporter.warning(`download cache: ${path} does not match its sha256; fetching it again`);
  await rm(path, { force: true });
  return void 0;
}
async function commit(downloadCache, sha256, fileName, what, produce) {
  const expected = sha256?.toLowerCase();
  const dir = expected ? entryDir(downloadCache, expected) : join(downloadCache, "tmp");
  await mkdir(dir, { recursive: true });
  await removeStaleTemps(dir, TEMP_PREFIX);
  const temp = join(dir, `${TEMP_PREFIX}${process.pid}-${randomBytes(4).toString("hex")}-${fileName}`);
  let entry = dir;
  const unregister = onTermination(() => rmSync(temp, { force: true }));
  try {
    await produce(temp);
    const actual = await sha256File(temp);
    if (expected && actual !== expected) {
      throw new DiracosError(`${what}: sha256 mismatch: expected ${expected}, got ${actual}`);
    }
    entry = entryDir(downloadCache, actual);
    await mkdir(entry, { recursive: true });
    const final = join(entry, fileName);
    await rename(temp, final);
    return { path: final, sha256: actual };
  } catch (e) {
    await rm(temp, { force: true });
    if (expected) await removeIfEmpty(entry);
    throw e;
  } finally {
    unregister();
  }
}
async function removeStaleTemps(dir, prefix) {
  let names;
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number.parseInt(name.slice(prefix.length), 10);
    if (Number.isInteger(pid) && !pidAlive(pid)) await rm(join(dir, name), { recursive: true, force: true });
  }
}
async function removeIfEmpty(dir) {
  try {
    await rmdir(dir);
  } catch (e) {
    const code = e.code;
    if (code !== "ENOTEMPTY" && code !== "EEXIST" && code !== "ENOENT") throw e;
  }
}

// src/sources/apt.ts
var UPSTREAM_TARBALL_RULES = [
  { kind: "orig", pattern: /^[^_/]+_[^_/]+\.orig\.tar\.[a-z0-9]+$/ },
  { kind: "native", pattern: /^[^_/]+_(?![^_/]*\.(?:debian|orig)[.-])[^_/]+\.tar\.[a-z0-9]+$/ }
];
function pickUpstreamTarball(names) {
  for (const rule of UPSTREAM_TARBALL_RULES) {
    const hit = names.filter((n) => rule.pattern.test(n)).sort()[0];
    if (hit) return hit;
  }
  return void 0;
}
async function fetchApt(ctx, spec, options = {}) {
  const request = spec.version ? `${spec.apt}=${spec.version}` : spec.apt;
  const what = `apt source ${request}`;
  if (spec.fileName) checkFileName(spec.fileName, what);
  const hit = spec.sha256 && await cacheHit(ctx, spec.sha256, spec.fileName);
  if (hit) return hit;
  const args = await aptArgs(ctx, options);
  const tmpRoot = join2(ctx.downloadCache, "tmp");
  await mkdir2(tmpRoot, { recursive: true });
  await removeStaleTemps(tmpRoot, "apt-");
  const work = await mkdtemp(join2(tmpRoot, `apt-${process.pid}-`));
  try {
    ctx.reporter.info(`downloading Debian source package ${request}`);
    try {
      await ctx.exec("apt-get", [...args, "-q", "source", "--download-only", request], { cwd: work });
    } catch (e) {
      if (e instanceof ExecError) throw new DiracosError(`${what}: apt-get source failed:
${tail(e.stderr)}`);
      throw e;
    }
    const { debian, files } = await readDsc(work, what);
    const picked = pickUpstreamTarball(files);
    if (!picked) throw new DiracosError(`${what}: no upstream tarball among ${files.join(", ")}`);
    const fileName = spec.fileName ?? picked;
    const { path, sha256 } = await commit(
      ctx.downloadCache,
      spec.sha256,
      fileName,
      `${what} (${picked})`,
      (temp) => rename2(join2(work, picked), temp)
    );
    await writeMarker(ctx.downloadCache, sha256, fileName, debian);
    return { path, fileName, sha256, debian };
  } finally {
    await rm2(work, { recursive: true, force: true });
  }
}
async function cacheHit(ctx, sha256, named) {
  const fileName = named ?? pickUpstreamTarball(await entryFiles(ctx.downloadCache, sha256));
  if (!fileName) return void 0;
  const path = await lookup(ctx.downloadCache, sha256, fileName, ctx.reporter);
  if (!path) return void 0;
  ctx.reporter.debug(`${fileName}: in the download cache`);
  const debian = await readMarker(ctx.downloadCache, sha256, fileName);
  return { path, fileName, sha256, ...debian ? { debian } : {} };
}
async function readDsc(dir, what) {
  const dscs = (await readdir2(dir)).filter((n) => n.endsWith(".dsc"));
  if (dscs.length !== 1) throw new DiracosError(`${what}: expected one .dsc from apt-get source, got ${dscs.length}`);
  const info = parseDsc(await readFile2(join2(dir, dscs[0]), "utf8"));
  if (!info) throw new DiracosError(`${what}: ${dscs[0]} has no Source/Version fields`);
  return info;
}
function parseDsc(text) {
  const dsc = parseDeb822(text).find((s) => s.source && s.version);
  if (!dsc) return void 0;
  const files = (dsc["checksums-sha256"] ?? dsc.files ?? "").split("\n").map((l) => l.trim().split(/\s+/)[2]).filter((n) => Boolean(n));
  return { debian: { package: dsc.source, version: dsc.version }, files };
}
var markerPath = (cache, sha256, fileName) => join2(entryDir(cache, sha256), `.apt-${fileName}.json`);
async function writeMarker(cache, sha256, fileName, debian) {
  const temp = join2(entryDir(cache, sha256), `${TEMP_PREFIX}${process.pid}-marker-${fileName}`);
  await writeFile(temp, JSON.stringify(debian));
  await rename2(temp, markerPath(cache, sha256, fileName));
}
async function readMarker(cache, sha256, fileName) {
  try {
    return JSON.parse(await readFile2(markerPath(cache, sha256, fileName), "utf8"));
  } catch {
    return void 0;
  }
}
var updates = /* @__PURE__ */ new Map();
async function aptArgs(ctx, options = {}) {
  const files = options.sourcesFiles ?? SYSTEM_APT_SOURCES;
  const repos = await readSystemRepositories(files);
  if (!repos.length) throw new DiracosError(`apt sources: no Debian repositories found in ${files.join(", ")}`);
  const list = debSrcStanzas(repos);
  const state = join2(ctx.downloadCache, "apt", sha256String(list).slice(0, 16));
  const sourceList = join2(state, "diracos-src.sources");
  const args = [
    "-o",
    `Dir::Etc::SourceList=${sourceList}`,
    "-o",
    "Dir::Etc::SourceParts=-",
    "-o",
    `Dir::State::Lists=${join2(state, "lists")}`,
    "-o",
    `Dir::Cache=${join2(state, "cache")}`,
    // Our folders are not readable by apt's _apt sandbox user; download as whoever runs us.
    "-o",
    `APT::Sandbox::User=${userInfo().username}`
  ];
  let update = updates.get(state);
  if (!update) {
    update = (async () => {
      await mkdir2(join2(state, "lists", "partial"), { recursive: true });
      await mkdir2(join2(state, "cache", "archives", "partial"), { recursive: true });
      await writeFile(`${sourceList}.${process.pid}.tmp`, list);
      await rename2(`${sourceList}.${process.pid}.tmp`, sourceList);
      ctx.reporter.info(`apt-get update of the system's repositories as deb-src, in ${state}`);
      try {
        await ctx.exec("apt-get", [...args, "-q", "update"]);
      } catch (e) {
        if (e instanceof ExecError) throw new DiracosError(`apt sources: apt-get update failed:
${tail(e.stderr)}`);
        throw e;
      }
    })();
    updates.set(state, update);
    update.catch(() => updates.delete(state));
  }
  await update;
  return args;
}
var tail = (text) => text.trim().split("\n").slice(-10).join("\n");

// src/sources/path.ts
import { stat } from "node:fs/promises";
import { basename, isAbsolute } from "node:path";
async function fetchPath(spec) {
  if (!isAbsolute(spec.path)) {
    throw new DiracosError(`path source '${spec.path}' is not absolute (resolve the manifest first)`);
  }
  let info;
  try {
    info = await stat(spec.path);
  } catch (e) {
    const code = e.code;
    if (code === "ENOENT" || code === "ENOTDIR") throw new DiracosError(`path source '${spec.path}' does not exist`);
    throw new DiracosError(`path source '${spec.path}' cannot be read: ${e.message}`);
  }
  const fileName = spec.fileName ?? basename(spec.path);
  if (info.isDirectory()) {
    if (spec.sha256) throw new DiracosError(`path source '${spec.path}' is a directory, which has no sha256 (point at a file such as a tarball, or drop sha256)`);
    return { path: spec.path, fileName, spec };
  }
  if (!info.isFile()) throw new DiracosError(`path source '${spec.path}' is neither a file nor a directory`);
  const sha256 = await sha256File(spec.path);
  if (spec.sha256 && spec.sha256.toLowerCase() !== sha256) {
    throw new DiracosError(`path source '${spec.path}': sha256 mismatch: the manifest says ${spec.sha256}, the file has ${sha256}`);
  }
  return { path: spec.path, fileName, sha256, spec };
}

// src/sources/url.ts
import { createReadStream, createWriteStream } from "node:fs";
import { stat as stat2 } from "node:fs/promises";
import { basename as basename2 } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
var MAX_DOWNLOAD_BYTES = 4 * 1024 ** 3;
var TRANSPORTS = {
  "http:": download,
  "https:": download,
  "file:": copyLocal
};
function urlFileName(url) {
  return decodeURIComponent(basename2(url.pathname));
}
async function fetchUrl(ctx, href, sha256, fileName) {
  const { downloadCache, reporter } = ctx;
  const what = `url ${href}`;
  let url;
  try {
    url = new URL(href);
  } catch {
    throw new DiracosError(`${what}: not a valid URL`);
  }
  const transport = TRANSPORTS[url.protocol];
  if (!transport) throw new DiracosError(`${what}: unsupported scheme '${url.protocol}' (use http, https or file)`);
  checkFileName(fileName, what);
  const cached = sha256 && await lookup(downloadCache, sha256, fileName, reporter);
  if (cached) {
    reporter.debug(`${fileName}: in the download cache`);
    return { path: cached, sha256 };
  }
  reporter.info(`downloading ${href}`);
  const limit = ctx.maxDownloadBytes ?? MAX_DOWNLOAD_BYTES;
  return commit(downloadCache, sha256, fileName, what, (temp) => transport(url, temp, limit).catch((e) => {
    throw e instanceof DiracosError ? e : new DiracosError(`${what}: ${describe(e)}`);
  }));
}
async function download(url, dest, limit) {
  const response = await fetch(url, { redirect: "follow" });
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new DiracosError(`url ${url.href}: HTTP ${response.status} ${response.statusText}`.trimEnd());
  }
  const announced = Number(response.headers.get("content-length") ?? 0);
  if (announced > limit) {
    await response.body.cancel();
    throw tooBig(url, `it announces ${announced} bytes`, limit);
  }
  await pipeline(Readable.fromWeb(response.body), atMost(url, limit), createWriteStream(dest));
}
async function copyLocal(url, dest, limit) {
  const path = fileURLToPath(url);
  if (!(await stat2(path)).isFile()) throw new DiracosError(`url ${url.href}: ${path} is not a regular file`);
  await pipeline(createReadStream(path), atMost(url, limit), createWriteStream(dest));
}
function atMost(url, limit) {
  let seen = 0;
  return new Transform({
    transform(chunk, _encoding, done) {
      seen += chunk.length;
      done(seen > limit ? tooBig(url, `over ${limit} bytes came`, limit) : null, chunk);
    }
  });
}
var tooBig = (url, what, limit) => new DiracosError(`url ${url.href}: ${what}, more than the ${limit / 1024 / 1024} MiB a source may have; refusing it`);
function describe(e) {
  if (!(e instanceof Error)) return String(e);
  const cause = e.cause;
  return cause instanceof Error ? `${e.message}: ${cause.message}` : e.message;
}

// src/sources/fetch.ts
async function fetchSource(ctx, spec, options = {}) {
  if ("path" in spec) return fetchPath(spec);
  if (!spec.sha256) {
    throw new DiracosError(`${describeSource(spec)}: not locked: it has no sha256 yet; run \`diracos lock\` where it can be downloaded, which writes its sha256 into the manifest`);
  }
  return download2(ctx, spec, options);
}
async function lockSource(ctx, spec, options = {}) {
  return download2(ctx, spec, options);
}
function downloadFileName(spec) {
  if (spec.fileName) return spec.fileName;
  const first = spec.url?.[0];
  if (!first) return void 0;
  try {
    return urlFileName(new URL(first));
  } catch {
    return void 0;
  }
}
function describeSource(spec) {
  if ("path" in spec) return `path source '${spec.path}'`;
  const name = downloadFileName(spec) || spec.url?.[0];
  if (name) return `source ${name}`;
  return `apt source ${spec.apt}${spec.version ? `=${spec.version}` : ""}`;
}
async function download2(ctx, spec, options) {
  const fileName = downloadFileName(spec);
  if (spec.url?.length && fileName === void 0) {
    throw new DiracosError(`${describeSource(spec)}: no file name can be taken from its first url (not a valid URL, or bad %-escapes in its last segment); set fileName`);
  }
  const ways = [
    ...(spec.url ?? []).map((url) => ({
      what: `url ${url}`,
      get: async () => ({ fileName, ...await fetchUrl(ctx, url, spec.sha256, fileName) })
    })),
    ...spec.apt ? [{
      what: `apt ${spec.apt}${spec.version ? `=${spec.version}` : ""}`,
      get: async () => {
        const got = await fetchApt(ctx, { apt: spec.apt, version: spec.version, sha256: spec.sha256, fileName }, options);
        return { ...got, sha256: got.sha256 };
      }
    }] : []
  ];
  if (ways.length === 0) throw new DiracosError(`${describeSource(spec)}: has neither url nor apt`);
  const failures = [];
  for (const way of ways) {
    try {
      return { ...await way.get(), spec };
    } catch (e) {
      if (!(e instanceof DiracosError)) throw e;
      if (ways.length === 1) throw e;
      failures.push(e.message);
      if (failures.length < ways.length) ctx.reporter.warning(`${describeSource(spec)}: ${e.message.split("\n")[0]}; trying the next way`);
    }
  }
  throw new DiracosError(`${describeSource(spec)}: none of its ${ways.length} ways gave the file:
${failures.map((f) => `  - ${f.replace(/\n/g, "\n    ")}`).join("\n")}`);
}

export {
  fetchSource,
  lockSource,
  describeSource
};
