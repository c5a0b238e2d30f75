import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  LocalArtifactStore,
  LocalCache,
  RUNTIME_CHOICES,
  createContext,
  defaultCacheDir,
  loadManifest,
  nodeExec
} from "./chunk-4RSKGXMY.js";
import {
  option
} from "./chunk-WTLD57BN.js";

// src/cli/context.ts
import { join, resolve as resolvePath } from "node:path";
function cliManifest(p, reporter) {
  const m = loadManifest(option.string(p, "manifest") ?? "diracos.yaml");
  for (const w of m.warnings ?? []) reporter.warning(w.message, w.location);
  reporter.debug(`manifest ${m.file}: DIRACOS ${m.manifest.version}, ${m.packages.length} package(s)`);
  return m;
}
function cliContext(p, reporter, m) {
  const workdir = resolvePath(option.string(p, "workdir") ?? ".work");
  const cacheDir = resolvePath(option.string(p, "cache-dir") ?? defaultCacheDir());
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
  cliContext,
  cliStart
};
