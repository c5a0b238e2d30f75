import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  bundleDiracos
} from "./chunk-IG27PVYJ.js";
import "./chunk-FBICBOVS.js";
import {
  bundleArtifactName
} from "./chunk-U3FUHOE7.js";
import {
  bundleTable
} from "./chunk-MVX3N7IK.js";
import "./chunk-HJBRY6O4.js";
import "./chunk-IAJ44AQS.js";
import {
  cliContext,
  cliManifest
} from "./chunk-CEVBBFQB.js";
import "./chunk-MGYUVWE7.js";
import "./chunk-BIJLQJFD.js";
import {
  option
} from "./chunk-RCXPQASM.js";
import "./chunk-CLIQD727.js";

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
