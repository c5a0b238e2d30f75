import { stat } from 'node:fs/promises';
import { basename, isAbsolute } from 'node:path';
import { DiracosError } from '../shared/errors.js';
import { sha256File } from '../shared/hash.js';
import type { FetchedSource } from './types.js';

export type PathSpec = { path: string; sha256?: string; fileName?: string };

/** A local file or folder, used where it is (manifest resolution made the path absolute); a given sha256 is checked. */
export async function fetchPath(spec: PathSpec): Promise<FetchedSource> {
  if (!isAbsolute(spec.path)) {
    throw new DiracosError(`path source '${spec.path}' is not absolute (resolve the manifest first)`);
  }
  let info;
  try {
    info = await stat(spec.path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new DiracosError(`path source '${spec.path}' does not exist`);
    throw new DiracosError(`path source '${spec.path}' cannot be read: ${(e as Error).message}`);
  }
  const fileName = spec.fileName ?? basename(spec.path);
  if (info.isDirectory()) {
    if (spec.sha256) throw new DiracosError(`path source '${spec.path}' is a directory, which has no sha256 (point at a file such as a tarball, or drop sha256)`);
    return { path: spec.path, fileName, spec };
  }
  if (!info.isFile()) throw new DiracosError(`path source '${spec.path}' is neither a file nor a directory`);
  const sha256 = await sha256File(spec.path);
  // A given sha256 is always checked: the file may have changed since the manifest was written (or validated).
  if (spec.sha256 && spec.sha256.toLowerCase() !== sha256) {
    throw new DiracosError(`path source '${spec.path}': sha256 mismatch: the manifest says ${spec.sha256}, the file has ${sha256}`);
  }
  return { path: spec.path, fileName, sha256, spec };
}
