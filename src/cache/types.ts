/** The RPM repository and download caches between runs: @actions/cache in actions, a folder in the CLI. */
export interface Cache {
  /** Restores `paths` saved under `key`, else under the newest key starting with one of `restoreKeys`. Returns the key hit. */
  restore(paths: string[], key: string, restoreKeys?: string[]): Promise<string | undefined>;
  save(paths: string[], key: string): Promise<void>;
}

/** Files handed to later jobs or to people: @actions/artifact in actions, a folder in the CLI. */
export interface ArtifactStore {
  /** Uploads files (absolute, under rootDir) as artifact `name`; returns where it went (id or folder). */
  upload(name: string, files: string[], rootDir: string): Promise<string>;
  /** Downloads artifact `name` into dir; returns dir. */
  download(name: string, dir: string): Promise<string>;
}
