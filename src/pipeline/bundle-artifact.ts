import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';
import type { LoadedManifest } from '../manifest/load.js';
import { tarballCompression, tarballGlobs } from '../shared/bundle-names.js';
import type { Context } from '../shared/context.js';
import { DiracosError } from '../shared/errors.js';

/** The artifact bundle-diracos uploads and test-platforms downloads unless told another name. */
export function bundleArtifactName(m: LoadedManifest): string {
  return `DIRACOS-${m.manifest.version}`;
}

/**
 * The tarball to test: `ref` is a file path, else the name of an artifact (default: the one
 * bundle-diracos uploads) downloaded into the workdir.
 */
export async function locateTarball(ctx: Context, m: LoadedManifest, ref: string | undefined, what: string): Promise<string> {
  if (ref && existsSync(ref)) {
    if (!statSync(ref).isFile()) throw new DiracosError(`${what}: '${ref}' is not a file`);
    return resolvePath(ref);
  }
  if (ref && /[\\/]/.test(ref)) throw new DiracosError(`${what}: file '${ref}' does not exist`);
  const name = ref || bundleArtifactName(m);
  const dir = await ctx.artifacts.download(name, join(ctx.workdir, 'test-platforms', 'artifact', name));
  const found = readdirSync(dir).filter((f) => tarballCompression(f) !== undefined);
  if (found.length !== 1) {
    throw new DiracosError(`${what}: artifact '${name}' holds ${found.length} tarballs (${tarballGlobs()}), expected one: ${found.join(', ') || 'none'}`);
  }
  return join(dir, found[0]);
}
