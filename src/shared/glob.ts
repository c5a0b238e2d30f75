/**
 * Shell-style globs as fnmatch(3) reads them without flags, for every pattern the machinery matches:
 * manifest `excludePatterns` and `bundle.excludedPackages` against file and package names, and
 * ld.so.conf `include` lines (glob(3)) against file names.
 */
import { DiracosError } from './errors.js';

/** Characters with a meaning in a RegExp, escaped wherever a glob means them literally. */
const REGEXP_SPECIAL = /[\\^$.*+?()[\]{}|/-]/g;

function literal(text: string): string {
  return text.replace(REGEXP_SPECIAL, '\\$&');
}

/**
 * The bracket expression starting at `glob[start]` ('['): `[abc]`, `[a-z]`, `[!abc]` or `[^abc]`; a
 * `]` right after the opening (or after `!`/`^`) is a member, `\x` is x. Undefined when no `]` closes
 * it: the `[` is then an ordinary character.
 */
function bracket(glob: string, start: number): { source: string; end: number } | undefined {
  let i = start + 1;
  const negate = glob[i] === '!' || glob[i] === '^';
  if (negate) i++;
  const members: string[] = [];
  for (let first = true; i < glob.length; first = false) {
    const c = glob[i]!;
    if (c === '\\' && i + 1 < glob.length) {
      members.push(literal(glob[i + 1]!));
      i += 2;
      continue;
    }
    if (c === ']' && !first) return { source: `[${negate ? '^' : ''}${members.join('')}]`, end: i };
    if (c === '-' && !first && glob[i + 1] !== undefined && glob[i + 1] !== ']' && members.length > 0) {
      members.push('-');
      i++;
      continue;
    }
    members.push(literal(c));
    i++;
  }
  return undefined;
}

/**
 * A glob as a RegExp matching whole names: `*` any run of characters (`/` included), `?` one
 * character, `[...]` one character of a set (`[!...]` not of it), `\x` the character x; everything
 * else, regex metacharacters included, stands for itself. A range written backwards (`[z-a]`) is a
 * DiracosError naming the glob.
 */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else if (c === '\\' && i + 1 < glob.length) source += literal(glob[++i]!);
    else if (c === '[') {
      const set = bracket(glob, i);
      if (set) {
        source += set.source;
        i = set.end;
      } else source += '\\[';
    } else source += literal(c);
  }
  try {
    return new RegExp(`^${source}$`, 's');
  } catch (e) {
    throw new DiracosError(`glob '${glob}': ${(e as Error).message.replace(/^Invalid regular expression: \/.*\/\w*: /, '')}`);
  }
}

/** Whether `text` holds a glob's special characters (`*`, `?`, `[`): otherwise it names one path. */
export function isGlob(text: string): boolean {
  return /[*?[]/.test(text);
}
