/**
 * What the mock backend tells mock, as pure functions: the config text, mock's argv and the
 * privileged container runs (build and post steps) that carry them out. Nothing here executes;
 * backend-mock.ts hands the RunSpecs to ctx.runtime.
 */
import { basename, dirname, join } from 'node:path';
import type { PlatformSpec } from '../manifest/types.js';
import type { Mount, RunSpec } from '../runtime/types.js';
import { DiracosError } from '../shared/errors.js';
import { mockConfig, mockRoot } from './mock-config.js';

/** Fixed paths inside the build container; the host folders are mounted there. */
export const MOCK_PATHS = {
  repo: '/diracos/repo',
  buildOnly: '/diracos/buildonly',
  srpms: '/diracos/srpms',
  result: '/diracos/result',
  configDir: '/diracos/mock',
  /** mock's cache (root cache, package cache): kept between builds, which is what `--scrub=root-cache` acts on. */
  cache: '/var/cache/mock',
} as const;

export interface MockCommandOptions {
  /** Path of the config file (must end in .cfg: mock then reads it as a file, not a name under /etc/mock). */
  config: string;
  srpm: string;
  resultDir: string;
  defines?: Readonly<Record<string, string>>;
  with?: readonly string[];
  without?: readonly string[];
  /** false passes --nocheck (default true). */
  check?: boolean;
  /** Separate root for concurrent builds with the same config in one container (`--uniqueext`). */
  uniqueExt?: string;
}

const MACRO_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const BCOND = /^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/;

/** `mock -r <cfg> --rebuild <srpm> --resultdir <dir> [--define ...] [--with/--without ...] [--nocheck]` as argv. */
export function mockCommand(opts: MockCommandOptions): string[] {
  if (!opts.config.endsWith('.cfg')) throw new DiracosError(`mock: config path must end in .cfg (got ${opts.config})`);
  const argv = ['mock', '-r', opts.config, '--rebuild', opts.srpm, '--resultdir', opts.resultDir];
  if (opts.uniqueExt !== undefined) {
    if (!/^[A-Za-z0-9_-]+$/.test(opts.uniqueExt)) throw new DiracosError(`mock: invalid uniqueext ${JSON.stringify(opts.uniqueExt)}`);
    argv.push(`--uniqueext=${opts.uniqueExt}`);
  }
  for (const [name, value] of Object.entries(opts.defines ?? {})) {
    if (!MACRO_NAME.test(name)) throw new DiracosError(`mock: define '${name}' is not an rpm macro name`);
    if (/[\r\n]/.test(value)) throw new DiracosError(`mock: define '${name}' has a multi-line value`);
    argv.push('--define', `${name} ${value}`);
  }
  for (const [flag, names] of [['--with', opts.with], ['--without', opts.without]] as const) {
    for (const name of names ?? []) {
      if (!BCOND.test(name)) throw new DiracosError(`mock: ${flag} '${name}' is not a bcond name`);
      argv.push(flag, name);
    }
  }
  if (opts.check === false) argv.push('--nocheck');
  return argv;
}

/** One package build with the mock backend, in host paths. */
export interface MockBuildRequest {
  platform: PlatformSpec;
  /** The image to run in: the platform's image prepared with its setup (mock installed). */
  image: string;
  arch: string;
  cores: number;
  /** Host folders, mounted at MOCK_PATHS. */
  repoDir: string;
  buildOnlyDir?: string;
  srpm: string;
  resultDir: string;
  /** Where the config file is written (host) and mock's persistent cache (host). */
  configDir: string;
  cacheDir: string;
  /** RPM names hidden in the base repositories: those our repository already holds (see mockConfig). */
  ourPackages: readonly string[];
  sourceDateEpoch: number;
  baseurls?: Readonly<Record<string, string>>;
  defines?: Readonly<Record<string, string>>;
  with?: readonly string[];
  without?: readonly string[];
  check?: boolean;
}

