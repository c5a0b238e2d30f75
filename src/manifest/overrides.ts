/**
 * What a run may change in a loaded manifest from outside it (the CLI's options, the actions' inputs),
 * applied in one place by every shell as the manifest is loaded.
 */
import type { LoadedManifest } from './load.js';
import type { BuildSection } from './types.js';

export type BuildBackend = NonNullable<BuildSection['backend']>;

export const BUILD_BACKENDS: readonly BuildBackend[] = ['container', 'mock'];

/**
 * The run's build backend in place of the manifest's `build.backend` (`--backend`, input `backend`).
 * Every package key includes the backend, CPython's too: bootstrap-python, build-rpms and build take
 * the same override, or CPython would be built under a key build-rpms never uses.
 */
export function withBackend(m: LoadedManifest, backend: BuildBackend | undefined): LoadedManifest {
  return backend === undefined ? m : { ...m, manifest: { ...m.manifest, build: { ...m.manifest.build, backend } } };
}
