/**
 * The names of what bundle-diracos makes, which test-platforms and the shells look for: the tarball
 * `<prefix>diracos-<version>-<arch>.<extension>` holding one top directory of the same name.
 */

export type Compression = 'gzip' | 'zstd';

/** The tarball's extension per compression. */
export const TARBALL_EXTENSIONS: Readonly<Record<Compression, string>> = { gzip: 'tar.gz', zstd: 'tar.zst' };

export interface BundleNaming {
  version: string;
  arch: string;
  /** Prepended to the file name and the top directory (extensions: `<name>diracos-...`). */
  prefix?: string;
}

/** The one top directory of the tarball. */
export function topDirectory(o: BundleNaming): string {
  return `${o.prefix ?? ''}diracos-${o.version}-${o.arch}`;
}

export function tarballName(o: BundleNaming & { compression?: Compression }): string {
  return `${topDirectory(o)}.${TARBALL_EXTENSIONS[o.compression ?? 'gzip']}`;
}

/** The compression a tarball's name says, undefined for a name with none of the extensions. */
export function tarballCompression(file: string): Compression | undefined {
  return (Object.keys(TARBALL_EXTENSIONS) as Compression[]).find((c) => file.endsWith(`.${TARBALL_EXTENSIONS[c]}`));
}

/** The extensions as globs for messages: `*.tar.gz, *.tar.zst`. */
export function tarballGlobs(): string {
  return Object.values(TARBALL_EXTENSIONS)
    .map((e) => `*.${e}`)
    .join(', ');
}
