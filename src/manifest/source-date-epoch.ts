/**
 * The one SOURCE_DATE_EPOCH of a run: the RPMs' build time and file times (build-rpms, bootstrap-python)
 * and every tarball entry's mtime (bundle-diracos, extensions). pip's own floor for wheels (zip
 * cannot hold times before 1980, bundle-diracos/pip.ts) is applied on top, to pip only.
 */
import { DiracosError } from '../shared/errors.js';
import type { LoadedManifest } from './load.js';

/**
 * When neither the manifest nor the environment gives one: 2000-01-01T00:00:00Z. Not 0: rpm treats 0
 * as unset and leaves file times as they are, and zip cannot store times before 1980.
 */
export const DEFAULT_SOURCE_DATE_EPOCH = 946684800;

/** The manifest's `sourceDateEpoch`, else the environment's SOURCE_DATE_EPOCH (a whole number >= 1), else the default. */
export function sourceDateEpoch(m: LoadedManifest, env: NodeJS.ProcessEnv = process.env): number {
  if (m.manifest.sourceDateEpoch !== undefined) return m.manifest.sourceDateEpoch;
  const fromEnv = env.SOURCE_DATE_EPOCH;
  if (fromEnv === undefined || fromEnv === '') return DEFAULT_SOURCE_DATE_EPOCH;
  if (!/^\d+$/.test(fromEnv) || !Number.isSafeInteger(Number(fromEnv)) || Number(fromEnv) < 1) {
    throw new DiracosError(`SOURCE_DATE_EPOCH='${fromEnv}' in the environment is not a whole number of seconds >= 1 (unset it, or set sourceDateEpoch in the manifest)`);
  }
  return Number(fromEnv);
}
