import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  onTermination
} from "./chunk-6GWKZRC5.js";

// src/shared/replace-file.ts
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { chmod, chown, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
async function replaceFile(path, content, o = {}) {
  const temp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`);
  const unregister = onTermination(() => rmSync(temp, { force: true }));
  try {
    await writeFile(temp, content, { flag: "wx" });
    if (o.keepOwnership) {
      const info = await stat(path);
      await chmod(temp, info.mode & 4095);
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

export {
  replaceFile
};
