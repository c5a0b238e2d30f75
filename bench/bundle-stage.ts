// The bundle stage against the plain shell pipeline on the same synthetic repository: 200 RPMs of
// random content, 1 GiB in all (rpmbuild, one spec with 200 subpackages; cached under /var/tmp so
// re-runs skip the generation). Baseline: `rpm2cpio | cpio -idm` per RPM, then `tar -c | pigz`.
// Prints seconds and the ratio stage / baseline (goal <= 1.0); asserts nothing. Other work on the
// machine moves both a lot: ROUNDS rounds (BENCH_ROUNDS, default 3) alternate baseline and stage, and
// the median ratio is the result, with the spread. Each side's CPU seconds (this process and the tools
// it ran, user + system) are printed too: other work on the machine moves them less than the wall
// times, so their ratio says how much more work the stage does.
// Run: npx vite-node bench/bundle-stage.ts
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleDiracos } from '../src/bundle-diracos/index.js';
import { loadManifest } from '../src/manifest/load.js';
import { writeIndex } from '../src/repo/index-file.js';
import { MemoryReporter } from '../src/reporting/reporter.js';
import { createRuntime } from '../src/runtime/detect.js';
import { hostTools } from '../src/runtime/tools.js';
import type { Context } from '../src/shared/context.js';
import { nodeExec } from '../src/shared/exec.js';

const PACKAGES = 200;
const FILES_PER_PACKAGE = 5;
const FILE_MIB = 1; // 200 x 5 x 1 MiB = 1000 MiB
const CACHE = '/var/tmp/diracos-bundle-stage-bench';
const JOBS = 2;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

function spec(): string {
  const head = [
    'Name: bench',
    'Version: 1',
    'Release: 1',
    'Summary: synthetic bundle benchmark set',
    'License: MIT',
    'BuildArch: noarch',
    '%define _build_id_links none',
    // Random bytes do not compress: a cheap payload compressor keeps the generation short.
    '%define _binary_payload w1.gzdio',
    '%description',
    'Synthetic.',
  ];
  const pkgs: string[] = [];
  const files: string[] = [];
  for (let i = 0; i < PACKAGES; i++) {
    const n = String(i).padStart(3, '0');
    pkgs.push(`%package -n bench${n}`, `Summary: synthetic ${n}`, `%description -n bench${n}`, 'Synthetic.');
    files.push(`%files -n bench${n}`, `/usr/share/bench/${n}`);
  }
  const install = [
    '%install',
    `for i in $(seq -w 0 ${PACKAGES - 1}); do d=%{buildroot}/usr/share/bench/$i`,
    '  mkdir -p $d',
    `  for f in $(seq 1 ${FILES_PER_PACKAGE}); do head -c ${FILE_MIB}M /dev/urandom > $d/data$f; done`,
    '  echo small > $d/README',
    'done',
  ];
  return [...head, ...pkgs, ...install, ...files, ''].join('\n');
}

/** The RPMs, generated once. */
function rpms(): string {
  const dir = join(CACHE, 'rpms');
  if (existsSync(dir) && readdirSync(dir).filter((f) => f.endsWith('.rpm')).length === PACKAGES) return dir;
  rmSync(CACHE, { recursive: true, force: true });
  mkdirSync(join(CACHE, 'top'), { recursive: true });
  writeFileSync(join(CACHE, 'bench.spec'), spec());
  console.log(`generating ${PACKAGES} RPMs under ${CACHE} (once)...`);
  execFileSync('rpmbuild', ['-bb', '--quiet', '--define', `_topdir ${join(CACHE, 'top')}`, '--define', `_rpmdir ${join(CACHE, 'out')}`, join(CACHE, 'bench.spec')], { stdio: 'inherit' });
  mkdirSync(join(CACHE, 'rpms-tmp'), { recursive: true });
  for (const f of readdirSync(join(CACHE, 'out/noarch'))) execFileSync('mv', [join(CACHE, 'out/noarch', f), join(CACHE, 'rpms-tmp', f)]);
  execFileSync('mv', [join(CACHE, 'rpms-tmp'), dir]);
  return dir;
}

/** CPU seconds (user + system) of this process and of the children it waited for, from /proc. */
function cpuSeconds(): number {
  const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  // utime, stime, cutime, cstime (fields 14-17, counted from 1) in clock ticks of 1/100 s
  return [11, 12, 13, 14].reduce((sum, i) => sum + Number(f[i]), 0) / 100;
}

async function time(what: string, fn: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  const start = process.hrtime.bigint();
  const cpu0 = cpuSeconds();
  await fn();
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = cpuSeconds() - cpu0;
  console.log(`${what}: ${wall.toFixed(1)} s (CPU ${cpu.toFixed(1)} s)`);
  return { wall, cpu };
}

