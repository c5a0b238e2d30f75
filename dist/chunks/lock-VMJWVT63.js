import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  describeSource,
  lockSource
} from "./chunk-HC65DJMC.js";
import {
  folderOption
} from "./chunk-VMXK3ULC.js";
import {
  defaultCacheDir,
  nodeExec,
  readManifestText,
  validateManifestText
} from "./chunk-BJBO6DKD.js";
import {
  require_dist
} from "./chunk-HDXZOZLZ.js";
import {
  option
} from "./chunk-V5HVOR5N.js";
import {
  DiracosError,
  DiracosErrors,
  __toESM
} from "./chunk-5I364NK5.js";

// src/cli/commands/lock.ts
import { join as join2 } from "node:path";

// src/sources/lock.ts
var import_yaml = __toESM(require_dist(), 1);
import { realpathSync } from "node:fs";
import { chmod, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve as resolvePath } from "node:path";
function unlockedSources(m) {
  const out = [];
  const visit = (path, s) => {
    if (s && !("path" in s) && !s.sha256) out.push({ where: keyPath(path), path, spec: s });
  };
  visit(["python", "source"], m.python.source);
  m.build.packageGroups.forEach(
    (g, gi) => g.packages.forEach((p, pi) => {
      const at = ["build", "packageGroups", gi, "packages", pi];
      visit([...at, "srpm"], p.srpm);
      visit([...at, "tarball"], p.tarball);
      p.sources?.forEach((s, i) => visit([...at, "sources", i], s));
      p.rpms?.forEach((s, i) => visit([...at, "rpms", i], s));
    })
  );
  return out;
}
async function lockManifest(ctx, file, opts = {}) {
  const path = realpathSync(resolvePath(file));
  const text = readManifestText(path);
  const { manifest, problems } = validateManifestText(text, path);
  if (!manifest) throw new DiracosErrors(problems, `${path}: ${problems.length} problem(s) in the manifest`);
  const unlocked = unlockedSources(manifest);
  if (opts.check || unlocked.length === 0) return { file: path, sources: unlocked, written: false };
  const locked = [];
  const failures = [];
  const downloads = /* @__PURE__ */ new Map();
  for (const u of unlocked) {
    const id = JSON.stringify(u.spec);
    if (!downloads.has(id)) downloads.set(id, lockSource(ctx, u.spec, opts));
    try {
      const got = await downloads.get(id);
      ctx.reporter.info(`${u.where}: ${got.fileName} sha256 ${got.sha256}`);
      locked.push({ ...u, sha256: got.sha256 });
    } catch (e) {
      if (!(e instanceof DiracosError)) throw e;
      failures.push(`${u.where}: ${e.message}`);
    }
  }
  if (failures.length) {
    throw new DiracosError(`${path}: ${failures.length} of ${unlocked.length} source(s) could not be downloaded; the manifest is unchanged:
${failures.map((f) => `  ${f}`).join("\n")}`);
  }
  const edited = insertDigests(text, locked);
  const after = validateManifestText(edited, path);
  const stillUnlocked = after.manifest ? unlockedSources(after.manifest) : void 0;
  if (!after.manifest || stillUnlocked.length) {
    throw new DiracosError(`${path}: writing the digests would not give a locked manifest (${after.problems.map((p) => p.message).join("; ") || stillUnlocked.map((u) => u.where).join(", ")}); the manifest is unchanged`);
  }
  await replaceFile(path, edited);
  return { file: path, sources: locked, written: true };
}
function insertDigests(text, sources) {
  const doc = (0, import_yaml.parseDocument)(text, { merge: true });
  const edits = /* @__PURE__ */ new Map();
  for (const s of sources) {
    const node = resolved(doc, doc.getIn(s.path, true));
    if (!node || !(0, import_yaml.isMap)(node) || !node.range) throw new DiracosError(`${s.where}: not a mapping in the text; write its sha256 by hand: ${s.sha256}`);
    const [offset, insert] = insertion(text, node, s.sha256);
    const already = edits.get(offset);
    if (already !== void 0 && already !== insert) throw new DiracosError(`${s.where}: the same source mapping got two digests`);
    edits.set(offset, insert);
  }
  let out = text;
  for (const offset of [...edits.keys()].sort((a, b) => b - a)) out = out.slice(0, offset) + edits.get(offset) + out.slice(offset);
  return out;
}
function resolved(doc, node) {
  return node && (0, import_yaml.isAlias)(node) ? node.resolve(doc) : node;
}
function insertion(text, map, sha256) {
  const [start, valueEnd] = map.range;
  if (map.flow) {
    const close = text.lastIndexOf("}", valueEnd);
    let before = close - 1;
    while (before > start && /\s/.test(text[before])) before--;
    return text[before] === "," || text[before] === "{" ? [before + 1, ` sha256: ${sha256}`] : [before + 1, `, sha256: ${sha256}`];
  }
  const first = map.items[0]?.key;
  const last = map.items.at(-1);
  const lastEnd = (last?.value?.range ?? last?.key?.range)?.[1] ?? valueEnd;
  const keyAt = first?.range?.[0] ?? start;
  const column = keyAt - (text.lastIndexOf("\n", keyAt - 1) + 1);
  let lineEnd = text.indexOf("\n", Math.max(lastEnd - 1, 0));
  if (lineEnd < 0) lineEnd = text.length;
  if (lastEnd > 0 && text[lastEnd - 1] === "\n") lineEnd = lastEnd - 1;
  const crlf = lineEnd > 0 && text[lineEnd - 1] === "\r";
  return crlf ? [lineEnd - 1, `\r
${" ".repeat(column)}sha256: ${sha256}`] : [lineEnd, `
${" ".repeat(column)}sha256: ${sha256}`];
}
async function replaceFile(path, content) {
  const temp = join(dirname(path), `.${basename(path)}.lock-${process.pid}.tmp`);
  try {
    await writeFile(temp, content, { flag: "wx" });
    await chmod(temp, (await stat(path)).mode & 4095);
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
}
function keyPath(path) {
  return path.map((p, i) => typeof p === "number" ? `[${p}]` : i ? `.${p}` : p).join("");
}

// src/cli/commands/lock.ts
var NOT_LOCKED = 3;
async function run(p, reporter) {
  const file = option.string(p, "manifest") ?? "diracos.yaml";
  const check = p.values.check === true;
  const downloadCache = join2(folderOption(p, "cache-dir", defaultCacheDir()), "downloads");
  const r = await lockManifest({ exec: nodeExec, reporter, downloadCache }, file, { check });
  const rows = r.sources.map((s) => [s.where, describeSource(s.spec), s.sha256 ?? "not locked"]);
  if (rows.length) reporter.table({ title: check ? "sources not locked" : "sources locked", header: ["key", "source", "sha256"], rows });
  if (check && r.sources.length) {
    const e = new DiracosError(`${r.file}: ${r.sources.length} source(s) have no sha256; run \`diracos lock\` where they can be downloaded`);
    e.cliStatus = NOT_LOCKED;
    throw e;
  }
  reporter.info(r.written ? `${r.file}: ${r.sources.length} sha256 written` : `${r.file}: every source is locked`);
}
export {
  NOT_LOCKED,
  run
};
