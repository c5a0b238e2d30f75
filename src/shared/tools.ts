import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The external tools the pipeline drives, and the Debian package that provides each (for error hints). */
export const TOOL_PACKAGES: Readonly<Record<string, string>> = {
  podman: 'podman',
  docker: 'docker.io',
  rpmbuild: 'rpm',
  rpm: 'rpm',
  rpm2cpio: 'rpm',
  rpmspec: 'rpm',
  createrepo_c: 'createrepo-c',
  dnf: 'dnf',
  cpio: 'cpio',
  patch: 'patch',
  patchelf: 'patchelf',
  tar: 'tar',
  pigz: 'pigz',
  zstd: 'zstd',
  debootstrap: 'debootstrap',
  'apt-get': 'apt',
  bwrap: 'bubblewrap',
  bash: 'bash',
  sh: 'dash',
  'dpkg-source': 'dpkg-dev',
  file: 'file',
  mock: 'mock',
};

export function missingToolMessage(tool: string): string {
  const pkg = TOOL_PACKAGES[tool];
  return `required tool '${tool}' was not found on PATH` + (pkg ? ` (on Debian: apt-get install ${pkg})` : '');
}

/**
 * What this machine itself must have, by where the RPM tools run: with a container engine only the
 * basics (the engine is checked by the runtime), with the host runtime every tool of the pipeline.
 */
export const HOST_TOOLS: Readonly<Record<'container' | 'host', readonly string[]>> = {
  container: ['tar', 'bash', 'sh'],
  host: ['tar', 'bash', 'sh', 'rpm', 'rpmbuild', 'rpm2cpio', 'cpio', 'createrepo_c', 'dnf', 'patch', 'patchelf', 'pigz', 'zstd', 'bwrap'],
};

/** The tools of `names` found nowhere on PATH. */
export function missingOnPath(names: readonly string[], path = process.env.PATH ?? ''): string[] {
  const dirs = path.split(delimiter).filter(Boolean);
  return names.filter((n) => !dirs.some((d) => isExecutable(join(d, n))));
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
