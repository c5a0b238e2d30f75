import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  checkPackageNames
} from "./chunk-WKQQPNT2.js";
import {
  buildRpms,
  packagesWithPython
} from "./chunk-DJNZVUEQ.js";
import "./chunk-WZYYDKA4.js";
import "./chunk-K5AXXNLF.js";
import "./chunk-MXW55USB.js";
import "./chunk-B737SU6O.js";
import "./chunk-OBK2APVA.js";
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

// src/cli/commands/build-rpms.ts
async function run(p, reporter) {
  const m = cliManifest(p, reporter);
  const only = checkPackageNames(option.list(p, "only"), "--only", m);
  const ctx = await cliContext(p, reporter, m);
  const packages = await packagesWithPython(ctx, m);
  const r = await reporter.group(
    "build-rpms",
    () => buildRpms(ctx, m, { packages, only: only.length ? only : void 0, lockTimeoutSeconds: option.seconds(p, "lock-timeout") })
  );
  reporter.info(`repository: ${r.repository}`);
}
export {
  run
};
