import type { SourceSpec } from '../manifest/types.js';
import { DiracosError } from '../shared/errors.js';
import { fetchApt, type AptOptions } from './apt.js';
import { fetchPath } from './path.js';
import type { FetchedSource, SourceContext } from './types.js';
import { fetchUrl } from './url.js';

export { sha256File } from '../shared/hash.js';

export interface FetchOptions extends AptOptions {
  /** Sources fetched at the same time by fetchSources (default 4). */
  concurrency?: number;
}

/** Makes one source local: url and apt sources land verified in ctx.downloadCache, path sources stay put. */
export async function fetchSource(ctx: SourceContext, spec: SourceSpec, options: FetchOptions = {}): Promise<FetchedSource> {
  if ('url' in spec) return fetchUrl(ctx, spec);
  if ('path' in spec) return fetchPath(spec);
  if ('apt' in spec) return fetchApt(ctx, spec, options);
  throw new DiracosError(`source ${JSON.stringify(spec)} has none of url, path, apt`);
}

/**
 * Fetches sources a few at a time, results in the order of `specs`. On the first failure no new
 * fetch starts; those running finish (each cleans up after itself) and the first error is thrown.
 */
export async function fetchSources(
  ctx: SourceContext,
  specs: readonly SourceSpec[],
  options: FetchOptions = {},
): Promise<FetchedSource[]> {
  const results: FetchedSource[] = new Array(specs.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (!failure && next < specs.length) {
      const i = next++;
      try {
        results[i] = await fetchSource(ctx, specs[i], options);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? 4, specs.length));
  await Promise.all(Array.from({ length: workers }, worker));
  if (failure) throw failure.error;
  return results;
}
