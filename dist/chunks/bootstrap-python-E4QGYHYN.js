import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  bootstrapPython
} from "./chunk-7B3PDLLX.js";
import {
  pythonTable
} from "./chunk-E2MQMDQJ.js";
import "./chunk-252P7NSK.js";
import "./chunk-E4X3S5LA.js";
import "./chunk-7IT5JWWN.js";
import {
  cliStart
} from "./chunk-C7UB6QG6.js";
import "./chunk-UDRW4J3F.js";
import "./chunk-BMFL7FQN.js";
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
