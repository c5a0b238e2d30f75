import { join } from 'node:path';
import { defaultCacheDir } from '../../cache/local.js';
import type { Reporter } from '../../reporting/reporter.js';
import { DiracosError } from '../../shared/errors.js';
import { nodeExec } from '../../shared/exec.js';
import { describeSource } from '../../sources/fetch.js';
import { lockManifest } from '../../sources/lock.js';
import { option, type Parsed } from '../args.js';
import { folderOption } from '../start.js';

/** `diracos lock --check`'s exit status when sources are not locked (1 stays a wrong manifest or command line). */
export const NOT_LOCKED = 3;

/**
 * `diracos lock [--check]`: the sources without a sha256 downloaded (into the same download cache the
 * builds use, so they are not fetched twice) and their digests written into the manifest.
 */
export async function run(p: Parsed, reporter: Reporter): Promise<void> {
  const file = option.string(p, 'manifest') ?? 'diracos.yaml';
  const check = p.values.check === true;
  const downloadCache = join(folderOption(p, 'cache-dir', defaultCacheDir()), 'downloads');
  const r = await lockManifest({ exec: nodeExec, reporter, downloadCache }, file, { check });
  const rows = r.sources.map((s) => [s.package, describeSource(s.spec), s.where, s.sha256 ?? 'not locked']);
  if (rows.length) reporter.table({ title: check ? 'sources not locked' : 'sources locked', header: ['package', 'source', 'key', 'sha256'], rows });
  if (check && r.sources.length) {
    const e = new DiracosError(`${r.file}: ${r.sources.length} source(s) have no sha256; run \`diracos lock\` where they can be downloaded`);
    e.cliStatus = NOT_LOCKED;
    throw e;
  }
  reporter.info(r.written ? `${r.file}: ${r.sources.length} sha256 written` : `${r.file}: every source is locked`);
}
