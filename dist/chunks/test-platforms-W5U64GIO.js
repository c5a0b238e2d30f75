import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  testPlatforms
} from "./chunk-SIZH2UTI.js";
import "./chunk-L2EGEOM2.js";
import {
  locateTarball,
  selectPlatforms
} from "./chunk-JACQQ5D2.js";
import "./chunk-HXO4IKDP.js";
import "./chunk-L66D2X43.js";
import {
  requiredFailures
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
import {
  DiracosError
} from "./chunk-5I364NK5.js";

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
