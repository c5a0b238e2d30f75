#!/usr/bin/env bash
# Local stand-ins for the platforms DIRACOS must run on, as podman images:
#   localhost/diracos-platform:<suite>          debootstrap --variant=minbase of a Debian suite
#   localhost/diracos-platform:bullseye-build   bullseye + the RPM build tools (rpmbuild, dnf, createrepo_c)
#                                               and Debian's wheels of pip, setuptools and wheel (the
#                                               example's offline find-links on its build platform)
# Images that already exist are kept (the build image while its package list is the same), so a
# re-run is a fast no-op. Run as root.
set -euo pipefail

REPO=localhost/diracos-platform
SUITES=(bullseye bookworm trixie)
# rpmbuild and friends inside an old-glibc (2.31) userland, so built RPMs run on old platforms too.
BUILD_BASE=bullseye
BUILD_PACKAGES=(rpm build-essential dnf createrepo-c cpio file python-pip-whl)
PACKAGES_LABEL=org.diracos.build-packages

log() { printf 'platform-images: %s\n' "$*" >&2; }

image_exists() { podman image exists "$1"; }

# The Debian mirror this machine already uses (never hard-coded): the URI of the first
# non-security entry of the deb822 sources, or of the one-line sources.list.
debian_mirror() {
  local uri=''
  if [[ -r /etc/apt/sources.list.d/debian.sources ]]; then
    uri=$(awk 'BEGIN { RS = ""; FS = "\n" }
      {
        u = ""; s = ""
        for (i = 1; i <= NF; i++) {
          if ($i ~ /^URIs:/) { u = $i; sub(/^URIs:[ \t]*/, "", u); sub(/[ \t].*/, "", u) }
          if ($i ~ /^Suites:/) s = $i
        }
        if (u != "" && s !~ /-security/) { print u; exit }
      }' /etc/apt/sources.list.d/debian.sources)
  fi
  if [[ -z $uri && -r /etc/apt/sources.list ]]; then
    uri=$(awk '$1 == "deb" && $0 !~ /-security/ { sub(/\[[^]]*\]/, ""); print $2; exit }' /etc/apt/sources.list)
  fi
  [[ -n $uri ]] || { log 'no Debian mirror found in /etc/apt/sources.list.d/debian.sources or /etc/apt/sources.list'; exit 1; }
  printf '%s\n' "$uri"
}

WORK=''
# --one-file-system: an interrupted debootstrap may leave proc/sys mounted inside the rootfs.
cleanup() { [[ -n $WORK ]] && rm -rf --one-file-system "$WORK"; return 0; }
trap cleanup EXIT

build_suite() {
  local suite=$1 mirror=$2
  log "building $REPO:$suite (debootstrap --variant=minbase)"
  WORK=$(mktemp -d /var/tmp/diracos-platform-images.XXXXXX)
  debootstrap --variant=minbase "$suite" "$WORK/root" "$mirror" >"$WORK/debootstrap.log" 2>&1 || {
    tail -n 30 "$WORK/debootstrap.log" >&2
    log "debootstrap of $suite failed"
    exit 1
  }
  rm -rf "$WORK"/root/var/cache/apt/archives/*.deb "$WORK"/root/var/lib/apt/lists/*
  # A complete tarball first, then one import to the tag: an interrupted run leaves no half-made image.
  tar -C "$WORK/root" --numeric-owner -cf "$WORK/rootfs.tar" .
  podman import --quiet "$WORK/rootfs.tar" "$REPO:$suite" >/dev/null
  cleanup
  WORK=''
}

build_tools_image() {
  local tag="$REPO:$BUILD_BASE-build" ctr="platform-images-build-$$"
  log "building $tag (+ ${BUILD_PACKAGES[*]})"
  podman rm --force --ignore "$ctr" >/dev/null
  if ! podman run --name "$ctr" "$REPO:$BUILD_BASE" bash -c \
    "export DEBIAN_FRONTEND=noninteractive && apt-get update -q && \
     apt-get install -y -q --no-install-recommends ${BUILD_PACKAGES[*]} && \
     apt-get clean && rm -rf /var/lib/apt/lists/*" >/dev/null; then
    podman rm --force --ignore "$ctr" >/dev/null
    log "installing ${BUILD_PACKAGES[*]} into $REPO:$BUILD_BASE failed"
    exit 1
  fi
  podman commit --quiet --change "LABEL $PACKAGES_LABEL=${BUILD_PACKAGES[*]}" "$ctr" "$tag" >/dev/null
  podman rm --force --ignore "$ctr" >/dev/null
}

mirror=''
for suite in "${SUITES[@]}"; do
  image_exists "$REPO:$suite" && continue
  [[ -n $mirror ]] || mirror=$(debian_mirror)
  build_suite "$suite" "$mirror"
done
build_packages() { podman image inspect --format "{{index .Labels \"$PACKAGES_LABEL\"}}" "$1" 2>/dev/null || true; }
[[ $(build_packages "$REPO:$BUILD_BASE-build") == "${BUILD_PACKAGES[*]}" ]] || build_tools_image
