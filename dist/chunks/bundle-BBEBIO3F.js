import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  bundleDiracos
} from "./chunk-A4P6LOJQ.js";
import "./chunk-CCRANUDK.js";
import {
  bundleArtifactName
} from "./chunk-U3FUHOE7.js";
import "./chunk-7VHDKYHP.js";
import {
  bundleTable
} from "./chunk-6K3VWHLR.js";
import "./chunk-HJBRY6O4.js";
import "./chunk-7QMUQDW2.js";
import {
  cliContext,
  cliManifest
} from "./chunk-Q6KIYVCQ.js";
import "./chunk-6I4PMDKF.js";
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
