import { readFile } from 'node:fs/promises';

/**
 * The system's apt repositories, read so that source packages come from the same mirror
 * and archive the machine is configured for (never a host name of ours).
 */

/** One repository, as a deb822 stanza has it. */
export interface AptRepository {
  uris: string[];
  suites: string[];
  components: string[];
  signedBy?: string;
}

/** Where the system's repositories are looked up, in order; the first files that exist are used. */
export const SYSTEM_APT_SOURCES: readonly string[] = ['/etc/apt/sources.list.d/debian.sources', '/etc/apt/sources.list'];

/** Parses deb822 text (`*.sources`, `.dsc`): stanzas of `Key: value` with indented continuation lines. */
export function parseDeb822(text: string): Array<Record<string, string>> {
  const stanzas: Array<Record<string, string>> = [];
  let current: Record<string, string> = {};
  let last: string | undefined;
  const flush = () => {
    if (Object.keys(current).length) stanzas.push(current);
    current = {};
    last = undefined;
  };
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    if (!line.trim()) {
      flush();
      continue;
    }
    if (/^\s/.test(line)) {
      if (last !== undefined) current[last] += `\n${line.trim() === '.' ? '' : line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    last = line.slice(0, colon).trim().toLowerCase();
    current[last] = line.slice(colon + 1).trim();
  }
  flush();
  return stanzas;
}

const words = (s: string | undefined): string[] => (s ?? '').split(/\s+/).filter(Boolean);

/** Repositories of a deb822 `.sources` file that carry deb or deb-src entries and are not disabled. */
export function reposFromDeb822(text: string): AptRepository[] {
  return parseDeb822(text)
    .filter((s) => words(s.types).some((t) => t === 'deb' || t === 'deb-src'))
    .filter((s) => (s.enabled ?? 'yes').toLowerCase() !== 'no')
    .map((s) => ({ uris: words(s.uris), suites: words(s.suites), components: words(s.components), signedBy: s['signed-by'] }))
    .filter((r) => r.uris.length && r.suites.length);
}

/** Repositories of a one-line `sources.list`: `deb [opts] URI suite components...`. */
export function reposFromOneLine(text: string): AptRepository[] {
  const repos: AptRepository[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    const m = /^(deb|deb-src)\s+(?:\[([^\]]*)\]\s+)?(\S+)\s+(\S+)\s*(.*)$/.exec(line);
    if (!m) continue;
    const signedBy = /(?:^|\s)signed-by=(\S+)/.exec(m[2] ?? '')?.[1];
    repos.push({ uris: [m[3]], suites: [m[4]], components: words(m[5]), signedBy });
  }
  return repos;
}

/** The system's repositories from the first of `files` that exist; [] if none does. */
export async function readSystemRepositories(files: readonly string[] = SYSTEM_APT_SOURCES): Promise<AptRepository[]> {
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw e;
    }
    const repos = file.endsWith('.sources') ? reposFromDeb822(text) : reposFromOneLine(text);
    if (repos.length) return dedupe(repos);
  }
  return [];
}

function dedupe(repos: AptRepository[]): AptRepository[] {
  const seen = new Set<string>();
  return repos.filter((r) => {
    const key = JSON.stringify(r);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A deb822 file with deb-src entries for the repositories (apt reads it from our own SourceParts folder). */
export function debSrcStanzas(repos: readonly AptRepository[]): string {
  return repos
    .map((r) =>
      [
        field('Types', 'deb-src'),
        field('URIs', r.uris.join(' ')),
        field('Suites', r.suites.join(' ')),
        ...(r.components.length ? [field('Components', r.components.join(' '))] : []),
        ...(r.signedBy ? [field('Signed-By', r.signedBy)] : []),
      ].join('\n'),
    )
    .join('\n\n')
    .concat('\n');
}

/** A deb822 field; multi-line values (an inline Signed-By key) get indented, empty lines as ' .'. */
function field(key: string, value: string): string {
  const [first, ...rest] = value.split('\n');
  return [`${key}: ${first}`, ...rest.map((l) => ` ${l || '.'}`)].join('\n');
}
