import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  DiracosError
} from "./chunk-5I364NK5.js";

// src/rules/system-errors.ts
var SYSTEM_ERRORS = {
  ENOSPC: { what: "no space left on the device", hint: "free space there, or use a work folder (--workdir) on a larger file system" },
  EDQUOT: { what: "disk quota exceeded", hint: "free space within the quota, or use a work folder (--workdir) elsewhere" },
  EROFS: { what: "read-only file system", hint: "use a writable work folder (--workdir)" },
  EACCES: { what: "permission denied", hint: "check the owner and mode of the folder, or use a work folder (--workdir) you own" },
  EPERM: { what: "operation not permitted", hint: "check the owner and mode of the folder, or use a work folder (--workdir) you own" },
  EIO: { what: "input/output error", hint: "the disk or network file system is failing; check the system log" },
  EMFILE: { what: "too many open files", hint: "raise the limit (ulimit -n) or use fewer --jobs" },
  ENFILE: { what: "too many open files in the system", hint: "raise the system limit or use fewer --jobs" },
  ENOTDIR: { what: "a part of the path is a file, not a folder", hint: "point the option at a folder" }
};
function isSystemError(e) {
  return e instanceof Error && typeof e.code === "string" && typeof e.syscall === "string";
}
function systemFailure(e, doing) {
  if (!isSystemError(e)) return void 0;
  const rule = SYSTEM_ERRORS[e.code];
  if (!rule) return void 0;
  const path = e.path ? ` (${e.syscall} ${e.path}${e.dest ? ` -> ${e.dest}` : ""})` : "";
  return new DiracosError(`${doing}: ${rule.what}${path} [${e.code}]; ${rule.hint}`);
}

export {
  systemFailure
};
