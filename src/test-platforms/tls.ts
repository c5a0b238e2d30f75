/**
 * The TLS check of test-platforms: the bundled Python must verify a server whose CA is only in the
 * platform's own trust store, with nothing set by the user (the bundled OpenSSL looks only under its
 * build-time /etc/pki/tls; diracosrc points it at the host's certificates).
 *
 * Per run, a throw-away CA and a server certificate for 127.0.0.1 are made here (EC P-256, X.509 v3
 * written with node:crypto, so no tool is needed on the runner or in the image). In the container,
 * before diracosrc is sourced, the CA goes into the platform's trust store with the platform's own
 * tool (TRUST_STORES); at the end the bundle's python3 serves HTTPS on 127.0.0.1 with the server
 * certificate and fetches it with urllib's default context.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import type { PlatformSpec } from '../manifest/types.js';
import { shJoin } from '../shared/shell.js';

/** How a family adds a CA to its trust store: where the certificate goes and the tool that rebuilds the store. */
export interface TrustStore {
  /** The platform's tool; when the image lacks it (no ca-certificates), the check is skipped with a warning. */
  tool: string;
  /** Where the CA certificate (PEM) is copied. */
  anchor: string;
  /** The commands that rebuild the store from the anchors. */
  commands: readonly string[];
}

export const TRUST_STORES: Readonly<Record<PlatformSpec['family'], TrustStore>> = {
  // update-ca-certificates takes *.crt under /usr/local/share/ca-certificates.
  debian: { tool: 'update-ca-certificates', anchor: '/usr/local/share/ca-certificates/diracos-test-ca.crt', commands: ['update-ca-certificates'] },
  // EL6 keeps the shared store off until `update-ca-trust enable` (EL7 and later refuse the word).
  el: {
    tool: 'update-ca-trust',
    anchor: '/etc/pki/ca-trust/source/anchors/diracos-test-ca.pem',
    commands: ['update-ca-trust enable >/dev/null 2>&1 || :', 'update-ca-trust extract'],
  },
  fedora: { tool: 'update-ca-trust', anchor: '/etc/pki/ca-trust/source/anchors/diracos-test-ca.pem', commands: ['update-ca-trust extract'] },
};

/** Exit code of the trust-store script when the platform's tool is missing: the check is skipped. */
export const TRUST_TOOL_MISSING = 3;

/** The script adding $1 (the CA, PEM) to the platform's trust store; run as root in the test container. */
export function trustStoreScript(family: PlatformSpec['family']): string {
  const t = TRUST_STORES[family];
  return [
    'set -e',
    `if ! command -v ${t.tool} >/dev/null 2>&1; then echo "${t.tool} is not in the image (its ca-certificates package)"; exit ${TRUST_TOOL_MISSING}; fi`,
    `mkdir -p ${shJoin([t.anchor.slice(0, t.anchor.lastIndexOf('/'))])}`,
    `cp "$1" ${shJoin([t.anchor])}`,
    ...t.commands,
    '',
  ].join('\n');
}

/**
 * The client and the server, in the bundle's python3 (one process: the server in a thread). argv[1]:
 * the folder with server.pem and server.key. Prints what it used; exits non-zero when the handshake
 * or the request fails (the traceback names CERTIFICATE_VERIFY_FAILED when the CA is not found).
 */
