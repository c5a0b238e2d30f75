import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  bootstrapPython
} from "./chunk-A6GSSADV.js";
import "./chunk-TOKSIM35.js";
import "./chunk-2OVJZKCT.js";
import "./chunk-L66D2X43.js";
import {
  pythonTable
} from "./chunk-6K3VWHLR.js";
import "./chunk-2YEQGNID.js";
import "./chunk-B737SU6O.js";
import "./chunk-OQIMYNAF.js";
import {
  cliStart
} from "./chunk-TRN3W5JC.js";
import "./chunk-TVQQ5EKD.js";
import "./chunk-HDXZOZLZ.js";
import {
  option
} from "./chunk-MQ5SOM7N.js";
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
