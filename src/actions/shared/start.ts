import { join } from 'node:path';
import { createContext, RUNTIME_CHOICES } from '../../pipeline/create-context.js';
import { loadManifest, type LoadedManifest } from '../../manifest/load.js';
import { BUILD_BACKENDS, withBackend } from '../../manifest/overrides.js';
import type { Context } from '../../shared/context.js';
import { actionsExec } from './exec.js';
import { inputs } from './inputs.js';
import type { ActionsReporter } from './reporter.js';
import { GitHubArtifactStore, GitHubCache } from './services.js';

/** The inputs every action has (action.yml repeats them with the same defaults). */
export interface CommonInputs {
  manifest: string;
  workdir: string;
  runtime: (typeof RUNTIME_CHOICES)[number];
  jobs?: number;
}

/**
 * Reads the common inputs and loads the manifest, so a bad manifest fails before anything is set up;
 * input `backend` (the actions that build declare it) replaces the manifest's build.backend.
 */
export function loadInputs(reporter: ActionsReporter, env: NodeJS.ProcessEnv = process.env): { common: CommonInputs; m: LoadedManifest } {
  const temp = env.RUNNER_TEMP || process.cwd();
  const common: CommonInputs = {
    manifest: inputs.string('manifest', 'diracos.yaml'),
    workdir: inputs.string('workdir', join(temp, 'diracos')),
    runtime: inputs.choice('runtime', RUNTIME_CHOICES) ?? 'auto',
    jobs: inputs.int('jobs'),
  };
  const m = withBackend(loadManifest(common.manifest), inputs.choice('backend', BUILD_BACKENDS));
  for (const w of m.warnings ?? []) reporter.warning(w.message, w.location);
  reporter.info(`manifest ${m.file}: DIRACOS ${m.manifest.version}, ${m.packages.length} package(s)`);
  return { common, m };
}

/** The Context of an action: @actions/exec, the GitHub services (or their local stand-ins), the runtime. */
export function actionContext(common: CommonInputs, reporter: ActionsReporter, m: LoadedManifest): Promise<Context> {
  return createContext({
    exec: actionsExec,
    reporter,
    cache: new GitHubCache(reporter),
    artifacts: new GitHubArtifactStore(reporter),
    runtime: common.runtime,
    jobs: common.jobs,
    workdir: common.workdir,
    downloadCache: join(common.workdir, 'downloads'),
    shared: [m.repository],
  });
}