export const TLS_CHECK_PY = `import http.server, os, ssl, sys, threading, urllib.request

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

// --- a minimal DER writer: just what two certificates need -------------------------------------

function der(tag: number, content: Buffer): Buffer {
  const n = content.length;
  const length = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  if (n > 0xffff) throw new Error('DER value too long');
  return Buffer.concat([Buffer.from([tag]), length, content]);
}
const seq = (...parts: Buffer[]) => der(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]) => der(0x31, Buffer.concat(parts));
const explicit = (n: number, content: Buffer) => der(0xa0 + n, content);
const octets = (content: Buffer) => der(0x04, content);
const bits = (content: Buffer, unused = 0) => der(0x03, Buffer.concat([Buffer.from([unused]), content]));
const utf8 = (text: string) => der(0x0c, Buffer.from(text, 'utf8'));
const TRUE = der(0x01, Buffer.from([0xff]));

function integer(value: Buffer): Buffer {
  let v = value;
  while (v.length > 1 && v[0] === 0 && v[1]! < 0x80) v = v.subarray(1);
  return der(0x02, v[0]! >= 0x80 ? Buffer.concat([Buffer.from([0]), v]) : v);
}

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const bytes = [a! * 40 + b!];
  for (const n of rest) {
    const chunk = [n & 0x7f];
    for (let v = n >> 7; v > 0; v >>= 7) chunk.unshift((v & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return der(0x06, Buffer.from(bytes));
}

/** UTCTime (years before 2050), as X.509 requires. */
function time(date: Date): Buffer {
  const s = date.toISOString().replace(/[-:T]/g, '').slice(2, 14);
  return der(0x17, Buffer.from(`${s}Z`, 'ascii'));
}

const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
} as const;

const name = (cn: string) => seq(set(seq(oid(OID.organization), utf8('DIRACOS test-platforms'))), set(seq(oid(OID.commonName), utf8(cn))));
const extension = (id: string, value: Buffer, critical = false) => seq(oid(id), ...(critical ? [TRUE] : []), octets(value));

/** A key identifier (RFC 5280 leaves the method open): SHA-1 of the SubjectPublicKeyInfo. */
function keyId(spki: Buffer): Buffer {
  return createHash('sha1').update(spki).digest();
}

function certificate(o: { subject: string; issuer: string; publicKey: KeyObject; signer: KeyObject; extensions: Buffer[] }): Buffer {
  const now = Date.now();
  const algorithm = seq(oid(OID.ecdsaWithSha256));
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))),
    integer(Buffer.concat([Buffer.from([0x01]), randomBytes(15)])),
    algorithm,
    name(o.issuer),
    seq(time(new Date(now - 86400_000)), time(new Date(now + 7 * 86400_000))),
    name(o.subject),
    o.publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, seq(...o.extensions)),
  );
  return seq(tbs, algorithm, bits(sign('sha256', tbs, o.signer)));
}

function pem(label: string, body: Buffer): string {
  const b64 = body.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

export interface TestCertificates {
  /** The throw-away CA (PEM), for the platform's trust store. */
  ca: string;
  /** The server's certificate (PEM) for 127.0.0.1 and localhost, signed by the CA. */
  server: string;
  /** The server's private key (PKCS#8 PEM). */
  serverKey: string;
}

/** A fresh CA and a server certificate signed by it; the CA's key is dropped once it has signed. */
export function testCertificates(): TestCertificates {
  const ca = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const server = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const caId = keyId(ca.publicKey.export({ type: 'spki', format: 'der' }));
  const serverId = keyId(server.publicKey.export({ type: 'spki', format: 'der' }));
  const caName = `DIRACOS throw-away test CA ${randomBytes(4).toString('hex')}`;
  const caCert = certificate({
    subject: caName,
    issuer: caName,
    publicKey: ca.publicKey,
    signer: ca.privateKey,
    extensions: [
      extension(OID.basicConstraints, seq(TRUE), true),
      // keyCertSign (bit 5) and cRLSign (bit 6)
      extension(OID.keyUsage, bits(Buffer.from([0x06]), 1), true),
      extension(OID.subjectKeyIdentifier, octets(caId)),
    ],
  });
  const serverCert = certificate({
    subject: '127.0.0.1',
    issuer: caName,
    publicKey: server.publicKey,
    signer: ca.privateKey,
    extensions: [
      extension(OID.basicConstraints, seq(), true),
      // digitalSignature (bit 0)
      extension(OID.keyUsage, bits(Buffer.from([0x80]), 7), true),
      extension(OID.extKeyUsage, seq(oid(OID.serverAuth))),
      // dNSName [2] localhost, iPAddress [7] 127.0.0.1
      extension(OID.subjectAltName, seq(der(0x82, Buffer.from('localhost')), der(0x87, Buffer.from([127, 0, 0, 1])))),
      extension(OID.subjectKeyIdentifier, octets(serverId)),
      extension(OID.authorityKeyIdentifier, seq(der(0x80, caId))),
    ],
  });
  return {
    ca: pem('CERTIFICATE', caCert),
    server: pem('CERTIFICATE', serverCert),
    serverKey: server.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}
