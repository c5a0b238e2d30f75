import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import { DiracosError, DiracosErrors } from '../shared/errors.js';
import { absolute, findPlatform, resolvePackages, type ResolvedPackage } from './resolve.js';
import type { Manifest, PlatformSpec } from './types.js';
import { validateManifestText, type Problem } from './validate.js';

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
  /** What validation allowed but probably was not meant (file:line:col like the problems); the shells report them. */
  warnings?: Problem[];
}

/** Reads and validates a manifest; throws DiracosErrors listing every problem. */
export function loadManifest(file: string): LoadedManifest {
  const path = resolvePath(file);
  const text = readManifestText(path);
  const { manifest, problems, warnings } = validateManifestText(text, path);
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
    warnings,
  };
}

/** A manifest is a few KiB; anything near this is not one (and /dev/zero must not fill the memory). */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/**
 * The manifest's text: a regular file of at most MAX_MANIFEST_BYTES of UTF-8, read with a bounded
 * read (a file that grows while it is read is refused too). Devices, FIFOs and folders are refused
 * without reading; the open does not block on a FIFO.
 */
export function readManifestText(path: string, opts: { keepBom?: boolean } = {}): string {
  const refuse = (why: string) => new DiracosError(`cannot read manifest: ${why}`, { file: path });
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw refuse((e as Error).message);
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) throw refuse(`it is ${kindOf(info)}, not a regular file`);
    const tooBig = (size: string) => refuse(`it has ${size} bytes, more than the ${MAX_MANIFEST_BYTES / 1024 / 1024} MiB a manifest may have`);
    if (info.size > MAX_MANIFEST_BYTES) throw tooBig(String(info.size));
    const buffer = Buffer.allocUnsafe(MAX_MANIFEST_BYTES + 1);
    let length = 0;
    for (let n = -1; n !== 0 && length < buffer.length; length += n) n = readSync(fd, buffer, length, buffer.length - length, null);
    if (length > MAX_MANIFEST_BYTES) throw tooBig(`over ${MAX_MANIFEST_BYTES}`);
    try {
      // A byte order mark is dropped unless asked for (`diracos lock` writes the file back as it was).
      return new TextDecoder('utf-8', { fatal: true, ignoreBOM: opts.keepBom === true }).decode(buffer.subarray(0, length));
    } catch {
      throw refuse('it is not UTF-8 text');
    }
  } catch (e) {
    if (e instanceof DiracosError) throw e;
    throw refuse((e as Error).message);
  } finally {
    closeSync(fd);
  }
}

function kindOf(info: Stats): string {
  if (info.isDirectory()) return 'a directory';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isFIFO()) return 'a FIFO';
  if (info.isSocket()) return 'a socket';
  return 'a special file';
}
