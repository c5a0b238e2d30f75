#!/usr/bin/env bash
# Sets up a Debian 12 machine (or CI runner) to build and test DIRACOS: system tools, podman
# configuration, npm dependencies and the local platform images. Run as root from anywhere.
# Idempotent: each step runs only when something is missing or changed, so a re-run is a quiet no-op.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NODE_MAJOR_MIN=20

# The tools the pipeline drives (see src/shared/tools.ts), as Debian packages.
PACKAGES=(
  # containers: podman with runc (crun fails in these sandboxes) and its networking; Docker Engine
  # for the GitHub-runner emulation (scripts/runner-env.sh)
  podman runc conmon containernetworking-plugins iptables slirp4netns fuse-overlayfs uidmap docker.io
  # platform images
  debootstrap debian-archive-keyring
  # RPM building and repositories
  rpm createrepo-c dnf cpio
  # bundling: ELF rewriting, host-runtime sandbox, compression, Debian sources
  patchelf binutils bubblewrap pigz zstd xz-utils dpkg-dev file ca-certificates
  # big-endian ELF fixtures for the ELF reader tests
  binutils-s390x-linux-gnu
  # pip and setuptools wheels: the offline wheelhouse of the example and the pip tests
  python3-pip-whl python3-setuptools-whl python3-wheel-whl
  # the EL proofs: mock's own config loader (../shared/vendor) under /usr/bin/python3 reads the
  # generated mock configs; shellcheck reads the generated EL shell scripts
  python3-jinja2 python3-pyroute2 python3-backoff python3-requests python3-distro shellcheck
)

log() { printf 'setup: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

[[ $(id -u) -eq 0 ]] || die 'run as root (it installs packages and writes /etc/containers)'

# One dpkg-query for all packages; one never seen by dpkg is missing from its output.
missing_packages() {
  local installed
  installed=$(dpkg-query -W -f '${Package} ${db:Status-Status}\n' "${PACKAGES[@]}" 2>/dev/null | awk '$2 == "installed" { print $1 }' || true)
  printf '%s\n' "${PACKAGES[@]}" | grep -vxF -f <(printf '%s\n' "$installed") || true
}

mapfile -t missing < <(missing_packages)
if ((${#missing[@]} > 0)); then
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q "${missing[@]}" >/dev/null
fi

if ! cmp -s "$ROOT/config/containers.conf" /etc/containers/containers.conf; then
  log 'installing /etc/containers/containers.conf'
  install -D -m 0644 "$ROOT/config/containers.conf" /etc/containers/containers.conf
fi

command -v node >/dev/null || die "Node.js >= $NODE_MAJOR_MIN is required (Debian 12's own nodejs is too old)"
node_major=$(node -p 'process.versions.node.split(".")[0]')
((node_major >= NODE_MAJOR_MIN)) || die "Node.js >= $NODE_MAJOR_MIN is required, found $(node --version)"

# npm ci records the lock it installed in node_modules/.package-lock.json.
if [[ ! -f $ROOT/node_modules/.package-lock.json || $ROOT/package-lock.json -nt $ROOT/node_modules/.package-lock.json ]]; then
  log 'npm ci'
  (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
fi

"$ROOT/scripts/platform-images.sh"
"$ROOT/scripts/runner-env.sh"
