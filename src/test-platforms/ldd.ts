/** Parsing of `ldd` output (glibc's), one file at a time. */

export interface LddEntry {
  /** The NEEDED name, the loader's path, or linux-vdso.so.1. */
  name: string;
  /** Where it resolved; undefined for "not found" and for the vDSO. */
  path?: string;
  notFound?: boolean;
}

export interface LddResult {
  entries: LddEntry[];
  /** A statically linked file: nothing to resolve. */
  static: boolean;
  /** `version 'GLIBC_2.34' not found (required by X)` lines. */
  versionErrors: Array<{ version: string; requiredBy: string }>;
  /** ld.so could not preload something from LD_PRELOAD. */
  preloadErrors: string[];
  /** Lines none of the rules below understood. */
  other: string[];
}

/** One row per ldd line shape; the first that matches takes the line. */
const LINE_RULES: ReadonlyArray<{ re: RegExp; take: (m: RegExpExecArray, r: LddResult) => void }> = [
  { re: /^\s*(\S+) => not found$/, take: (m, r) => void r.entries.push({ name: m[1], notFound: true }) },
  { re: /^\s*(\S+) => (\/.*) \(0x[0-9a-f]+\)$/, take: (m, r) => void r.entries.push({ name: m[1], path: m[2] }) },
  // The loader (an absolute path) or the vDSO, listed without "=>".
  { re: /^\s*(\/.*) \(0x[0-9a-f]+\)$/, take: (m, r) => void r.entries.push({ name: m[1], path: m[1] }) },
  { re: /^\s*(\S+) \(0x[0-9a-f]+\)$/, take: (m, r) => void r.entries.push({ name: m[1] }) },
  { re: /version `([^']+)' not found \(required by (.*)\)$/, take: (m, r) => void r.versionErrors.push({ version: m[1], requiredBy: m[2] }) },
  { re: /ERROR: ld\.so: object '([^']+)' from (\S+) cannot be preloaded/, take: (m, r) => void r.preloadErrors.push(`${m[1]} (from ${m[2]})`) },
  { re: /^\s*(not a dynamic executable|statically linked)$/, take: (_m, r) => void (r.static = true) },
];

export function parseLdd(text: string): LddResult {
  const result: LddResult = { entries: [], static: false, versionErrors: [], preloadErrors: [], other: [] };
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let matched = false;
    for (const rule of LINE_RULES) {
      const m = rule.re.exec(line);
      if (m) {
        rule.take(m, result);
        matched = true;
        break;
      }
    }
    if (!matched) result.other.push(line.trim());
  }
  return result;
}
