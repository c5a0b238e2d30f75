import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  DiracosError
} from "./chunk-5I364NK5.js";

// src/platform/release-rules.ts
var DISABLED_REPOS = ["epel*"];
var RELEASE_RULES = {
  // rpmbuild, rpmspec and dnf are in the Debian build image already (its setup installs the rest).
  debian: { packageManager: "dnf", specQuery: "rpmspec", imagePackages: [] },
  // rpm-python is yum's own dependency (named for clarity); yum-utils has repoquery.
  el6: { packageManager: "yum", specQuery: "rpm-python", imagePackages: ["rpm-build", "rpm-python", "yum-utils"] },
  // rpmspec is in EL7's rpm-build.
  el7: { packageManager: "yum", specQuery: "rpmspec", imagePackages: ["rpm-build", "yum-utils"] },
  // `dnf repoquery` is dnf's own.
  el: { packageManager: "dnf", specQuery: "rpmspec", imagePackages: ["rpm-build"] },
  fedora: { packageManager: "dnf", specQuery: "rpmspec", imagePackages: ["rpm-build"] }
};
var IMAGE_RELEASES = [
  /(?:^|\/)(?:centos|rockylinux|almalinux|oraclelinux|scientificlinux|sl):(?:centos|stream)?(\d+)(?:[.-]|$)/,
  /(?:^|\/)(?:slc|cc|alma|rocky|rhel|ubi|el)(\d+)(?:[-/:]|$)/,
  /(?:^|\/)fedora:(\d+)(?:[.-]|$)/
];
function platformRelease(platform) {
  if (platform.mock?.releasever) return platform.mock.releasever;
  for (const re of IMAGE_RELEASES) {
    const m = re.exec(platform.image);
    if (m) return m[1];
  }
  return void 0;
}
function releaseKey(platform) {
  if (platform.family !== "el") return platform.family;
  const release = platformRelease(platform);
  const where = `platforms[${platform.name}]`;
  if (release === void 0 || !/^\d+$/.test(release)) {
    throw new DiracosError(
      `${where}: cannot tell the EL release of image '${platform.image}' (yum on EL6/EL7, dnf from EL8, no rpmspec on EL6): set ${where}.mock.releasever, e.g. "7"`
    );
  }
  const major = Number(release);
  if (major < 6) throw new DiracosError(`${where}: EL ${release} is not supported (EL6 and later)`);
  return major === 6 ? "el6" : major === 7 ? "el7" : "el";
}
function releaseRules(platform) {
  return RELEASE_RULES[releaseKey(platform)];
}
var REPO_FILES = {
  dir: "/etc/yum.repos.d",
  base: "diracos-base.repo",
  ours: "diracos.repo",
  stockSuffix: ".diracos-stock"
};

// src/shared/glob.ts
var REGEXP_SPECIAL = /[\\^$.*+?()[\]{}|/-]/g;
function literal(text) {
  return text.replace(REGEXP_SPECIAL, "\\$&");
}
function bracket(glob, start) {
  let i = start + 1;
  const negate = glob[i] === "!" || glob[i] === "^";
  if (negate) i++;
  const members = [];
  for (let first = true; i < glob.length; first = false) {
    const c = glob[i];
    if (c === "\\" && i + 1 < glob.length) {
      members.push(literal(glob[i + 1]));
      i += 2;
      continue;
    }
    if (c === "]" && !first) return { source: `[${negate ? "^" : ""}${members.join("")}]`, end: i };
    if (c === "-" && !first && glob[i + 1] !== void 0 && glob[i + 1] !== "]" && members.length > 0) {
      members.push("-");
      i++;
      continue;
    }
    members.push(literal(c));
    i++;
  }
  return void 0;
}
function globToRegExp(glob) {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "*") source += ".*";
    else if (c === "?") source += ".";
    else if (c === "\\" && i + 1 < glob.length) source += literal(glob[++i]);
    else if (c === "[") {
      const set = bracket(glob, i);
      if (set) {
        source += set.source;
        i = set.end;
      } else source += "\\[";
    } else source += literal(c);
  }
  try {
    return new RegExp(`^${source}$`, "s");
  } catch (e) {
    throw new DiracosError(`glob '${glob}': ${e.message.replace(/^Invalid regular expression: \/.*\/\w*: /, "")}`);
  }
}
function isGlob(text) {
  return /[*?[]/.test(text);
}

export {
  DISABLED_REPOS,
  RELEASE_RULES,
  platformRelease,
  releaseKey,
  releaseRules,
  REPO_FILES,
  globToRegExp,
  isGlob
};
