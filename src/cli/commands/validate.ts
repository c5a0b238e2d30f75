import type { Reporter } from '../../reporting/reporter.js';
import type { Parsed } from '../args.js';
import { cliManifest } from '../start.js';

/** `diracos validate`: the manifest loads, and what it describes. */
export async function run(p: Parsed, reporter: Reporter): Promise<void> {
  const m = cliManifest(p, reporter);
  const groups = m.manifest.build.packageGroups;
  reporter.info(`${m.file}: valid`);
  reporter.info(`DIRACOS ${m.manifest.version} (${m.arch}), Python ${m.manifest.python.version}, built on ${m.buildPlatform.name}`);
  reporter.table({
    title: `${m.packages.length} package(s) in ${groups.length} group(s)`,
    header: ['group', 'packages'],
    rows: groups.map((g) => [g.name + (g.bootstrap ? ' (bootstrap)' : ''), g.packages.map((pk) => pk.name).join(', ')]),
  });
  reporter.table({
    title: `${m.manifest.platforms.length} platform(s)`,
    header: ['platform', 'image', 'family', 'required'],
    rows: m.manifest.platforms.map((pl) => [pl.name, pl.image, pl.family, (pl.required ?? true) ? 'yes' : 'no']),
  });
}
