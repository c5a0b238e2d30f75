import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  Repository,
  lockRepository
} from "./chunk-DJNZVUEQ.js";
import {
  lockOptions,
  readIndex,
  repoLayout
} from "./chunk-WZYYDKA4.js";
import {
  DiracosError
} from "./chunk-5I364NK5.js";

// src/pipeline/shards.ts
import { readdir, stat } from "node:fs/promises";
import { join as join2 } from "node:path";

// src/build-rpms/merge.ts
import { join } from "node:path";
async function mergeRepositories(exec, target, sources, arch, opts = {}) {
  const lock = await lockRepository(target, opts);
  try {
    return await mergeLocked(exec, target, sources, arch, opts);
  } finally {
    await lock.release();
  }
}
async function mergeLocked(exec, target, sources, arch, opts) {
  const repo = await Repository.open(exec, target, arch, opts);
  const chosen = /* @__PURE__ */ new Map();
  for (const from of sources) {
    const index = await readIndex(repoLayout(from, arch).index);
    for (const [name, entry] of Object.entries(index.packages)) {
      const other = chosen.get(name);
      if (other && other.entry.key !== entry.key) {
        throw new DiracosError(`merging repositories: package '${name}' has key ${other.entry.key.slice(0, 12)} in ${other.from} and ${entry.key.slice(0, 12)} in ${from}`);
      }
      if (!other) chosen.set(name, { entry, from });
    }
  }
  const present = [];
  const toAdd = [];
  for (const [name, c] of [...chosen].sort(([a], [b]) => a.localeCompare(b))) {
    if (repo.entry(name)?.key === c.entry.key) present.push(name);
    else toAdd.push({ name, ...c });
  }
  await repo.addMany(
    toAdd.map(({ name, from, entry }) => ({
      name,
      key: entry.key,
      buildOnly: entry.buildOnly,
      files: entry.rpms.map((rpm) => ({ path: join(from, rpm), part: repo.partOf(rpm) }))
    }))
  );
  return { added: toAdd.map(({ name, from }) => ({ name, from })), present };
}

// src/pipeline/shards.ts
var DEFAULT_SHARDS = 4;
var WORKFLOW_STAGES = 4;
function planShards(levels, count = DEFAULT_SHARDS, stages = Infinity) {
  if (!Number.isInteger(count) || count < 1) throw new DiracosError(`shards: expected a positive integer (got ${count})`);
  if (stages < 1) throw new DiracosError(`shards: expected at least one stage (got ${stages})`);
  if (levels.length > stages) {
    const kept = planShards(levels.slice(0, stages - 1), count);
    const rest = { name: `level${stages - 1}-rest`, only: levels.slice(stages - 1).flat(), level: stages - 1 };
    return { include: [...kept.include, rest], levels: [...kept.levels, { include: [rest] }] };
  }
  const byLevel = levels.map((names, level) => {
    const n = Math.min(count, names.length);
    const shards = Array.from({ length: n }, (_, i) => ({ name: n === 1 ? `level${level}` : `level${level}-${i + 1}`, only: [], level }));
    [...names].sort().forEach((name, i) => shards[i % n].only.push(name));
    return { include: shards };
  });
  return { include: byLevel.flatMap((l) => l.include), levels: byLevel.filter((l) => l.include.length > 0) };
}
function parseShard(value, what, m) {
  if (value === void 0 || value === null || value === "") return void 0;
  const v = value;
  if (typeof v !== "object" || typeof v.name !== "string" || !Array.isArray(v.only) || !v.only.every((x) => typeof x === "string") || !Number.isInteger(v.level)) {
    throw new DiracosError(`${what}: expected {"name": string, "only": [package names], "level": integer} (one entry of the plan's matrix)`);
  }
  const known = new Set(m.packages.map((p) => p.name));
  const unknown = v.only.filter((n) => !known.has(n));
  if (unknown.length > 0) throw new DiracosError(`${what}: package(s) not in ${m.file}: ${unknown.join(", ")}`);
  return { name: v.name, only: v.only, level: v.level };
}
function checkPackageNames(names, what, m) {
  const known = new Set(m.packages.map((p) => p.name));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) throw new DiracosError(`${what}: package(s) not in ${m.file}: ${unknown.join(", ")}`);
  return names;
}
async function mergeShardRepositories(ctx, m, dir) {
  const entries = await readdir(dir, { withFileTypes: true }).catch((e) => {
    if (e.code === "ENOENT") return [];
    throw new DiracosError(`cannot read the shard repositories in '${dir}': ${e.message}`);
  });
  if (entries.length === 0) ctx.reporter.warning(`no shard repository in '${dir}': nothing merged`);
  const sources = entries.filter((e) => e.isDirectory()).map((e) => join2(dir, e.name)).sort();
  for (const s of sources) {
    if (!await stat(repoLayout(s, m.arch).index).catch(() => void 0)) throw new DiracosError(`'${s}' is not a shard repository (no ${repoLayout(s, m.arch).index})`);
  }
  ctx.tools.share(m.repository, ...sources);
  return mergeRepositories(ctx.tools.exec, m.repository, sources, m.arch, { ...lockOptions(ctx), onWarning: (message) => ctx.reporter.warning(message) });
}

export {
  DEFAULT_SHARDS,
  WORKFLOW_STAGES,
  planShards,
  parseShard,
  checkPackageNames,
  mergeShardRepositories
};
