import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  selectPlatforms
} from "./chunk-IWVC4XSK.js";
import {
  HOST_LIBRARIES,
  HOST_LIBRARIES_FILE,
  KERNEL_PROVIDED,
  LibraryResolver,
  TARBALL_EXTENSIONS,
  describeVerdict,
  escapeBytes,
  isElfFile,
  isHostProvided,
  isUtf8,
  judgeMode,
  parseHostLibrariesFile,
  readElf,
  tarballCompression,
  topDirectory
} from "./chunk-QS2AFWVT.js";
import {
  imageSetupCommands
} from "./chunk-K5AXXNLF.js";
import {
  ContainerRuntime,
  knownLinkPath,
  shJoin,
  shQuote,
  sha256File,
  sha256Object
} from "./chunk-76TJA7O4.js";
import {
  DiracosError,
  DiracosErrors
} from "./chunk-5I364NK5.js";

// src/test-platforms/index.ts
import { existsSync as existsSync4, readFileSync as readFileSync3 } from "node:fs";
import { mkdir as mkdir4, rename as rename3, rm as rm2, writeFile as writeFile3 } from "node:fs/promises";
import { join as join5, resolve } from "node:path";

// src/elf/versions.ts
var VERSIONED = /^([A-Z][A-Z_]*?)_(\d+(?:\.\d+)*)$/;
function parseVersionName(name2) {
  const m = VERSIONED.exec(name2);
  return m ? { family: m[1], version: m[2].split(".").map(Number) } : void 0;
}
function compareVersions(a, b) {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
function newestVersions(needs) {
  const best = /* @__PURE__ */ new Map();
  for (const need of needs) {
    for (const name2 of need.versions) {
      const v = parseVersionName(name2);
      if (!v) continue;
      const cur = best.get(v.family);
      if (!cur || compareVersions(v.version, cur) > 0) best.set(v.family, v.version);
    }
  }
  return Object.fromEntries([...best].sort(([a], [b]) => a.localeCompare(b)).map(([f, v]) => [f, v.join(".")]));
}

// src/rules/glibc-ceilings.ts
var TABLE = [
  { names: ["slc6", "el6", "centos6"], ceiling: { glibc: "2.12", glibcxx: "3.4.13", cxxabi: "1.3.3" } },
  { names: ["cc7", "el7", "centos7"], ceiling: { glibc: "2.17", glibcxx: "3.4.19", cxxabi: "1.3.7" } },
  { names: ["el8", "alma8", "rocky8", "rhel8"], ceiling: { glibc: "2.28", glibcxx: "3.4.25", cxxabi: "1.3.11" } },
  { names: ["el9", "alma9", "rocky9", "rhel9"], ceiling: { glibc: "2.34", glibcxx: "3.4.29", cxxabi: "1.3.13" } },
  { names: ["ubuntu-22.04", "ubuntu22.04", "ubuntu2204", "jammy"], ceiling: { glibc: "2.35", glibcxx: "3.4.30", cxxabi: "1.3.13" } },
  { names: ["ubuntu-24.04", "ubuntu24.04", "ubuntu2404", "noble"], ceiling: { glibc: "2.39", glibcxx: "3.4.33", cxxabi: "1.3.15" } },
  { names: ["bullseye", "debian11", "debian-11"], ceiling: { glibc: "2.31", glibcxx: "3.4.28", cxxabi: "1.3.12" } },
  { names: ["bookworm", "debian12", "debian-12"], ceiling: { glibc: "2.36", glibcxx: "3.4.30", cxxabi: "1.3.13" } },
  { names: ["trixie", "debian13", "debian-13"], ceiling: { glibc: "2.41", glibcxx: "3.4.33", cxxabi: "1.3.15" } },
  { names: ["fedora41"], ceiling: { glibc: "2.40", glibcxx: "3.4.33", cxxabi: "1.3.15" } },
  // "fedora" means the latest release: pinned to Fedora 42 (the oldest the name may mean now), so it errs strict.
  { names: ["fedora", "fedora-latest", "fedora42"], ceiling: { glibc: "2.41", glibcxx: "3.4.34", cxxabi: "1.3.16" } }
];
function knownCeiling(platformName) {
  return TABLE.find((row) => row.names.includes(platformName))?.ceiling;
}
var CEILING_FAMILIES = {
  GLIBC: "glibc",
  GLIBCXX: "glibcxx",
  CXXABI: "cxxabi"
};
function exceedsCeiling(versionName, ceiling) {
  const parsed = parseVersionName(versionName);
  const field = parsed && CEILING_FAMILIES[parsed.family];
  const limit = field && ceiling[field];
  if (!parsed || !limit) return false;
  return compareVersions(parsed.version, limit.split(".").map(Number)) > 0;
}

// src/test-platforms/types.ts
function newCheck(check) {
  return { check, passed: 0, failures: [], warnings: [] };
}
function countItem(result, failuresBefore) {
  if (result.failures.length === failuresBefore) result.passed++;
}
function failedItems(result) {
  return new Set(result.failures.map((f) => f.item)).size;
}
function platformOk(p) {
  return p.checks.every((c) => c.failures.length === 0);
}

// src/test-platforms/junit.ts
var XML_ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };
function xmlEscape(text) {
  return text.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, "?").replace(/[&<>"']/g, (c) => XML_ESCAPES[c]);
}
function testcase(classname, name2, failure) {
  const open = `    <testcase classname="${xmlEscape(classname)}" name="${xmlEscape(name2)}"`;
  if (!failure) return `${open}/>`;
  return `${open}>
      <failure message="${xmlEscape(failure.message)}">${xmlEscape(failure.body)}</failure>
    </testcase>`;
}
function junitXml(platforms) {
  const suites = platforms.map((p) => {
    const cases = [];
    for (const c of p.checks) {
      const summary = `${failedItems(c)} failing, ${c.passed} passed`;
      cases.push(testcase(p.name, c.check, c.failures.length ? { message: summary, body: c.failures.map((f) => `${f.item}: ${f.message}`).join("\n") } : void 0));
      for (const f of c.failures) cases.push(testcase(`${p.name}.${c.check}`, f.item, { message: f.message, body: f.message }));
    }
    const failures = cases.filter((c) => c.includes("<failure")).length;
    return [
      `  <testsuite name="${xmlEscape(p.name)}" tests="${cases.length}" failures="${failures}" errors="0">`,
      `    <properties><property name="required" value="${p.required}"/></properties>`,
      ...cases,
      "  </testsuite>"
    ].join("\n");
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="test-platforms">
${suites.join("\n")}
</testsuites>
`;
}

// src/test-platforms/platform-checks.ts
import { existsSync, readFileSync } from "node:fs";
import { copyFile, mkdir, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";

// src/test-platforms/container-script.ts
var CONTAINER_DIR = "/diracos-test";
var CONTAINER_IN = `${CONTAINER_DIR}/in`;
var CONTAINER_OUT = `${CONTAINER_DIR}/out`;
var SETUP_EXITS = {
  90: "mktemp of the extraction folder failed",
  91: "extracting the tarball failed",
  92: "sourcing diracosrc failed"
};
var IMPORT_PY = [
  "import importlib, os, sys",
  "m = importlib.import_module(sys.argv[1])",
  'f = getattr(m, "__file__", None)',
  'open(sys.argv[2], "w").write(os.path.realpath(f) if f else "")'
].join("; ");
var CONTAINER_SCRIPT = String.raw`
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

// src/test-platforms/ldd.ts
var LINE_RULES = [
  { re: /^\s*(\S+) => not found$/, take: (m, r) => void r.entries.push({ name: m[1], notFound: true }) },
  { re: /^\s*(\S+) => (\/.*) \(0x[0-9a-f]+\)$/, take: (m, r) => void r.entries.push({ name: m[1], path: m[2] }) },
  // The loader (an absolute path) or the vDSO, listed without "=>".
  { re: /^\s*(\/.*) \(0x[0-9a-f]+\)$/, take: (m, r) => void r.entries.push({ name: m[1], path: m[1] }) },
  { re: /^\s*(\S+) \(0x[0-9a-f]+\)$/, take: (m, r) => void r.entries.push({ name: m[1] }) },
  { re: /version `([^']+)' not found \(required by (.*)\)$/, take: (m, r) => void r.versionErrors.push({ version: m[1], requiredBy: m[2] }) },
  { re: /ERROR: ld\.so: object '([^']+)' from (\S+) cannot be preloaded/, take: (m, r) => void r.preloadErrors.push(`${m[1]} (from ${m[2]})`) },
  { re: /^\s*(not a dynamic executable|statically linked)$/, take: (_m, r) => void (r.static = true) }
];
function parseLdd(text) {
  const result = { entries: [], static: false, versionErrors: [], preloadErrors: [], other: [] };
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    let matched = false;
    for (const rule of LINE_RULES) {
      const m = rule.re.exec(line);
      if (m) {
        rule.take(m, result);
        matched = true;
        break;
      }
    }
    if (!matched) result.other.push(line.trim());
  }
  return result;
}

// src/test-platforms/tls.ts
import { createHash, generateKeyPairSync, randomBytes, sign } from "node:crypto";
var TRUST_STORES = {
  // update-ca-certificates takes *.crt under /usr/local/share/ca-certificates.
  debian: { tool: "update-ca-certificates", anchor: "/usr/local/share/ca-certificates/diracos-test-ca.crt", commands: ["update-ca-certificates"] },
  // EL6 keeps the shared store off until `update-ca-trust enable` (EL7 and later refuse the word).
  el: {
    tool: "update-ca-trust",
    anchor: "/etc/pki/ca-trust/source/anchors/diracos-test-ca.pem",
    commands: ["update-ca-trust enable >/dev/null 2>&1 || :", "update-ca-trust extract"]
  },
  fedora: { tool: "update-ca-trust", anchor: "/etc/pki/ca-trust/source/anchors/diracos-test-ca.pem", commands: ["update-ca-trust extract"] }
};
var TRUST_TOOL_MISSING = 3;
function trustStoreScript(family) {
  const t = TRUST_STORES[family];
  return [
    "set -e",
    `if ! command -v ${t.tool} >/dev/null 2>&1; then echo "${t.tool} is not in the image (its ca-certificates package)"; exit ${TRUST_TOOL_MISSING}; fi`,
    `mkdir -p ${shJoin([t.anchor.slice(0, t.anchor.lastIndexOf("/"))])}`,
    `cp "$1" ${shJoin([t.anchor])}`,
    ...t.commands,
    ""
  ].join("\n");
}
var TLS_CHECK_PY = `import http.server, os, ssl, sys, threading, urllib.request

folder = sys.argv[1]
BODY = b'diracos-tls-ok\\n'


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header('Content-Length', str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    def log_message(self, *args):
        pass


class Server(http.server.HTTPServer):
    def handle_error(self, request, client_address):
        pass  # the client's side tells what failed


server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
server_context.load_cert_chain(os.path.join(folder, 'server.pem'), os.path.join(folder, 'server.key'))
httpd = Server(('127.0.0.1', 0), Handler)
httpd.socket = server_context.wrap_socket(httpd.socket, server_side=True)
threading.Thread(target=httpd.serve_forever, daemon=True).start()
print('%s; SSL_CERT_FILE=%s SSL_CERT_DIR=%s' % (ssl.OPENSSL_VERSION, os.environ.get('SSL_CERT_FILE', '(unset)'), os.environ.get('SSL_CERT_DIR', '(unset)')))
url = 'https://127.0.0.1:%d/' % httpd.server_address[1]
try:
    body = urllib.request.urlopen(url, timeout=30).read()
except Exception as e:
    sys.exit('%s: %s' % (url, e))
if body != BODY:
    sys.exit('unexpected answer from %s: %r' % (url, body))
print('verified %s' % url)
`;
function der(tag, content) {
  const n = content.length;
  const length = n < 128 ? Buffer.from([n]) : n < 256 ? Buffer.from([129, n]) : Buffer.from([130, n >> 8, n & 255]);
  if (n > 65535) throw new Error("DER value too long");
  return Buffer.concat([Buffer.from([tag]), length, content]);
}
var seq = (...parts) => der(48, Buffer.concat(parts));
var set = (...parts) => der(49, Buffer.concat(parts));
var explicit = (n, content) => der(160 + n, content);
var octets = (content) => der(4, content);
var bits = (content, unused = 0) => der(3, Buffer.concat([Buffer.from([unused]), content]));
var utf8 = (text) => der(12, Buffer.from(text, "utf8"));
var TRUE = der(1, Buffer.from([255]));
function integer(value) {
  let v = value;
  while (v.length > 1 && v[0] === 0 && v[1] < 128) v = v.subarray(1);
  return der(2, v[0] >= 128 ? Buffer.concat([Buffer.from([0]), v]) : v);
}
function oid(dotted) {
  const [a, b, ...rest] = dotted.split(".").map(Number);
  const bytes = [a * 40 + b];
  for (const n of rest) {
    const chunk = [n & 127];
    for (let v = n >> 7; v > 0; v >>= 7) chunk.unshift(v & 127 | 128);
    bytes.push(...chunk);
  }
  return der(6, Buffer.from(bytes));
}
function time(date) {
  const s = date.toISOString().replace(/[-:T]/g, "").slice(2, 14);
  return der(23, Buffer.from(`${s}Z`, "ascii"));
}
var OID = {
  ecdsaWithSha256: "1.2.840.10045.4.3.2",
  commonName: "2.5.4.3",
  organization: "2.5.4.10",
  subjectKeyIdentifier: "2.5.29.14",
  keyUsage: "2.5.29.15",
  subjectAltName: "2.5.29.17",
  basicConstraints: "2.5.29.19",
  authorityKeyIdentifier: "2.5.29.35",
  extKeyUsage: "2.5.29.37",
  serverAuth: "1.3.6.1.5.5.7.3.1"
};
var name = (cn) => seq(set(seq(oid(OID.organization), utf8("DIRACOS test-platforms"))), set(seq(oid(OID.commonName), utf8(cn))));
var extension = (id, value, critical = false) => seq(oid(id), ...critical ? [TRUE] : [], octets(value));
function keyId(spki) {
  return createHash("sha1").update(spki).digest();
}
function certificate(o) {
  const now = Date.now();
  const algorithm = seq(oid(OID.ecdsaWithSha256));
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))),
    integer(Buffer.concat([Buffer.from([1]), randomBytes(15)])),
    algorithm,
    name(o.issuer),
    seq(time(new Date(now - 864e5)), time(new Date(now + 7 * 864e5))),
    name(o.subject),
    o.publicKey.export({ type: "spki", format: "der" }),
    explicit(3, seq(...o.extensions))
  );
  return seq(tbs, algorithm, bits(sign("sha256", tbs, o.signer)));
}
function pem(label, body) {
  const b64 = body.toString("base64").replace(/(.{64})/g, "$1\n").replace(/\n$/, "");
  return `-----BEGIN ${label}-----
${b64}
-----END ${label}-----
`;
}
function testCertificates() {
  const ca = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const server = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const caId = keyId(ca.publicKey.export({ type: "spki", format: "der" }));
  const serverId = keyId(server.publicKey.export({ type: "spki", format: "der" }));
  const caName = `DIRACOS throw-away test CA ${randomBytes(4).toString("hex")}`;
  const caCert = certificate({
    subject: caName,
    issuer: caName,
    publicKey: ca.publicKey,
    signer: ca.privateKey,
    extensions: [
      extension(OID.basicConstraints, seq(TRUE), true),
      // keyCertSign (bit 5) and cRLSign (bit 6)
      extension(OID.keyUsage, bits(Buffer.from([6]), 1), true),
      extension(OID.subjectKeyIdentifier, octets(caId))
    ]
  });
  const serverCert = certificate({
    subject: "127.0.0.1",
    issuer: caName,
    publicKey: server.publicKey,
    signer: ca.privateKey,
    extensions: [
      extension(OID.basicConstraints, seq(), true),
      // digitalSignature (bit 0)
      extension(OID.keyUsage, bits(Buffer.from([128]), 7), true),
      extension(OID.extKeyUsage, seq(oid(OID.serverAuth))),
      // dNSName [2] localhost, iPAddress [7] 127.0.0.1
      extension(OID.subjectAltName, seq(der(130, Buffer.from("localhost")), der(135, Buffer.from([127, 0, 0, 1])))),
      extension(OID.subjectKeyIdentifier, octets(serverId)),
      extension(OID.authorityKeyIdentifier, seq(der(128, caId)))
    ]
  });
  return {
    ca: pem("CERTIFICATE", caCert),
    server: pem("CERTIFICATE", serverCert),
    serverKey: server.privateKey.export({ type: "pkcs8", format: "pem" }).toString()
  };
}

// src/test-platforms/platform-checks.ts
function tail(text, lines = 5) {
  const t = text.trim().split("\n").slice(-lines).join("\n");
  return t ? `:
${t}` : "";
}
function read(dir, name2) {
  const p = join(dir, name2);
  return existsSync(p) ? readFileSync(p, "utf8") : "";
}
function exitCode(dir, name2) {
  const text = read(dir, `${name2}.rc`).trim();
  return text ? Number(text) : void 0;
}
async function writeInputs(dir, m, platform, inputs) {
  await mkdir(dir, { recursive: true });
  const tests = m.manifest.tests ?? {};
  await writeFile(join(dir, "run.sh"), CONTAINER_SCRIPT);
  await writeFile(join(dir, "elves"), inputs.elves.map((e) => `${e}\0`).join(""));
  await writeFile(join(dir, "modules"), (tests.modules ?? []).map((mod) => `${mod}
`).join(""));
  for (const [i, cmd] of (tests.commands ?? []).entries()) await writeFile(join(dir, `cmd.${i}`), cmd);
  if (tests.script) {
    const script = join(m.dir, tests.script);
    if (!existsSync(script)) throw new DiracosError(`tests.script '${tests.script}' does not exist (${script})`, { file: m.file });
    await copyFile(script, join(dir, "script"));
  }
  const env = Object.entries(platform.env ?? {}).map(([k, v]) => `export ${k}=${shQuote(v)}
`);
  await writeFile(join(dir, "env.sh"), env.join(""));
  const certs = testCertificates();
  await mkdir(join(dir, "tls"), { recursive: true });
  await writeFile(join(dir, "tls/ca.pem"), certs.ca);
  await writeFile(join(dir, "tls/server.pem"), certs.server);
  await writeFile(join(dir, "tls/server.key"), certs.serverKey);
  await writeFile(join(dir, "tls/trust.sh"), trustStoreScript(platform.family));
  await writeFile(join(dir, "tls/check.py"), TLS_CHECK_PY);
}
async function runPlatformChecks(ctx, m, platform, image, inputs, scratch) {
  const inDir = join(scratch, "in");
  const outDir = join(scratch, "out");
  await writeInputs(inDir, m, platform, inputs);
  await mkdir(outDir, { recursive: true });
  const tarballTarget = `${CONTAINER_DIR}/${basename(inputs.tarball)}`;
  const run = await ctx.runtime.run({
    image,
    command: ["bash", `${CONTAINER_IN}/run.sh`, tarballTarget, inputs.top],
    mounts: [
      { source: inputs.tarball, target: tarballTarget, readOnly: true },
      { source: inDir, target: CONTAINER_IN, readOnly: true },
      { source: outDir, target: CONTAINER_OUT }
    ],
    allowFailure: true
  });
  if (run.exitCode !== 0) {
    const environment = newCheck("environment");
    const what = SETUP_EXITS[run.exitCode] ?? `the test container exited with ${run.exitCode}`;
    const log = read(outDir, run.exitCode === 91 ? "extract.log" : "diracosrc.log") + run.stderr;
    environment.failures.push({ item: platform.name, message: `${what}${tail(log)}` });
    return { checks: [environment], ldd: [] };
  }
  const roots = [read(outDir, "root"), read(outDir, "root.physical")].filter(Boolean);
  const inBundle = (p) => roots.some((r) => p === r || p.startsWith(`${r}/`));
  const relative = (p) => roots.reduce((acc, r) => acc.startsWith(`${r}/`) ? `$DIRACOS/${acc.slice(r.length + 1)}` : acc, p);
  const leftToHost = inputs.leftToHost ?? [];
  const { check: lddCheck, records, hostSeen } = lddChecks(outDir, platform, inputs.elves, inBundle, relative, leftToHost);
  const checks = [lddCheck, ...leftToHost.length > 0 ? [hostProvidedCheck(platform, leftToHost, hostSeen)] : [], moduleCheck(outDir, m, platform, inBundle)];
  return { checks: [...checks, ...commandChecks(outDir, m), tlsCheck(outDir, platform, inBundle)], ldd: records };
}
function tlsCheck(outDir, platform, inBundle) {
  const check = newCheck("tls");
  const item = "https://127.0.0.1 (CA in the trust store only)";
  const trust = exitCode(outDir, "trust");
  const python = bundlePythonProblem(outDir, inBundle);
  if (trust === TRUST_TOOL_MISSING) {
    check.warnings.push(`TLS not checked: ${read(outDir, "trust").trim()}; add it to platforms[${platform.name}].setup to check TLS here`);
  } else if (trust !== 0) {
    check.failures.push({ item, message: `adding a CA to the trust store (${TRUST_STORES[platform.family].tool}) failed (exit ${trust ?? "no status"})${tail(read(outDir, "trust"))}` });
  } else if (python) {
    check.failures.push({ item, message: python });
  } else if (exitCode(outDir, "tls") !== 0) {
    check.failures.push({ item, message: `the bundle's python3 cannot verify it with the platform's CA certificates${tail(read(outDir, "tls"), 3)}` });
  } else {
    check.passed++;
  }
  return check;
}
function lddChecks(outDir, platform, elves, inBundle, relative, leftToHost) {
  const check = newCheck("ldd");
  const known = new Set(platform.knownMissing ?? []);
  const seenMissing = /* @__PURE__ */ new Set();
  const records = [];
  const hostSeen = new Map(leftToHost.map((l) => [l.soname, { paths: /* @__PURE__ */ new Set(), notFound: [] }]));
  for (const [i, file] of elves.entries()) {
    const before = check.failures.length;
    const text = read(outDir, `ldd.${i}`);
    const rc = exitCode(outDir, `ldd.${i}`) ?? -1;
    const parsed = parseLdd(text);
    records.push({ file, exitCode: rc, libs: parsed.entries.map((e) => ({ name: e.name, path: e.path ? relative(e.path) : null })) });
    for (const e of parsed.entries) {
      const soname = e.name.includes("/") ? basename(e.name) : e.name;
      const host = hostSeen.get(soname);
      if (host && !(e.path && inBundle(e.path))) {
        if (e.notFound) {
          host.notFound.push(file);
          seenMissing.add(soname);
        } else if (e.path) host.paths.add(e.path);
        continue;
      }
      let problem;
      if (e.notFound) problem = "not found";
      else if (e.path && !inBundle(e.path) && !isHostProvided(platform.family, soname)) {
        problem = `resolves outside the bundle (${e.path}) and ${platform.family} hosts do not provide it`;
      }
      if (!problem) continue;
      seenMissing.add(soname);
      if (!known.has(soname)) check.failures.push({ item: file, message: `${soname} ${problem}` });
    }
    for (const v of parsed.versionErrors) check.failures.push({ item: file, message: `version ${v.version} not found (required by ${relative(v.requiredBy)})` });
    for (const p of parsed.preloadErrors) check.failures.push({ item: file, message: `cannot preload ${p}` });
    if (rc !== 0 && !parsed.static && check.failures.length === before) {
      check.failures.push({ item: file, message: `ldd exited with ${rc}${tail(parsed.other.join("\n"), 3)}` });
    }
    countItem(check, before);
  }
  for (const lib of known) {
    if (!seenMissing.has(lib)) check.warnings.push(`${lib} is in knownMissing of ${platform.name} but no file misses it any more`);
  }
  return { check, records, hostSeen };
}
function hostProvidedCheck(platform, leftToHost, seen) {
  const check = newCheck("host-provided");
  const known = new Set(platform.knownMissing ?? []);
  for (const lib of leftToHost) {
    const s = seen.get(lib.soname);
    const what = `left to the host (bundle.ignoredPackages: ${lib.package})`;
    if (s && s.notFound.length > 0) {
      if (known.has(lib.soname)) continue;
      const files = s.notFound.slice(0, 3).join(", ") + (s.notFound.length > 3 ? `, and ${s.notFound.length - 3} more` : "");
      check.failures.push({ item: lib.soname, message: `${what}, but ${platform.name} does not provide it (ldd: not found, for ${files})` });
    } else if (s && s.paths.size > 0) {
      check.passed++;
    } else if (!known.has(lib.soname)) {
      check.failures.push({ item: lib.soname, message: `${what}: no ldd on ${platform.name} shows where it comes from (see the ldd check)` });
    }
  }
  return check;
}
function bundlePythonProblem(outDir, inBundle) {
  const python = read(outDir, "python");
  return !python ? "no python3 on PATH after sourcing diracosrc" : !inBundle(python) ? `python3 on PATH is ${python}, not the bundle's` : void 0;
}
function moduleCheck(outDir, m, platform, inBundle) {
  const check = newCheck("modules");
  const modules = m.manifest.tests?.modules ?? [];
  if (modules.length === 0) return check;
  const allowed = new Set(platform.modulesAllowedToFail ?? []);
  const pythonProblem = bundlePythonProblem(outDir, inBundle);
  for (const [i, mod] of modules.entries()) {
    const before = check.failures.length;
    const rc = exitCode(outDir, `module.${i}`);
    const file = read(outDir, `module.${i}.file`);
    if (pythonProblem) check.failures.push({ item: mod, message: pythonProblem });
    else if (rc !== 0 && allowed.has(mod)) {
      check.warnings.push(`${mod}: import failed (exit ${rc}), allowed on ${platform.name} (modulesAllowedToFail)${tail(read(outDir, `module.${i}`), 2)}`);
      continue;
    } else if (rc !== 0) check.failures.push({ item: mod, message: `import failed (exit ${rc})${tail(read(outDir, `module.${i}`))}` });
    else if (file && !inBundle(file)) check.failures.push({ item: mod, message: `imported from ${file}, outside the bundle` });
    else if (allowed.has(mod)) check.warnings.push(`${mod} is in modulesAllowedToFail of ${platform.name} but imports there: remove it from the list`);
    countItem(check, before);
  }
  return check;
}
function commandChecks(outDir, m) {
  const tests = m.manifest.tests ?? {};
  const commands = newCheck("commands");
  for (const [i, cmd] of (tests.commands ?? []).entries()) {
    const before = commands.failures.length;
    const rc2 = exitCode(outDir, `cmd.${i}`);
    if (rc2 !== 0) commands.failures.push({ item: cmd, message: `exited with ${rc2 ?? "no status"}${tail(read(outDir, `cmd.${i}`))}` });
    countItem(commands, before);
  }
  if (!tests.script) return [commands];
  const script = newCheck("script");
  const rc = exitCode(outDir, "script");
  if (rc !== 0) script.failures.push({ item: tests.script, message: `exited with ${rc ?? "no status"}${tail(read(outDir, "script"))}` });
  else script.passed++;
  return [commands, script];
}

// src/test-platforms/static-checks.ts
import { closeSync, existsSync as existsSync2, lstatSync, openSync, readdirSync, readFileSync as readFileSync2, readlinkSync, readSync } from "node:fs";
import { join as join2, posix } from "node:path";

// src/test-platforms/shebang-rules.ts
var SHEBANG_RULES = [
  { pattern: /^\/(usr\/)?bin\/env$/, verdict: "ok", why: "looks the interpreter up on PATH, which diracosrc sets" },
  { pattern: /^\/(usr\/)?bin\/(sh|bash)$/, verdict: "ok", why: "a POSIX shell / bash is on every host" },
  // Where RPM builds, pip and CI runners put their trees: such a path exists only on the build machine.
  {
    pattern: /(^|\/)(BUILDROOT|builddir|rpmbuild|buildroot)(\/|$)|^\/(tmp|var\/tmp|home|root|github|__w|build|work)\//,
    verdict: "build-path",
    why: "points into a build directory"
  },
  { pattern: /^[^/]/, verdict: "not-relocatable", why: "a relative interpreter depends on the current directory" },
  { pattern: /^\//, verdict: "not-relocatable", why: "an absolute interpreter outside the bundle: use /usr/bin/env" }
];
function shebangInterpreter(head2) {
  if (!head2.startsWith("#!")) return void 0;
  const line = head2.slice(2).split("\n")[0].trim();
  return line.split(/\s+/)[0] ?? "";
}
function judgeShebang(interpreter) {
  const row = SHEBANG_RULES.find((r) => r.pattern.test(interpreter));
  return row ? { verdict: row.verdict, why: row.why } : { verdict: "not-relocatable", why: "empty interpreter" };
}

// src/test-platforms/static-checks.ts
var LOADABLE_TYPES = /* @__PURE__ */ new Set(["EXEC", "DYN"]);
function* walk(root, rel = "") {
  const names = [];
  for (const raw of readdirSync(join2(root, rel), { encoding: "buffer" })) {
    const name2 = raw.toString("utf8");
    if (isUtf8(raw)) names.push(name2);
    else yield { path: rel ? `${rel}/${escapeBytes(raw)}` : escapeBytes(raw), bad: "file name is not valid UTF-8" };
  }
  for (const name2 of names.sort()) {
    const path = rel ? `${rel}/${name2}` : name2;
    yield { path };
    if (lstatSync(join2(root, path)).isDirectory()) yield* walk(root, path);
  }
}
function head(file, bytes) {
  const fd = openSync(file, "r");
  try {
    const buf = Buffer.alloc(bytes);
    return buf.subarray(0, readSync(fd, buf, 0, bytes, 0)).toString("latin1");
  } finally {
    closeSync(fd);
  }
}
function scanBundle(root) {
  const symlinks = newCheck("symlinks");
  const hardlinks = newCheck("hardlinks");
  const shebangs = newCheck("shebangs");
  const elfRead = newCheck("elf");
  const modes = newCheck("modes");
  const names = newCheck("names");
  const elves = [];
  const resolver = new LibraryResolver(root, { ldSoConf: true });
  const inodes = /* @__PURE__ */ new Map();
  for (const { path, bad } of walk(root)) {
    if (bad) {
      names.failures.push({ item: path, message: `${bad}; a bundle holds UTF-8 names only` });
      continue;
    }
    names.passed++;
    const host = join2(root, path);
    const st = lstatSync(host);
    if (!st.isSymbolicLink()) {
      const verdict = judgeMode(st.mode);
      if (verdict) modes.failures.push({ item: path, message: `${describeVerdict(verdict)}: a bundle ships nothing setuid, setgid or world-writable` });
      else modes.passed++;
    }
    if (st.isSymbolicLink()) {
      const before = symlinks.failures.length;
      const target = readlinkSync(host);
      if (target.startsWith("/")) {
        symlinks.failures.push({ item: path, message: `absolute symlink to '${target}' (breaks once the bundle is moved)` });
      } else if (posix.normalize(posix.join(posix.dirname(path), target)).startsWith("..")) {
        symlinks.failures.push({ item: path, message: `symlink to '${target}' leaves the bundle` });
      }
      countItem(symlinks, before);
      continue;
    }
    if (!st.isFile()) continue;
    if (st.nlink > 1) inodes.set(`${st.dev}:${st.ino}`, [...inodes.get(`${st.dev}:${st.ino}`) ?? [], path]);
    else hardlinks.passed++;
    const interpreter = st.mode & 73 ? shebangInterpreter(head(host, 256)) : void 0;
    if (interpreter !== void 0) {
      const { verdict, why } = judgeShebang(interpreter);
      if (verdict === "ok") shebangs.passed++;
      else shebangs.failures.push({ item: path, message: `shebang '#!${interpreter}': ${why}` });
      continue;
    }
    if (!isElfFile(host)) continue;
    let info;
    try {
      info = readElf(host);
    } catch (e) {
      elfRead.failures.push({ item: path, message: e.message });
      continue;
    }
    elfRead.passed++;
    if (!LOADABLE_TYPES.has(info.type)) continue;
    const { node } = resolver.resolve(`/${path}`);
    elves.push({ path, info, provided: new Set(node.needed.filter((n) => n.path).map((n) => n.name)) });
  }
  for (const group of inodes.values()) {
    for (const path of group) {
      const others = group.filter((p) => p !== path);
      hardlinks.failures.push({
        item: path,
        message: `hard link (${group.length} names${others.length ? `, also ${others.join(", ")}` : ", the others outside the bundle"}): tar and CVMFS copies may split or duplicate it`
      });
    }
  }
  return { elves, checks: [symlinks, hardlinks, shebangs, elfRead, modes, names] };
}
function checkCeiling(elves, platform, ceiling) {
  const result = newCheck("glibc-ceiling");
  for (const elf of elves) {
    const before = result.failures.length;
    for (const need of elf.info.versionNeeds) {
      if (elf.provided.has(need.file)) continue;
      for (const [family, version] of Object.entries(newestVersions([need]))) {
        const name2 = `${family}_${version}`;
        if (exceedsCeiling(name2, ceiling)) {
          result.failures.push({
            item: elf.path,
            message: `needs ${name2} from ${need.file}, newer than ${platform.name} provides (glibc ${ceiling.glibc}${ceiling.glibcxx ? `, GLIBCXX ${ceiling.glibcxx}` : ""}${ceiling.cxxabi ? `, CXXABI ${ceiling.cxxabi}` : ""})`
          });
        }
      }
    }
    countItem(result, before);
  }
  return result;
}
function checkHostLibraries(elves, platform, leftToHost = []) {
  const result = newCheck("host-libraries");
  const known = /* @__PURE__ */ new Set([...platform.knownMissing ?? [], ...leftToHost.map((l) => l.soname)]);
  for (const elf of elves) {
    const before = result.failures.length;
    for (const name2 of elf.info.needed) {
      if (elf.provided.has(name2) || isHostProvided(platform.family, name2) || known.has(name2)) continue;
      result.failures.push({
        item: elf.path,
        message: `needs ${name2}, which the bundle does not ship and ${platform.family} hosts do not provide (not in knownMissing of ${platform.name})`
      });
    }
    countItem(result, before);
  }
  return result;
}
var BROKEN_LINKS_FILE = "brokenLinks.txt";
function checkBrokenLinks(root, known) {
  const result = newCheck("broken-links");
  const file = join2(root, BROKEN_LINKS_FILE);
  const lines = existsSync2(file) ? readFileSync2(file, "utf8").split("\n").filter((l) => l.trim() !== "") : [];
  const knownPaths = new Set(known.map(knownLinkPath).filter((p) => p !== void 0));
  const broken = /* @__PURE__ */ new Set();
  for (const line of lines) {
    const path = knownLinkPath(line) ?? line;
    broken.add(path);
    if (knownPaths.has(path)) result.passed++;
    else result.failures.push({ item: path, message: `removed by the bundle stage (${BROKEN_LINKS_FILE}: ${line}) and not in tests.knownBrokenLinks` });
  }
  for (const path of knownPaths) {
    if (!broken.has(path)) result.warnings.push(`${path} is in tests.knownBrokenLinks but no longer broken (not in ${BROKEN_LINKS_FILE}): remove it from the list`);
  }
  return result;
}

// src/test-platforms/unpack.ts
import { randomBytes as randomBytes2 } from "node:crypto";
import { lstatSync as lstatSync2, readdirSync as readdirSync2 } from "node:fs";
import { mkdir as mkdir2, rename, rm } from "node:fs/promises";
import { basename as basename2, join as join3 } from "node:path";
var UNPACK = {
  gzip: { hostTarFlags: ["-z"], inContainer: "gzip" },
  zstd: { hostTarFlags: ["--zstd"], inContainer: "decompress-on-host" }
};
function compressionOf(tarball) {
  const c = tarballCompression(tarball);
  if (!c) throw new DiracosError(`tarball must end in ${Object.values(TARBALL_EXTENSIONS).map((e) => `.${e}`).join(" or ")}`, { file: tarball });
  return { suffix: `.${TARBALL_EXTENSIONS[c]}`, ...UNPACK[c] };
}
async function scratchDir(ctx, what) {
  const dir = join3(ctx.workdir, "test-platforms", `${what}-${randomBytes2(6).toString("hex")}`);
  await mkdir2(dir, { recursive: true });
  return dir;
}
async function extractBundle(ctx, tarball, expected, dest) {
  const c = compressionOf(tarball);
  await ctx.exec("tar", ["-x", "--same-permissions", ...c.hostTarFlags, "-f", tarball, "-C", dest]);
  const entries = readdirSync2(dest);
  if (entries.length !== 1 || entries[0] !== expected || !lstatSync2(join3(dest, expected)).isDirectory()) {
    throw new DiracosError(`tarball must hold exactly one top folder '${expected}/', found: ${entries.join(", ") || "nothing"}`, { file: tarball });
  }
  const root = join3(dest, expected);
  let rc;
  try {
    rc = lstatSync2(join3(root, "diracosrc"));
  } catch {
    rc = void 0;
  }
  if (!rc?.isFile()) throw new DiracosError(`tarball has no regular file '${expected}/diracosrc' to source`, { file: tarball });
  return { root, top: expected };
}
async function containerTarball(ctx, tarball, scratch) {
  const c = compressionOf(tarball);
  if (c.inContainer === "gzip") return tarball;
  const out = join3(scratch, basename2(tarball).slice(0, -c.suffix.length) + ".tar");
  const tmp = `${out}.partial`;
  await rm(tmp, { force: true });
  ctx.tools.share(tarball, scratch);
  await ctx.tools.exec("zstd", ["-d", "-q", "-f", "-o", tmp, tarball]);
  await rename(tmp, out);
  return out;
}

// src/test-platforms/records.ts
import { existsSync as existsSync3 } from "node:fs";
import { mkdir as mkdir3, readFile, rename as rename2, writeFile as writeFile2 } from "node:fs/promises";
import { join as join4 } from "node:path";
var TEST_KEY_VERSION = 2;
function recordFile(outDir, platform) {
  return join4(outDir, platform, "result.json");
}
async function readRecord(outDir, platform) {
  try {
    const r = JSON.parse(await readFile(recordFile(outDir, platform), "utf8"));
    return typeof r.key === "string" && r.result && Array.isArray(r.result.checks) ? r : void 0;
  } catch {
    return void 0;
  }
}
async function writeRecord(outDir, platform, record) {
  const file = recordFile(outDir, platform);
  await mkdir3(join4(outDir, platform), { recursive: true });
  await writeFile2(`${file}.partial`, JSON.stringify(record, null, 2) + "\n");
  await rename2(`${file}.partial`, file);
}
function checksIdentity() {
  return {
    v: TEST_KEY_VERSION,
    hostLibraries: HOST_LIBRARIES,
    kernel: KERNEL_PROVIDED,
    shebangs: SHEBANG_RULES.map((r) => ({ pattern: String(r.pattern), verdict: r.verdict })),
    container: CONTAINER_SCRIPT
  };
}
function staticKey(tarballSha256, top, knownBrokenLinks) {
  return sha256Object({ kind: "static", tarball: tarballSha256, top, knownBrokenLinks, checks: checksIdentity() });
}
async function testsIdentity(m) {
  const tests = m.manifest.tests ?? {};
  const script = tests.script ? join4(m.dir, tests.script) : void 0;
  return { modules: tests.modules ?? [], commands: tests.commands ?? [], script: script && existsSync3(script) ? await sha256File(script) : void 0 };
}
async function platformKey(ctx, m, i) {
  if (!(ctx.runtime instanceof ContainerRuntime)) return void 0;
  const imageId = await ctx.runtime.imageId(i.image);
  if (!imageId) return void 0;
  return sha256Object({
    kind: "platform",
    tarball: i.tarballSha256,
    top: i.top,
    runtime: ctx.runtime.name,
    imageId,
    platform: i.platform,
    ceiling: i.ceiling,
    tests: await testsIdentity(m),
    checks: checksIdentity()
  });
}

// src/test-platforms/index.ts
function ceilings(m, platforms) {
  const out = /* @__PURE__ */ new Map();
  const problems = [];
  for (const p of platforms) {
    const known = knownCeiling(p.name);
    const glibc = p.glibc ?? known?.glibc;
    if (glibc) out.set(p.name, { ...known, glibc });
    else {
      const index = m.manifest.platforms.indexOf(p);
      problems.push({ message: `platforms[${index}] '${p.name}': no glibc ceiling known for this name; set platforms[${index}].glibc`, location: { file: m.file } });
    }
  }
  if (problems.length) throw new DiracosErrors(problems);
  return out;
}
var STATIC_PLATFORM = "static";
function testedPlatforms(m, names) {
  const clash = m.manifest.platforms.findIndex((p) => p.name === STATIC_PLATFORM);
  if (clash >= 0) throw new DiracosError(`platforms[${clash}]: the name '${STATIC_PLATFORM}' is reserved for the static checks`, { file: m.file });
  return selectPlatforms(m, names, "test-platforms");
}
async function writeAtomic(file, text) {
  const tmp = `${file}.partial`;
  await writeFile3(tmp, text);
  await rename3(tmp, file);
}
async function testPlatforms(ctx, m, opts) {
  const tarball = resolve(opts.tarball);
  const platforms = testedPlatforms(m, opts.platforms);
  const limits = ceilings(m, platforms);
  const top = topDirectory({ version: m.manifest.version, arch: m.arch });
  const tarballSha256 = await sha256File(tarball);
  const unchanged = async (name2, key) => {
    if (opts.force || !key) return void 0;
    const r = await readRecord(opts.outDir, name2);
    return r?.key === key && platformOk(r.result) ? r : void 0;
  };
  const planned = [];
  for (const platform of platforms) {
    let image;
    try {
      const own = platform.setup ?? [];
      const setup = own.length > 0 ? [...imageSetupCommands(platform, []), ...own] : [];
      image = await ctx.reporter.progress(
        { what: `preparing the image of ${platform.name}` },
        () => ctx.runtime.prepareImage(platform.image, setup, { onOutput: (c) => ctx.reporter.debug(c.toString()) })
      );
    } catch (e) {
      if (!(e instanceof DiracosError)) throw e;
      planned.push({ platform, prepareError: e });
      continue;
    }
    const key = await platformKey(ctx, m, { tarballSha256, top, platform, ceiling: limits.get(platform.name), image });
    planned.push({ platform, image, key, recorded: await unchanged(platform.name, key) });
  }
  const sKey = staticKey(tarballSha256, top, m.manifest.tests?.knownBrokenLinks ?? []);
  const staticRecord = planned.every((p) => p.recorded) ? await unchanged(STATIC_PLATFORM, sKey) : void 0;
  const results = [];
  const skipped = /* @__PURE__ */ new Map();
  const lddRecords = /* @__PURE__ */ new Map();
  const fresh = /* @__PURE__ */ new Map();
  if (staticRecord) {
    results.push(staticRecord.result, ...planned.map((p) => p.recorded.result));
    for (const r of [staticRecord, ...planned.map((p) => p.recorded)]) skipped.set(r.result.name, r.testedAt);
  } else {
    const scratch = await scratchDir(ctx, "run");
    try {
      const { root } = await extractBundle(ctx, tarball, top, await mkdirP(join5(scratch, "bundle")));
      const scan = await ctx.reporter.group("static checks", async () => scanBundle(root));
      const brokenLinks = checkBrokenLinks(root, m.manifest.tests?.knownBrokenLinks ?? []);
      results.push({ name: STATIC_PLATFORM, required: true, checks: [...scan.checks, brokenLinks] });
      const leftToHost = readLeftToHost(root);
      fresh.set(STATIC_PLATFORM, sKey);
      const containerInput = planned.some((p) => !p.recorded) ? await containerTarball(ctx, tarball, scratch) : tarball;
      for (const { platform, image, prepareError, key, recorded } of planned) {
        if (recorded) {
          results.push(recorded.result);
          skipped.set(platform.name, recorded.testedAt);
          continue;
        }
        const result = {
          name: platform.name,
          required: platform.required ?? true,
          checks: [checkCeiling(scan.elves, platform, limits.get(platform.name)), checkHostLibraries(scan.elves, platform, leftToHost)]
        };
        results.push(result);
        if (prepareError || !image) {
          const prepare = newCheck("prepare");
          prepare.failures.push({ item: platform.name, message: prepareError?.message ?? "no image" });
          result.checks.push(prepare);
          continue;
        }
        await ctx.reporter.group(
          `test-platforms: ${platform.name}`,
          () => ctx.reporter.progress({ what: `testing on ${platform.name}` }, async () => {
            const run = await runPlatformChecks(ctx, m, platform, image, { tarball: containerInput, top, elves: scan.elves.map((e) => e.path), leftToHost }, await mkdirP(join5(scratch, platform.name)));
            result.checks.push(...run.checks);
            lddRecords.set(platform.name, run.ldd);
          })
        );
        if (key) fresh.set(platform.name, key);
      }
    } finally {
      await rm2(scratch, { recursive: true, force: true });
    }
  }
  const out = await report(ctx, opts.outDir, results, lddRecords, skipped);
  const testedAt = (/* @__PURE__ */ new Date()).toISOString();
  for (const r of results) {
    const key = fresh.get(r.name);
    if (key) await writeRecord(opts.outDir, r.name, { key, testedAt, result: r });
  }
  return out;
}
function readLeftToHost(root) {
  const file = join5(root, HOST_LIBRARIES_FILE);
  return existsSync4(file) ? parseHostLibrariesFile(readFileSync3(file, "utf8")) : [];
}
async function mkdirP(dir) {
  await mkdir4(dir, { recursive: true });
  return dir;
}
var NOTED_FAILURES = 5;
function shortTime(iso) {
  return `${iso.slice(0, 16).replace("T", " ")} UTC`;
}
function summaryTable(results, skipped, junit) {
  const checkNames = [...new Set(results.flatMap((p) => p.checks.map((c) => c.check)))];
  const notes = [];
  for (const p of results) {
    for (const c of p.checks) {
      if (c.failures.length === 0) continue;
      for (const f of c.failures.slice(0, NOTED_FAILURES)) notes.push(`${p.name} ${c.check}: ${f.item}: ${f.message.split("\n")[0]}`);
      if (c.failures.length > NOTED_FAILURES) notes.push(`${p.name} ${c.check}: \u2026 and ${c.failures.length - NOTED_FAILURES} more (all in ${junit})`);
    }
  }
  if (skipped.size > 0) {
    notes.push(
      `skipped: ${[...skipped.keys()].join(", ")}: the tarball, the platform (image, setup, env) and the tests are those of a passing run recorded beside the report; force tests them again (--force on the command line, input force: true in the action)`
    );
  }
  return {
    title: "test-platforms",
    header: ["platform", "required", "result", "run", ...checkNames],
    rows: results.map((p) => [
      p.name,
      p.required ? "yes" : "no",
      platformOk(p) ? "ok" : p.required ? "FAILED" : "failed (allowed)",
      skipped.has(p.name) ? `skipped, passed ${shortTime(skipped.get(p.name))}` : "tested",
      ...checkNames.map((name2) => {
        const c = p.checks.find((x) => x.check === name2);
        if (!c) return "";
        return c.failures.length === 0 ? `${c.passed} ok` : `${failedItems(c)} failed, ${c.passed} ok`;
      })
    ]),
    notes
  };
}
async function report(ctx, outDir, results, ldd, skipped) {
  for (const p of results) {
    for (const c of p.checks) {
      for (const w of c.warnings) ctx.reporter.warning(`${p.name} ${c.check}: ${w}`);
      for (const f of c.failures) {
        const text = `${p.name} ${c.check}: ${f.item}: ${f.message}`;
        if (p.required) ctx.reporter.error(text);
        else ctx.reporter.warning(`${text} (allowed to fail)`);
      }
    }
  }
  const junit = join5(outDir, "junit.xml");
  ctx.reporter.table(summaryTable(results, skipped, junit));
  await mkdir4(outDir, { recursive: true });
  for (const [name2, records] of ldd) {
    await mkdir4(join5(outDir, name2), { recursive: true });
    await writeAtomic(join5(outDir, name2, "ldd.json"), JSON.stringify(records, null, 2) + "\n");
  }
  await writeAtomic(junit, junitXml(results));
  const ok = results.every((p) => !p.required || platformOk(p));
  return {
    ok,
    junit,
    platforms: results.map((p) => ({
      name: p.name,
      required: p.required,
      ok: platformOk(p),
      skipped: skipped.has(p.name),
      checks: p.checks.map((c) => ({ check: c.check, passed: c.passed, failed: failedItems(c), failures: c.failures.map((f) => `${f.item}: ${f.message}`) }))
    }))
  };
}

export {
  testPlatforms
};
