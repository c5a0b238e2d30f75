import { bootstrapPython } from '../../bootstrap-python/index.js';
import { pythonTable } from '../../pipeline/summaries.js';
import type { Reporter } from '../../reporting/reporter.js';
import { option, type Parsed } from '../args.js';
import { cliStart } from '../start.js';

export async function run(p: Parsed, reporter: Reporter): Promise<void> {
  const { m, ctx } = await cliStart(p, reporter);
  const r = await reporter.group('bootstrap-python', () => bootstrapPython(ctx, m, { lockTimeoutSeconds: option.seconds(p, 'lock-timeout') }));
  reporter.table(pythonTable(r));
}
