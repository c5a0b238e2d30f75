import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  bundleDiracos
} from "./chunk-E7E5C7AC.js";
import "./chunk-L2EGEOM2.js";
import {
  bundleArtifactName
} from "./chunk-JACQQ5D2.js";
import "./chunk-HXO4IKDP.js";
import "./chunk-2OVJZKCT.js";
import {
  bundleTable
} from "./chunk-6K3VWHLR.js";
import "./chunk-2YEQGNID.js";
import {
  cliContext,
  cliManifest
} from "./chunk-TRN3W5JC.js";
import "./chunk-TVQQ5EKD.js";
import "./chunk-HDXZOZLZ.js";
import {
  option
} from "./chunk-MQ5SOM7N.js";
import "./chunk-5I364NK5.js";

// src/cli/commands/bundle.ts
import { join } from "node:path";
async function run(p, reporter) {
  const m = cliManifest(p, reporter);
  const compression = option.choice(p, "compression", ["gzip", "zstd"]);
  const ctx = await cliContext(p, reporter, m);
  const outDir = join(ctx.workdir, "bundle-diracos", "out");
  const r = await reporter.group("bundle", () => bundleDiracos(ctx, m, { outDir, compression, force: p.values.force === true }));
  const artifact = await ctx.artifacts.upload(bundleArtifactName(m), r.files, outDir);
  reporter.table(bundleTable(r, artifact));
}
export {
  run
};
