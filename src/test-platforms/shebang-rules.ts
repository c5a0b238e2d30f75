/**
 * What a `#!` line of a bundled script may name. The bundle is unpacked anywhere (CVMFS, a job's
 * scratch dir), so an interpreter path must either be one every host has or be found through PATH
 * (`/usr/bin/env python3`, which diracosrc points at the bundle). Rows are tried in order; the
 * first whose pattern matches the interpreter (the first word after `#!`) decides.
 */
export type ShebangVerdict = 'ok' | 'build-path' | 'not-relocatable';

export const SHEBANG_RULES: ReadonlyArray<{ pattern: RegExp; verdict: ShebangVerdict; why: string }> = [
  { pattern: /^\/(usr\/)?bin\/env$/, verdict: 'ok', why: 'looks the interpreter up on PATH, which diracosrc sets' },
  { pattern: /^\/(usr\/)?bin\/(sh|bash)$/, verdict: 'ok', why: 'a POSIX shell / bash is on every host' },
  // Where RPM builds, pip and CI runners put their trees: such a path exists only on the build machine.
  {
    pattern: /(^|\/)(BUILDROOT|builddir|rpmbuild|buildroot)(\/|$)|^\/(tmp|var\/tmp|home|root|github|__w|build|work)\//,
    verdict: 'build-path',
    why: 'points into a build directory',
  },
  { pattern: /^[^/]/, verdict: 'not-relocatable', why: 'a relative interpreter depends on the current directory' },
  { pattern: /^\//, verdict: 'not-relocatable', why: 'an absolute interpreter outside the bundle: use /usr/bin/env' },
];

/** The interpreter of a `#!` line (its first word), or undefined when the text is no shebang. */
export function shebangInterpreter(head: string): string | undefined {
  if (!head.startsWith('#!')) return undefined;
  const line = head.slice(2).split('\n')[0].trim();
  return line.split(/\s+/)[0] ?? '';
}

/** The verdict and reason for one interpreter. */
export function judgeShebang(interpreter: string): { verdict: ShebangVerdict; why: string } {
  const row = SHEBANG_RULES.find((r) => r.pattern.test(interpreter));
  return row ? { verdict: row.verdict, why: row.why } : { verdict: 'not-relocatable', why: 'empty interpreter' };
}
