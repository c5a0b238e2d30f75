import { readFileSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import { DiracosError, DiracosErrors } from '../shared/errors.js';
import { absolute, findPlatform, resolvePackages, type ResolvedPackage } from './resolve.js';
import type { Manifest, PlatformSpec } from './types.js';
import { validateManifestText } from './validate.js';

/** A validated manifest with its location and the resolved views the stages use. */
export interface LoadedManifest {
  file: string;
  /** Folder of the manifest: relative paths in it are relative to this. */
  dir: string;
  manifest: Manifest;
  packages: ResolvedPackage[];
  /** Absolute path of the RPM repository. */
  repository: string;
  buildPlatform: PlatformSpec;
  arch: string;
}

/** Reads and validates a manifest; throws DiracosErrors listing every problem. */
export function loadManifest(file: string): LoadedManifest {
  const path = resolvePath(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new DiracosError(`cannot read manifest: ${(e as Error).message}`, { file: path });
  }
  const { manifest, problems } = validateManifestText(text, path);
  if (!manifest) throw new DiracosErrors(problems, `${path}: ${problems.length} problem(s) in the manifest`);
  const dir = dirname(path);
  return {
    file: path,
    dir,
    manifest,
    packages: resolvePackages(manifest, dir),
    repository: absolute(dir, manifest.repository),
    buildPlatform: findPlatform(manifest, manifest.build.platform)!,
    arch: manifest.arch ?? 'x86_64',
  };
}
