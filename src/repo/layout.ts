import { join } from 'node:path';

/** Where things live in the RPM repository (the DIRACOS layout). */
export interface RepoLayout {
  root: string;
  arch: string;
  /** Binary RPMs (arch and noarch) that may be bundled. */
  binary: string;
  /** Source RPMs. */
  src: string;
  /** Binary RPMs used to build other packages, never bundled. */
  buildOnly: string;
  /** package -> key, rpms: the record of what the repository holds. */
  index: string;
}

/** The folders createrepo_c makes a repository of, by role. */
export type RepoPart = 'binary' | 'src' | 'buildOnly';
export const REPO_PARTS: readonly RepoPart[] = ['binary', 'src', 'buildOnly'];

export function repoLayout(root: string, arch: string): RepoLayout {
  return {
    root,
    arch,
    binary: join(root, arch),
    src: join(root, 'src'),
    buildOnly: join(root, 'buildOnly', arch),
    index: join(root, 'diracos-index.json'),
  };
}

/** Temporary folders inside the repository (same filesystem, so rename is atomic); removed on recovery. */
export const REPO_TEMP_PREFIX = '.incoming-';
