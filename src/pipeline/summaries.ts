// The tables each stage's result shows in a job summary (actions) or on the terminal (CLI).
// build-rpms and test-platforms report their own tables; the shells only add what the stages do not.
import type { SummaryTable } from '../reporting/reporter.js';

/** What the shells read of each stage's result (the stages' own result types are supersets). */
import type { BootstrapPythonResult } from '../bootstrap-python/index.js';

export type PythonResult = BootstrapPythonResult;
export interface RpmsResult {
  repository: string;
  packages: Array<{ name: string; key: string; status: 'built' | 'cached'; seconds: number; rpms: string[] }>;
}
export interface BundleResult {
  tarball: string;
  sha256: string;
  size: number;
  files: string[];
  /** Reused: the tarball recorded for the same content key (nothing was made). */
  cached?: boolean;
}
export interface PlatformsResult {
  ok: boolean;
  junit: string;
  platforms: Array<{ name: string; required: boolean; ok: boolean; skipped?: boolean; checks: Array<{ check: string; passed: number; failed: number; failures: string[] }> }>;
}

const seconds = (s: number): string => s.toFixed(0);

/** Bytes as MiB with one decimal, for people; outputs keep the exact count. */
export function mebibytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function pythonTable(r: PythonResult): SummaryTable {
  return {
    title: 'Python',
    header: ['version', 'RPM', 'cache', 'key', 'size', 'seconds'],
    rows: [[r.version, r.rpm, r.cacheHit ? 'hit' : 'built', r.key, mebibytes(r.size), seconds(r.seconds)]],
  };
}

export function bundleTable(r: BundleResult, artifact?: string): SummaryTable {
  return {
    title: 'Tarball',
    header: ['file', 'status', 'size', 'sha256', 'artifact'],
    rows: [[r.tarball, r.cached ? 'cached (unchanged)' : 'built', mebibytes(r.size), r.sha256, artifact ?? 'not uploaded']],
  };
}

/** The error of a test run a required platform failed, or undefined. */
export function requiredFailures(r: PlatformsResult): string | undefined {
  if (r.ok) return undefined;
  const failed = r.platforms.filter((p) => p.required && !p.ok).map((p) => p.name);
  return `required platform(s) failed: ${failed.join(', ') || '(see the report)'}; JUnit report: ${r.junit}`;
}

/** The stages of a whole build, in order. */
export const PIPELINE_STAGES = ['bootstrap-python', 'build-rpms', 'bundle-diracos', 'test-platforms'] as const;
export type PipelineStage = (typeof PIPELINE_STAGES)[number];

export interface StageOutcome {
  result: 'ok' | 'FAILED';
  seconds: number;
  /** One line on what it produced, or why it failed. */
  detail: string;
}

/** What each stage of a build did, those that never ran included: printed whether the build succeeds or fails. */
export function pipelineTable(outcomes: ReadonlyMap<PipelineStage, StageOutcome>): SummaryTable {
  return {
    title: 'DIRACOS build',
    header: ['stage', 'result', 'seconds', 'detail'],
    rows: PIPELINE_STAGES.map((stage) => {
      const o = outcomes.get(stage);
      return o ? [stage, o.result, seconds(o.seconds), o.detail] : [stage, 'not run', '-', '-'];
    }),
  };
}
