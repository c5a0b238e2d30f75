import * as core from '@actions/core';
import { DiracosError, DiracosErrors } from '../../shared/errors.js';
import { annotation, ActionsReporter } from './reporter.js';

/**
 * Runs an action body. A DiracosErrors becomes one annotation per problem (on the manifest
 * line it names), a DiracosError one annotation, anything else its stack (a bug of ours);
 * then the step fails. The job summary is written in every case.
 */
export async function runAction(title: string, fn: (reporter: ActionsReporter) => Promise<void>): Promise<void> {
  const reporter = new ActionsReporter(title);
  try {
    await fn(reporter);
  } catch (e) {
    fail(e, title);
  } finally {
    try {
      await reporter.flush();
    } catch (e) {
      core.warning(`could not write the job summary: ${(e as Error).message}`);
    }
  }
}

function fail(e: unknown, title: string): void {
  if (e instanceof DiracosErrors) {
    for (const p of e.problems) core.error(p.message, annotation(p.location, title));
    core.setFailed(e.message.split('\n')[0].replace(/:$/, ''));
  } else if (e instanceof DiracosError) {
    if (e.location) {
      core.error(e.message, annotation(e.location, title));
      core.setFailed(`${title} failed`);
    } else {
      core.setFailed(e.message);
    }
  } else {
    core.error((e as Error)?.stack ?? String(e), { title: `${title}: internal error` });
    core.setFailed(`${title}: internal error (a bug in the action): ${(e as Error)?.message ?? String(e)}`);
  }
}
