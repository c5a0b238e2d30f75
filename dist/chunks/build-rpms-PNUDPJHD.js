import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  checkPackageNames
} from "./chunk-AY46R7X7.js";
import {
  buildRpms,
  packagesWithPython
} from "./chunk-SPUP6BUE.js";
import "./chunk-HJBRY6O4.js";
import "./chunk-7MKYUTS6.js";
import "./chunk-7QMUQDW2.js";
import "./chunk-B737SU6O.js";
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
