// Relocation on real binaries: a C program and its library built here with gcc, relocated with
// patchelf, then the bundle is moved under a path with a space and run with no LD_LIBRARY_PATH.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readElf } from '../../src/elf/index.js';
import { CA_BUNDLE_FILES, CA_DIRS, relocateElves, relocateShebangs, relocatedShebang, renderDiracosrc, shellValue } from '../../src/bundle-diracos/relocate.js';
import { nodeExec } from '../../src/shared/exec.js';
import { shQuote } from '../../src/shared/shell.js';
import { DiracosErrors } from '../../src/shared/errors.js';

const work = mkdtempSync(join(tmpdir(), 'bundle-relocate-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** bundle/usr/bin/hello -> needs libgreet.so.1 (usr/lib64) -> needs libname.so.1 (usr/lib64/extra). */
function buildBundle(dir: string): string {
  const src = join(dir, 'src');
  const b = join(dir, 'bundle');
  mkdirSync(src, { recursive: true });
  for (const d of ['usr/bin', 'usr/lib64/extra']) mkdirSync(join(b, d), { recursive: true });
  writeFileSync(join(src, 'name.c'), 'const char *name(void) { return "bundle"; }\n');
  writeFileSync(join(src, 'greet.c'), '#include <stdio.h>\nconst char *name(void);\nvoid greet(void) { printf("hello %s\\n", name()); }\n');
  writeFileSync(join(src, 'hello.c'), 'void greet(void);\nint main(void) { greet(); return 0; }\n');
  const cc = (...args: string[]) => execFileSync('gcc', args, { cwd: src });
  cc('-shared', '-fPIC', '-Wl,-soname,libname.so.1', '-o', join(b, 'usr/lib64/extra/libname.so.1'), 'name.c');
  cc('-shared', '-fPIC', '-Wl,-soname,libgreet.so.1', '-o', join(b, 'usr/lib64/libgreet.so.1.0'), 'greet.c', `-L${join(b, 'usr/lib64/extra')}`, '-l:libname.so.1');
  symlinkSync('libgreet.so.1.0', join(b, 'usr/lib64/libgreet.so.1'));
  cc('-o', join(b, 'usr/bin/hello'), 'hello.c', `-L${join(b, 'usr/lib64')}`, '-l:libgreet.so.1', `-Wl,-rpath-link,${join(b, 'usr/lib64/extra')}`);
  return b;
}

const run = (file: string, env: NodeJS.ProcessEnv = {}) =>
  execFileSync(file, { env: { PATH: '/usr/bin:/bin', ...env }, stdio: ['ignore', 'pipe', 'pipe'] }).toString();

describe('relocateElves', () => {
  it('sets $ORIGIN RPATHs so the moved bundle runs without LD_LIBRARY_PATH', async () => {
    const bundle = buildBundle(join(work, 'run'));
    expect(() => run(join(bundle, 'usr/bin/hello'))).toThrow(/libgreet/);
    const result = await relocateElves(nodeExec, bundle);
    expect(readElf(join(bundle, 'usr/bin/hello')).rpath).toBe('$ORIGIN/../lib64');
    expect(readElf(join(bundle, 'usr/lib64/libgreet.so.1.0')).rpath).toBe('$ORIGIN/extra');
    expect(readElf(join(bundle, 'usr/bin/hello')).runpath).toBeUndefined();
    expect(result.external.get('libc.so.6')).toBeDefined(); // host libraries are left to the host
    // Moved under a path with a space, run from elsewhere: still finds its libraries.
    const moved = join(work, 'moved dir', 'diracos');
    mkdirSync(join(work, 'moved dir'));
    renameSync(bundle, moved);
    expect(run(join(moved, 'usr/bin/hello'))).toBe('hello bundle\n');
    // Idempotent: nothing left to patch.
    expect((await relocateElves(nodeExec, moved)).patched).toEqual([]);
  });

  it('refuses two different files with one SONAME in different directories, naming both', async () => {
    const bundle = buildBundle(join(work, 'dup'));
    mkdirSync(join(bundle, 'opt/other'), { recursive: true });
    copyFileSync(join(bundle, 'usr/lib64/extra/libname.so.1'), join(bundle, 'opt/other/libname.so.1'));
    // An identical copy is fine...
    await relocateElves(nodeExec, bundle);
    // ...a different file with the same SONAME is not.
    writeFileSync(join(work, 'dup/src/name2.c'), 'const char *name(void) { return "other"; }\n');
    execFileSync('gcc', ['-shared', '-fPIC', '-Wl,-soname,libname.so.1', '-o', join(bundle, 'opt/other/libname.so.1'), 'name2.c'], { cwd: join(work, 'dup/src') });
    const err = await relocateElves(nodeExec, bundle).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiracosErrors);
    expect((err as Error).message).toContain('SONAME libname.so.1 is provided by two different files: /opt/other/libname.so.1 and /usr/lib64/extra/libname.so.1');
  });
});

describe('shebangs and diracosrc', () => {
  it('chooses env for plain interpreters and a sh trampoline when there are arguments', () => {
    expect(relocatedShebang('#!/opt/build/usr/bin/python3.11')).toBe('#!/usr/bin/env python3.11');
    expect(relocatedShebang('#!/usr/bin/env python3')).toBeUndefined();
    expect(relocatedShebang('#!/bin/bash')).toBeUndefined();
    expect(relocatedShebang('#!/usr/bin/python3 -s')).toBe(`#!/bin/sh\n'''exec' python3 -s "$0" "$@"\n' '''`);
  });

  it('quotes values safely and lets $DIRACOS expand', () => {
    expect(shellValue(`a'b`)).toBe(`'a'\\''b'`);
    expect(shellValue('$DIRACOS/etc')).toBe(`"$DIRACOS"'/etc'`);
    expect(shellValue('')).toBe("''");
    expect(() => renderDiracosrc({ 'BAD-NAME': 'x' })).toThrow(/BAD-NAME/);
    expect(() => renderDiracosrc({ PATH: 'x' })).toThrow(/set by diracosrc itself/);
  });

  it('a sourced diracosrc finds the bundle from any cwd under a path with a space; scripts then use the bundle python', () => {
    const bundle = join(work, 'with space', 'diracos');
    mkdirSync(join(bundle, 'usr/bin'), { recursive: true });
    // The bundle's "python3": reports who it is and its arguments.
    writeFileSync(join(bundle, 'usr/bin/python3'), '#!/bin/sh\necho "bundle-python $*"\n');
    chmodSync(join(bundle, 'usr/bin/python3'), 0o755);
    writeFileSync(join(bundle, 'usr/bin/tool'), '#!/build/root/usr/bin/python3\nprint("x")\n');
    writeFileSync(join(bundle, 'usr/bin/tool-s'), '#!/build/root/usr/bin/python3 -s\nprint("x")\n');
    writeFileSync(join(bundle, 'usr/bin/not-exec'), '#!/build/root/usr/bin/python3\n');
    for (const f of ['tool', 'tool-s']) chmodSync(join(bundle, 'usr/bin', f), 0o755);
    expect(relocateShebangs(bundle).sort()).toEqual(['usr/bin/tool', 'usr/bin/tool-s']);
    expect(readFileSync(join(bundle, 'usr/bin/not-exec'), 'utf8')).toBe('#!/build/root/usr/bin/python3\n');
    // The trampoline is still valid Python.
    execFileSync('python3', ['-c', 'import sys; compile(open(sys.argv[1]).read(), "t", "exec")', join(bundle, 'usr/bin/tool-s')]);

    const env = { TRICKY: `it's "$HOME" \`id\` \\ end\nline2`, CERTS: '${DIRACOS}/etc/grid-security/certificates' };
    writeFileSync(join(bundle, 'diracosrc'), renderDiracosrc(env));
    const script = 'cd / && . "$1" && printf "%s\\n" "$DIRACOS" "${LD_LIBRARY_PATH-unset}" "$CERTS" "$(command -v python3)" && printf "%s" "$TRICKY" > "$2" && tool && tool-s a b';
    const out = execFileSync('bash', ['-c', script, 'x', join(bundle, 'diracosrc'), join(work, 'tricky')], {
      env: { PATH: '/usr/bin:/bin', LD_LIBRARY_PATH: '/bad', HOME: '/root' },
    }).toString();
    expect(out.split('\n')).toEqual([
      bundle,
      'unset',
      `${bundle}/etc/grid-security/certificates`,
      join(bundle, 'usr/bin/python3'),
      `bundle-python ${join(bundle, 'usr/bin/tool')}`,
      `bundle-python -s ${join(bundle, 'usr/bin/tool-s')} a b`,
      '',
    ]);
    expect(readFileSync(join(work, 'tricky'), 'utf8')).toBe(env.TRICKY);
  });
});

describe('diracosrc as DIRACOS v1 users sourced it, in a platform container', () => {
  it('bash finds the bundle, sh needs DIRACOS; a DIRACOS already set is kept; sbin on PATH; LESSOPEN unset', async () => {
    const bundle = join(work, 'rc v1', 'diracos');
    mkdirSync(bundle, { recursive: true });
    writeFileSync(join(bundle, 'diracosrc'), renderDiracosrc());
    const show = 'echo "rc=$? DIRACOS=$DIRACOS LESSOPEN=${LESSOPEN-unset}"; echo "PATH=$PATH"';
    // Each case a fresh shell of the platform's own (bookworm's sh is dash), with the host's lesspipe set.
    const cases: Array<[string, string]> = [
      ['bash', `cd / && . "/b x/diracosrc"; ${show}`],
      ['bash', `cd / && DIRACOS=/cvmfs/diracos && . "/b x/diracosrc"; ${show}`],
      ['sh', `cd / && DIRACOS=/cvmfs/diracos && . "/b x/diracosrc"; ${show}`],
      ['sh', `cd / && . "/b x/diracosrc"; ${show}`],
    ];
    const script = cases.map(([shell, body]) => `env -i LESSOPEN='| /usr/bin/lesspipe %s' PATH=/usr/bin:/bin ${shell} -c ${shQuote(body)} 2>&1`).join('\n');
    const { stdout } = await nodeExec('podman', ['run', '--rm', '--network=none', '-v', `${bundle}:/b x:ro`, 'localhost/diracos-platform:bookworm', 'bash', '-c', script]);
    const path = (d: string) => `PATH=${d}/usr/bin:${d}/bin:${d}/usr/sbin:${d}/sbin:/usr/bin:/bin`;
    expect(stdout.trim().split('\n')).toEqual([
      'rc=0 DIRACOS=/b x LESSOPEN=unset',
      path('/b x'),
      'rc=0 DIRACOS=/cvmfs/diracos LESSOPEN=unset',
      path('/cvmfs/diracos'),
      'rc=0 DIRACOS=/cvmfs/diracos LESSOPEN=unset',
      path('/cvmfs/diracos'),
      "diracosrc: source me from bash or zsh, or set DIRACOS to the bundle's folder first",
      'rc=1 DIRACOS= LESSOPEN=| /usr/bin/lesspipe %s',
      'PATH=/usr/bin:/bin',
    ]);
  });
});

describe("diracosrc and the host's CA certificates", () => {
  it('exports the first CA bundle file and directory the host has, unless the user set them; nothing when there is none', async () => {
    const bundle = join(work, 'ca', 'diracos');
    mkdirSync(bundle, { recursive: true });
    writeFileSync(join(bundle, 'diracosrc'), renderDiracosrc());
    // In a throw-away container of the minimal bullseye image (no CA certificates at all), as root:
    // each step adds one host layout, then a fresh shell sources diracosrc.
    const script = [
      'show() { ( . /b/diracosrc && echo "$1 file=${SSL_CERT_FILE-unset} dir=${SSL_CERT_DIR-unset}" ); }',
      'add() { mkdir -p "$(dirname "$1")" && echo cert >"$1"; }',
      'show none',
      'add /etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem; show fedora',
      'add /etc/ssl/certs/ca-certificates.crt; show debian',
      'add /etc/pki/tls/certs/ca-bundle.crt; show el',
      'SSL_CERT_FILE=/mine/ca.pem show user-file',
      'SSL_CERT_DIR=/mine show user-dir',
      'rm -r /etc/ssl /etc/pki/tls; show fedora-again',
    ].join('\n');
    const { stdout } = await nodeExec('podman', ['run', '--rm', '--network=none', '-v', `${bundle}:/b:ro`, 'localhost/diracos-platform:bullseye', 'bash', '-c', script]);
    const fedora = '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem';
    expect(stdout.trim().split('\n')).toEqual([
      'none file=unset dir=unset',
      `fedora file=${fedora} dir=unset`,
      'debian file=/etc/ssl/certs/ca-certificates.crt dir=/etc/ssl/certs',
      'el file=/etc/pki/tls/certs/ca-bundle.crt dir=/etc/ssl/certs',
      'user-file file=/mine/ca.pem dir=/etc/ssl/certs',
      'user-dir file=/etc/pki/tls/certs/ca-bundle.crt dir=/mine',
      `fedora-again file=${fedora} dir=unset`,
    ]);
  });

  it('lists every path once, the EL bundle first, Debian/Ubuntu, Fedora/EL8+ and SUSE among them', () => {
    const files = CA_BUNDLE_FILES.map((e) => e.path);
    expect(files.slice(0, 3)).toEqual(['/etc/pki/tls/certs/ca-bundle.crt', '/etc/ssl/certs/ca-certificates.crt', '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem']);
    expect(files).toContain('/etc/ssl/ca-bundle.pem');
    expect(new Set(files).size).toBe(files.length);
    expect(CA_DIRS.map((e) => e.path)).toEqual(['/etc/ssl/certs', '/etc/pki/tls/certs']);
    const rc = renderDiracosrc();
    for (const e of [...CA_BUNDLE_FILES, ...CA_DIRS]) expect(rc).toContain(`'${e.path}'`);
  });
});
