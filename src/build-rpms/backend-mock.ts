import { mkdir, readFile, rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, join } from 'node:path';
import { DiracosError } from '../shared/errors.js';
import { replaceFile } from '../shared/replace-file.js';
import { defineArgs, failBuild, failPostStep, hiddenInBase, rpmsUnder, runLogged, type Backend, type BackendOptions } from './backend.js';
import { targetRules } from './mock-rules.js';
import { mockBuildPlan, mockPostStep, type MockBuildPlan, type MockBuildRequest } from './mock-commands.js';
import { REPRODUCIBLE_MACROS } from './platform-rules.js';
import { preStepLines, ROUTINE_TOPDIR, routineEnv } from './routines.js';
import { shJoin } from '../shared/shell.js';
import { rpmOptions } from './rpm-options.js';

export interface MockBackendOptions extends BackendOptions {
  /**
   * RPM names the manifest rebuilds. Each build hides in the base repositories those our repository
   * already holds, and only those: a name not built yet stays available from the base repositories,
   * so mock can always set up its chroot (bzip2, xz, zlib, rpm... before ours exist). With yum, also
   * the package names those packages provide (see HIDES_PROVIDED_NAMES).
   */
  ourPackages: readonly string[];
  /** Host folder of the generated mock config, and mock's cache kept between builds and post steps. */
  configDir: string;
  cacheDir: string;
}

/**
 * The mock backend: the package's SRPM is made with `rpmbuild -bs` in a container of the build image
 * (from the same tree the container backend builds), then `mock --rebuild` runs in a privileged container
 * of that image (the platform image with mock in its setup); the RPMs are collected from mock's resultdir.
 */
export function mockBackend(opts: MockBackendOptions): Backend {
  const rebuilt = new Set(opts.ourPackages);
  const pm = targetRules(opts.platform).rules.packageManager;
  const request = async (): Promise<Omit<MockBuildRequest, 'srpm' | 'resultDir'>> => ({
    platform: opts.platform,
    image: opts.image,
    arch: opts.repo.arch,
    cores: Math.max(1, availableParallelism()),
    repoDir: opts.repo.binary,
    buildOnlyDir: opts.repo.buildOnly,
    configDir: opts.configDir,
    cacheDir: opts.cacheDir,
    ourPackages: await hiddenInBase(opts.repo, pm, rebuilt),
    sourceDateEpoch: opts.sourceDateEpoch,
  });
  return {
    name: 'mock',
    async build(ctx, job) {
      if (job.pkg.buildCommand !== undefined) throw new DiracosError(`package '${job.pkg.name}': buildCommand needs build.backend container (mock rebuilds in its own chroot)`);
      const spec = `/build/SPECS/${basename(job.tree.spec)}`;
      const srpmScript = `set -e\nrpmbuild -bs ${shJoin([...defineArgs({ _topdir: '/build', ...REPRODUCIBLE_MACROS }), ...rpmOptions(job.pkg, 'rpmbuild'), spec])}`;
      let flags: 'w' | 'a' = 'w';
      if (job.pkg.preSteps?.length) {
        // In the mock container (its config, cache and our repository, as post steps have), the tree at /build.
        const pre = mockPostStep(await request(), ['set -e -o pipefail', ...preStepLines(job.pkg)].join('\n'));
        await writeConfig(pre, opts.cacheDir);
        const exitCode = await runLogged(ctx, job.log, 'w', `# ${job.pkg.name}: pre steps (mock container)\n${job.pkg.preSteps.join('\n')}\n\n`, {
          ...pre.run,
          mounts: [...(pre.run.mounts ?? []), { source: job.tree.dir, target: ROUTINE_TOPDIR }],
          env: { ...opts.platform.env, ...pre.run.env, ...routineEnv({ pkg: job.pkg.name, spec: basename(job.tree.spec), repo: pre.run.env?.DIRACOS_REPO, buildOnly: pre.run.env?.DIRACOS_BUILDONLY }) },
        });
        if (exitCode !== 0) await failBuild(ctx, job, exitCode, 'a pre step');
        flags = 'a';
      }
      const made = await runLogged(ctx, job.log, flags, `# ${job.pkg.name}: source RPM in ${opts.image}\n${srpmScript}\n\n`, {
        image: opts.image,
        name: `srpm-${job.pkg.name}`,
        command: ['bash', '-c', srpmScript],
        mounts: [{ source: job.tree.dir, target: '/build' }],
        env: { ...opts.platform.env, SOURCE_DATE_EPOCH: String(opts.sourceDateEpoch) },
        network: false,
      });
      if (made !== 0) await failBuild(ctx, job, made, 'making the source RPM');
      const srpms = await rpmsUnder(join(job.tree.dir, 'SRPMS'));
      if (srpms.length !== 1) throw new DiracosError(`package '${job.pkg.name}': rpmbuild -bs made ${srpms.length} source RPMs (expected one); log: ${job.log}`);
      const resultDir = join(job.tree.dir, 'mock-result');
      await rm(resultDir, { recursive: true, force: true });
      await mkdir(resultDir, { recursive: true });
      const plan = mockBuildPlan({
        ...(await request()),
        srpm: srpms[0]!,
        resultDir,
        defines: { ...job.pkg.defines, ...REPRODUCIBLE_MACROS },
        with: job.pkg.with,
        without: job.pkg.without,
        check: job.pkg.check,
      });
      await writeConfig(plan, opts.cacheDir);
      const built = await runLogged(ctx, job.log, 'a', `\n# ${job.pkg.name}: ${plan.run.command.join(' ')}\n\n`, { ...plan.run, name: `mock-${job.pkg.name}` });
      if (built !== 0) await failBuild(ctx, job, built, 'mock');
      const rpms = await rpmsUnder(resultDir);
      return { binary: rpms.filter((f) => !f.endsWith('.src.rpm')), source: rpms.filter((f) => f.endsWith('.src.rpm')) };
    },
    async postStep(ctx, job) {
      const plan = mockPostStep(await request(), job.step);
      await writeConfig(plan, opts.cacheDir);
      const exitCode = await runLogged(ctx, job.log, 'a', `\n# post step ${job.index + 1} of ${job.pkg.name} (mock)\n${job.step}\n\n`, {
        ...plan.run,
        name: `mock-post-${job.pkg.name}`,
        env: { ...opts.platform.env, ...plan.run.env, DIRACOS_PACKAGE: job.pkg.name },
      });
      if (exitCode !== 0) await failPostStep(ctx, job, exitCode);
    },
  };
}

/**
 * Writes the config when its text changed, temp + rename, so a concurrent mock never reads half of it.
 * An unchanged config keeps its mtime: mock's root cache is rebuilt when the config is newer than the
 * cache, so it is kept until the excludes change, i.e. until our repository holds a package the
 * cached chroot may have taken from the base repositories.
 */
async function writeConfig(plan: MockBuildPlan, cacheDir: string): Promise<void> {
  await mkdir(join(plan.configFile, '..'), { recursive: true });
  await mkdir(cacheDir, { recursive: true });
  if ((await readFile(plan.configFile, 'utf8').catch(() => undefined)) === plan.configText) return;
  await replaceFile(plan.configFile, plan.configText);
}
