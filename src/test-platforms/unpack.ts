/** The bundle tarball: its compressions, host extraction and the form a container can unpack. */
import { randomBytes } from 'node:crypto';
import { lstatSync, readdirSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { TARBALL_EXTENSIONS, tarballCompression, type Compression } from '../shared/bundle-names.js';
import type { Context } from '../shared/context.js';
import { DiracosError } from '../shared/errors.js';

/**
 * Per compression: how GNU tar reads it on the host, and whether a container can unpack it with only
 * what every base image has (gzip is everywhere, zstd is not: it is decompressed on the host first).
 */
const UNPACK: Readonly<Record<Compression, { hostTarFlags: string[]; inContainer: 'gzip' | 'decompress-on-host' }>> = {
  gzip: { hostTarFlags: ['-z'], inContainer: 'gzip' },
  zstd: { hostTarFlags: ['--zstd'], inContainer: 'decompress-on-host' },
};

export function compressionOf(tarball: string): { suffix: string; hostTarFlags: string[]; inContainer: 'gzip' | 'decompress-on-host' } {
  const c = tarballCompression(tarball);
  if (!c) throw new DiracosError(`tarball must end in ${Object.values(TARBALL_EXTENSIONS).map((e) => `.${e}`).join(' or ')}`, { file: tarball });
  return { suffix: `.${TARBALL_EXTENSIONS[c]}`, ...UNPACK[c] };
}

/** A unique scratch folder under the stage's workdir. */
export async function scratchDir(ctx: Context, what: string): Promise<string> {
  const dir = join(ctx.workdir, 'test-platforms', `${what}-${randomBytes(6).toString('hex')}`);
  await mkdir(dir, { recursive: true });
  return dir;
}

/**
 * Extracts the tarball into `dest` and checks its layout: the one top folder bundle-diracos makes
 * (`diracos-<version>-<arch>`) holding `diracosrc`. Returns the bundle root and the top folder's name.
 */
export async function extractBundle(ctx: Context, tarball: string, expected: string, dest: string): Promise<{ root: string; top: string }> {
  const c = compressionOf(tarball);
  // --same-permissions: the modes as the tarball has them (an ordinary user's umask would hide a
  // world-writable entry from the mode check).
  await ctx.exec('tar', ['-x', '--same-permissions', ...c.hostTarFlags, '-f', tarball, '-C', dest]);
  const entries = readdirSync(dest);
  if (entries.length !== 1 || entries[0] !== expected || !lstatSync(join(dest, expected)).isDirectory()) {
    throw new DiracosError(`tarball must hold exactly one top folder '${expected}/', found: ${entries.join(', ') || 'nothing'}`, { file: tarball });
  }
  const root = join(dest, expected);
  let rc;
  try {
    rc = lstatSync(join(root, 'diracosrc'));
  } catch {
    rc = undefined;
  }
  if (!rc?.isFile()) throw new DiracosError(`tarball has no regular file '${expected}/diracosrc' to source`, { file: tarball });
  return { root, top: expected };
}

/** A tarball a bare container can unpack with `tar -xf` (gzip built in); zstd ones are decompressed here once. */
export async function containerTarball(ctx: Context, tarball: string, scratch: string): Promise<string> {
  const c = compressionOf(tarball);
  if (c.inContainer === 'gzip') return tarball;
  const out = join(scratch, basename(tarball).slice(0, -c.suffix.length) + '.tar');
  const tmp = `${out}.partial`;
  await rm(tmp, { force: true });
  ctx.tools.share(tarball, scratch);
  await ctx.tools.exec('zstd', ['-d', '-q', '-f', '-o', tmp, tarball]);
  await rename(tmp, out);
  return out;
}
