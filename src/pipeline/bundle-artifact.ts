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

/** Where an extension's outputs are published (CLI and action alike), and its artifact's name. */
export function extensionOutputs(m: LoadedManifest, workdir: string, name: string): { outDir: string; artifact: string } {
  return { outDir: join(workdir, 'bundle-extension', name, 'out'), artifact: `${name}${bundleArtifactName(m)}` };
}

/**
 * The extension asked for by a shell's `extends` and `extension-name` (each named as that shell spells
 * it), or undefined for the bundle itself; one without the other is an error.
 */
export function extensionRequest(base: string | undefined, name: string | undefined, spell: { extends: string; name: string }): { base: string; name: string } | undefined {
  if (!base && !name) return undefined;
  if (!base) throw new DiracosError(`${spell.name}: goes with ${spell.extends} (the base tarball the extension adds to)`);
  if (!name) throw new DiracosError(`${spell.extends}: needs ${spell.name} (the extension's name, prepended to its tarball's)`);
  if (!existsSync(base) || !statSync(base).isFile()) throw new DiracosError(`${spell.extends}: the base tarball '${base}' is not a file`);
  return { base: resolvePath(base), name };
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
