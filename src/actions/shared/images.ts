import type { Context } from '../../shared/context.js';

export interface PullOptions {
  attempts?: number;
  /** Milliseconds to wait after failed attempt n (the last value repeats). */
  delays?: number[];
  sleep?: (ms: number) => Promise<void>;
}

const DEFAULTS = { attempts: 3, delays: [15_000, 45_000] };

/**
 * Pulls the images a stage will run that are not present yet, each up to `attempts` times: a registry
 * hiccup (rate limit, timeout) must not fail a long pipeline. After the last failure it only warns:
 * the stage then reports the runtime's own error if it really needs the image (a prepared image built
 * from it earlier may make it unnecessary).
 */
export async function pullImages(ctx: Pick<Context, 'exec' | 'runtime' | 'reporter'>, images: readonly string[], opts: PullOptions = {}): Promise<void> {
  const runtime = ctx.runtime.name;
  if (runtime === 'host') return;
  const attempts = opts.attempts ?? DEFAULTS.attempts;
  const delays = opts.delays ?? DEFAULTS.delays;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms)));
  for (const image of new Set(images)) {
    if (await ctx.runtime.imageExists(image)) continue;
    for (let attempt = 1; ; attempt++) {
      const r = await ctx.exec(runtime, ['pull', image], { allowFailure: true });
      if (r.exitCode === 0) break;
      const why = r.stderr.trim().split('\n').slice(-1)[0] ?? `exit ${r.exitCode}`;
      if (attempt >= attempts) {
        ctx.reporter.warning(`image '${image}': ${runtime} pull failed ${attempts} times (${why}); going on without it`);
        break;
      }
      const delay = delays[Math.min(attempt - 1, delays.length - 1)] ?? 0;
      ctx.reporter.warning(`image '${image}': ${runtime} pull failed (attempt ${attempt} of ${attempts}: ${why}); retrying in ${Math.round(delay / 1000)} s`);
      await sleep(delay);
    }
  }
}
