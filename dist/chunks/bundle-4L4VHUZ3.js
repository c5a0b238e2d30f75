import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  bundleDiracos,
  bundleExtension
} from "./chunk-XIVDPVIN.js";
import {
  bundleArtifactName,
  extensionOutputs,
  extensionRequest
} from "./chunk-QS2AFWVT.js";
import "./chunk-HXO4IKDP.js";
import "./chunk-WZYYDKA4.js";
import {
  bundleTable
} from "./chunk-6K3VWHLR.js";
import "./chunk-MXW55USB.js";
import "./chunk-IPZFQFHS.js";
import {
  cliContext,
  cliManifest
} from "./chunk-J5XC46QG.js";
import "./chunk-76TJA7O4.js";
import "./chunk-6GWKZRC5.js";
import {
  option
} from "./chunk-BRQLUY4V.js";
import "./chunk-5I364NK5.js";

// src/cli/commands/bundle.ts
import { join } from "node:path";
async function run(p, reporter) {
  const m = cliManifest(p, reporter);
  const compression = option.choice(p, "compression", ["gzip", "zstd"]);
  const extension = extensionRequest(option.string(p, "extends"), option.string(p, "extension-name"), { extends: "--extends", name: "--extension-name" });
  const ctx = await cliContext(p, reporter, m);
  if (extension) {
    const { outDir: outDir2, artifact: artifact2 } = extensionOutputs(m, ctx.workdir, extension.name);
    const r2 = await reporter.group("bundle extension", () => bundleExtension(ctx, m, { baseTarball: extension.base, name: extension.name, outDir: outDir2, compression }));
    reporter.table(bundleTable(r2, await ctx.artifacts.upload(artifact2, r2.files, outDir2)));
    return;
  }
  const outDir = join(ctx.workdir, "bundle-diracos", "out");
  const r = await reporter.group("bundle", () => bundleDiracos(ctx, m, { outDir, compression, force: p.values.force === true, lockTimeoutSeconds: option.seconds(p, "lock-timeout") }));
  const artifact = await ctx.artifacts.upload(bundleArtifactName(m), r.files, outDir);
  reporter.table(bundleTable(r, artifact));
}
export {
  run
};
