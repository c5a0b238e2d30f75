#!/usr/bin/env bash
# The whole test suite: typecheck, lint, dist/ up to date, unit then integration tests.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== typecheck" && npx tsc -p tsconfig.json
echo "== lint" && npx eslint .
echo "== dist up to date"
fresh=$(mktemp -d)
trap 'rm -rf "$fresh"' EXIT
node scripts/dist.mjs --outdir "$fresh"
if ! diff -r "$fresh" dist >/dev/null; then
  diff -rq "$fresh" dist || true
  echo "dist/ is stale: run 'npm run dist' and commit dist/" >&2
  exit 1
fi
# No registry here: the tools image (tools/Containerfile) is built from the local Debian 12 image.
export DIRACOS_TOOLS_BASE=${DIRACOS_TOOLS_BASE:-localhost/diracos-platform:bookworm}
echo "== tests" && npx vitest run "$@"
