/**
 * Routines: a package's preSteps (shell commands run in the build container before the build) and its
 * buildCommand (run there instead of `rpmbuild -ba`), with the environment both get. DIRACOS v1 ran
 * such routines for davix, xrootd, glite-ce-cream-cli (a replaced build) and globus-gridftp-server
 * (a step before the build).
 */
import type { ResolvedPackage } from '../manifest/resolve.js';
import { shQuote } from '../shared/shell.js';

/** Where the rpmbuild tree is in the build container (SPECS/, SOURCES/; RPMS/ and SRPMS/ are collected after). */
export const ROUTINE_TOPDIR = '/build';

/** What preSteps and buildCommand see, documented in the README (Routines). */
export function routineEnv(o: {
  pkg: string;
  /** The spec's file name in SPECS/. */
  spec: string;
  /** The default build command as one shell line (`eval "$DIRACOS_RPMBUILD"` runs it); container backend only. */
  rpmbuild?: string;
  /** Our repository's parts as the container sees them (absent where they are not mounted). */
  repo?: string;
  buildOnly?: string;
}): Record<string, string> {
  return {
    DIRACOS_PACKAGE: o.pkg,
    DIRACOS_TOPDIR: ROUTINE_TOPDIR,
    DIRACOS_SPEC: `${ROUTINE_TOPDIR}/SPECS/${o.spec}`,
    ...(o.rpmbuild ? { DIRACOS_RPMBUILD: o.rpmbuild } : {}),
    ...(o.repo ? { DIRACOS_REPO: o.repo } : {}),
    ...(o.buildOnly ? { DIRACOS_BUILDONLY: o.buildOnly } : {}),
  };
}

/**
 * The pre steps as script lines, in the build's own shell (`set -e`, so a failing step fails the build;
 * what a step exports is seen by the build), each announced in the log, run in the tree.
 */
export function preStepLines(pkg: Pick<ResolvedPackage, 'name' | 'preSteps'>): string[] {
  const steps = pkg.preSteps ?? [];
  if (steps.length === 0) return [];
  return [
    `cd ${ROUTINE_TOPDIR}`,
    ...steps.flatMap((step, i) => [`echo ${shQuote(`# pre step ${i + 1} of ${pkg.name}: ${step}`)}`, step, `cd ${ROUTINE_TOPDIR}`]),
  ];
}

/** The build line: the package's buildCommand (run from the tree), else the default rpmbuild line. */
export function buildLines(pkg: Pick<ResolvedPackage, 'name' | 'buildCommand'>, rpmbuild: string): string[] {
  if (pkg.buildCommand === undefined) return [rpmbuild];
  return [`cd ${ROUTINE_TOPDIR}`, `echo ${shQuote(`# build command of ${pkg.name}: ${pkg.buildCommand}`)}`, pkg.buildCommand];
}
