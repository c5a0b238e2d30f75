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
  patchelf: 'patchelf',
  tar: 'tar',
  pigz: 'pigz',
  zstd: 'zstd',
  debootstrap: 'debootstrap',
  'apt-get': 'apt',
  'dpkg-source': 'dpkg-dev',
  file: 'file',
  mock: 'mock',
};

export function missingToolMessage(tool: string): string {
  const pkg = TOOL_PACKAGES[tool];
  return `required tool '${tool}' was not found on PATH` + (pkg ? ` (on Debian: apt-get install ${pkg})` : '');
}
