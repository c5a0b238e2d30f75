import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  checkPackageNames
} from "./chunk-3LDW35QV.js";
import {
  buildRpms,
  packagesWithPython
} from "./chunk-TOKSIM35.js";
import "./chunk-2OVJZKCT.js";
import "./chunk-L66D2X43.js";
import "./chunk-2YEQGNID.js";
import "./chunk-B737SU6O.js";
import "./chunk-OQIMYNAF.js";
import {
  cliContext,
  cliManifest
} from "./chunk-TRN3W5JC.js";
import "./chunk-TVQQ5EKD.js";
import "./chunk-HDXZOZLZ.js";
import {
  option
} from "./chunk-MQ5SOM7N.js";
import "./chunk-5I364NK5.js";

// src/cli/commands/build-rpms.ts
async function run(p, reporter) {
  const m = cliManifest(p, reporter);
  const only = checkPackageNames(option.list(p, "only"), "--only", m);
  const backend = option.choice(p, "backend", ["container", "mock"]);
  if (backend) m.manifest = { ...m.manifest, build: { ...m.manifest.build, backend } };
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