/** `median (spread min..max)` of some ratios. */
function summary(ratios: readonly number[]): string {
  const sorted = [...ratios].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] as number;
  return `${median.toFixed(2)} (median of ${sorted.length}; spread ${sorted[0]!.toFixed(2)}..${sorted.at(-1)!.toFixed(2)})`;
}

async function main(): Promise<void> {
  const source = rpms();
  const work = mkdtempSync(join(tmpdir(), 'bundle-stage-bench-'));
  const tools = hostTools(nodeExec);
  try {
    // A repository in the DIRACOS layout over the cached RPMs (hard links: no copy).
    const repo = join(work, 'repo');
    mkdirSync(join(repo, 'x86_64'), { recursive: true });
    const files = readdirSync(source).filter((f) => f.endsWith('.rpm')).sort();
    for (const f of files) execFileSync('ln', [join(source, f), join(repo, 'x86_64', f)]);
    execFileSync('createrepo_c', ['--quiet', join(repo, 'x86_64')]);
    await writeIndex(join(repo, 'diracos-index.json'), {
      version: 1,
      packages: Object.fromEntries(files.map((f) => [f.replace(/-1-1\.noarch\.rpm$/, ''), { key: 'bench', rpms: [`x86_64/${f}`], buildOnly: false }])),
    });
    writeFileSync(
      join(work, 'diracos.yaml'),
      [
        'version: "0.1"',
        'repository: repo',
        'python: { version: "3.11.2", source: { path: diracos.yaml } }',
        'build: { platform: host, packageGroups: [{ name: g, packages: [{ name: x, spec: diracos.yaml }] }] }',
        'platforms: [{ name: host, image: "none", family: debian }]',
        '',
      ].join('\n'),
    );
    const m = loadManifest(join(work, 'diracos.yaml'));
    const ctx: { reporter: MemoryReporter } & Record<string, unknown> = {
      exec: nodeExec,
      reporter: new MemoryReporter(),
      runtime: await createRuntime(nodeExec, 'host'),
      // the baseline runs rpm2cpio, cpio and pigz on this machine: so do the stage's tools here
      tools,
      jobs: JOBS,
      workdir: join(work, 'work'),
      downloadCache: join(work, 'dl'),
    };

    const ratios: number[] = [];
    const cpuRatios: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      console.log(`round ${round}/${ROUNDS}`);
      const baselineDir = join(work, 'baseline');
      mkdirSync(baselineDir);
      const baseline = await time('  baseline (rpm2cpio | cpio -idm per RPM, tar -c | pigz)', async () => {
        // stdin /dev/null as the stage's tools get it: bash as the top shell with a socket (Node's pipe)
        // on stdin reads ~/.bashrc first, which costs 130 ms a call on a machine with pyenv in it.
        const shell = { cwd: baselineDir, stdio: ['ignore', 'pipe', 'pipe'] as ['ignore', 'pipe', 'pipe'] };
        await time('    rpm2cpio | cpio -idm', async () => {
          for (const f of files) execFileSync('bash', ['-c', 'rpm2cpio "$1" | cpio -idm --quiet', 'x', join(repo, 'x86_64', f)], shell);
        });
        await time('    tar -c | pigz', async () => execFileSync('bash', ['-c', `tar -c . | pigz -p ${JOBS} > ../baseline.tar.gz`], shell));
      });
      rmSync(baselineDir, { recursive: true, force: true });
      rmSync(join(work, 'baseline.tar.gz'), { force: true });
      ctx.reporter = new MemoryReporter();
      const out = join(work, 'out');
      const stage = await time('  bundle stage (closure, checked extraction, passes, reproducible tarball)', () => bundleDiracos(ctx as unknown as Context, m, { outDir: out }));
      rmSync(out, { recursive: true, force: true });
      for (const t of ctx.reporter.tables.filter((x) => x.title === 'bundle-diracos phases')) for (const r of t.rows) console.log(`    ${r[0]}: ${r[1]} s`);
      ratios.push(stage.wall / baseline.wall);
      cpuRatios.push(stage.cpu / baseline.cpu);
      console.log(`  ratio: ${(stage.wall / baseline.wall).toFixed(2)} (CPU ${(stage.cpu / baseline.cpu).toFixed(2)})`);
    }
    console.log(`ratio stage / baseline: ${summary(ratios)}; goal <= 1.0`);
    console.log(`CPU seconds stage / baseline: ${summary(cpuRatios)}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
    rmSync(await tools.scratch(), { recursive: true, force: true }); // dnf's throw-away roots
  }
}

await main();
