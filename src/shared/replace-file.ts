import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { chmod, chown, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { onTermination } from './process.js';

/**
 * Writes `content` to `path` through a temp file beside it and one rename: a reader sees the old file
 * or the new one, never half of it. The temp file goes on failure and on SIGINT/SIGTERM/SIGHUP.
 * `keepOwnership`: the new file gets the old one's mode and, when root writes it, its owner (a user's
 * manifest stays the user's).
 */
export async function replaceFile(path: string, content: string, o: { keepOwnership?: boolean } = {}): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  const unregister = onTermination(() => rmSync(temp, { force: true }));
  try {
    await writeFile(temp, content, { flag: 'wx' });
    if (o.keepOwnership) {
      const info = await stat(path);
      await chmod(temp, info.mode & 0o7777);
      if (process.getuid?.() === 0) await chown(temp, info.uid, info.gid);
    }
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  } finally {
    unregister();
  }
}
