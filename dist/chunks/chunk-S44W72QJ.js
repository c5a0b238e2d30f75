import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  mergeShardRepositories
} from "./chunk-WKQQPNT2.js";
import {
  inputs
} from "./chunk-YE3P6JIC.js";
import {
  Repository
} from "./chunk-DJNZVUEQ.js";
import {
  REPO_PARTS,
  readIndex,
  repoLayout
} from "./chunk-WZYYDKA4.js";
import {
  sha256Object
} from "./chunk-76TJA7O4.js";
import {
  DiracosError
} from "./chunk-5I364NK5.js";

// src/actions/shared/build.ts
import { readdir } from "node:fs/promises";
import { join as join2, resolve as resolve2 } from "node:path";

// src/pipeline/repo-cache.ts
function repoCachePrefix(m) {
  return `diracos-rpms-${m.manifest.version}-${m.arch}-`;
}
function repoCacheKey(m, plan) {
  const keys = Object.fromEntries([...plan.order].sort().map((name) => [name, plan.keys.get(name)]));
  return repoCachePrefix(m) + sha256Object(keys).slice(0, 32);
}
async function restoreRepository(ctx, m, plan) {
  const key = repoCacheKey(m, plan);
  const hit = await ctx.cache.restore([m.repository], key, [repoCachePrefix(m), `diracos-rpms-`]) ?? "";
  ctx.reporter.info(hit === key ? `repository cache: exact hit ${key}` : hit ? `repository cache: partial hit ${hit}` : `repository cache: miss for ${key}`);
  return { key, hit };
}
async function saveRepository(ctx, m, cached) {
  if (cached.hit !== cached.key) await ctx.cache.save([m.repository], cached.key);
}

// src/actions/shared/stage.ts
import { randomBytes } from "node:crypto";
import { rename, rm } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
async function stageRepository(ctx, m, names, dir) {
  const target = resolve(dir);
  const layout = repoLayout(m.repository, m.arch);
  const index = await readIndex(layout.index);
  const missing = names.filter((n) => !index.packages[n]);
  if (missing.length > 0) throw new DiracosError(`staging the repository: package(s) not in ${m.repository}: ${missing.join(", ")}`);
  const partOf = (rpm) => REPO_PARTS.find((p) => layout[p] === dirname(join(layout.root, rpm))) ?? "binary";
  const tmp = join(dirname(target), `.staging-${randomBytes(6).toString("hex")}`);
  try {
    const repo = await Repository.open(ctx.exec, tmp, m.arch);
    await repo.addMany(
      [...names].sort().map((name) => {
        const entry = index.packages[name];
        return { name, key: entry.key, buildOnly: entry.buildOnly, files: entry.rpms.map((rpm) => ({ path: join(layout.root, rpm), part: partOf(rpm) })) };
      })
    );
    await repo.flush();
    await rm(target, { recursive: true, force: true });
    await rename(tmp, target);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return target;
}

// src/actions/shared/build.ts
async function cachedBuild(ctx, m, opts, build) {
  const useCache = inputs.boolean("cache", true);
  const stageDir = inputs.string("stage-repository");
  let cached;
  let plan;
  try {
    const result = await build(async (p) => {
      plan = p;
      if (useCache) cached = await restoreRepository(ctx, m, p);
      if (opts.merge) {
        const merged = await mergeShardRepositories(ctx, m, resolve2(opts.merge));
        ctx.reporter.info(`merged ${merged.added.length} package(s) from the repositories in ${opts.merge} (${merged.present.length} already present)`);
      }
      if (opts.requireBuilt) await assertAllBuilt(m, p, opts.merge);
    });
    if (cached && opts.save) await saveRepository(ctx, m, cached);
    const staged = stageDir && plan ? await stageRepository(ctx, m, opts.stage ? opts.stage(plan) : plan.order, stageDir) : void 0;
    const cache = cached ? { key: cached.key, hit: cached.hit === cached.key ? "exact" : cached.hit ? "partial" : "miss" } : void 0;
    return { result, cache, staged };
  } catch (e) {
    await uploadLogs(ctx, opts.logsSuffix);
    throw e;
  }
}
async function assertAllBuilt(m, plan, merged) {
  const index = await readIndex(repoLayout(m.repository, m.arch).index);
  const missing = plan.order.filter((name) => index.packages[name]?.key !== plan.keys.get(name));
  if (missing.length === 0) return;
  throw new DiracosError(
    `build-rpms (require-built): ${missing.length} package(s) are not in the repository with their current key${merged ? ` after merging the repositories in ${merged}` : ""}: ${missing.join(", ")}. The jobs that build them failed or did not upload their repository (a missing or misnamed artifact).`,
    { file: m.file }
  );
}
function logsArtifactName(suffix, env = process.env) {
  const given = inputs.string("logs-artifact");
  if (given) return given;
  const parts = ["diracos-build-logs", env.GITHUB_JOB || "local", suffix, `attempt${env.GITHUB_RUN_ATTEMPT || "1"}`];
  return parts.filter(Boolean).join("-").replace(/[^A-Za-z0-9._+-]/g, "_");
}
async function uploadLogs(ctx, suffix) {
  const dir = join2(ctx.workdir, "build-rpms", "logs");
  const logs = await readdir(dir).catch(() => []);
  if (logs.length === 0) return;
  const name = logsArtifactName(suffix);
  try {
    const where = await ctx.artifacts.upload(name, logs.map((l) => join2(dir, l)), dir);
    ctx.reporter.info(`build logs uploaded as artifact '${name}' (${where})`);
  } catch (e) {
    ctx.reporter.error(`build logs: uploading artifact '${name}' failed: ${e.message}`);
  }
}

export {
  cachedBuild
};
