import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  replaceFile
} from "./chunk-IPZFQFHS.js";
import {
  DiracosError
} from "./chunk-5I364NK5.js";

// src/repo/index-file.ts
import { readFile } from "node:fs/promises";
function emptyIndex() {
  return { version: 1, packages: {} };
}
async function readIndex(file) {
  let text;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    if (e.code === "ENOENT") return emptyIndex();
    throw e;
  }
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new DiracosError(`the repository index is not valid JSON (${e.message}); delete it to rebuild everything`, { file });
  }
  if (parsed.version !== 1 || typeof parsed.packages !== "object" || parsed.packages === null) {
    throw new DiracosError("the repository index has an unknown format (expected version 1)", { file });
  }
  if (parsed.pending !== void 0 && !(Array.isArray(parsed.pending) && parsed.pending.every((p) => typeof p === "string"))) {
    throw new DiracosError("the repository index has an unknown format ('pending' is not a list of paths)", { file });
  }
  return parsed;
}
async function writeIndex(file, index) {
  const sorted = {
    version: 1,
    packages: Object.fromEntries(Object.keys(index.packages).sort().map((k) => [k, index.packages[k]])),
    ...index.pending?.length ? { pending: [...new Set(index.pending)].sort() } : {}
  };
  await replaceFile(file, JSON.stringify(sorted, null, 2) + "\n");
}

// src/repo/layout.ts
import { join } from "node:path";
var REPO_PARTS = ["binary", "src", "buildOnly"];
function repoLayout(root, arch) {
  return {
    root,
    arch,
    binary: join(root, arch),
    src: join(root, "src"),
    buildOnly: join(root, "buildOnly", arch),
    index: join(root, "diracos-index.json")
  };
}
var REPO_TEMP_PREFIX = ".incoming-";

// src/repo/rpm-names.ts
function rpmNameOfFile(fileName) {
  return fileName.replace(/\.rpm$/, "").split("-").slice(0, -2).join("-");
}

// src/manifest/source-date-epoch.ts
var DEFAULT_SOURCE_DATE_EPOCH = 946684800;
function sourceDateEpoch(m, env = process.env) {
  if (m.manifest.sourceDateEpoch !== void 0) return m.manifest.sourceDateEpoch;
  const fromEnv = env.SOURCE_DATE_EPOCH;
  if (fromEnv === void 0 || fromEnv === "") return DEFAULT_SOURCE_DATE_EPOCH;
  if (!/^\d+$/.test(fromEnv) || !Number.isSafeInteger(Number(fromEnv)) || Number(fromEnv) < 1) {
    throw new DiracosError(`SOURCE_DATE_EPOCH='${fromEnv}' in the environment is not a whole number of seconds >= 1 (unset it, or set sourceDateEpoch in the manifest)`);
  }
  return Number(fromEnv);
}

// src/shared/file-url.ts
function fileUrl(path) {
  if (!path.startsWith("/")) throw new Error(`fileUrl: not an absolute path: ${path}`);
  return `file://${path.split("/").map(encodeURIComponent).join("/")}`;
}

export {
  readIndex,
  writeIndex,
  REPO_PARTS,
  repoLayout,
  REPO_TEMP_PREFIX,
  rpmNameOfFile,
  fileUrl,
  sourceDateEpoch
};
