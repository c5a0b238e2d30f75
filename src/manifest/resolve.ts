import { isAbsolute, resolve as resolvePath } from 'node:path';
import type { BuildOptions, Manifest, PackageSpec, PlatformOptions, PlatformSpec, SourceSpec } from './types.js';

/** One package with everything it inherits from `build` and its group applied, paths absolute. */
export interface ResolvedPackage {
  name: string;
  group: string;
  bootstrap: boolean;
  /** With kind srpm, `spec` (if any) replaces the SRPM's spec; rpms: prebuilt, nothing is built. */
  kind: 'srpm' | 'spec' | 'tarball' | 'rpms';
  srpm?: SourceSpec;
  spec?: string;
  sources: SourceSpec[];
  tarball?: SourceSpec;
  rpms?: SourceSpec[];
  patches: string[];
  /** Applied (`patch -p1`) to the unpacked SRPM before the rebuild. */
  specPatches?: string[];
  /** The platform it builds on when not `build.platform` (undefined: build.platform). */
  platform?: string;
  /** Additions to that platform for its build. */
  platformOptions?: PlatformOptions;
  defines: Record<string, string>;
  with: string[];
  without: string[];
  check: boolean;
  buildOnly: boolean;
  pkgList?: string[];
  excludePatterns: string[];
  preSteps?: string[];
  buildCommand?: string;
  postSteps: string[];
}

/**
 * Package options inherit global -> group -> package, as DIRACOS's rpmBuild did:
 * `defines` merge key by key, every other option is replaced by the closer level.
 */
export function inherit(...levels: BuildOptions[]): Required<Omit<BuildOptions, 'pkgList' | 'buildCommand'>> & Pick<BuildOptions, 'pkgList' | 'buildCommand'> {
  const pick = <K extends keyof BuildOptions>(key: K): BuildOptions[K] => levels.reduce<BuildOptions[K]>((acc, l) => l[key] ?? acc, undefined);
  return {
    defines: Object.assign({}, ...levels.map((l) => l.defines ?? {})),
    with: pick('with') ?? [],
    without: pick('without') ?? [],
    check: pick('check') ?? true,
    buildOnly: pick('buildOnly') ?? false,
    pkgList: pick('pkgList'),
    excludePatterns: pick('excludePatterns') ?? [],
    preSteps: pick('preSteps') ?? [],
    buildCommand: pick('buildCommand'),
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
  const { packageGroups: _groups, backend: _b, platform: buildPlatform, ...global } = m.build;
  return m.build.packageGroups.flatMap((group) => {
    const { packages, name: groupName, bootstrap, platform: groupPlatform, platformOptions: groupPlatformOptions, ...groupOptions } = group;
    return packages.map((p: PackageSpec): ResolvedPackage => {
      // Placement inherits like the other options: the closer level replaces.
      const platform = p.platform ?? groupPlatform;
      const platformOptions = p.platformOptions ?? groupPlatformOptions;
      const { preSteps, buildCommand, ...options } = inherit(global, groupOptions, p);
      return {
        name: p.name,
        group: groupName,
        bootstrap: bootstrap ?? false,
        kind: p.srpm ? 'srpm' : p.spec ? 'spec' : p.tarball ? 'tarball' : 'rpms',
        srpm: p.srpm && absoluteSource(p.srpm, base),
        spec: p.spec && absolute(base, p.spec),
        sources: (p.sources ?? []).map((s) => absoluteSource(s, base)),
        tarball: p.tarball && absoluteSource(p.tarball, base),
        ...(p.rpms ? { rpms: p.rpms.map((s) => absoluteSource(s, base)) } : {}),
        patches: (p.patches ?? []).map((f) => absolute(base, f)),
        ...(p.specPatches?.length ? { specPatches: p.specPatches.map((f) => absolute(base, f)) } : {}),
        ...(platform !== undefined && platform !== buildPlatform ? { platform } : {}),
        ...(hasPlatformOptions(platformOptions) ? { platformOptions } : {}),
        ...options,
        ...(preSteps.length > 0 ? { preSteps } : {}),
        ...(buildCommand !== undefined ? { buildCommand } : {}),
      };
    });
  });
}

function hasPlatformOptions(o: PlatformOptions | undefined): o is PlatformOptions {
  return !!o && ((o.setup?.length ?? 0) > 0 || (o.chrootSetup?.length ?? 0) > 0);
}

export function findPlatform(m: Manifest, name: string): PlatformSpec | undefined {
  return m.platforms.find((p) => p.name === name);
}
