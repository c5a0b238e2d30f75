import { isAbsolute, resolve as resolvePath } from 'node:path';
import type { BuildOptions, Manifest, PackageSpec, PlatformSpec, SourceSpec } from './types.js';

/** One package with everything it inherits from `build` and its group applied, paths absolute. */
export interface ResolvedPackage {
  name: string;
  group: string;
  bootstrap: boolean;
  kind: 'srpm' | 'spec' | 'tarball';
  srpm?: SourceSpec;
  spec?: string;
  sources: SourceSpec[];
  tarball?: SourceSpec;
  patches: string[];
  defines: Record<string, string>;
  with: string[];
  without: string[];
  check: boolean;
  buildOnly: boolean;
  pkgList?: string[];
  excludePatterns: string[];
  postSteps: string[];
}

/**
 * Package options inherit global -> group -> package, as DIRACOS's rpmBuild did:
 * `defines` merge key by key, every other option is replaced by the closer level.
 */
export function inherit(...levels: BuildOptions[]): Required<Omit<BuildOptions, 'pkgList'>> & Pick<BuildOptions, 'pkgList'> {
  const pick = <K extends keyof BuildOptions>(key: K): BuildOptions[K] => levels.reduce<BuildOptions[K]>((acc, l) => l[key] ?? acc, undefined);
  return {
    defines: Object.assign({}, ...levels.map((l) => l.defines ?? {})),
    with: pick('with') ?? [],
    without: pick('without') ?? [],
    check: pick('check') ?? true,
    buildOnly: pick('buildOnly') ?? false,
    pkgList: pick('pkgList'),
    excludePatterns: pick('excludePatterns') ?? [],
    postSteps: pick('postSteps') ?? [],
  };
}

/** A source with its local path made absolute against the manifest's folder. */
export function absoluteSource(source: SourceSpec, base: string): SourceSpec {
  return 'path' in source ? { ...source, path: absolute(base, source.path) } : source;
}

export function absolute(base: string, path: string): string {
  return isAbsolute(path) ? path : resolvePath(base, path);
}

export function resolvePackages(m: Manifest, base: string): ResolvedPackage[] {
  const { packageGroups: _groups, backend: _b, platform: _p, ...global } = m.build;
  return m.build.packageGroups.flatMap((group) => {
    const { packages, name: groupName, bootstrap, ...groupOptions } = group;
    return packages.map((p: PackageSpec): ResolvedPackage => ({
      name: p.name,
      group: groupName,
      bootstrap: bootstrap ?? false,
      kind: p.srpm ? 'srpm' : p.spec ? 'spec' : 'tarball',
      srpm: p.srpm && absoluteSource(p.srpm, base),
      spec: p.spec && absolute(base, p.spec),
      sources: (p.sources ?? []).map((s) => absoluteSource(s, base)),
      tarball: p.tarball && absoluteSource(p.tarball, base),
      patches: (p.patches ?? []).map((f) => absolute(base, f)),
      ...inherit(global, groupOptions, p),
    }));
  });
}

export function findPlatform(m: Manifest, name: string): PlatformSpec | undefined {
  return m.platforms.find((p) => p.name === name);
}
