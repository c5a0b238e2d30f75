/**
 * The build platform's root filesystem as a host directory, for grafting its libraries and for the
 * link pass's copies. With docker and podman alike the (prepared) build image is exported once into
 * `<workdir>/build-roots/<image id>` (a container's `export`, unpacked by tar as the invoking user) and
 * reused while the image is unchanged; nothing of the host stands in for it. With the host runtime the
 * build platform is this machine, so its root is `/`.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { LoadedManifest } from '../manifest/load.js';
import { ContainerRuntime } from '../runtime/container.js';
import type { Context } from '../shared/context.js';
import { DiracosError } from '../shared/errors.js';

export interface BuildRoot {
  path: string;
  /** What it is, for messages: the image or "host". */
  source: string;
  /** The (prepared) build image, where the platform's own steps (pip) run. */
  image: string;
}

export async function openBuildRoot(ctx: Context, m: LoadedManifest): Promise<BuildRoot> {
  if (!(ctx.runtime instanceof ContainerRuntime)) return { path: '/', source: 'host', image: m.buildPlatform.image };
  const engine = ctx.runtime.name;
  const image = await ctx.runtime.prepareImage(m.buildPlatform.image, m.buildPlatform.setup ?? []);
  const id = await ctx.runtime.imageId(image);
  if (!id) throw new DiracosError(`bundle-diracos: the build image ${image} vanished`);
  const roots = join(ctx.workdir, 'build-roots');
  const dir = join(roots, id.replace(/^sha256:/, '').slice(0, 16));
  if (existsSync(dir)) return { path: dir, source: image, image };
  await mkdir(roots, { recursive: true });
  for (const name of await readdir(roots)) if (name.includes('.tmp-')) await rm(join(roots, name), { recursive: true, force: true });
  const tmp = `${dir}.tmp-${process.pid}`;
  await mkdir(tmp);
  const container = `diracos-export-${process.pid}-${Date.now().toString(36)}`;
  try {
    await ctx.exec(engine, ['create', '--name', container, image, 'true']);
    const unpacked = await ctx.exec('bash', ['-c', UNPACK_SCRIPT, 'export-root', engine, container, tmp], { allowFailure: true });
    if (unpacked.exitCode !== 0) {
      throw new DiracosError(`bundle-diracos: exporting the build image ${image} with ${engine} failed:\n${unpacked.stderr.trim().split('\n').slice(-10).join('\n')}`);
    }
    await rename(tmp, dir);
  } finally {
    await ctx.exec(engine, ['rm', '--force', container], { allowFailure: true });
    await rm(tmp, { recursive: true, force: true });
  }
  ctx.reporter.info(`bundle-diracos: the build platform's root (${image}) is in ${dir}`);
  return { path: dir, source: image, image };
}

/**
 * `engine export` piped into tar, modes kept (the link policy reads them). Device nodes and the
 * kernel's folders are left out: an unprivileged tar cannot make them and nothing is copied from there.
 * u+rwX afterwards: the invoking user must be able to read and later delete what it unpacked.
 */
const UNPACK_SCRIPT = [
  'set -e -o pipefail -f',
  `"$1" export "$2" | tar -x -C "$3" --no-same-owner --preserve-permissions --delay-directory-restore ${['dev', 'proc', 'sys'].map((d) => `--exclude=./${d}/* --exclude=${d}/*`).join(' ')}`,
  'chmod -R u+rwX "$3"',
].join('\n');
