import type { SourceSpec } from '../manifest/types.js';
import { DiracosError } from '../shared/errors.js';
import { fetchApt, type AptOptions } from './apt.js';
import { fetchPath } from './path.js';
import type { FetchedSource, SourceContext } from './types.js';
import { fetchUrl } from './url.js';

export { sha256File } from '../shared/hash.js';

/** Makes one source local: url and apt sources land verified in ctx.downloadCache, path sources stay put. */
export async function fetchSource(ctx: SourceContext, spec: SourceSpec, options: AptOptions = {}): Promise<FetchedSource> {
  if ('url' in spec) return fetchUrl(ctx, spec);
  if ('path' in spec) return fetchPath(spec);
  if ('apt' in spec) return fetchApt(ctx, spec, options);
  throw new DiracosError(`source ${JSON.stringify(spec)} has none of url, path, apt`);
}
