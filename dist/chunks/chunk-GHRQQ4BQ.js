import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  buildRpms,
  packagesWithPython,
  pythonPackage
} from "./chunk-DJNZVUEQ.js";
import {
  DiracosError
} from "./chunk-5I364NK5.js";

// src/bootstrap-python/index.ts
import { stat } from "node:fs/promises";
import { join } from "node:path";
async function bootstrapPython(ctx, m, opts = {}) {
  const python = await pythonPackage(ctx, m);
  const packages = await packagesWithPython(ctx, m);
  const result = await buildRpms(ctx, m, { ...opts, packages, only: [python.name] });
  const built = result.packages.find((p) => p.name === python.name);
  const rpmName = new RegExp(`^(.*/)?${python.name.replace(/[.+]/g, "\\$&")}-\\d[^/]*\\.(?!src\\.)[^./]+\\.rpm$`);
  const rpm = built.rpms.find((r) => rpmName.test(r));
  if (!rpm) throw new DiracosError(`bootstrap-python: no binary RPM named ${python.name} among ${built.rpms.join(", ")}`);
  const path = join(result.repository, rpm);
  return {
    rpm: path,
    version: m.manifest.python.version,
    key: built.key,
    cacheHit: built.status === "cached",
    seconds: built.seconds,
    size: (await stat(path)).size
  };
}

export {
  bootstrapPython
};
