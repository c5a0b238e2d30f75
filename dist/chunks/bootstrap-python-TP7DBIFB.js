import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  bootstrapPython
} from "./chunk-XBMUOO5M.js";
import {
  pythonTable
} from "./chunk-6K3VWHLR.js";
import "./chunk-S2ANS27T.js";
import "./chunk-HJBRY6O4.js";
import "./chunk-6OHIKPHU.js";
import "./chunk-7QMUQDW2.js";
import "./chunk-B737SU6O.js";
import {
  cliStart
} from "./chunk-EANZBQF3.js";
import "./chunk-MGYUVWE7.js";
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
