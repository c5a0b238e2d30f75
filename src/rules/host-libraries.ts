/**
 * The libraries a host provides to the bundle, per platform family (like auditwheel's manylinux
 * policy and DIRACOS's knownMissingDependencies). Everything a bundled ELF needs that is NOT listed
 * here must be shipped inside the bundle. Shared by bundle-diracos (what not to ship) and
 * test-platforms (what may resolve outside the bundle).
 *
 * The rule of thumb: only glibc's own libraries, which must match the host's kernel interface and
 * ld.so and so can never be shipped, plus what every glibc system has because glibc itself loads it.
 */
import type { PlatformSpec } from '../manifest/types.js';

export type Family = PlatformSpec['family'];

export interface HostLibrary {
  soname: string;
  why: string;
}

/** On every glibc platform, whatever the family. */
const GLIBC_CORE: readonly HostLibrary[] = [
  { soname: 'libc.so.6', why: 'glibc' },
  { soname: 'libm.so.6', why: 'glibc' },
  // Merged into libc.so.6 in glibc 2.34, but every distribution keeps the stub for old binaries.
  { soname: 'libpthread.so.0', why: 'glibc (stub since 2.34)' },
  { soname: 'libdl.so.2', why: 'glibc (stub since 2.34)' },
  { soname: 'librt.so.1', why: 'glibc (stub since 2.34)' },
  { soname: 'libutil.so.1', why: 'glibc (stub since 2.34)' },
  { soname: 'libanl.so.1', why: 'glibc (stub since 2.34)' },
  { soname: 'libresolv.so.2', why: 'glibc' },
  // x86_64 only and since glibc 2.22: an ELF needing it also needs GLIBC_2.22, which the ceiling check catches.
  { soname: 'libmvec.so.1', why: 'glibc (x86_64, 2.22+)' },
  { soname: 'ld-linux-x86-64.so.2', why: 'glibc dynamic loader (x86_64)' },
  { soname: 'ld-linux-aarch64.so.1', why: 'glibc dynamic loader (aarch64)' },
  { soname: 'ld64.so.2', why: 'glibc dynamic loader (ppc64le)' },
  // glibc dlopens libgcc_s for pthread_cancel and backtrace, so no glibc system lacks it (auditwheel agrees).
  { soname: 'libgcc_s.so.1', why: 'loaded by glibc itself; on every glibc system' },
];

/**
 * Deliberately absent everywhere (so the bundle must ship them):
 * - libstdc++.so.6: not in minimal EL/Fedora images and too old on SLC6/CC7 for a modern compiler;
 * - libnsl.so.1: dropped from glibc (Fedora 28+, EL9); libnsl.so.2/3 come from optional packages;
 * - libcrypt.so.2, libz, libssl...: optional packages, with versions that differ per platform.
 */
export const HOST_LIBRARIES: Readonly<Record<Family, readonly HostLibrary[]>> = {
  // libcrypt1 is Essential on Debian/Ubuntu (bullseye+, from libxcrypt; older: from libc6).
  debian: [...GLIBC_CORE, { soname: 'libcrypt.so.1', why: 'Essential package libcrypt1 / libc6' }],
  // EL6/EL7 glibc ships libcrypt.so.1; EL8+ libxcrypt (pulled in by pam and shadow-utils) keeps the soname.
  el: [...GLIBC_CORE, { soname: 'libcrypt.so.1', why: 'glibc (EL6/7), libxcrypt (EL8+)' }],
  // Fedora 30+ has libcrypt.so.2 by default; libcrypt.so.1 is in libxcrypt-compat, not installed by default.
  fedora: [...GLIBC_CORE],
};

/**
 * Provided by the kernel, not by a file: ldd lists them without a path.
 */
export const KERNEL_PROVIDED: readonly string[] = ['linux-vdso.so.1', 'linux-gate.so.1', 'linux-vdso64.so.1'];

/** True when `soname` may be taken from a host of this family. */
export function isHostProvided(family: Family, soname: string): boolean {
  return KERNEL_PROVIDED.includes(soname) || HOST_LIBRARIES[family].some((l) => l.soname === soname);
}

/** The libraries every listed family provides: what a bundle for all of them may leave out. */
export function hostProvidedByAll(families: readonly Family[]): string[] {
  const [first, ...rest] = families;
  if (!first) return [];
  return HOST_LIBRARIES[first].map((l) => l.soname).filter((s) => rest.every((f) => isHostProvided(f, s)));
}

/**
 * Beyond the policy above, a bundle leaves to the host the libraries of its `bundle.ignoredPackages`
 * (DIRACOS v1 left about 60 this way): the bundle stage lists those its ELF files need in this file at
 * the bundle's root, one `<soname> <ignored package>` line each, sorted; test-platforms checks that
 * each platform has them.
 */
export const HOST_LIBRARIES_FILE = 'hostLibraries.txt';

/** A library the bundle leaves to the host because its package is ignored. */
export interface IgnoredLibrary {
  soname: string;
  /** The bundle.ignoredPackages entry that provides it. */
  package: string;
}

export function renderHostLibrariesFile(libs: readonly IgnoredLibrary[]): string {
  return [...libs]
    .sort((a, b) => (a.soname < b.soname ? -1 : a.soname > b.soname ? 1 : 0))
    .map((l) => `${l.soname} ${l.package}\n`)
    .join('');
}

/** The file's lines; blank lines and `#` comments are skipped. */
export function parseHostLibrariesFile(text: string): IgnoredLibrary[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const [soname, pkg] = l.split(/\s+/);
      return { soname: soname!, package: pkg ?? '?' };
    });
}
