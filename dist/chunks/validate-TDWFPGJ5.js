import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  cliManifest
} from "./chunk-J5XC46QG.js";
import "./chunk-76TJA7O4.js";
import "./chunk-6GWKZRC5.js";
import "./chunk-BRQLUY4V.js";
import "./chunk-5I364NK5.js";

// src/cli/commands/validate.ts
async function run(p, reporter) {
  const m = cliManifest(p, reporter);
  const groups = m.manifest.build.packageGroups;
  reporter.info(`${m.file}: valid`);
  reporter.info(`DIRACOS ${m.manifest.version} (${m.arch}), Python ${m.manifest.python.version}, built on ${m.buildPlatform.name}`);
  reporter.table({
    title: `${m.packages.length} package(s) in ${groups.length} group(s)`,
    header: ["group", "packages"],
    rows: groups.map((g) => [g.name + (g.bootstrap ? " (bootstrap)" : ""), g.packages.map((pk) => pk.name).join(", ")])
  });
  reporter.table({
    title: `${m.manifest.platforms.length} platform(s)`,
    header: ["platform", "image", "family", "required"],
    rows: m.manifest.platforms.map((pl) => [pl.name, pl.image, pl.family, pl.required ?? true ? "yes" : "no"])
  });
}
export {
  run
};
