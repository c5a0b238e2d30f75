import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  bootstrapPython
} from "./chunk-B6UCAA2E.js";
import {
  pythonTable
} from "./chunk-6K3VWHLR.js";
import "./chunk-SPUP6BUE.js";
import "./chunk-HJBRY6O4.js";
import "./chunk-7MKYUTS6.js";
import "./chunk-7QMUQDW2.js";
import "./chunk-B737SU6O.js";
import {
  cliStart
} from "./chunk-Q6KIYVCQ.js";
import "./chunk-6I4PMDKF.js";
import "./chunk-BIJLQJFD.js";
import {
  option
} from "./chunk-RCXPQASM.js";
import "./chunk-CLIQD727.js";

// src/cli/commands/bootstrap-python.ts
async function run(p, reporter) {
  const { m, ctx } = await cliStart(p, reporter);
  const r = await reporter.group("bootstrap-python", () => bootstrapPython(ctx, m, { lockTimeoutSeconds: option.seconds(p, "lock-timeout") }));
  reporter.table(pythonTable(r));
}
export {
  run
};
