import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  bootstrapPython
} from "./chunk-GHRQQ4BQ.js";
import "./chunk-DJNZVUEQ.js";
import "./chunk-WZYYDKA4.js";
import "./chunk-K5AXXNLF.js";
import {
  pythonTable
} from "./chunk-6K3VWHLR.js";
import "./chunk-MXW55USB.js";
import "./chunk-B737SU6O.js";
import "./chunk-OBK2APVA.js";
import "./chunk-IPZFQFHS.js";
import {
  cliStart
} from "./chunk-J5XC46QG.js";
import "./chunk-76TJA7O4.js";
import "./chunk-6GWKZRC5.js";
import {
  option
} from "./chunk-BRQLUY4V.js";
import "./chunk-5I364NK5.js";

// src/cli/commands/bootstrap-python.ts
async function run(p, reporter) {
  const { m, ctx } = await cliStart(p, reporter);
  const r = await reporter.group("bootstrap-python", () => bootstrapPython(ctx, m, { lockTimeoutSeconds: option.seconds(p, "lock-timeout") }));
  reporter.table(pythonTable(r));
}
export {
  run
};
