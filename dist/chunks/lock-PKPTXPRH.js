import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  describeSource,
  lockSource
} from "./chunk-OBK2APVA.js";
import {
  replaceFile
} from "./chunk-IPZFQFHS.js";
import {
  folderOption
} from "./chunk-J5XC46QG.js";
import {
  defaultCacheDir,
  nodeAt,
  nodeExec,
  readManifestText,
  validateManifestText
} from "./chunk-76TJA7O4.js";
import {
  require_dist
} from "./chunk-6GWKZRC5.js";
import {
  option
} from "./chunk-BRQLUY4V.js";
import {
  DiracosError,
  DiracosErrors,
  __toESM
} from "./chunk-5I364NK5.js";

// src/cli/commands/lock.ts
import { join } from "node:path";

// src/sources/lock.ts
var import_yaml = __toESM(require_dist(), 1);
import { constants, realpathSync } from "node:fs";
import { access } from "node:fs/promises";
import { dirname, resolve as resolvePath } from "node:path";
function unlockedSources(m) {
  const out = [];
  const visit = (pkg, path, s) => {
    if (s && !("path" in s) && !s.sha256) out.push({ where: keyPath(path), path, package: pkg, spec: s });
  };
  visit("python", ["python", "source"], m.python.source);
  m.build.packageGroups.forEach(
    (g, gi) => g.packages.forEach((p, pi) => {
      const at = ["build", "packageGroups", gi, "packages", pi];
      visit(p.name, [...at, "srpm"], p.srpm);
      visit(p.name, [...at, "tarball"], p.tarball);
      p.sources?.forEach((s, i) => visit(p.name, [...at, "sources", i], s));
      p.rpms?.forEach((s, i) => visit(p.name, [...at, "rpms", i], s));
    })
  );
  return out;
}
async function lockManifest(ctx, file, opts = {}) {
  const path = realpathSync(resolvePath(file));
  const original = readManifestText(path, { keepBom: true });
  const bom = original.startsWith(BOM) ? BOM : "";
  const text = original.slice(bom.length);
  const { manifest, problems } = validateManifestText(text, path);
  if (!manifest) throw new DiracosErrors(problems, `${path}: ${problems.length} problem(s) in the manifest`);
  const unlocked = unlockedSources(manifest);
  if (opts.check || unlocked.length === 0) return { file: path, sources: unlocked, written: false };
  await checkWritable(path);
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
${failures.map((f) => `  ${f.replace(/\n/g, "\n    ")}`).join("\n")}`);
  }
  const edited = bom + editedText(path, text, locked);
  const now = readManifestText(path, { keepBom: true });
  if (now === edited) return { file: path, sources: locked, written: false };
  if (now !== original) {
    throw new DiracosError(`${path}: the manifest changed while its sources were downloaded; it is left as it is now: run \`diracos lock\` again`);
  }
  await replaceFile(path, edited, { keepOwnership: true });
  return { file: path, sources: locked, written: true };
}
var BOM = "\uFEFF";
function editedText(path, text, locked) {
  let why;
  try {
    const edited = insertDigests(text, locked);
    const after = validateManifestText(edited, path);
    const still = after.manifest && unlockedSources(after.manifest);
    if (still && still.length === 0) return edited;
    why = still ? `still without sha256: ${still.map((u) => u.where).join(", ")}` : after.problems.map((p) => `line ${p.location.line}: ${p.message}`).join("; ");
  } catch (e) {
    if (!(e instanceof DiracosError)) throw e;
    why = e.message;
  }
  const digests = locked.map((s) => `  ${s.where}: sha256: ${s.sha256}`).join("\n");
  throw new DiracosError(`${path}: the digests could not be written into the text (${why}); the manifest is unchanged; write them by hand:
${digests}`);
}
async function checkWritable(path) {
  for (const [target, what] of [[path, "the file"], [dirname(path), `its folder ${dirname(path)}`]]) {
    try {
      await access(target, constants.W_OK);
    } catch (e) {
      throw new DiracosError(`${path}: cannot write the manifest: ${what} is not writable (${e.code}); nothing was downloaded`);
    }
  }
}
function insertDigests(text, sources) {
  const doc = (0, import_yaml.parseDocument)(text, { merge: true });
  const edits = /* @__PURE__ */ new Map();
  for (const s of sources) {
    const node = nodeAt(doc, s.path);
    if (!node || !(0, import_yaml.isMap)(node) || !node.range) throw new DiracosError(`${s.where}: not a mapping in the text`);
    const [offset, insert] = insertion(text, node, s.sha256);
    const already = edits.get(offset);
    if (already !== void 0 && already !== insert) throw new DiracosError(`${s.where}: the same source mapping got two digests`);
    edits.set(offset, insert);
  }
  let out = text;
  for (const offset of [...edits.keys()].sort((a, b) => b - a)) out = out.slice(0, offset) + edits.get(offset) + out.slice(offset);
  return out;
}
function insertion(text, map, sha256) {
  const [start, valueEnd] = map.range;
  const last = map.items.at(-1);
  const lastEnd = (last?.value?.range ?? last?.key?.range)?.[1] ?? valueEnd;
  if (map.flow) {
    let after = lastEnd;
    while (/[ \t\r\n]/.test(text[after] ?? "")) after++;
    return text[after] === "," ? [after + 1, ` sha256: ${sha256}`] : [lastEnd, `, sha256: ${sha256}`];
  }
  const first = map.items[0]?.key;
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
function keyPath(path) {
  return path.map((p, i) => typeof p === "number" ? `[${p}]` : i ? `.${p}` : p).join("");
}

// src/cli/commands/lock.ts
var NOT_LOCKED = 3;
async function run(p, reporter) {
  const file = option.string(p, "manifest") ?? "diracos.yaml";
  const check = p.values.check === true;
  const downloadCache = join(folderOption(p, "cache-dir", defaultCacheDir()), "downloads");
  const r = await lockManifest({ exec: nodeExec, reporter, downloadCache }, file, { check });
  const rows = r.sources.map((s) => [s.package, describeSource(s.spec), s.where, s.sha256 ?? "not locked"]);
  if (rows.length) reporter.table({ title: check ? "sources not locked" : "sources locked", header: ["package", "source", "key", "sha256"], rows });
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
