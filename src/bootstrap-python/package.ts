import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { LoadedManifest } from '../manifest/load.js';
import type { ResolvedPackage } from '../manifest/resolve.js';
import { absoluteSource } from '../manifest/resolve.js';
import type { Context } from '../shared/context.js';
import { replaceFile } from '../shared/replace-file.js';
import { defaultRpmName, pythonSpec } from './spec.js';

/**
 * Our CPython as a package of the build graph: a generated spec plus the manifest's source.
 * Every package that BuildRequires python3 then links to it, and its key covers the spec text.
 */
export async function pythonPackage(ctx: Pick<Context, 'workdir'>, m: LoadedManifest): Promise<ResolvedPackage> {
  const py = m.manifest.python;
  const name = py.rpmName ?? defaultRpmName(py.version);
  // Both python.org's and Debian's tarballs unpack to Python-X.Y.Z; rpm finds the compression by content.
  const text = pythonSpec({ rpmName: name, version: py.version, sourceFile: `Python-${py.version}.tar`, sourceDir: `Python-${py.version}`, configureOptions: py.configureOptions ?? [] });
  const dir = join(ctx.workdir, 'bootstrap-python');
  await mkdir(dir, { recursive: true });
  const spec = join(dir, `${name}.spec`);
  await replaceFile(spec, text);
  return {
    name,
    group: 'python',
    bootstrap: false,
    kind: 'spec',
    spec,
    sources: [absoluteSource(py.source, m.dir)],
    patches: [],
    defines: {},
    with: [],
    without: [],
    check: false,
    buildOnly: false,
    excludePatterns: [],
    postSteps: [],
  };
}

/** The manifest's packages plus our CPython: what build-rpms builds. */
export async function packagesWithPython(ctx: Pick<Context, 'workdir'>, m: LoadedManifest): Promise<ResolvedPackage[]> {
  return [...m.packages, await pythonPackage(ctx, m)];
}
