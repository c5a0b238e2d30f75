/**
 * The build platform's root filesystem as a host directory, for grafting its libraries and for the
 * link pass's copies: podman mounts the (prepared) image read-only in place; the host runtime is its
 * own root. Elsewhere (docker) the host root stands in, with a warning.
 */
import type { LoadedManifest } from '../manifest/load.js';
import type { Context } from '../shared/context.js';

export interface BuildRoot {
  path: string;
  /** What it is, for messages: the image or "host". */
  source: string;
  release(): Promise<void>;
}

export async function openBuildRoot(ctx: Context, m: LoadedManifest): Promise<BuildRoot> {
  const host: BuildRoot = { path: '/', source: 'host', release: async () => undefined };
  if (ctx.runtime.name === 'host') return host;
  if (ctx.runtime.name !== 'podman') {
    ctx.reporter.warning(`bundle-diracos: ${ctx.runtime.name} cannot mount an image; libraries are grafted and link targets copied from this host's root`);
    return host;
  }
  const image = await ctx.runtime.prepareImage(m.buildPlatform.image, m.buildPlatform.setup ?? []);
  const mounted = await ctx.exec('podman', ['image', 'mount', image], { allowFailure: true });
  if (mounted.exitCode !== 0) {
    ctx.reporter.warning(`bundle-diracos: cannot mount ${image} (${mounted.stderr.trim()}); using this host's root instead`);
    return host;
  }
  return {
    path: mounted.stdout.trim(),
    source: image,
    release: async () => {
      await ctx.exec('podman', ['image', 'unmount', image], { allowFailure: true });
    },
  };
}
