import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  bundleDiracos
} from "./chunk-ISOOSQ4Y.js";
import {
  bundleArtifactName
} from "./chunk-BAPSE2KP.js";
import "./chunk-HXO4IKDP.js";
import "./chunk-6QYL4NKN.js";
import {
  bundleTable
} from "./chunk-6K3VWHLR.js";
import "./chunk-MXW55USB.js";
import {
  cliContext,
  cliManifest
} from "./chunk-DW42OM6K.js";
import "./chunk-YIC5TN6U.js";
import "./chunk-HDXZOZLZ.js";
import {
  option
} from "./chunk-6DCWEMPJ.js";
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
