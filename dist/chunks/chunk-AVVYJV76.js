import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  inputs
} from "./chunk-DIKVMJHR.js";
import {
  sha256Object
} from "./chunk-UDRW4J3F.js";

// src/actions/shared/build.ts
import { readdir } from "node:fs/promises";
import { join } from "node:path";

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

// src/actions/shared/build.ts
async function cachedBuild(ctx, m, opts, build) {
  const useCache = inputs.boolean("cache", true);
  let cached;
  try {
    const result = await build(async (plan) => {
      if (useCache) cached = await restoreRepository(ctx, m, plan);
    });
    if (cached && opts.save) await saveRepository(ctx, m, cached);
    return result;
  } catch (e) {
    await uploadLogs(ctx);
    throw e;
  }
}
async function uploadLogs(ctx) {
  const dir = join(ctx.workdir, "build-rpms", "logs");
  const logs = await readdir(dir).catch(() => []);
  if (logs.length === 0) return;
  const where = await ctx.artifacts.upload(`diracos-build-logs-${process.env.GITHUB_JOB ?? "local"}-${process.env.GITHUB_RUN_ATTEMPT ?? "1"}`, logs.map((l) => join(dir, l)), dir);
  ctx.reporter.info(`build logs uploaded: ${where}`);
}

export {
  cachedBuild
};
