import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  bootstrapPython
} from "./chunk-P445VRL3.js";
import {
  pythonTable
} from "./chunk-E2MQMDQJ.js";
import "./chunk-IB76ZSKA.js";
import "./chunk-W37RW4T7.js";
import "./chunk-7IT5JWWN.js";
import {
  cliStart
} from "./chunk-662IK3K6.js";
import "./chunk-4224WLDW.js";
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
