import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  DiracosError
} from "./chunk-5I364NK5.js";

// src/manifest/select-platforms.ts
function selectPlatforms(m, names, what) {
  const all = m.manifest.platforms;
  if (!names || names.length === 0 || names.includes("all")) return all;
  const unknown = names.find((n) => !all.some((p) => p.name === n));
  if (unknown !== void 0) throw new DiracosError(`${what}: no platform '${unknown}' in ${m.file} (it has: ${all.map((p) => p.name).join(", ")}, or all)`);
  return all.filter((p) => names.includes(p.name));
}

export {
  selectPlatforms
};
