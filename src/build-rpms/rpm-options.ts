import type { ResolvedPackage } from '../manifest/resolve.js';

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
