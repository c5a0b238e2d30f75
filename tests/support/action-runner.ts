/**
 * Runs an action's committed bundle as the runner does: `node dist/<name>/index.js` (see DIST) with INPUT_*
 * variables, the GITHUB_OUTPUT / GITHUB_STEP_SUMMARY / GITHUB_ENV files and RUNNER_TEMP, and no cache
 * or artifact service (no ACTIONS_* variables).
 */
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface ActionRun {
  status: number | null;
  /** stdout and stderr together: workflow commands (::error::, ::group::) are in it. */
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
  env: string;
}

/**
 * Where the bundles are: the committed dist/, or DIRACOS_DIST, another build of the same source in the
 * checkout (`node scripts/dist.mjs --outdir .work/dist`: a bundle finds tools/ above itself), to run a
 * branch's source before its dist/ is committed.
 */
export const DIST = resolve(process.env.DIRACOS_DIST ?? 'dist');

/** The GitHub runner's world as scripts/runner-env.sh makes it: user, Node 24, PATH, docker socket. */
export interface RunnerWorld {
  user: string;
  uid: number;
  gid: number;
  node: string;
  path: string;
  env: Record<string, string>;
}

/** Reads /opt/diracos-runner/env; fails naming the script when the machine was not set up. */
export function runnerWorld(file = '/opt/diracos-runner/env'): RunnerWorld {
  if (!existsSync(file)) throw new Error(`${file} is missing: run scripts/setup.sh (it runs scripts/runner-env.sh)`);
  const vars = Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as const),
  );
  const user = vars.RUNNER_USER!;
  const [uid, gid] = ['-u', '-g'].map((flag) => Number(execFileSync('id', [flag, user]).toString().trim()));
  return { user, uid: uid!, gid: gid!, node: vars.RUNNER_NODE!, path: vars.RUNNER_PATH!, env: { DOCKER_HOST: vars.DOCKER_HOST!, DIRACOS_TOOLS_BASE: vars.DIRACOS_TOOLS_BASE! } };
}

/**
 * `runnerTemp` may be shared between steps of one "job" (local artifact and cache fallbacks live there).
 * With `runner`, the bundle runs as that unprivileged user with Node 24, the runner's PATH and
 * nothing else of this process's environment (`env -i`), as on a GitHub-hosted runner.
 */
export async function runActionBundle(
  name: string,
  inputs: Record<string, string>,
  where: { workspace: string; scratch: string; runnerTemp?: string; runner?: RunnerWorld },
): Promise<ActionRun> {
  const bundle = join(DIST, name, 'index.js');
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: npm run dist`);
  const run = mkdtempSync(join(where.scratch, `${name}-`));
  const files = { GITHUB_OUTPUT: join(run, 'output'), GITHUB_STEP_SUMMARY: join(run, 'summary'), GITHUB_ENV: join(run, 'env') };
  for (const f of Object.values(files)) writeFileSync(f, '');
  const runnerTemp = where.runnerTemp ?? join(run, 'temp');
  mkdirSync(runnerTemp, { recursive: true });
  const r = where.runner;
  if (r) for (const p of [run, runnerTemp, ...Object.values(files)]) chownSync(p, r.uid, r.gid);
  const env: NodeJS.ProcessEnv = r
    ? { PATH: r.path, HOME: `/home/${r.user}`, ...r.env, RUNNER_TEMP: runnerTemp, GITHUB_WORKSPACE: where.workspace, ...files }
    : {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        // where the tools image comes from on a machine without a registry (scripts/test.sh)
        ...(process.env.DIRACOS_TOOLS_BASE ? { DIRACOS_TOOLS_BASE: process.env.DIRACOS_TOOLS_BASE } : {}),
        RUNNER_TEMP: runnerTemp,
        GITHUB_WORKSPACE: where.workspace,
        ...files,
      };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  // asynchronous: a long build must not block the test worker's event loop
  const child = r
    ? spawn('runuser', ['-u', r.user, '--', 'env', '-i', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), r.node, bundle], { cwd: where.workspace })
    : spawn(process.execPath, [bundle], { cwd: where.workspace, env });
  let stdout = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stdout += c.toString()));
  const status = await new Promise<number | null>((done) => child.on('close', done));
  return {
    status,
    stdout,
    outputs: parseOutputs(readFileSync(files.GITHUB_OUTPUT, 'utf8')),
    summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
    env: readFileSync(files.GITHUB_ENV, 'utf8'),
  };
}

/** GITHUB_OUTPUT holds `name<<delimiter\nvalue\ndelimiter` blocks. */
export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/^([^<\n]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) out[m[1]!] = m[3]!;
  return out;
}
