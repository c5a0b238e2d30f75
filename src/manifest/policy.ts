/**
 * Rules of the manifest checks, as data: names diracosrc keeps for itself, packages no build root
 * may install, what makes a file-name pattern look like a regex, placeholder digests.
 */

/** Variables `bundle.environment` may not set: diracosrc manages them itself. */
export const RESERVED_ENVIRONMENT: readonly string[] = ['DIRACOS', 'PATH', 'LD_LIBRARY_PATH'];

/**
 * Packages a chroot setup may never install: EPEL is excluded everywhere (everything beyond the base
 * OS is rebuilt by us), and `epel-release` would add its repository to the build root.
 */
export const FORBIDDEN_CHROOT_PACKAGES: ReadonlyArray<{ pattern: RegExp; why: string }> = [
  { pattern: /^epel-/i, why: 'EPEL is never used: everything beyond the base OS is rebuilt by us' },
];

/**
 * What makes a glob look like a regex (DIRACOS v1's excludePatterns were regexes: `.*-doc-.*`, which as a
 * glob matches only names with a literal `.` followed by anything). Each sign, and what it is in a regex.
 */
export const REGEX_SIGNS: ReadonlyArray<{ sign: RegExp; what: string }> = [
  // `.*` after a word character is a glob too (`python3.*`): only at the start or after a separator.
  { sign: /(^|[^A-Za-z0-9_])\.\*|\.\+/, what: '`.*` / `.+` (any characters in a regex; `*` in a glob)' },
  { sign: /\\\./, what: '`\\.` (a literal dot in a regex; `.` in a glob)' },
  { sign: /^\^/, what: '`^` (an anchor in a regex; globs match the whole name)' },
  { sign: /\$$/, what: '`$` (an anchor in a regex; globs match the whole name)' },
  { sign: /\][+*]/, what: '`[...]+` (a repeated class in a regex; globs have no repetition)' },
];

/** The glob a regex-looking pattern probably meant (`.*-doc-.*` -> `*-doc-*`), undefined when it does not look like one. */
export function globForRegex(pattern: string): string | undefined {
  if (!REGEX_SIGNS.some((r) => r.sign.test(pattern))) return undefined;
  // A regex matches anywhere unless anchored; the glob is anchored at both ends.
  const start = pattern.startsWith('^') ? '' : '*';
  const end = pattern.endsWith('$') && !pattern.endsWith('\\$') ? '' : '*';
  let body = pattern.replace(/^\^/, '').replace(/(?<!\\)\$$/, '');
  // One pass, left to right: an escape, `.*`/`.+`, a repeated class, a lone `.`.
  body = body.replace(/\\(.)|\.[*+]|\[[^\]]*\][+*]|\./g, (m, escaped: string | undefined) => (escaped !== undefined ? escaped : m === '.' ? '?' : '*'));
  const glob = `${body.startsWith('*') ? '' : start}${body}${body.endsWith('*') ? '' : end}`;
  return glob.replace(/\*{2,}/g, '*');
}

/** A sha256 that is a placeholder (all zeros), not the digest of a file. */
export const PLACEHOLDER_SHA256 = /^0{64}$/;
