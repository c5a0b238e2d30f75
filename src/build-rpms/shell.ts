import type { ResolvedPackage } from '../manifest/resolve.js';

/** One word for bash, whatever it contains. */
export function shQuote(word: string): string {
  return /^[A-Za-z0-9_./:=+@%,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export function shJoin(words: readonly string[]): string {
  return words.map(shQuote).join(' ');
}

/** The per-package options rpmbuild takes; rpmspec takes the same minus --nocheck. */
export function rpmOptions(p: Pick<ResolvedPackage, 'defines' | 'with' | 'without' | 'check'>, tool: 'rpmbuild' | 'rpmspec'): string[] {
  return [
    ...Object.entries(p.defines)
      .sort(([a], [b]) => a.localeCompare(b))
      .flatMap(([k, v]) => ['--define', `${k} ${v}`]),
    ...p.with.flatMap((w) => ['--with', w]),
    ...p.without.flatMap((w) => ['--without', w]),
    ...(tool === 'rpmbuild' && !p.check ? ['--nocheck'] : []),
  ];
}
