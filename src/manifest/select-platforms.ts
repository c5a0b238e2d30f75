import { DiracosError } from '../shared/errors.js';
import type { LoadedManifest } from './load.js';
import type { PlatformSpec } from './types.js';

/**
 * The manifest platforms a run means, in the manifest's order: every one when no name is given or one
 * is `all`, else the named ones; an unknown name is a DiracosError that starts with `what` (the
 * option or input it came from).
 */
export function selectPlatforms(m: LoadedManifest, names: readonly string[] | undefined, what: string): PlatformSpec[] {
  const all = m.manifest.platforms;
  if (!names || names.length === 0 || names.includes('all')) return all;
  const unknown = names.find((n) => !all.some((p) => p.name === n));
  if (unknown !== undefined) throw new DiracosError(`${what}: no platform '${unknown}' in ${m.file} (it has: ${all.map((p) => p.name).join(', ')}, or all)`);
  return all.filter((p) => names.includes(p.name));
}
