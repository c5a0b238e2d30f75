import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  checkPackageNames
} from "./chunk-CDRNNPJ3.js";
import {
  buildRpms,
  packagesWithPython
} from "./chunk-Q4DNAYXS.js";
import "./chunk-6QYL4NKN.js";
import "./chunk-363NESM3.js";
import "./chunk-MXW55USB.js";
import "./chunk-B737SU6O.js";
import "./chunk-6GM3T6N7.js";
import {
  cliContext,
  cliManifest
} from "./chunk-42O5GPQD.js";
import "./chunk-PTHV6LGM.js";
import "./chunk-HDXZOZLZ.js";
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
