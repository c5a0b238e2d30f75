import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  DiracosError
} from "./chunk-5I364NK5.js";

// src/pipeline/tarball.ts
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve as resolvePath } from "node:path";
function bundleArtifactName(m) {
  return `DIRACOS-${m.manifest.version}`;
}
var TARBALL = /\.tar\.(gz|zst)$/;
async function locateTarball(ctx, m, ref, what) {
  if (ref && existsSync(ref)) {
    if (!statSync(ref).isFile()) throw new DiracosError(`${what}: '${ref}' is not a file`);
    return resolvePath(ref);
  }
  if (ref && /[\\/]/.test(ref)) throw new DiracosError(`${what}: file '${ref}' does not exist`);
  const name = ref || bundleArtifactName(m);
  const dir = await ctx.artifacts.download(name, join(ctx.workdir, "test-platforms", "artifact", name));
  const found = readdirSync(dir).filter((f) => TARBALL.test(f));
  if (found.length !== 1) {
    throw new DiracosError(`${what}: artifact '${name}' holds ${found.length} tarballs (*.tar.gz, *.tar.zst), expected one: ${found.join(", ") || "none"}`);
  }
  return join(dir, found[0]);
}
function selectPlatforms(m, platform, what) {
  if (!platform || platform === "all") return void 0;
  const names = m.manifest.platforms.map((p) => p.name);
  if (!names.includes(platform)) throw new DiracosError(`${what}: no platform '${platform}' in ${m.file} (it has: ${names.join(", ")}, or all)`);
  return [platform];
}

export {
  bundleArtifactName,
  locateTarball,
  selectPlatforms
};
