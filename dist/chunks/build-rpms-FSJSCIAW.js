import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  checkPackageNames
} from "./chunk-LOU2NQIF.js";
import {
  buildRpms,
  packagesWithPython
} from "./chunk-WJA3EXZN.js";
import "./chunk-E4X3S5LA.js";
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
import "./chunk-CLIQD727.js";

// src/cli/commands/build-rpms.ts
async function run(p, reporter) {
  const m = cliManifest(p, reporter);
  const only = checkPackageNames(option.list(p, "only"), "--only", m);
  const backend = option.choice(p, "backend", ["container", "mock"]);
  if (backend) m.manifest = { ...m.manifest, build: { ...m.manifest.build, backend } };
  const ctx = await cliContext(p, reporter, m);
  const packages = await packagesWithPython(ctx, m);
  const r = await reporter.group("build-rpms", () => buildRpms(ctx, m, { packages, only: only.length ? only : void 0 }));
  reporter.info(`repository: ${r.repository}`);
}
export {
  run
};
