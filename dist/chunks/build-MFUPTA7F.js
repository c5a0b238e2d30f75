import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  bundleDiracos
} from "./chunk-WEYTGNIK.js";
import {
  testPlatforms
} from "./chunk-NIKL2EIF.js";
import "./chunk-WRU3COMP.js";
import {
  bundleArtifactName,
  selectPlatforms
} from "./chunk-U3FUHOE7.js";
import {
  bootstrapPython
} from "./chunk-V7AGGHSP.js";
import {
  bundleTable,
  pythonTable,
  requiredFailures
} from "./chunk-E2MQMDQJ.js";
import {
  checkPackageNames
} from "./chunk-LOU2NQIF.js";
import {
  buildRpms,
  packagesWithPython
} from "./chunk-WJA3EXZN.js";
import "./chunk-E4X3S5LA.js";
import "./chunk-7IT5JWWN.js";
import {
  cliContext,
  cliManifest
} from "./chunk-D6HNKOXD.js";
import "./chunk-4RSKGXMY.js";
import "./chunk-BIJLQJFD.js";
import {
  option
} from "./chunk-WTLD57BN.js";
import {
  DiracosError
} from "./chunk-CLIQD727.js";

// src/pipeline/build.ts
import { join } from "node:path";
async function buildAll(ctx, m, opts = {}) {
  const { reporter } = ctx;
  const python = await reporter.group("bootstrap-python", () => bootstrapPython(ctx, m));
  reporter.table(pythonTable(python));
  const packages = await packagesWithPython(ctx, m);
  const rpms = await reporter.group("build-rpms", () => buildRpms(ctx, m, { packages, only: opts.only }));
  const outDir = join(ctx.workdir, "bundle-diracos", "out");
  const bundle = await reporter.group("bundle-diracos", () => bundleDiracos(ctx, m, { outDir, compression: opts.compression }));
  const artifact = await ctx.artifacts.upload(bundleArtifactName(m), bundle.files, outDir);
  reporter.table(bundleTable(bundle, artifact));
  const tests = await reporter.group(
    "test-platforms",
    () => testPlatforms(ctx, m, { tarball: bundle.tarball, platforms: opts.platforms, outDir: join(ctx.workdir, "test-platforms", "out") })
  );
  const failure = requiredFailures(tests);
  if (failure) throw new DiracosError(failure);
  return { python, rpms, bundle, artifact, tests };
}

// src/cli/commands/build.ts
async function run(p, reporter) {
  const m = cliManifest(p, reporter);
  const only = checkPackageNames(option.list(p, "only"), "--only", m);
  const platforms = selectPlatforms(m, option.string(p, "platform"), "--platform");
  const compression = option.choice(p, "compression", ["gzip", "zstd"]);
  const backend = option.choice(p, "backend", ["container", "mock"]);
  if (backend) m.manifest = { ...m.manifest, build: { ...m.manifest.build, backend } };
  const ctx = await cliContext(p, reporter, m);
  const r = await buildAll(ctx, m, { only: only.length ? only : void 0, platforms, compression });
  reporter.info(`DIRACOS ${m.manifest.version}: ${r.bundle.tarball} (sha256 ${r.bundle.sha256})`);
}
export {
  run
};
