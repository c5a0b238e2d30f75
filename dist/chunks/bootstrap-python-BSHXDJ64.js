import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  bootstrapPython
} from "./chunk-V7AGGHSP.js";
import {
  pythonTable
} from "./chunk-E2MQMDQJ.js";
import "./chunk-WJA3EXZN.js";
import "./chunk-E4X3S5LA.js";
import "./chunk-7IT5JWWN.js";
import {
  cliStart
} from "./chunk-D6HNKOXD.js";
import "./chunk-4RSKGXMY.js";
import "./chunk-BIJLQJFD.js";
import "./chunk-WTLD57BN.js";
import "./chunk-CLIQD727.js";

// src/cli/commands/bootstrap-python.ts
async function run(p, reporter) {
  const { m, ctx } = await cliStart(p, reporter);
  const r = await reporter.group("bootstrap-python", () => bootstrapPython(ctx, m));
  reporter.table(pythonTable(r));
}
export {
  run
};
