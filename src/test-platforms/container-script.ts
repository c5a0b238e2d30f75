/**
 * The bash script run in each platform's fresh container. It unpacks the read-only tarball at a
 * random path containing a space, sources diracosrc, applies the platform's env, then runs every
 * check and writes raw results as files into the output folder; the host parses them. Results
 * go to files (one per item, indexed like the host's input lists) so that no output of a test can
 * be mistaken for another's.
 *
 * Inputs (IN): elves (NUL-separated paths inside the bundle), modules (one per line),
 * cmd.<i> (one command each), script (optional), env.sh (the platform env as exports),
 * tls/ (ca.pem, trust.sh adding it to the platform's trust store, check.py, server.pem, server.key).
 * Outputs (OUT): root, root.physical, python, ldd.<i>[.rc], module.<i>[.rc|.file], cmd.<i>[.rc], script[.rc],
 * trust[.rc], tls[.rc].
 *
 * The throw-away CA enters the trust store first, before diracosrc is sourced, as on a host whose
 * store has it; the TLS check runs last, after the manifest's own tests.
 */
export const CONTAINER_DIR = '/diracos-test';
export const CONTAINER_IN = `${CONTAINER_DIR}/in`;
export const CONTAINER_OUT = `${CONTAINER_DIR}/out`;

/** Exit codes of the script's own setup steps, and what failed. */
export const SETUP_EXITS: Readonly<Record<number, string>> = {
  90: 'mktemp of the extraction folder failed',
  91: 'extracting the tarball failed',
  92: 'sourcing diracosrc failed',
};

/** Imports one module; writes the real path of its __file__ (empty for builtins) to argv[2]. */
const IMPORT_PY = [
  'import importlib, os, sys',
  'm = importlib.import_module(sys.argv[1])',
  'f = getattr(m, "__file__", None)',
  'open(sys.argv[2], "w").write(os.path.realpath(f) if f else "")',
].join('; ');

export const CONTAINER_SCRIPT = String.raw`
IN=${CONTAINER_IN}; OUT=${CONTAINER_OUT}; tarball=$1; top=$2
if [ -e "$IN/tls/trust.sh" ]; then
  bash "$IN/tls/trust.sh" "$IN/tls/ca.pem" >"$OUT/trust" 2>&1 </dev/null; echo $? >"$OUT/trust.rc"
fi
base=$(mktemp -d "/tmp/diracos test.XXXXXX") || exit 90
tar -x -f "$tarball" -C "$base" 2>"$OUT/extract.log" || exit 91
root="$base/$top"
printf '%s' "$root" >"$OUT/root"
(cd "$root" && pwd -P) | tr -d '\n' >"$OUT/root.physical"
cd "$base" || exit 91
source "$root/diracosrc" >"$OUT/diracosrc.log" 2>&1 || exit 92
# The platform's env last, so it wins over diracosrc (e.g. LD_PRELOAD on the latest Fedora).
source "$IN/env.sh"
i=0
while IFS= read -r -d '' f; do
  ldd "$root/$f" >"$OUT/ldd.$i" 2>&1; echo $? >"$OUT/ldd.$i.rc"
  i=$((i+1))
done <"$IN/elves"
printf '%s' "$(command -v python3)" >"$OUT/python"
i=0
while IFS= read -r mod; do
  python3 -c '${IMPORT_PY}' "$mod" "$OUT/module.$i.file" >"$OUT/module.$i" 2>&1; echo $? >"$OUT/module.$i.rc"
  i=$((i+1))
done <"$IN/modules"
i=0
while [ -e "$IN/cmd.$i" ]; do
  ( eval "$(<"$IN/cmd.$i")" ) >"$OUT/cmd.$i" 2>&1 </dev/null; echo $? >"$OUT/cmd.$i.rc"
  i=$((i+1))
done
if [ -e "$IN/script" ]; then
  "$BASH" "$IN/script" >"$OUT/script" 2>&1 </dev/null; echo $? >"$OUT/script.rc"
fi
if [ "$(cat "$OUT/trust.rc" 2>/dev/null)" = 0 ]; then
  ( cd / && python3 "$IN/tls/check.py" "$IN/tls" ) >"$OUT/tls" 2>&1 </dev/null; echo $? >"$OUT/tls.rc"
fi
exit 0
`;
