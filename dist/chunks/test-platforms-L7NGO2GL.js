import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  testPlatforms
} from "./chunk-NIKL2EIF.js";
import "./chunk-WRU3COMP.js";
import {
  locateTarball,
  selectPlatforms
} from "./chunk-U3FUHOE7.js";
import {
  requiredFailures
} from "./chunk-E2MQMDQJ.js";
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

// src/cli/commands/test-platforms.ts
import { join } from "node:path";
async function run(p, reporter) {
  const m = cliManifest(p, reporter);
  const platforms = selectPlatforms(m, option.string(p, "platform"), "--platform");
  const ctx = await cliContext(p, reporter, m);
  const tarball = await locateTarball(ctx, m, option.string(p, "tarball"), "--tarball");
  const r = await reporter.group("test-platforms", () => testPlatforms(ctx, m, { tarball, platforms, outDir: join(ctx.workdir, "test-platforms", "out") }));
  reporter.info(`JUnit report: ${r.junit}`);
  const failure = requiredFailures(r);
  if (failure) throw new DiracosError(failure);
}
export {
  run
};
