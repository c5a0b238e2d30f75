import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  checkPackageNames
} from "./chunk-6P5V3RH6.js";
import {
  buildRpms,
  packagesWithPython
} from "./chunk-DWZK7RV5.js";
import "./chunk-HDTJ7OBT.js";
import "./chunk-IJ7VBOPK.js";
import "./chunk-MXW55USB.js";
import "./chunk-B737SU6O.js";
import "./chunk-QIY3LE6H.js";
import "./chunk-IPZFQFHS.js";
import {
  cliContext,
  cliManifest
} from "./chunk-CCN7GMB6.js";
import "./chunk-24EX5MB7.js";
import "./chunk-6GWKZRC5.js";
import {
  option
} from "./chunk-V5HVOR5N.js";
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
