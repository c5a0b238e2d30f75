import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  testPlatforms
} from "./chunk-Q6FH3PDU.js";
import {
  selectPlatforms
} from "./chunk-IWVC4XSK.js";
import {
  locateTarball
} from "./chunk-QS2AFWVT.js";
import "./chunk-K5AXXNLF.js";
import {
  requiredFailures
} from "./chunk-6K3VWHLR.js";
import "./chunk-MXW55USB.js";
import {
  cliContext,
  cliManifest
} from "./chunk-J5XC46QG.js";
import "./chunk-76TJA7O4.js";
import "./chunk-6GWKZRC5.js";
import {
  option
} from "./chunk-BRQLUY4V.js";
import {
  DiracosError
} from "./chunk-5I364NK5.js";

// src/cli/commands/test-platforms.ts
import { join } from "node:path";
async function run(p, reporter) {
  const m = cliManifest(p, reporter);
  const platforms = selectPlatforms(m, option.list(p, "platform"), "--platform").map((pl) => pl.name);
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
