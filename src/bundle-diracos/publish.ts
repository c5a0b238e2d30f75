/**
 * Publishing the outputs of a stage (the tarball, its .sha256 and .md5, versions.txt) so that every
 * moment, a kill -9 included, shows one consistent set: never a checksum file beside a tarball it does
 * not describe.
 *
 * The published folder `<parent>/<out>` is a relative symlink to a folder of one set,
 * `<parent>/.<out>.<id>` (id: a digest of the set's content). A set is written into a staging folder
 * `.<out>.tmp-<pid>`, renamed whole to its content folder, and published by renaming a new symlink over
 * `<out>`: one rename(2), so a reader of `<out>/...` sees the old set or the new one, never a mix. Old
 * sets and leftovers of killed runs are removed afterwards (and at the next start). A plain folder at
 * `<out>` (written by an older version) is moved aside first: for that moment there is no set at all.
 */
import { lstatSync, readdirSync, readlinkSync } from 'node:fs';
import { mkdir, rename, rm, symlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { sha256File, sha256String } from '../shared/hash.js';
import { pidAlive } from '../shared/process.js';

/** The moments of a publication, in order: where DIRACOS_DIE_AT can end the process (the kill tests). */
export const PUBLISH_STEPS = ['staged', 'stored', 'linked', 'moved-aside', 'switched', 'cleaned'] as const;
export type PublishStep = (typeof PUBLISH_STEPS)[number];

/** Test hook: with DIRACOS_DIE_AT=<step> the process kills itself (SIGKILL) at that step. */
export const DIE_AT_VARIABLE = 'DIRACOS_DIE_AT';
function killPoint(step: PublishStep): void {
  if (process.env[DIE_AT_VARIABLE] === step) process.kill(process.pid, 'SIGKILL');
}

const names = (outDir: string) => {
  const parent = dirname(outDir);
  const prefix = `.${basename(outDir)}.`;
  return { parent, prefix, tmp: /^tmp-(\d+)$/, link: /^link-(\d+)$/, old: /^old-(\d+)$/, set: /^[0-9a-f]{16}$/ };
};

/** The set folder `outDir` points to (its name in the parent), or undefined. */
/** Whether two folders hold the same file names with the same contents. */
async function sameFiles(a: string, b: string): Promise<boolean> {
  let names: string[];
  try {
    names = readdirSync(a).sort();
    if (readdirSync(b).sort().join('\0') !== names.join('\0')) return false;
  } catch {
    return false;
  }
  for (const n of names) if ((await sha256File(join(a, n)).catch(() => 'a')) !== (await sha256File(join(b, n)).catch(() => 'b'))) return false;
  return true;
}

function currentSet(outDir: string): string | undefined {
  try {
    return lstatSync(outDir).isSymbolicLink() ? readlinkSync(outDir) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Removes what killed or earlier runs left beside `outDir`: staging folders, links and moved-aside
 * folders of processes that are gone, and every set folder `outDir` does not point to.
 */
export async function removeStaleSets(outDir: string): Promise<void> {
  const { parent, prefix, tmp, link, old, set } = names(outDir);
  const current = currentSet(outDir);
  let entries: string[];
  try {
    entries = readdirSync(parent);
  } catch {
    return;
  }
  for (const name of entries) {
    if (!name.startsWith(prefix) || name === current) continue;
    const rest = name.slice(prefix.length);
    const pid = (tmp.exec(rest) ?? link.exec(rest) ?? old.exec(rest))?.[1];
    if (pid !== undefined ? !pidAlive(Number(pid)) : set.test(rest)) await rm(join(parent, name), { recursive: true, force: true });
  }
}

/** A fresh staging folder for the next set of `outDir` (beside it, so the final renames stay on one file system). */
export async function stagingFolder(outDir: string): Promise<string> {
  const { parent, prefix } = names(outDir);
  const staging = join(parent, `${prefix}tmp-${process.pid}`);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  return staging;
}

/**
 * Publishes the complete set in `staging` as `outDir` (see the top of this file). `id` names the set
 * by its content (16 hex digits): publishing the set that is already there changes nothing.
 */
export async function publishSet(staging: string, outDir: string, id: string): Promise<void> {
  const { parent, prefix, set } = names(outDir);
  if (!set.test(id)) throw new Error(`publishSet: '${id}' is not 16 hex digits`);
  killPoint('staged');
  let target = `${prefix}${id}`;
  // The same content is published already, unless someone changed a file of it since: then this set
  // goes out under another name, so that the switch stays one rename.
  if (currentSet(outDir) === target && !(await sameFiles(staging, join(parent, target)))) target = `${prefix}${sha256String(`${id} ${process.pid} ${Date.now()}`).slice(0, 16)}`;
  if (currentSet(outDir) === target) {
    await rm(staging, { recursive: true, force: true });
  } else {
    await rm(join(parent, target), { recursive: true, force: true }); // a set a killed run stored but never published
    await rename(staging, join(parent, target));
    killPoint('stored');
    const link = join(parent, `${prefix}link-${process.pid}`);
    await rm(link, { force: true });
    await symlink(target, link);
    killPoint('linked');
    const plain = (() => {
      try {
        return !lstatSync(outDir).isSymbolicLink();
      } catch {
        return false;
      }
    })();
    if (plain) {
      await rename(outDir, join(parent, `${prefix}old-${process.pid}`));
      killPoint('moved-aside');
    }
    await rename(link, outDir);
    killPoint('switched');
  }
  await removeStaleSets(outDir);
  if (currentSet(outDir) === target) await rm(join(parent, `${prefix}old-${process.pid}`), { recursive: true, force: true });
  killPoint('cleaned');
}
