import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  DISABLED_REPOS,
  RELEASE_RULES,
  REPO_FILES,
  fileUrl,
  releaseKey,
  releaseRules
} from "./chunk-2YEQGNID.js";
import {
  shJoin,
  shQuote
} from "./chunk-TVQQ5EKD.js";
import {
  DiracosError
} from "./chunk-5I364NK5.js";

// src/build-rpms/mock-rules.ts
var EL_BUILDSYS = ["bash", "bzip2", "coreutils", "cpio", "diffutils", "findutils", "gawk", "gcc", "gcc-c++", "grep", "gzip", "info", "make", "patch", "redhat-rpm-config", "rpm-build", "sed", "shadow-utils", "tar", "unzip", "which", "xz"];
var TARGET_RULES = {
  el6: { packageManager: RELEASE_RULES.el6.packageManager, useBootstrap: false, distTag: ".el6", chrootSetup: [...EL_BUILDSYS, "util-linux-ng"].sort(), mainExtra: [] },
  el7: { packageManager: RELEASE_RULES.el7.packageManager, useBootstrap: false, distTag: ".el7", chrootSetup: [...EL_BUILDSYS, "util-linux"].sort(), mainExtra: [] },
  el: {
    packageManager: RELEASE_RULES.el.packageManager,
    useBootstrap: true,
    distTag: ".el{releasever}",
    chrootSetup: [...EL_BUILDSYS, "util-linux"].sort(),
    mainExtra: ["module_platform_id=platform:el{releasever}", "best=1", "install_weak_deps=0"]
  },
  fedora: {
    packageManager: RELEASE_RULES.fedora.packageManager,
    useBootstrap: true,
    distTag: ".fc{releasever}",
    chrootSetup: [...EL_BUILDSYS, "fedora-release", "glibc-minimal-langpack", "util-linux"].sort(),
    mainExtra: ["best=1", "install_weak_deps=0"]
  }
};
var PACKAGE_MANAGER_RULES = {
  // yum honours priority= only with yum-plugin-priorities and protect= with protectbase; the
  // excludes on the base repos are what really guarantee our packages win, these are belt and braces.
  yum: { confKey: "yum.conf", logfile: "/var/log/yum.log", excludeKey: "exclude", oursExtra: ["priority=1", "cost=100", "protect=1"] },
  // dnf knows priority and cost natively; it warns about protect=, so it is left out.
  dnf: { confKey: "dnf.conf", logfile: "/var/log/dnf.log", excludeKey: "excludepkgs", oursExtra: ["priority=1", "cost=100"] }
};
function targetRules(platform) {
  const where = `platforms[${platform.name}]`;
  if (platform.family === "debian") {
    throw new DiracosError(`${where}: family 'debian' cannot be a mock target (mock builds RPMs for el or fedora)`);
  }
  const releasever = platform.mock?.releasever;
  if (!releasever || !/^\d+$/.test(releasever)) {
    throw new DiracosError(`${where}.mock.releasever: the mock backend needs the release number, e.g. "7" (got ${JSON.stringify(releasever ?? null)})`);
  }
  const major = Number(releasever);
  const key = platform.family === "el" && major <= 7 ? `el${major}` : platform.family;
  const rules = TARGET_RULES[key];
  if (!rules) throw new DiracosError(`${where}.mock.releasever: no mock rules for ${platform.family} ${releasever}`);
  return { key, rules, releasever };
}
function buildRootPackages(platform) {
  if (platform.family === "debian") return [];
  return platform.mock?.chrootSetup ?? TARGET_RULES[releaseKey(platform)]?.chrootSetup ?? [];
}

// src/build-rpms/dnf.ts
var OUR_REPO_NAMES = {
  diracos: "DIRACOS rebuilt packages",
  "diracos-buildonly": "DIRACOS build-only packages"
};
function dnfRepoArgs(platform, rules, ourRepos, exclude = []) {
  const declared = rules.systemRepos ? platform.baseRepos ?? [] : [];
  const useConfigured = rules.systemRepos && declared.length === 0;
  const names = [...new Set(exclude)].sort();
  return [
    ...useConfigured ? DISABLED_REPOS.map((r) => `--disablerepo=${r}`) : ["--setopt=reposdir=/dev/null"],
    ...declared.map((r) => `--repofrompath=${r.name},${r.baseurl}`),
    ...names.length > 0 ? declared.map((r) => `--setopt=${r.name}.excludepkgs=${names.join(",")}`) : [],
    ...ourRepos.map((r) => `--repofrompath=${r.id},${fileUrl(r.dir)}`),
    "--nogpgcheck",
    "--setopt=install_weak_deps=False",
    // Debian has no release package for dnf to read $releasever from.
    ...rules.systemRepos ? [] : ["--releasever=0"]
  ];
}
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
function ourRepoFile(ourRepos) {
  return ourRepos.flatMap(
    (r) => repoSection(r.id, [
      ["name", OUR_REPO_NAMES[r.id] ?? r.id],
      ["baseurl", `file://${r.dir}`],
      ["enabled", "1"],
      ["gpgcheck", "0"],
      ["skip_if_unavailable", "0"],
      ["metadata_expire", "0"],
      ["priority", "1"],
      ["cost", "100"]
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
function buildImageSetup(platform, backend) {
  const packages = [...releaseRules(platform).imagePackages, ...backend === "container" ? buildRootPackages(platform) : []];
  return [...imageSetupCommands(platform, [...new Set(packages)]), ...platform.setup ?? []];
}
function installCommand(pm, packages, extra = []) {
  const disable = DISABLED_REPOS.map((r) => `--disablerepo=${r}`);
  const options = pm === "yum" ? ["-y", ...disable] : ["-y", ...disable, "--setopt=install_weak_deps=False"];
  return `${pm} ${shJoin([...options, ...extra, "install", ...packages])}`;
}
function yumInstallScript(platform, ourRepos, exclude, packages) {
  const dir = REPO_FILES.dir;
  return [
    `mkdir -p ${dir}`,
    writeFileCommand(`${dir}/${REPO_FILES.ours}`, ourRepoFile(ourRepos)),
    ...(platform.baseRepos ?? []).length > 0 ? [writeFileCommand(`${dir}/${REPO_FILES.base}`, baseRepoFile(platform, exclude))] : [],
    installCommand("yum", packages)
  ];
}

export {
  PACKAGE_MANAGER_RULES,
  targetRules,
  dnfRepoArgs,
  imageSetupCommands,
  buildImageSetup,
  yumInstallScript
};
