import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  DISABLED_REPOS,
  REPO_FILES,
  releaseRules
} from "./chunk-MXW55USB.js";
import {
  shJoin,
  shQuote
} from "./chunk-76TJA7O4.js";
import {
  DiracosError
} from "./chunk-5I364NK5.js";

// src/platform/image-setup.ts
function repoSection(id, options) {
  const lines = [`[${id}]`, ...options.map(([k, v]) => `${k}=${v}`), ""];
  for (const line of lines) {
    if (/[\x00-\x1f\x7f]/.test(line)) throw new DiracosError(`repository setting ${JSON.stringify(line)} contains a control character`);
  }
  if (!/^[A-Za-z0-9._:-]+$/.test(id)) throw new DiracosError(`repo id ${JSON.stringify(id)} may only contain letters, digits and . _ : -`);
  return lines;
}
function baseRepoFile(platform, exclude = []) {
  const names = [...new Set(exclude)].sort();
  return (platform.baseRepos ?? []).flatMap(
    (r) => repoSection(r.name, [
      ["name", r.name],
      ["baseurl", r.baseurl],
      ["enabled", "1"],
      ["gpgcheck", "0"],
      ["skip_if_unavailable", "0"],
      ["priority", "99"],
      ["cost", "1000"],
      ...names.length > 0 ? [["exclude", names.join(" ")]] : []
    ])
  );
}
function writeFileCommand(path, lines) {
  return `# shellcheck disable=SC2016
printf '%s\\n' ${shJoin(lines.length > 0 ? [...lines] : [""])} >${shQuote(path)}`;
}
function imageSetupCommands(platform, packages) {
  if (platform.family === "debian") return [];
  const out = [];
  if ((platform.baseRepos ?? []).length > 0) {
    const dir = REPO_FILES.dir;
    out.push(
      [
        `mkdir -p ${dir}`,
        `for f in ${dir}/*.repo; do`,
        `  if [ -e "$f" ] && [ "$f" != ${dir}/${REPO_FILES.base} ] && [ "$f" != ${dir}/${REPO_FILES.ours} ]; then mv -f -- "$f" "$f${REPO_FILES.stockSuffix}"; fi`,
        "done",
        writeFileCommand(`${dir}/${REPO_FILES.base}`, baseRepoFile(platform))
      ].join("\n")
    );
  }
  if (packages.length > 0) out.push(installCommand(releaseRules(platform).packageManager, packages));
  return out;
}
function installCommand(pm, packages, extra = []) {
  const disable = DISABLED_REPOS.map((r) => `--disablerepo=${r}`);
  const options = pm === "yum" ? ["-y", ...disable] : ["-y", ...disable, "--setopt=install_weak_deps=False"];
  return `${pm} ${shJoin([...options, ...extra, "install", ...packages])}`;
}

export {
  repoSection,
  baseRepoFile,
  writeFileCommand,
  imageSetupCommands,
  installCommand
};
