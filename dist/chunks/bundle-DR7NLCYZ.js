import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  bundleDiracos
} from "./chunk-WEYTGNIK.js";
import "./chunk-WRU3COMP.js";
import {
  bundleArtifactName
} from "./chunk-U3FUHOE7.js";
import {
  bundleTable
} from "./chunk-E2MQMDQJ.js";
import "./chunk-E4X3S5LA.js";
import {
  cliContext,
  cliManifest
} from "./chunk-D6HNKOXD.js";
import "./chunk-4RSKGXMY.js";
import "./chunk-BIJLQJFD.js";
import {
  option
} from "./chunk-WTLD57BN.js";
import "./chunk-CLIQD727.js";

// src/cli/commands/bundle.ts
import { join } from "node:path";
async function run(p, reporter) {
  const m = cliManifest(p, reporter);
  const compression = option.choice(p, "compression", ["gzip", "zstd"]);
  const ctx = await cliContext(p, reporter, m);
  const outDir = join(ctx.workdir, "bundle-diracos", "out");
  const r = await reporter.group("bundle", () => bundleDiracos(ctx, m, { outDir, compression }));
  const artifact = await ctx.artifacts.upload(bundleArtifactName(m), r.files, outDir);
  reporter.table(bundleTable(r, artifact));
}
export {
  run
};
