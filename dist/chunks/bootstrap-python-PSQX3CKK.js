import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  bootstrapPython
} from "./chunk-J233BVSP.js";
import {
  pythonTable
} from "./chunk-MVX3N7IK.js";
import "./chunk-J2OBMOJB.js";
import "./chunk-E4X3S5LA.js";
import "./chunk-6CXKQILD.js";
import "./chunk-IAJ44AQS.js";
import "./chunk-B737SU6O.js";
import {
  cliStart
} from "./chunk-JYWGXUWA.js";
import "./chunk-4RSKGXMY.js";
import "./chunk-BIJLQJFD.js";
import "./chunk-QOWZTR3Z.js";
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