/** What the engine writes and runs for one build. */
export interface MockBuildPlan {
  /** Write `configText` here (temp + rename) before running. */
  configFile: string;
  configText: string;
  run: RunSpec;
}

function configName(platform: PlatformSpec, arch: string): string {
  return `${mockRoot(platform, arch)}.cfg`;
}

function mounts(req: Pick<MockBuildRequest, 'repoDir' | 'buildOnlyDir' | 'configDir' | 'cacheDir'>): Mount[] {
  return [
    { source: req.repoDir, target: MOCK_PATHS.repo, readOnly: true },
    ...(req.buildOnlyDir ? [{ source: req.buildOnlyDir, target: MOCK_PATHS.buildOnly, readOnly: true }] : []),
    { source: req.configDir, target: MOCK_PATHS.configDir, readOnly: true },
    { source: req.cacheDir, target: MOCK_PATHS.cache },
  ];
}

/** The config text of a request, with our repositories at their in-container paths. */
function configFor(req: Pick<MockBuildRequest, 'platform' | 'buildOnlyDir' | 'ourPackages' | 'sourceDateEpoch' | 'arch' | 'cores' | 'baseurls'>): string {
  return mockConfig(req.platform, {
    repoDir: MOCK_PATHS.repo,
    buildOnlyDir: req.buildOnlyDir ? MOCK_PATHS.buildOnly : undefined,
    ourPackages: req.ourPackages,
    sourceDateEpoch: req.sourceDateEpoch,
    arch: req.arch,
    cores: req.cores,
    baseurls: req.baseurls,
  });
}

export function mockBuildPlan(req: MockBuildRequest): MockBuildPlan {
  const name = configName(req.platform, req.arch);
  const srpmName = basename(req.srpm);
  if (!srpmName.endsWith('.src.rpm')) throw new DiracosError(`mock: ${req.srpm} is not a source RPM (*.src.rpm)`);
  const configText = configFor(req);
  const command = mockCommand({
    config: `${MOCK_PATHS.configDir}/${name}`,
    srpm: `${MOCK_PATHS.srpms}/${srpmName}`,
    resultDir: MOCK_PATHS.result,
    defines: req.defines,
    with: req.with,
    without: req.without,
    check: req.check,
  });
  return {
    configFile: join(req.configDir, name),
    configText,
    run: {
      image: req.image,
      command,
      mounts: [
        ...mounts(req),
        { source: dirname(req.srpm), target: MOCK_PATHS.srpms, readOnly: true },
        { source: req.resultDir, target: MOCK_PATHS.result },
      ],
      // mock mounts /proc, /dev and tmpfs in its chroot: that needs a privileged container.
      privileged: true,
      network: true,
      capture: false,
    },
  };
}

/**
 * A manifest postStep run after a package entered the repository, in the same kind of container as
 * the builds and with the same mock cache, so a step like
 * `mock -r "$DIRACOS_MOCK_CONFIG" --scrub=root-cache` drops a root cache that still holds the
 * distribution's version of a package we just rebuilt (e.g. gdb without python, built into buildOnly).
 */
export function mockPostStep(req: Omit<MockBuildRequest, 'srpm' | 'resultDir' | 'defines' | 'with' | 'without' | 'check'>, step: string): MockBuildPlan {
  const name = configName(req.platform, req.arch);
  const configText = configFor(req);
  return {
    configFile: join(req.configDir, name),
    configText,
    run: {
      image: req.image,
      command: ['bash', '-euo', 'pipefail', '-c', step],
      mounts: mounts(req),
      env: {
        DIRACOS_MOCK_CONFIG: `${MOCK_PATHS.configDir}/${name}`,
        DIRACOS_MOCK_ROOT: mockRoot(req.platform, req.arch),
        DIRACOS_REPO: MOCK_PATHS.repo,
        ...(req.buildOnlyDir ? { DIRACOS_BUILDONLY: MOCK_PATHS.buildOnly } : {}),
      },
      privileged: true,
      network: true,
    },
  };
}
