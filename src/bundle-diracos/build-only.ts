/**
 * buildOnly packages are used to build and never shipped. DIRACOS v1 still shipped one when a shipped
 * package required it; here that fails the bundle, naming both (README: "buildOnly packages never
 * ship"). Found only when dnf cannot solve the closure: the solve is tried again with the repository's
 * buildOnly part as a last-resort repository, and rpm says what removing the buildOnly packages it
 * took would break. A requirement something else satisfies (another package of ours, an ignored
 * package, the host) never reaches here.
 */
import { readdir } from 'node:fs/promises';
import { basename } from 'node:path';
import type { RepoIndex } from '../repo/index-file.js';
import { rpmNameOfFile } from '../repo/rpm-names.js';
import type { Tools } from '../runtime/tools.js';
import { DiracosError } from '../shared/errors.js';
import { ExecError, type ExecOptions } from '../shared/exec.js';
import { fileUrl } from '../shared/file-url.js';

/** One shipped package's requirement only a buildOnly package provides. */
export interface BuildOnlyNeed {
  /** The shipped package (N-V-R.A). */
  shipped: string;
  capability: string;
  /** The buildOnly RPM providing it (N-V-R.A). */
  provider: string;
  /** The manifest package it was built from. */
  package: string;
}

export class BuildOnlyRequired extends DiracosError {
  constructor(
    readonly needs: readonly BuildOnlyNeed[],
    file: string,
  ) {
    const packages = [...new Set(needs.map((n) => n.package))].join(', ');
    const shipped = [...new Set(needs.map((n) => rpmNameOfFile(n.shipped)))].join(', ');
    super(
      [
        'bundle-diracos: shipped packages require buildOnly packages, which are never bundled:',
        ...needs.map(describeNeed).map((l) => `  ${l}`),
        `Drop buildOnly from ${packages} to ship it, list it in bundle.ignoredPackages when every host has it, ` +
          `or keep ${shipped} out of the bundle (bundle.excludedPackages, when no shipped package requires it).`,
      ].join('\n'),
      { file },
    );
    this.name = 'BuildOnlyRequired';
  }
}

export function describeNeed(n: BuildOnlyNeed): string {
  return `${n.shipped} requires ${n.capability}, provided only by ${n.provider} of the buildOnly package ${n.package}`;
}

/** `rpm -e --test` output: `<capability> is needed by (installed) <N-V-R.A>` lines. */
export function parseNeededBy(text: string): Array<{ capability: string; shipped: string }> {
  const out: Array<{ capability: string; shipped: string }> = [];
  for (const line of text.split('\n')) {
    const m = /^\s*(.+?) is needed by \(installed\) (\S+)\s*$/.exec(line);
    if (m) out.push({ capability: m[1]!, shipped: m[2]! });
  }
  return out;
}

export interface BuildOnlyProbe {
  tools: Tools;
  /** An installroot of its own (removed first). */
  installroot: string;
  /** dnf's repository and solver options of the closure. */
  dnfArgs: readonly string[];
  /** What the closure installs (the virtual host package and the roots). */
  install: readonly string[];
  /** The repository's buildOnly part and its index. */
  buildOnlyDir: string;
  index: RepoIndex;
  /** The solve's environment (rpm macros). */
  options: ExecOptions;
}

/** The shipped packages' requirements only buildOnly packages provide; empty when that is not why dnf failed. */
export async function buildOnlyNeeds(p: BuildOnlyProbe): Promise<BuildOnlyNeed[]> {
  const files = new Set((await readdir(p.buildOnlyDir).catch(() => [] as string[])).filter((f) => f.endsWith('.rpm')));
  if (files.size === 0) return [];
  const { tools, installroot, options } = p;
  await tools.execAsRoot('rm', ['-rf', installroot]);
  const rpm = (args: string[]) => tools.execAsRoot('rpm', ['--root', installroot, ...args], options);
  try {
    try {
      await tools.execAsRoot(
        'dnf',
        [
          '-y', '-q', `--installroot=${installroot}`, ...p.dnfArgs,
          `--repofrompath=diracos-buildonly,${fileUrl(p.buildOnlyDir)}`,
          // the last resort: whatever else provides a capability is taken first
          '--setopt=diracos-buildonly.priority=99',
          '--setopt=tsflags=justdb', '--setopt=history_record=False',
          'install', ...p.install,
        ],
        options,
      );
    } catch (e) {
      if (e instanceof ExecError) return []; // not solvable even so: dnf's own message says why
      throw e;
    }
    const installed = (await rpm(['-qa', '--qf', '%{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}\\n'])).stdout.split('\n').map((l) => l.trim());
    const taken = installed.filter((n) => files.has(`${n}.rpm`)).sort();
    if (taken.length === 0) return [];
    const test = await tools.execAsRoot('rpm', ['--root', installroot, '-e', '--test', ...taken], { ...options, allowFailure: true });
    const report = `${test.stdout}\n${test.stderr}`;
    const packageOf = (nevra: string) =>
      Object.entries(p.index.packages).find(([, entry]) => entry.buildOnly && entry.rpms.some((r) => basename(r) === `${nevra}.rpm`))?.[0] ?? rpmNameOfFile(nevra);
    const needs: BuildOnlyNeed[] = [];
    for (const { capability, shipped } of parseNeededBy(report)) {
      const providers = (await rpm(['-q', '--whatprovides', capability, '--qf', '%{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}\\n'])).stdout.split('\n').map((l) => l.trim());
      const provider = providers.find((n) => taken.includes(n)) ?? taken[0]!;
      needs.push({ shipped, capability, provider, package: packageOf(provider) });
    }
    return needs.sort((a, b) => (a.shipped + a.capability < b.shipped + b.capability ? -1 : 1));
  } finally {
    await tools.execAsRoot('rm', ['-rf', installroot]);
  }
}
