import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  bootstrapPython
} from "./chunk-6V6L3DXE.js";
import "./chunk-Q4DNAYXS.js";
import "./chunk-6QYL4NKN.js";
import "./chunk-363NESM3.js";
import {
  pythonTable
} from "./chunk-6K3VWHLR.js";
import "./chunk-MXW55USB.js";
import "./chunk-B737SU6O.js";
import "./chunk-6GM3T6N7.js";
import {
  cliStart
} from "./chunk-42O5GPQD.js";
import "./chunk-PTHV6LGM.js";
import "./chunk-HDXZOZLZ.js";
import {
  option
} from "./chunk-V5HVOR5N.js";
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
