// Link pass + RPATH pass over 50,000 synthetic files, against a plain walk (readdir + lstat) of the
// same tree in the same process. Prints ratios; asserts nothing. Run: npx vite-node bench/bundle-links.ts
import { execFileSync } from 'node:child_process';
import { copyFileSync, linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { linkPass } from '../src/bundle-diracos/links.js';
import { relocateElves } from '../src/bundle-diracos/relocate.js';
import { walkTree } from '../src/bundle-diracos/walk.js';
import { nodeExec } from '../src/shared/exec.js';

const FILES = 50_000;
const ELVES = 500;
const work = mkdtempSync(join(tmpdir(), 'bundle-bench-'));
const bundle = join(work, 'bundle');

function build(): void {
  const src = join(work, 'src');
  mkdirSync(src);
  writeFileSync(join(src, 'l.c'), 'int f(void) { return 1; }\n');
  writeFileSync(join(src, 'm.c'), 'int f(void); int main(void) { return f(); }\n');
  mkdirSync(join(bundle, 'usr/lib64'), { recursive: true });
  execFileSync('gcc', ['-shared', '-fPIC', '-Wl,-soname,libl.so.1', '-o', join(bundle, 'usr/lib64/libl.so.1'), 'l.c'], { cwd: src });
  execFileSync('gcc', ['-o', join(src, 'prog'), 'm.c', join(bundle, 'usr/lib64/libl.so.1')], { cwd: src });
  mkdirSync(join(work, 'buildroot/etc'), { recursive: true });
  writeFileSync(join(work, 'buildroot/etc/host.conf'), 'x');
  for (let i = 0; i < FILES; i++) {
    const dir = join(bundle, `usr/share/pkg${i % 500}`);
    if (i < 500) mkdirSync(dir, { recursive: true });
    const f = join(dir, `f${i}`);
    if (i % 10 === 1) symlinkSync(`/usr/share/pkg${(i + 7) % 500}`, f); // absolute, in bundle
    else if (i % 10 === 2) symlinkSync(`f${i - 1}`, f); // inside
    else if (i % 100 === 3) symlinkSync('/etc/host.conf', f); // copied from the build root
    else if (i % 100 === 4) linkSync(join(bundle, 'usr/lib64/libl.so.1'), f + '.h'); // hard link
    else if (i < ELVES * 10 && i % 10 === 5) copyFileSync(join(src, 'prog'), f); // an ELF needing libl
    else writeFileSync(f, 'data');
  }
}

async function main(): Promise<void> {
  build();
  const copy = join(work, 'copy');
  execFileSync('cp', ['-a', bundle, copy]);
  let t = performance.now();
  let n = 0;
  for (const e of walkTree(copy)) if (e.stat.isFile()) n++;
  const baseline = performance.now() - t;
  t = performance.now();
  const links = linkPass(bundle, { buildRoot: join(work, 'buildroot') });
  const linkMs = performance.now() - t;
  t = performance.now();
  const rel = await relocateElves(nodeExec, bundle);
  const rpathMs = performance.now() - t;
  console.log(`files walked: ${n}; repointed ${links.repointed.length}, copied ${links.copied.length}, hard links split ${links.hardLinksSplit.length}, ELF patched ${rel.patched.length}`);
  console.log(`baseline walk: ${baseline.toFixed(0)} ms`);
  console.log(`link pass:     ${linkMs.toFixed(0)} ms  (${(linkMs / baseline).toFixed(1)}x the walk)`);
  console.log(`rpath pass:    ${rpathMs.toFixed(0)} ms  (${(rpathMs / baseline).toFixed(1)}x the walk)`);
  console.log(`total:         ${((linkMs + rpathMs) / 1000).toFixed(2)} s for ${FILES} files (goal < 10 s)`);
}

main().finally(() => rmSync(work, { recursive: true, force: true }));
