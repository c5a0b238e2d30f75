/**
 * The pieces of test-platforms' TLS check, read by real tools: the throw-away certificates by node's
 * X509 parser and `openssl verify -x509_strict`, the trust-store scripts by bash and shellcheck, the
 * check by Python (against a CA it is given, and without it).
 */
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeExec } from '../../src/shared/exec.js';
import { CONTAINER_SCRIPT } from '../../src/test-platforms/container-script.js';
import { testCertificates, TLS_CHECK_PY, TRUST_STORES, TRUST_TOOL_MISSING, trustStoreScript } from '../../src/test-platforms/tls.js';

let work: string;
let certs: ReturnType<typeof testCertificates>;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'tls-unit-'));
  certs = testCertificates();
  writeFileSync(join(work, 'ca.pem'), certs.ca);
  writeFileSync(join(work, 'server.pem'), certs.server);
  writeFileSync(join(work, 'server.key'), certs.serverKey);
  writeFileSync(join(work, 'check.py'), TLS_CHECK_PY);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('throw-away certificates', () => {
  it('a CA and a server certificate for 127.0.0.1 it signed, valid now', () => {
    const ca = new X509Certificate(certs.ca);
    const server = new X509Certificate(certs.server);
    expect(ca.ca).toBe(true);
    expect(server.ca).toBe(false);
    expect(ca.verify(ca.publicKey)).toBe(true);
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(server.checkIssued(ca)).toBe(true);
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(server.checkHost('localhost')).toBe('localhost');
    expect(Date.parse(server.validFrom)).toBeLessThan(Date.now());
    expect(Date.parse(server.validTo)).toBeGreaterThan(Date.now() + 86400_000);
    expect(certs.serverKey).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
  });

  it("pass OpenSSL's strict verification as a TLS server certificate", async () => {
    const { stdout } = await nodeExec('openssl', ['verify', '-x509_strict', '-purpose', 'sslserver', '-CAfile', join(work, 'ca.pem'), join(work, 'server.pem')]);
    expect(stdout.trim()).toBe(`${join(work, 'server.pem')}: OK`);
  });

  it('are new every time', () => {
    expect(testCertificates().ca).not.toBe(certs.ca);
  });
});

describe('trust stores', () => {
  it("use each family's own tool", () => {
    expect(TRUST_STORES.debian).toMatchObject({ tool: 'update-ca-certificates', anchor: expect.stringMatching(/^\/usr\/local\/share\/ca-certificates\/.*\.crt$/) });
    expect(TRUST_STORES.el).toMatchObject({ tool: 'update-ca-trust', anchor: expect.stringMatching(/^\/etc\/pki\/ca-trust\/source\/anchors\//) });
    expect(TRUST_STORES.el.commands.at(-1)).toBe('update-ca-trust extract');
    expect(TRUST_STORES.fedora.tool).toBe('update-ca-trust');
  });

  it.each(['debian', 'el', 'fedora'] as const)('%s: a script bash and shellcheck accept, that says when the tool is missing', async (family) => {
    const script = trustStoreScript(family);
    await nodeExec('bash', ['-n'], { input: script });
    const lint = await nodeExec('shellcheck', ['-s', 'bash', '-f', 'gcc', '-'], { input: script, allowFailure: true });
    expect(lint.stdout).toBe('');
    // Where the tool is not on PATH, the script stops with TRUST_TOOL_MISSING before touching anything.
    writeFileSync(join(work, `trust-${family}.sh`), script);
    const r = await nodeExec('/bin/bash', [join(work, `trust-${family}.sh`), join(work, 'ca.pem')], { env: { PATH: '/nonexistent' }, allowFailure: true });
    expect(r.exitCode).toBe(TRUST_TOOL_MISSING);
    expect(r.stdout.trim()).toBe(`${TRUST_STORES[family].tool} is not in the image (its ca-certificates package)`);
  });

  it('the container script adds the CA before sourcing diracosrc and checks TLS last', async () => {
    await nodeExec('bash', ['-n'], { input: CONTAINER_SCRIPT });
    const at = (text: string) => CONTAINER_SCRIPT.indexOf(text);
    expect(at('tls/trust.sh')).toBeGreaterThan(0);
    expect(at('tls/trust.sh')).toBeLessThan(at('source "$root/diracosrc"'));
    expect(at('tls/check.py')).toBeGreaterThan(at('"$IN/script"'));
  });
});

describe('the TLS check run by Python', () => {
  it('verifies the local server with the CA it is given, and fails without it', async () => {
    const ok = await nodeExec('/usr/bin/python3', [join(work, 'check.py'), work], { env: { PATH: '/usr/bin:/bin', SSL_CERT_FILE: join(work, 'ca.pem'), SSL_CERT_DIR: join(work, 'none') } });
    expect(ok.stdout).toMatch(/SSL_CERT_FILE=.*ca\.pem .*\nverified https:\/\/127\.0\.0\.1:\d+\/\n$/);
    const other = join(work, 'other-ca.pem');
    writeFileSync(other, testCertificates().ca);
    const bad = await nodeExec('/usr/bin/python3', [join(work, 'check.py'), work], { env: { PATH: '/usr/bin:/bin', SSL_CERT_FILE: other, SSL_CERT_DIR: join(work, 'none') }, allowFailure: true });
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/: <urlopen error \[SSL: CERTIFICATE_VERIFY_FAILED\]/);
  });
});
