import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);

// src/actions/shared/images.ts
var DEFAULTS = { attempts: 3, delays: [15e3, 45e3] };
async function pullImages(ctx, images, opts = {}) {
  const runtime = ctx.runtime.name;
  if (runtime === "host") return;
  const attempts = opts.attempts ?? DEFAULTS.attempts;
  const delays = opts.delays ?? DEFAULTS.delays;
  const sleep = opts.sleep ?? ((ms) => new Promise((done) => setTimeout(done, ms)));
  for (const image of new Set(images)) {
    if (await ctx.runtime.imageExists(image)) continue;
    for (let attempt = 1; ; attempt++) {
      const r = await ctx.exec(runtime, ["pull", image], { allowFailure: true });
      if (r.exitCode === 0) break;
      const why = r.stderr.trim().split("\n").slice(-1)[0] ?? `exit ${r.exitCode}`;
      if (attempt >= attempts) {
        ctx.reporter.warning(`image '${image}': ${runtime} pull failed ${attempts} times (${why}); going on without it`);
        break;
      }
      const delay = delays[Math.min(attempt - 1, delays.length - 1)] ?? 0;
      ctx.reporter.warning(`image '${image}': ${runtime} pull failed (attempt ${attempt} of ${attempts}: ${why}); retrying in ${Math.round(delay / 1e3)} s`);
      await sleep(delay);
    }
  }
}

export {
  pullImages
};
