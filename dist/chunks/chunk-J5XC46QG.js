import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  BUILD_BACKENDS,
  LocalArtifactStore,
  LocalCache,
  RUNTIME_CHOICES,
  createContext,
  defaultCacheDir,
  loadManifest,
  nodeExec,
  withBackend
} from "./chunk-76TJA7O4.js";
import {
  option
} from "./chunk-BRQLUY4V.js";
import {
  DiracosError
} from "./chunk-5I364NK5.js";

// src/cli/start.ts
import { mkdirSync, statSync } from "node:fs";
import { join, resolve as resolvePath } from "node:path";
function cliManifest(p, reporter) {
  const m = loadManifest(option.string(p, "manifest") ?? "diracos.yaml");
  for (const w of m.warnings ?? []) reporter.warning(w.message, w.location);
  reporter.debug(`manifest ${m.file}: DIRACOS ${m.manifest.version}, ${m.packages.length} package(s)`);
  return withBackend(m, option.choice(p, "backend", BUILD_BACKENDS));
}
function folderOption(p, name, fallback) {
  const dir = resolvePath(option.string(p, name) ?? fallback);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    const code = e.code;
    if (code === "EEXIST") throw new DiracosError(`--${name}: '${dir}' exists and is not a folder`);
    if (code === "ENOTDIR") throw new DiracosError(`--${name}: '${dir}' cannot be a folder: a part of that path is a file`);
    if (code === "EACCES" || code === "EROFS" || code === "EPERM") throw new DiracosError(`--${name}: cannot create the folder '${dir}' (${code})`);
    throw e;
  }
  if (!statSync(dir).isDirectory()) throw new DiracosError(`--${name}: '${dir}' is not a folder`);
  return dir;
}
function cliContext(p, reporter, m) {
  const workdir = folderOption(p, "workdir", ".work");
  const cacheDir = folderOption(p, "cache-dir", defaultCacheDir());
  return createContext({
    exec: nodeExec,
    reporter,
    cache: new LocalCache(join(cacheDir, "entries")),
    artifacts: new LocalArtifactStore(join(workdir, "artifacts")),
    runtime: option.choice(p, "runtime", RUNTIME_CHOICES) ?? "auto",
    jobs: option.int(p, "jobs"),
    workdir,
    downloadCache: join(cacheDir, "downloads"),
    shared: [m.repository]
  });
}
async function cliStart(p, reporter) {
  const m = cliManifest(p, reporter);
  return { m, ctx: await cliContext(p, reporter, m) };
}

export {
  cliManifest,
  folderOption,
  cliContext,
  cliStart
};
