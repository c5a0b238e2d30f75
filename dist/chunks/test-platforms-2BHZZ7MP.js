import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  testPlatforms
} from "./chunk-UG36X4HV.js";
import "./chunk-CCRANUDK.js";
import {
  locateTarball,
  selectPlatforms
} from "./chunk-U3FUHOE7.js";
import "./chunk-7VHDKYHP.js";
import {
  requiredFailures
} from "./chunk-6K3VWHLR.js";
import "./chunk-7MKYUTS6.js";
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
import {
  DiracosError
} from "./chunk-CLIQD727.js";

// src/cli/commands/test-platforms.ts
import { join } from "node:path";
async function run(p, reporter) {
  const m = cliManifest(p, reporter);
  const platforms = selectPlatforms(m, option.string(p, "platform"), "--platform");
  const ctx = await cliContext(p, reporter, m);
  const tarball = await locateTarball(ctx, m, option.string(p, "tarball"), "--tarball");
  const r = await reporter.group("test-platforms", () => testPlatforms(ctx, m, { tarball, platforms, outDir: join(ctx.workdir, "test-platforms", "out"), force: p.values.force === true }));
  reporter.info(`JUnit report: ${r.junit}`);
  const failure = requiredFailures(r);
  if (failure) throw new DiracosError(failure);
}
export {
  run
};
