import { createWriteStream } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ResolvedPackage } from '../manifest/resolve.js';
import type { PlatformSpec } from '../manifest/types.js';
import type { Context } from '../shared/context.js';
import { DiracosError } from '../shared/errors.js';
import type { RepoLayout } from '../repo/layout.js';
import { dnfRepoArgs } from './dnf.js';
import { FAMILY_RULES } from './platform-rules.js';
import { rpmOptions, shJoin } from './shell.js';
import type { PackageTree } from './tree.js';

/** One package to build: its tree, what to install first, where its log goes. */
export interface BuildJob {
  pkg: ResolvedPackage;
  tree: PackageTree;
  /** BuildRequires to install with dnf before rpmbuild (ours, or all of them on RPM platforms). */
  install: string[];
  log: string;
}

/** The RPMs a build produced (absolute paths in the build tree). */
export interface BuildOutput {
  binary: string[];
  source: string[];
}

export interface Backend {
  readonly name: string;
  build(ctx: Context, job: BuildJob): Promise<BuildOutput>;
}

/** Where the build container sees things. */
const IN = { build: '/build', repo: '/repo', platform: '/platform' } as const;

/**
 * The default backend: a fresh, unprivileged container of the build platform image per package; the
 * platform's provides (Debian) go in its rpm database, our BuildRequires come from our repository with dnf.
 */
export function containerBackend(opts: { image: string; platform: PlatformSpec; repo: RepoLayout; platformProvidesRpm?: string }): Backend {
  const rules = FAMILY_RULES[opts.platform.family];
  const repos = [
    { id: 'diracos', dir: join(IN.repo, opts.repo.arch) },
    { id: 'diracos-buildonly', dir: join(IN.repo, 'buildOnly', opts.repo.arch) },
  ];
  return {
    name: 'container',
    async build(ctx, job) {
      const spec = `${IN.build}/SPECS/${basename(job.tree.spec)}`;
      const script = [
        'set -e -o pipefail',
        ...(opts.platformProvidesRpm ? [`rpm -i --justdb --nodeps --noscripts --nosignature ${IN.platform}/${basename(opts.platformProvidesRpm)}`] : []),
        ...(job.install.length > 0 ? [`dnf -y ${shJoin(dnfRepoArgs(opts.platform, rules, repos))} install ${shJoin(job.install)}`] : []),
        `rpmbuild -ba --define ${shJoin([`_topdir ${IN.build}`])} ${shJoin(rpmOptions(job.pkg, 'rpmbuild'))} ${shJoin([spec])}`,
      ].join('\n');
      const log = createWriteStream(job.log);
      log.write(`# ${job.pkg.name} in ${opts.image}\n${script}\n\n`);
      let result;
      try {
        result = await ctx.runtime.run({
          image: opts.image,
          command: ['bash', '-c', script],
          mounts: [
            { source: job.tree.dir, target: IN.build },
            { source: opts.repo.root, target: IN.repo, readOnly: true },
            ...(opts.platformProvidesRpm ? [{ source: dirname(opts.platformProvidesRpm), target: IN.platform, readOnly: true }] : []),
          ],
          env: opts.platform.env,
          network: rules.network,
          capture: false,
          allowFailure: true,
          onOutput: (chunk) => log.write(chunk),
        });
      } finally {
        await new Promise((resolve) => log.end(resolve));
      }
      if (result.exitCode !== 0) await failBuild(ctx, job, result.exitCode);
      return {
        binary: await rpmsUnder(join(job.tree.dir, 'RPMS')),
        source: await rpmsUnder(join(job.tree.dir, 'SRPMS')),
      };
    },
  };
}

const LOG_TAIL_LINES = 40;

async function failBuild(ctx: Context, job: BuildJob, exitCode: number): Promise<never> {
  const tail = (await readFile(job.log, 'utf8')).trimEnd().split('\n').slice(-LOG_TAIL_LINES).join('\n');
  await ctx.reporter.group(`build of ${job.pkg.name} failed (last ${LOG_TAIL_LINES} lines of ${job.log})`, async () => ctx.reporter.info(tail));
  throw new DiracosError(`package '${job.pkg.name}': the build failed (exit ${exitCode}); log: ${job.log}`, { file: job.log });
}

async function rpmsUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.rpm'))
    .map((e) => join(e.parentPath ?? e.path, e.name))
    .sort();
}
