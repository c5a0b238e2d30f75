import type { ArtifactStore, Cache } from '../cache/types.js';
import type { Reporter } from '../reporting/reporter.js';
import type { Tools } from '../runtime/tools.js';
import type { Runtime } from '../runtime/types.js';
import type { Exec } from './exec.js';

/** What every stage needs from its shell (action or CLI). */
export interface Context {
  exec: Exec;
  reporter: Reporter;
  runtime: Runtime;
  /** The RPM-side tools (rpm, dnf, createrepo_c, rpm2cpio, cpio, patchelf, pigz, zstd): in the tools container or on the host. */
  tools: Tools;
  cache: Cache;
  artifacts: ArtifactStore;
  /** Parallel jobs (builds, compression). */
  jobs: number;
  /** Scratch and output space of this run; stages use subfolders named after themselves. */
  workdir: string;
  /** Content-addressed store of downloaded sources, shared between runs. */
  downloadCache: string;
}
