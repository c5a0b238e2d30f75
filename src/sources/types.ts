import type { SourceSpec } from '../manifest/types.js';
import type { Context } from '../shared/context.js';

/** A source made local: a verified file in the download cache, or a local path. */
export interface FetchedSource {
  /** Absolute path of the file (or directory, for a `path` source that is one). */
  path: string;
  /** The name SourceN/PatchN lines and tools expect (fileName, else from the url/path/apt tarball). */
  fileName: string;
  /** sha256 of the file (undefined for a directory). */
  sha256?: string;
  /** For `apt` sources: the Debian source package and version the tarball came from (when known). */
  debian?: { package: string; version: string };
  spec: SourceSpec;
}

/** What fetching sources needs from the stage's Context; `maxDownloadBytes` lowers url.ts's MAX_DOWNLOAD_BYTES. */
export type SourceContext = Pick<Context, 'exec' | 'downloadCache' | 'reporter'> & { maxDownloadBytes?: number };
