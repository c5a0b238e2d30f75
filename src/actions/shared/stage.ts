import { randomBytes } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { LoadedManifest } from '../../manifest/load.js';
import { readIndex } from '../../repo/index-file.js';
import { REPO_PARTS, repoLayout, type RepoPart } from '../../repo/layout.js';
import { Repository } from '../../repo/repository.js';
import type { Context } from '../../shared/context.js';
import { DiracosError } from '../../shared/errors.js';

/**
 * A repository holding exactly `names` (their RPMs and index entries, copied from the manifest's
 * repository): what one job hands to the next as an artifact, never more than it was asked to build.
 * Written beside `dir` and renamed into place, replacing an earlier one (a re-run).
 */
export async function stageRepository(ctx: Pick<Context, 'exec'>, m: LoadedManifest, names: readonly string[], dir: string): Promise<string> {
  const target = resolve(dir);
  const layout = repoLayout(m.repository, m.arch);
  const index = await readIndex(layout.index);
  const missing = names.filter((n) => !index.packages[n]);
  if (missing.length > 0) throw new DiracosError(`staging the repository: package(s) not in ${m.repository}: ${missing.join(', ')}`);
  const partOf = (rpm: string): RepoPart => REPO_PARTS.find((p) => layout[p] === dirname(join(layout.root, rpm))) ?? 'binary';
  const tmp = join(dirname(target), `.staging-${randomBytes(6).toString('hex')}`);
  try {
    const repo = await Repository.open(ctx.exec, tmp, m.arch);
    await repo.addMany(
      [...names].sort().map((name) => {
        const entry = index.packages[name]!;
        return { name, key: entry.key, buildOnly: entry.buildOnly, files: entry.rpms.map((rpm) => ({ path: join(layout.root, rpm), part: partOf(rpm) })) };
      }),
    );
    await repo.flush();
    await rm(target, { recursive: true, force: true });
    await rename(tmp, target);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return target;
}
