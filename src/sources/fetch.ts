import type { DownloadSource, SourceSpec } from '../manifest/types.js';
import { DiracosError } from '../shared/errors.js';
import { fetchApt, type AptOptions } from './apt.js';
import { fetchPath } from './path.js';
import type { FetchedSource, SourceContext } from './types.js';
import { fetchUrl, urlFileName } from './url.js';

export { sha256File } from '../shared/hash.js';

/** Makes one source local: url and apt sources land verified in ctx.downloadCache, path sources stay put. */
export async function fetchSource(ctx: SourceContext, spec: SourceSpec, options: AptOptions = {}): Promise<FetchedSource> {
  if ('path' in spec) return fetchPath(spec);
  if (!spec.sha256) {
    throw new DiracosError(`${describeSource(spec)}: not locked: it has no sha256 yet; run \`diracos lock\` where it can be downloaded, which writes its sha256 into the manifest`);
  }
  return download(ctx, spec, options);
}

/** Downloads a source whether or not it has a sha256 (with none, it is whatever arrives): `diracos lock`. */
export async function lockSource(ctx: SourceContext, spec: DownloadSource, options: AptOptions = {}): Promise<FetchedSource & { sha256: string }> {
  return download(ctx, spec, options);
}

/** The name a downloaded source is stored under, whichever way it came (so specs can name it). */
export function downloadFileName(spec: DownloadSource): string | undefined {
  if (spec.fileName) return spec.fileName;
  const first = spec.url?.[0];
  if (!first) return undefined; // apt alone: the orig tarball's own name
  try {
    return urlFileName(new URL(first));
  } catch {
    return undefined;
  }
}

/** How messages name a source: its file name, else its first url, else its Debian package. */
export function describeSource(spec: SourceSpec): string {
  if ('path' in spec) return `path source '${spec.path}'`;
  const name = downloadFileName(spec) || spec.url?.[0];
  if (name) return `source ${name}`;
  return `apt source ${spec.apt}${spec.version ? `=${spec.version}` : ''}`;
}

/**
 * The ways to the bytes, in order: each url (mirrors), then apt. The first that gives a file with the
 * sha256 wins; when all fail, one error lists what each said.
 */
async function download(ctx: SourceContext, spec: DownloadSource, options: AptOptions): Promise<FetchedSource & { sha256: string }> {
  const fileName = downloadFileName(spec);
  if (spec.url?.length && fileName === undefined) {
    throw new DiracosError(`${describeSource(spec)}: no file name can be taken from its first url (not a valid URL, or bad %-escapes in its last segment); set fileName`);
  }
  const ways: Array<{ what: string; get: () => Promise<Omit<FetchedSource, 'spec'> & { sha256: string }> }> = [
    ...(spec.url ?? []).map((url) => ({
      what: `url ${url}`,
      get: async () => ({ fileName: fileName!, ...(await fetchUrl(ctx, url, spec.sha256, fileName!)) }),
    })),
    ...(spec.apt
      ? [{
          what: `apt ${spec.apt}${spec.version ? `=${spec.version}` : ''}`,
          get: async () => {
            const got = await fetchApt(ctx, { apt: spec.apt!, version: spec.version, sha256: spec.sha256, fileName }, options);
            return { ...got, sha256: got.sha256! };
          },
        }]
      : []),
  ];
  if (ways.length === 0) throw new DiracosError(`${describeSource(spec)}: has neither url nor apt`);
  const failures: string[] = [];
  for (const way of ways) {
    try {
      return { ...(await way.get()), spec };
    } catch (e) {
      if (!(e instanceof DiracosError)) throw e;
      if (ways.length === 1) throw e;
      failures.push(e.message);
      if (failures.length < ways.length) ctx.reporter.warning(`${describeSource(spec)}: ${e.message.split('\n')[0]}; trying the next way`);
    }
  }
  throw new DiracosError(`${describeSource(spec)}: none of its ${ways.length} ways gave the file:\n${failures.map((f) => `  - ${f.replace(/\n/g, '\n    ')}`).join('\n')}`);
}
