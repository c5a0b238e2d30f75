import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { buildRpms, type BuildOptions } from '../build-rpms/index.js';
import type { LoadedManifest } from '../manifest/load.js';
import type { Context } from '../shared/context.js';
import { DiracosError } from '../shared/errors.js';
import { packagesWithPython, pythonPackage } from './package.js';

export { packagesWithPython, pythonPackage } from './package.js';
export { pythonSpec, defaultRpmName, pythonMajorMinor } from './spec.js';

export interface BootstrapPythonResult {
  /** Absolute path of the interpreter's binary RPM in the repository. */
  rpm: string;
  version: string;
  key: string;
  cacheHit: boolean;
  seconds: number;
  size: number;
}

/**
 * Stages 1-2: the repository (created if absent) and our CPython in it, built through the engine with
 * the libraries it build-requires from the manifest built first. Cached by content key like any package.
 */
export async function bootstrapPython(ctx: Context, m: LoadedManifest, opts: Pick<BuildOptions, 'beforeBuild' | 'lockTimeoutSeconds'> = {}): Promise<BootstrapPythonResult> {
  const python = await pythonPackage(ctx, m);
  const packages = await packagesWithPython(ctx, m);
  const result = await buildRpms(ctx, m, { ...opts, packages, only: [python.name] });
  const built = result.packages.find((p) => p.name === python.name)!;
  const rpmName = new RegExp(`^(.*/)?${python.name.replace(/[.+]/g, '\\$&')}-\\d[^/]*\\.(?!src\\.)[^./]+\\.rpm$`);
  const rpm = built.rpms.find((r) => rpmName.test(r));
  if (!rpm) throw new DiracosError(`bootstrap-python: no binary RPM named ${python.name} among ${built.rpms.join(', ')}`);
  const path = join(result.repository, rpm);
  return {
    rpm: path,
    version: m.manifest.python.version,
    key: built.key,
    cacheHit: built.status === 'cached',
    seconds: built.seconds,
    size: (await stat(path)).size,
  };
}
