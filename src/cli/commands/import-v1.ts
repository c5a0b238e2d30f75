import { resolve as resolvePath } from 'node:path';
import { importV1 } from '../../import-v1/convert.js';
import type { Reporter } from '../../reporting/reporter.js';
import { option, type Parsed } from '../args.js';
import { replaceFile } from '../../shared/replace-file.js';

/** `diracos import-v1 CONFIG [-o FILE]`: the converted manifest on stdout (only it), or into FILE with a summary. */
export async function run(p: Parsed, reporter: Reporter): Promise<void> {
  const r = importV1(p.argument!);
  const output = option.string(p, 'output');
  if (output === undefined) {
    reporter.info(r.yaml.trimEnd());
    return;
  }
  const file = resolvePath(output);
  await replaceFile(file, r.yaml);
  const packages = r.manifest.build.packageGroups.reduce((n, g) => n + g.packages.length, 0);
  reporter.info(`${file}: ${packages} package(s) in ${r.manifest.build.packageGroups.length} group(s) from ${resolvePath(p.argument!)}`);
  reporter.info(`${r.unplaced.length} item(s) of the v1 configuration have no place here: listed with the reason at the top of ${output}`);
  if (r.specPatches.length > 0) reporter.info(`it references ${r.specPatches.length} spec patch(es) as patches/<file>: copy ${r.patchDir} beside it`);
}
