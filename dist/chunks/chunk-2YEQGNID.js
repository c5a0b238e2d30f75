import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  DiracosError
} from "./chunk-5I364NK5.js";

// src/build-rpms/platform-rules.ts
var FAMILY_RULES = {
  debian: { platformProvidesRpm: true, installAllBuildRequires: false, systemRepos: false, network: false },
  el: { platformProvidesRpm: false, installAllBuildRequires: true, systemRepos: true, network: true },
  fedora: { platformProvidesRpm: false, installAllBuildRequires: true, systemRepos: true, network: true }
};
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
var HIDES_PROVIDED_NAMES = { yum: true, dnf: false };
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
var PLATFORM_PROVIDES_NAME = "diracos-platform-provides";
var DEBIAN_PROVIDES = [
  { when: "/bin/sh", provides: ["/usr/bin/sh"] },
  { when: "/bin/bash", provides: ["bash", "/usr/bin/bash"] },
  { when: "/usr/bin/env", provides: ["coreutils"] },
  { when: "/usr/include/stdio.h", provides: ["glibc-devel", "glibc-headers", "libc-devel"] },
  { when: "/sbin/ldconfig", provides: ["glibc", "glibc-common", "rtld(GNU_HASH)", "/usr/sbin/ldconfig"] },
  { when: "/usr/bin/gcc", provides: ["gcc", "cpp"] },
  { when: "/usr/bin/g++", provides: ["gcc-c++", "libstdc++-devel"] },
  { when: "/usr/bin/gfortran", provides: ["gcc-gfortran"] },
  { when: "/usr/bin/make", provides: ["make"] },
  { when: "/usr/bin/pkg-config", provides: ["pkgconfig", "pkgconf-pkg-config", "pkgconf"] },
  { when: "/usr/bin/autoconf", provides: ["autoconf"] },
  { when: "/usr/bin/automake", provides: ["automake"] },
  { when: "/usr/bin/libtool", provides: ["libtool"] },
  { when: "/usr/bin/cmake", provides: ["cmake"] },
  { when: "/usr/bin/patch", provides: ["patch"] },
  { when: "/usr/bin/tar", provides: ["tar", "/bin/tar"] },
  { when: "/bin/gzip", provides: ["gzip", "/usr/bin/gzip"] },
  { when: "/bin/bzip2", provides: ["bzip2", "/usr/bin/bzip2"] },
  { when: "/usr/bin/xz", provides: ["xz"] },
  { when: "/usr/bin/unzip", provides: ["unzip"] },
  { when: "/bin/sed", provides: ["sed", "/usr/bin/sed"] },
  { when: "/bin/grep", provides: ["grep", "/usr/bin/grep"] },
  { when: "/usr/bin/gawk", provides: ["gawk", "/usr/bin/awk"] },
  { when: "/usr/bin/find", provides: ["findutils"] },
  { when: "/usr/bin/diff", provides: ["diffutils"] },
  { when: "/usr/bin/file", provides: ["file"] },
  { when: "/usr/bin/cpio", provides: ["cpio"] },
  { when: "/usr/bin/perl", provides: ["perl", "perl-interpreter"] },
  { when: "/usr/bin/m4", provides: ["m4"] },
  { when: "/usr/bin/bison", provides: ["bison"] },
  { when: "/usr/bin/flex", provides: ["flex"] },
  { when: "/usr/bin/rpmbuild", provides: ["rpm-build"] },
  { when: "/usr/bin/patchelf", provides: ["patchelf"] },
  { when: "/usr/bin/tclsh", provides: ["tcl"] }
];
var DEBIAN_LIBRARY_GLOBS = ["/lib/*-linux-gnu/*.so*", "/usr/lib/*-linux-gnu/*.so*", "/lib64/*.so*"];
var BACKEND_RULES = {
  container: { checkPlatformBuildRequires: true, families: ["debian", "el", "fedora"] },
  mock: { checkPlatformBuildRequires: false, families: ["el", "fedora"] }
};
var REPRODUCIBLE_MACROS = {
  _buildhost: "diracos",
  use_source_date_epoch_as_buildtime: "1",
  clamp_mtime_to_source_date_epoch: "1"
};
var DEFAULT_SOURCE_DATE_EPOCH = 946684800;

// src/shared/file-url.ts
function fileUrl(path) {
  if (!path.startsWith("/")) throw new Error(`fileUrl: not an absolute path: ${path}`);
  return `file://${path.split("/").map(encodeURIComponent).join("/")}`;
}

export {
  fileUrl,
  FAMILY_RULES,
  DISABLED_REPOS,
  RELEASE_RULES,
  HIDES_PROVIDED_NAMES,
  platformRelease,
  releaseKey,
  releaseRules,
  REPO_FILES,
  PLATFORM_PROVIDES_NAME,
  DEBIAN_PROVIDES,
  DEBIAN_LIBRARY_GLOBS,
  BACKEND_RULES,
  REPRODUCIBLE_MACROS,
  DEFAULT_SOURCE_DATE_EPOCH
};
