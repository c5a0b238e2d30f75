/**
 * Runs a workflow's job graph on this machine as GitHub would, to prove its wiring:
 * - the workflow read and converted by GitHub's parser (@actions/workflow-parser), expressions
 *   evaluated by GitHub's evaluator (@actions/expressions);
 * - jobs in `needs` order, `if:` and matrices from the real outputs of earlier jobs, reusable workflows
 *   (`uses: ./.github/workflows/...`) walked with their inputs checked against their declaration;
 * - every job on a fresh runner: one workspace path for all jobs (as on GitHub), emptied before each,
 *   a fresh RUNNER_TEMP; steps one after the other with GITHUB_OUTPUT/ENV/PATH files;
 * - `uses: ./...` node actions run as the runner runs them (node <runs.main> with INPUT_* from `with`
 *   and the action.yml defaults), `run:` steps with the runner's shells;
 * - actions/checkout, cache, upload-artifact and download-artifact as local folders with GitHub's
 *   semantics (services.ts); other actions are refused.
 * Stricter than GitHub where GitHub only warns about what is always a wiring error, each reported in
 * `problems`: an action input the action does not declare, a required one missing, an output read that
 * its job or step never set, an upload that finds no files, an artifact name two jobs of one attempt
 * write, an annotation whose file is not a path of the caller's repository.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { convertWorkflowTemplate, isMapping, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import type { Job, ReusableWorkflowJob, Step, WorkflowJob, WorkflowTemplate } from '@actions/workflow-parser/model/workflow-template';
import type { MappingToken } from '@actions/workflow-parser/templates/tokens/mapping-token';
import { parse as parseYaml } from 'yaml';
import { asString, evaluate, evaluateToken, truthy, type EvalContext, type Json, type StatusFunctions } from './expressions.js';
import { WalkServices } from './services.js';

export type Result = 'success' | 'failure' | 'cancelled' | 'skipped';

export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  message: string;
  file?: string;
  line?: number;
  where: string;
}

export interface StepRun {
  id: string;
  name: string;
  outcome: Result;
  conclusion: Result;
  outputs: Record<string, string>;
  log: string;
}

export interface InstanceRun {
  label: string;
  matrix?: Record<string, Json>;
  result: Result;
  steps: StepRun[];
  seconds: number;
}

export interface JobRun {
  id: string;
  result: Result;
  outputs: Record<string, string>;
  instances: InstanceRun[];
  /** Jobs of a called reusable workflow. */
  called?: WalkResult;
  /** The inputs the called workflow received (defaults applied). */
  inputs?: Record<string, Json>;
}

export interface WalkResult {
  inputs: Record<string, Json>;
  jobs: Map<string, JobRun>;
  /** The workflow_call outputs (a reusable workflow). */
  outputs: Record<string, string>;
  problems: string[];
  annotations: Annotation[];
}

export interface WalkOptions {
  /** The workflow file. */
  workflow: string;
  /** Inputs of workflow_call (or of workflow_dispatch with that event), checked against the declaration; defaults applied. */
  inputs?: Record<string, Json>;
  /** github.event_name (default push); a called workflow sees its caller's. */
  event?: string;
  /** owner/name -> local folder: what actions/checkout checks out (the working tree, without .git). */
  repositories: Record<string, string>;
  /** github.repository: the calling repository. */
  repository: string;
  /** job.workflow_repository of the walked workflow (default: repository). */
  workflowRepository?: string;
  services: WalkServices;
  runAttempt?: number;
  /** Extra variables for every step (e.g. where the tests keep their caches). */
  env?: Record<string, string>;
  /** Replaces a step (e.g. one that needs the network) by a script; key `<job>/<step name or id>`. */
  replaceRun?: Record<string, string>;
  log?: (line: string) => void;
}

const SUPPORTED = /^actions\/(checkout|cache|cache\/restore|cache\/save|upload-artifact|download-artifact|setup-node)@v\d+$/;

interface LoadedWorkflow {
  file: string;
  template: WorkflowTemplate;
  rawJobs: MappingToken;
  raw: MappingToken;
}

export async function loadWorkflow(file: string, content = readFileSync(file, 'utf8')): Promise<LoadedWorkflow> {
  const result = parseWorkflow({ name: basename(file), content }, new NoOperationTraceWriter());
  const errors = result.context.errors.getErrors().map((e) => e.message);
  if (errors.length > 0 || !result.value) throw new Error(`${file}: ${errors.join('; ') || 'nothing parsed'}`);
  const template = await convertWorkflowTemplate(result.context, result.value);
  if (template.errors?.length) throw new Error(`${file}: ${template.errors.map((e) => e.Message).join('; ')}`);
  const raw = result.value as MappingToken;
  return { file, template, raw, rawJobs: child(raw, 'jobs') as MappingToken };
}

function child(token: TemplateToken | undefined, key: string): TemplateToken | undefined {
  if (!token || !isMapping(token)) return undefined;
  return token.find(key);
}

/** The workspace every job of a walk with these services uses (GitHub's /home/runner/work/<repo>/<repo>). */
export function workspaceOf(services: WalkServices, repository: string): string {
  const name = repository.split('/')[1] ?? 'repo';
  return join(services.dir, 'runner', 'work', name, name);
}

/** The walk of one workflow (and of the reusable workflows it calls). */
export async function walkWorkflow(opts: WalkOptions): Promise<WalkResult> {
  const wf = await loadWorkflow(opts.workflow);
  const runner = new Runner(opts);
  const event = opts.event ?? 'push';
  return runner.walk(wf, opts.inputs ?? {}, opts.workflowRepository ?? opts.repository, event, event === 'workflow_dispatch' ? 'workflow_dispatch' : 'workflow_call');
}

class Runner {
  private readonly attempt: number;
  private readonly workspace: string;
  private readonly temp: string;
  private readonly problems: string[] = [];
  private readonly annotations: Annotation[] = [];

  constructor(private readonly o: WalkOptions) {
    this.attempt = o.runAttempt ?? 1;
    // On the same path for every job and every walk sharing the services, as every runner of GitHub's
    // has /home/runner/work/<repo>/<repo>: what a job caches by absolute path, a later one restores there.
    this.workspace = workspaceOf(o.services, o.repository);
    this.temp = join(o.services.dir, 'runner', 'work', '_temp');
  }

  private log(line: string): void {
    this.o.log?.(line);
  }

  async walk(wf: LoadedWorkflow, givenInputs: Record<string, Json>, workflowRepository: string, event: string, declaredBy: 'workflow_call' | 'workflow_dispatch', prefix = ''): Promise<WalkResult> {
    const inputs = this.checkInputs(wf, givenInputs, declaredBy, prefix || basename(wf.file));
    const jobs = new Map<string, JobRun>();
    const order = topological(wf.template.jobs);
    for (const job of order) {
      const id = job.id.value;
      const needs = (job.needs ?? []).map((n) => n.value);
      const ancestorsFailed = () => ancestors(wf.template.jobs, id).some((a) => jobs.get(a)?.result === 'failure');
      const status: StatusFunctions = {
        success: () => needs.every((n) => jobs.get(n)?.result === 'success'),
        failure: () => ancestorsFailed(),
        cancelled: () => false,
        always: () => true,
      };
      const needsCtx = Object.fromEntries(needs.map((n) => [n, { result: jobs.get(n)!.result, outputs: jobs.get(n)!.outputs }]));
      const strict = new Set(needs.filter((n) => jobs.get(n)!.result === 'success').map((n) => `needs.${n}.outputs`.toLowerCase()));
      const base = { github: this.github(event, id, inputs), inputs, needs: needsCtx, vars: {} };
      const jobCtx: EvalContext = { values: base, status, strict, onMiss: (p) => this.problem(`${prefix}${id}: reads ${p}, which was never set`) };
      let run: JobRun;
      if (!truthy(this.safeEval(() => evaluate(job.if.expression, jobCtx), `${prefix}${id}: if`))) {
        run = { id, result: 'skipped', outputs: {}, instances: [] };
        this.log(`${prefix}${id}: skipped`);
      } else if (job.type === 'reusableWorkflowJob') {
        run = await this.callWorkflow(job, jobCtx, workflowRepository, event, `${prefix}${id}/`);
      } else {
        run = await this.runJob(wf, job, jobCtx, workflowRepository, `${prefix}${id}`);
      }
      jobs.set(id, run);
    }
    const outputs = this.workflowOutputs(wf, jobs, inputs, event);
    return { inputs, jobs, outputs, problems: [...this.problems, ...this.o.services.problems], annotations: this.annotations };
  }

  private problem(message: string): void {
    if (!this.problems.includes(message)) this.problems.push(message);
    this.log(`PROBLEM ${message}`);
  }

  private safeEval(fn: () => Json, what: string): Json {
    try {
      return fn();
    } catch (e) {
      this.problem(`${what}: ${(e as Error).message}`);
      return null;
    }
  }

  private github(event: string, job: string, inputs: Record<string, Json>): Record<string, Json> {
    return {
      repository: this.o.repository,
      repository_owner: this.o.repository.split('/')[0]!,
      event_name: event,
      event: { inputs },
      sha: '0'.repeat(40),
      ref: 'refs/heads/main',
      ref_name: 'main',
      run_id: '1',
      run_number: '1',
      run_attempt: String(this.attempt),
      job,
      workspace: this.workspace,
      server_url: 'https://github.com',
      token: 'walk-token',
    };
  }

  /** Inputs checked against `on.workflow_call` (or workflow_dispatch) as written in the file, defaults applied. */
  private checkInputs(wf: LoadedWorkflow, given: Record<string, Json>, declaredBy: 'workflow_call' | 'workflow_dispatch', where: string): Record<string, Json> {
    const declared = child(child(child(wf.raw, 'on'), declaredBy), 'inputs');
    const specs = new Map<string, { type: string; required: boolean; default: Json }>();
    if (declared && isMapping(declared)) {
      for (const { key, value } of declared) {
        const literal = (k: string) => {
          const t = child(value, k);
          return t && !t.isExpression ? (evaluateToken(t, { values: {}, status: allTrue }) as Json) : null;
        };
        specs.set(String(evaluateToken(key, { values: {}, status: allTrue })), { type: String(literal('type') ?? 'string'), required: literal('required') === true, default: literal('default') });
      }
    }
    const out: Record<string, Json> = {};
    for (const k of Object.keys(given)) if (!specs.has(k)) this.problem(`${where}: input '${k}' is not declared by the workflow`);
    for (const [k, d] of specs) {
      let v = given[k] ?? null;
      if (v === null) {
        if (d.required) this.problem(`${where}: required input '${k}' not given`);
        v = d.default;
      }
      const type = d.type === 'boolean' || d.type === 'number' ? d.type : 'string';
      if (v !== null && typeof v !== type) this.problem(`${where}: input '${k}' is declared ${d.type} but given ${JSON.stringify(v)}`);
      out[k] = v ?? (type === 'boolean' ? false : type === 'number' ? 0 : '');
    }
    return out;
  }

  private workflowOutputs(wf: LoadedWorkflow, jobs: Map<string, JobRun>, inputs: Record<string, Json>, event: string): Record<string, string> {
    const declared = child(child(child(wf.raw, 'on'), 'workflow_call'), 'outputs');
    if (!declared || !isMapping(declared)) return {};
    const jobsCtx = Object.fromEntries([...jobs].map(([id, j]) => [id, { result: j.result, outputs: j.outputs }]));
    const strict = new Set([...jobs].filter(([, j]) => j.result === 'success').map(([id]) => `jobs.${id}.outputs`.toLowerCase()));
    const ctx: EvalContext = { values: { jobs: jobsCtx, inputs, github: this.github(event, '', inputs) }, status: allTrue, strict, onMiss: (p) => this.problem(`${basename(wf.file)} outputs: reads ${p}, which was never set`) };
    const out: Record<string, string> = {};
    for (const { key, value } of declared) {
      out[String(evaluateToken(key, ctx))] = asString(this.safeEval(() => evaluateToken(child(value, 'value'), ctx), `outputs.${String(evaluateToken(key, ctx))}`), 'output');
    }
    return out;
  }

  private async callWorkflow(job: ReusableWorkflowJob, ctx: EvalContext, workflowRepository: string, event: string, prefix: string): Promise<JobRun> {
    const ref = job.ref.value;
    if (!ref.startsWith('./')) throw new Error(`${prefix}: only local reusable workflows (./.github/workflows/...) are walked, not ${ref}`);
    const checkout = this.o.repositories[workflowRepository];
    if (!checkout) throw new Error(`${prefix}: repository ${workflowRepository} is not available to the walk`);
    const called = await loadWorkflow(join(checkout, ref));
    const withValues = (this.safeEval(() => evaluateToken(job['input-values'], ctx), `${prefix} with`) ?? {}) as Record<string, Json>;
    const result = await this.walk(called, withValues, workflowRepository, event, 'workflow_call', prefix);
    const failed = [...result.jobs.values()].some((j) => j.result === 'failure');
    this.log(`${prefix}: ${failed ? 'failure' : 'success'}`);
    return { id: job.id.value, result: failed ? 'failure' : 'success', outputs: result.outputs, instances: [], called: result, inputs: result.inputs };
  }

  private async runJob(wf: LoadedWorkflow, job: Job, jobCtx: EvalContext, workflowRepository: string, label: string): Promise<JobRun> {
    const id = job.id.value;
    const rawJob = child(wf.rawJobs, id);
    let matrices: Array<Record<string, Json> | undefined> = [undefined];
    let failFast = true;
    if (job.strategy) {
      const strategy = this.safeEval(() => evaluateToken(job.strategy, jobCtx), `${label}: strategy`) as Record<string, Json> | null;
      const expanded = strategy ? expandMatrix(strategy.matrix as Record<string, Json> | undefined) : [];
      if (expanded.length === 0) {
        this.problem(`${label}: the matrix is empty (GitHub fails the job)`);
        return { id, result: 'failure', outputs: {}, instances: [] };
      }
      matrices = expanded;
      failFast = strategy!['fail-fast'] !== false;
    }
    const instances: InstanceRun[] = [];
    const outputs: Record<string, string> = {};
    let result: Result = 'success';
    for (const [index, matrix] of matrices.entries()) {
      if (failFast && result === 'failure') {
        instances.push({ label: `${label} ${JSON.stringify(matrix)}`, matrix, result: 'cancelled', steps: [], seconds: 0 });
        continue;
      }
      const strategyCtx = { 'fail-fast': failFast, 'job-index': index, 'job-total': matrices.length, 'max-parallel': matrices.length };
      const instance = await this.runInstance(wf, job, rawJob, { ...jobCtx, values: { ...jobCtx.values, matrix: matrix ?? {}, strategy: strategyCtx } }, workflowRepository, matrix ? `${label} (${Object.values(matrix).filter((v) => typeof v !== 'object').join(', ')})` : label);
      instances.push(instance);
      let instanceResult = instance.result;
      const coe = child(rawJob, 'continue-on-error');
      if (instanceResult === 'failure' && coe && truthy(evaluateToken(coe, { ...jobCtx, values: { ...jobCtx.values, matrix: matrix ?? {} } }))) instanceResult = 'success';
      if (instanceResult === 'failure') result = 'failure';
      for (const [k, v] of Object.entries(instance.outputs ?? {})) if (v !== '' || !(k in outputs)) outputs[k] = v;
    }
    return { id, result, outputs, instances };
  }

  private async runInstance(wf: LoadedWorkflow, job: Job, rawJob: TemplateToken | undefined, ctx: EvalContext, workflowRepository: string, label: string): Promise<InstanceRun & { outputs: Record<string, string> }> {
    const start = Date.now();
    // A fresh runner: the workspace (same path on every runner) and RUNNER_TEMP emptied.
    rmSync(this.workspace, { recursive: true, force: true });
    rmSync(this.temp, { recursive: true, force: true });
    mkdirSync(this.workspace, { recursive: true });
    mkdirSync(this.temp, { recursive: true });
    this.log(`${label}: start`);
    const checkouts: Array<{ repository: string; path: string }> = [];
    const env: Record<string, string> = {};
    const addEnv = (token: TemplateToken | undefined, c: EvalContext) => {
      const v = evaluateToken(token, c) as Record<string, Json> | null;
      for (const [k, x] of Object.entries(v ?? {})) env[k] = asString(x, `env.${k}`);
    };
    const withEnv = () => ({ ...ctx, values: { ...ctx.values, env: { ...env } } });
    addEnv(wf.template.env, withEnv());
    addEnv(job.env, withEnv());
    const pathAdditions: string[] = [];
    const steps: StepRun[] = [];
    const stepsCtx: Record<string, Json> = {};
    const strictSteps = new Set<string>();
    const posts: Array<() => Promise<void>> = [];
    let failed = false;
    const rawSteps = [...((child(rawJob, 'steps') as Iterable<TemplateToken> | undefined) ?? [])];
    if (rawSteps.length !== job.steps.length) throw new Error(`${label}: ${rawSteps.length} steps in the file, ${job.steps.length} converted`);
    const jobValues = { status: 'success', workflow_repository: workflowRepository, workflow_sha: 'f'.repeat(40), workflow_ref: `${workflowRepository}/${relative(this.o.repositories[workflowRepository] ?? '', wf.file)}@refs/heads/main` };
    const runnerValues = { os: 'Linux', arch: 'X64', name: 'walk', temp: this.temp, tool_cache: join(this.o.services.dir, 'runner', 'toolcache'), workspace: dirname(this.workspace) };
    for (const [n, step] of (job.steps as Step[]).entries()) {
      const raw = rawSteps[n];
      const stepCtx: EvalContext = {
        ...ctx,
        values: { ...ctx.values, env: { ...env }, steps: stepsCtx, job: { ...jobValues, status: failed ? 'failure' : 'success' }, runner: runnerValues, secrets: { GITHUB_TOKEN: 'walk-token' } },
        status: { success: () => !failed, failure: () => failed, cancelled: () => false, always: () => true },
        strict: new Set([...(ctx.strict ?? []), ...strictSteps]),
      };
      const name = asString(evaluateToken(step.name, stepCtx), 'name') || ('uses' in step ? `Run ${step.uses.value}` : 'run' in step ? `Run ${String(evaluateToken(step.run, stepCtx)).split('\n')[0]}` : step.id);
      const where = `${label} / ${name}`;
      const ifValue = 'if' in step && step.if ? this.safeEval(() => evaluate(step.if!.expression, stepCtx), `${where}: if`) : true;
      if (!truthy(ifValue)) {
        steps.push({ id: step.id, name, outcome: 'skipped', conclusion: 'skipped', outputs: {}, log: '' });
        stepsCtx[step.id] = { outputs: {}, outcome: 'skipped', conclusion: 'skipped' };
        continue;
      }
      const stepEnv = { ...env };
      if ('env' in step && step.env) for (const [k, x] of Object.entries((evaluateToken(step.env, stepCtx) ?? {}) as Record<string, Json>)) stepEnv[k] = asString(x, `env.${k}`);
      const files = this.commandFiles(n);
      const processEnv = this.processEnv(stepEnv, files, pathAdditions, ctx.values.github as Record<string, Json>);
      let r: { ok: boolean; outputs: Record<string, string>; log: string };
      try {
        const replaced = this.o.replaceRun?.[`${job.id.value}/${name}`] ?? this.o.replaceRun?.[`${job.id.value}/${step.id}`];
        if (replaced !== undefined) {
          r = await this.runScript(replaced, 'bash -e {0}', this.workspace, processEnv, files);
        } else if ('run' in step) {
          const script = asString(evaluateToken(step.run, stepCtx), 'run');
          const shell = asString(evaluateToken(child(raw, 'shell'), stepCtx), 'shell');
          const wd = asString(evaluateToken(child(raw, 'working-directory'), stepCtx), 'working-directory');
          r = await this.runScript(script, shellCommand(shell), resolve(this.workspace, wd || '.'), processEnv, files);
        } else if ('uses' in step) {
          const uses = step.uses.value;
          const inputs = (evaluateToken(child(raw, 'with'), stepCtx) ?? {}) as Record<string, Json>;
          const withs = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, asString(v, `${where}: with.${k}`)]));
          if (uses.startsWith('./')) {
            r = await this.runLocalAction(uses, withs, processEnv, files, where, stepCtx);
            const uploaded = this.o.services.scanActionUploads(this.attempt, label);
            if (uploaded.length) this.log(`${where}: uploaded ${uploaded.join(', ')}`);
          } else if (SUPPORTED.test(uses)) {
            r = await this.builtin(uses, withs, { where, label, checkouts, posts, isFailed: () => failed });
          } else {
            throw new Error(`the walk does not run ${uses}`);
          }
        } else {
          throw new Error('unsupported step kind');
        }
      } catch (e) {
        r = { ok: false, outputs: {}, log: `${(e as Error).message}\n` };
      }
      this.collectAnnotations(r.log, where, checkouts);
      const outcome: Result = r.ok ? 'success' : 'failure';
      const coe = 'continue-on-error' in step ? step['continue-on-error'] : undefined;
      const continueOnError = coe === undefined ? false : typeof coe === 'boolean' ? coe : truthy(evaluateToken(coe, stepCtx));
      const conclusion: Result = outcome === 'failure' && continueOnError ? 'success' : outcome;
      if (conclusion === 'failure') failed = true;
      this.readEnvFiles(files, env, pathAdditions);
      steps.push({ id: step.id, name, outcome, conclusion, outputs: r.outputs, log: r.log });
      stepsCtx[step.id] = { outputs: r.outputs, outcome, conclusion };
      if (outcome === 'success') strictSteps.add(`steps.${step.id}.outputs`.toLowerCase());
      this.log(`${where}: ${outcome}${outcome === 'failure' ? `\n${r.log.trim().split("\n").slice(-30).join("\n")}` : ''}`);
    }
    for (const post of posts.reverse()) await post();
    const result: Result = failed ? 'failure' : 'success';
    const outputsCtx: EvalContext = { ...ctx, values: { ...ctx.values, steps: stepsCtx, env }, status: allTrue, strict: new Set([...(ctx.strict ?? []), ...strictSteps]) };
    const outputs: Record<string, string> = {};
    const declared = job.outputs;
    if (declared) for (const { key, value } of declared) outputs[String(evaluateToken(key, outputsCtx))] = asString(this.safeEval(() => evaluateToken(value, outputsCtx), `${label}: outputs`), 'output');
    const seconds = (Date.now() - start) / 1000;
    this.log(`${label}: ${result} in ${seconds.toFixed(0)} s`);
    return { label, matrix: ctx.values.matrix as Record<string, Json>, result, steps, seconds, outputs };
  }

  private commandFiles(n: number): Record<'GITHUB_OUTPUT' | 'GITHUB_ENV' | 'GITHUB_PATH' | 'GITHUB_STEP_SUMMARY' | 'GITHUB_STATE', string> {
    const dir = join(this.temp, '_runner_file_commands');
    mkdirSync(dir, { recursive: true });
    const files = {
      GITHUB_OUTPUT: join(dir, `set_output_${n}`),
      GITHUB_ENV: join(dir, `set_env_${n}`),
      GITHUB_PATH: join(dir, `add_path_${n}`),
      GITHUB_STEP_SUMMARY: join(dir, `step_summary_${n}`),
      GITHUB_STATE: join(dir, `save_state_${n}`),
    };
    for (const f of Object.values(files)) writeFileSync(f, '');
    return files;
  }

  private processEnv(stepEnv: Record<string, string>, files: Record<string, string>, pathAdditions: string[], github: Record<string, Json>): NodeJS.ProcessEnv {
    return {
      PATH: [...pathAdditions, process.env.PATH].join(':'),
      HOME: process.env.HOME,
      // where the tools image comes from on a machine without a registry (scripts/test.sh)
      ...(process.env.DIRACOS_TOOLS_BASE ? { DIRACOS_TOOLS_BASE: process.env.DIRACOS_TOOLS_BASE } : {}),
      ...this.o.env,
      ...this.o.services.actionEnv(),
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: this.workspace,
      GITHUB_REPOSITORY: this.o.repository,
      GITHUB_SHA: String(github.sha),
      GITHUB_REF: String(github.ref),
      GITHUB_REF_NAME: String(github.ref_name),
      GITHUB_EVENT_NAME: String(github.event_name),
      GITHUB_RUN_ID: '1',
      GITHUB_RUN_NUMBER: '1',
      GITHUB_RUN_ATTEMPT: String(this.attempt),
      GITHUB_JOB: String(github.job),
      GITHUB_SERVER_URL: 'https://github.com',
      RUNNER_TEMP: this.temp,
      RUNNER_OS: 'Linux',
      RUNNER_ARCH: 'X64',
      ...files,
      ...stepEnv,
    };
  }

  private readEnvFiles(files: Record<string, string>, env: Record<string, string>, pathAdditions: string[]): void {
    Object.assign(env, parseCommandFile(readFileSync(files.GITHUB_ENV!, 'utf8')));
    for (const line of readFileSync(files.GITHUB_PATH!, 'utf8').split('\n')) if (line.trim()) pathAdditions.unshift(line.trim());
  }

  private runScript(script: string, shell: string, cwd: string, env: NodeJS.ProcessEnv, files: Record<string, string>): Promise<{ ok: boolean; outputs: Record<string, string>; log: string }> {
    const file = join(this.temp, `script-${Date.now()}-${Math.random().toString(16).slice(2)}.sh`);
    writeFileSync(file, script);
    const [command, ...args] = shell.split(' ').map((a) => (a === '{0}' ? file : a));
    return this.spawn(command!, args, cwd, env, files);
  }

  private async spawn(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, files: Record<string, string>): Promise<{ ok: boolean; outputs: Record<string, string>; log: string }> {
    if (!existsSync(cwd)) return { ok: false, outputs: {}, log: `working directory ${cwd} does not exist\n` };
    const child = spawn(command, args, { cwd, env });
    let log = '';
    child.stdout.on('data', (c: Buffer) => (log += c.toString()));
    child.stderr.on('data', (c: Buffer) => (log += c.toString()));
    const [status, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((done) => child.on('close', (code, sig) => done([code, sig])));
    if (status !== 0) log += `\n(the process ${signal ? `was killed by ${signal}` : `exited with ${status}`})\n`;
    return { ok: status === 0, outputs: parseCommandFile(readFileSync(files.GITHUB_OUTPUT!, 'utf8')), log };
  }

  /** `uses: ./path`: a node action of the workspace, run as the runner runs it. */
  private async runLocalAction(uses: string, withs: Record<string, string>, env: NodeJS.ProcessEnv, files: Record<string, string>, where: string, ctx: EvalContext) {
    const dir = join(this.workspace, uses);
    const file = ['action.yml', 'action.yaml'].map((f) => join(dir, f)).find(existsSync);
    if (!file) throw new Error(`Can't find 'action.yml' under '${dir}'. Did you forget to run actions/checkout before running your local action?`);
    const action = parseYaml(readFileSync(file, 'utf8')) as { inputs?: Record<string, { required?: boolean; default?: unknown }>; runs: { using: string; main: string } };
    if (!/^node\d+$/.test(action.runs.using)) throw new Error(`${uses}: runs.using ${action.runs.using} is not walked`);
    const declared = action.inputs ?? {};
    const unexpected = Object.keys(withs).filter((k) => !(k in declared));
    if (unexpected.length) this.problem(`${where}: unexpected input(s) ${unexpected.map((k) => `'${k}'`).join(', ')} (${uses} declares ${Object.keys(declared).join(', ')})`);
    const inputEnv: Record<string, string> = {};
    for (const [k, d] of Object.entries(declared)) {
      let v = withs[k];
      if (v === undefined) {
        if (d.required && d.default === undefined) this.problem(`${where}: required input '${k}' not given`);
        v = d.default === undefined ? '' : typeof d.default === 'string' && d.default.includes('${{') ? asString(evaluate(d.default.replace(/^\s*\$\{\{|\}\}\s*$/g, ''), ctx), k) : String(d.default);
      }
      inputEnv[`INPUT_${k.replace(/ /g, '_').toUpperCase()}`] = v;
    }
    for (const [k, v] of Object.entries(withs)) if (!(k in declared)) inputEnv[`INPUT_${k.replace(/ /g, '_').toUpperCase()}`] = v;
    return this.spawn(process.execPath, [resolve(dir, action.runs.main)], this.workspace, { ...env, ...inputEnv }, files);
  }

  private async builtin(uses: string, withs: Record<string, string>, job: { where: string; label: string; checkouts: Array<{ repository: string; path: string }>; posts: Array<() => Promise<void>>; isFailed: () => boolean }) {
    const name = uses.replace(/@.*/, '');
    const lines = (v: string | undefined) => (v ?? '').split('\n').map((s) => s.trim()).filter(Boolean);
    const bool = (v: string | undefined, fallback: boolean) => (v === undefined || v === '' ? fallback : v === 'true');
    let log = '';
    const out: Record<string, string> = {};
    switch (name) {
      case 'actions/setup-node':
        return { ok: true, outputs: {}, log: 'node of this machine\n' };
      case 'actions/checkout': {
        const repository = withs.repository || this.o.repository;
        const source = this.o.repositories[repository];
        if (!source) throw new Error(`checkout: repository ${repository} is not available to the walk`);
        const path = withs.path || '.';
        const target = resolve(this.workspace, path);
        if (!isInside(this.workspace, target)) throw new Error(`Repository path '${target}' is not under '${this.workspace}'`);
        copyWorkingTree(source, target);
        job.checkouts.push({ repository, path: relative(this.workspace, target) || '.' });
        return { ok: true, outputs: {}, log: `checked out ${repository} into ${path}\n` };
      }
      case 'actions/upload-artifact': {
        const artifact = withs.name || 'artifact';
        const paths = lines(withs.path);
        if (paths.length === 0) throw new Error('Input required and not supplied: path');
        if (paths.some((p) => /[*?[\]]/.test(p) || p.startsWith('!'))) throw new Error('the walk does not expand globs in upload-artifact paths');
        const hidden = bool(withs['include-hidden-files'], false);
        const searched = paths.map((p) => resolve(this.workspace, p));
        const found = searched.flatMap((p) => listFiles(p, hidden));
        if (found.length === 0) {
          const mode = withs['if-no-files-found'] || 'warn';
          const message = `No files were found with the provided path: ${paths.join(', ')}. No artifacts will be uploaded.`;
          if (mode === 'error') throw new Error(message);
          if (mode === 'warn') this.problem(`${job.where}: ${message} (if-no-files-found: warn hides a wrong path)`);
          return { ok: true, outputs: {}, log: `${message}\n` };
        }
        const root = commonRoot(searched.map((p) => (existsSync(p) && statSync(p).isDirectory() ? p : dirname(p))));
        this.o.services.uploadArtifact(artifact, found, root, { overwrite: bool(withs.overwrite, false), attempt: this.attempt, by: job.label });
        out['artifact-id'] = String(Date.now());
        log += `uploaded ${found.length} file(s) as ${artifact}\n`;
        return { ok: true, outputs: out, log };
      }
      case 'actions/download-artifact': {
        const target = resolve(this.workspace, withs.path || '.');
        let names: string[];
        if (withs.name) {
          if (!existsSync(this.o.services.artifactPath(withs.name))) throw new Error(`Unable to download artifact(s): Artifact not found for name: ${withs.name}`);
          names = [withs.name];
        } else {
          const re = withs.pattern ? globRegex(withs.pattern) : /.*/;
          names = this.o.services.artifactNames().filter((n) => re.test(n));
        }
        for (const n of names) {
          const into = withs.name || bool(withs['merge-multiple'], false) ? target : join(target, n);
          mkdirSync(into, { recursive: true });
          cpSync(this.o.services.artifactPath(n), into, { recursive: true });
        }
        if (names.length) out['download-path'] = target;
        return { ok: true, outputs: out, log: `Total of ${names.length} artifact(s) downloaded\n` };
      }
      case 'actions/cache':
      case 'actions/cache/restore':
      case 'actions/cache/save': {
        const key = withs.key;
        const paths = lines(withs.path);
        if (!key || paths.length === 0) throw new Error('Input required and not supplied: key and path');
        const cache = this.o.services.workflowCache(paths);
        const absolute = paths.map((p) => resolve(this.workspace, p));
        const save = async () => {
          if ((await cache.lookup(key)) === key) return void (log += `Cache already exists for key ${key}: not saved\n`);
          await cache.save(absolute, key);
        };
        if (name === 'actions/cache/save') {
          await save();
          return { ok: true, outputs: {}, log };
        }
        const hit = await cache.restore(absolute, key, lines(withs['restore-keys']));
        if (!hit && bool(withs['fail-on-cache-miss'], false)) throw new Error(`Failed to restore cache entry. Exiting as fail-on-cache-miss is set. Input key: ${key}`);
        out['cache-hit'] = String(hit === key);
        out['cache-primary-key'] = key;
        out['cache-matched-key'] = hit ?? '';
        if (name === 'actions/cache' && hit !== key) job.posts.push(async () => (job.isFailed() ? undefined : save()));
        return { ok: true, outputs: out, log: hit ? `Cache restored from key: ${hit}\n` : `Cache not found for input keys: ${key}\n` };
      }
    }
    throw new Error(`the walk does not run ${uses}`);
  }

  /** Workflow commands of a step's output; annotations must name files of the caller's repository. */
  private collectAnnotations(log: string, where: string, checkouts: Array<{ repository: string; path: string }>): void {
    for (const m of log.matchAll(/^::(error|warning|notice)(?: ([^:]*))?::(.*)$/gm)) {
      const props = Object.fromEntries((m[2] ?? '').split(',').filter(Boolean).map((p) => p.split('=') as [string, string]).map(([k, v]) => [k, unescapeProperty(v ?? '')]));
      const a: Annotation = { level: m[1] as Annotation['level'], message: unescapeData(m[3]!), file: props.file, line: props.line ? Number(props.line) : undefined, where };
      this.annotations.push(a);
      if (a.file) {
        const caller = checkouts.find((c) => c.repository === this.o.repository);
        const other = checkouts.find((c) => c.path !== '.' && (a.file === c.path || a.file!.startsWith(c.path + '/')));
        const ok = caller?.path === '.' && !isAbsolute(a.file) && !a.file.startsWith('..') && !other && existsSync(join(this.workspace, a.file));
        if (!ok) this.problem(`${where}: annotation on '${a.file}', which is not a path of the calling repository ${this.o.repository} (GitHub cannot show it on its lines)`);
      }
    }
  }
}

const allTrue: StatusFunctions = { success: () => true, failure: () => false, cancelled: () => false, always: () => true };

/** The command line the runner uses for a `run:` step's shell ({0} is the script file). */
export function shellCommand(shell: string): string {
  switch (shell) {
    case '':
      return 'bash -e {0}';
    case 'bash':
      return 'bash --noprofile --norc -eo pipefail {0}';
    case 'sh':
      return 'sh -e {0}';
    default:
      return shell.includes('{0}') ? shell : `${shell} {0}`;
  }
}

/** GITHUB_OUTPUT / GITHUB_ENV: `name=value` lines and `name<<DELIM` blocks. */
export function parseCommandFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line) continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) value.push(lines[i]!);
      out[heredoc[1]!] = value.join('\n');
    } else {
      const eq = line.indexOf('=');
      if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1);
    }
  }
  return out;
}

function unescapeData(s: string): string {
  return s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}
function unescapeProperty(s: string): string {
  return s.replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

function topological(jobs: WorkflowJob[]): WorkflowJob[] {
  const byId = new Map(jobs.map((j) => [j.id.value, j]));
  const done = new Set<string>();
  const out: WorkflowJob[] = [];
  const visit = (j: WorkflowJob, path: string[]) => {
    const id = j.id.value;
    if (done.has(id)) return;
    if (path.includes(id)) throw new Error(`needs cycle: ${[...path, id].join(' -> ')}`);
    for (const n of j.needs ?? []) {
      const dep = byId.get(n.value);
      if (!dep) throw new Error(`job ${id} needs ${n.value}, which does not exist`);
      visit(dep, [...path, id]);
    }
    done.add(id);
    out.push(j);
  };
  for (const j of jobs) visit(j, []);
  return out;
}

function ancestors(jobs: WorkflowJob[], id: string): string[] {
  const byId = new Map(jobs.map((j) => [j.id.value, j]));
  const out = new Set<string>();
  const stack = [...(byId.get(id)?.needs ?? []).map((n) => n.value)];
  while (stack.length) {
    const n = stack.pop()!;
    if (out.has(n)) continue;
    out.add(n);
    stack.push(...(byId.get(n)?.needs ?? []).map((x) => x.value));
  }
  return [...out];
}

/** GitHub's matrix expansion: the product of the vectors, minus exclude, then include merged or added. */
export function expandMatrix(matrix: Record<string, Json> | undefined | null): Array<Record<string, Json>> {
  if (!matrix || typeof matrix !== 'object' || Array.isArray(matrix)) return [];
  const { include, exclude, ...vectors } = matrix as Record<string, Json>;
  let combos: Array<Record<string, Json>> = Object.keys(vectors).length ? [{}] : [];
  for (const [k, values] of Object.entries(vectors)) {
    if (!Array.isArray(values)) throw new Error(`matrix.${k}: expected a list`);
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [k]: v })));
  }
  const matches = (c: Record<string, Json>, e: Record<string, Json>) => Object.entries(e).every(([k, v]) => JSON.stringify(c[k]) === JSON.stringify(v));
  combos = combos.filter((c) => !((exclude as Array<Record<string, Json>> | undefined) ?? []).some((e) => matches(c, e)));
  const original = combos.map((c) => ({ ...c }));
  for (const inc of (include as Array<Record<string, Json>> | undefined) ?? []) {
    let merged = false;
    original.forEach((o, i) => {
      if (Object.entries(inc).every(([k, v]) => !(k in o) || JSON.stringify(o[k]) === JSON.stringify(v))) {
        Object.assign(combos[i]!, inc);
        merged = true;
      }
    });
    if (!merged || original.length === 0) combos.push({ ...inc });
  }
  return combos;
}

function isInside(root: string, p: string): boolean {
  const r = relative(root, p);
  return r === '' || (!r.startsWith('..' + sep) && r !== '..' && !isAbsolute(r));
}

/** A checkout: the repository's files (tracked and untracked, not ignored; never .git) copied in. */
function copyWorkingTree(source: string, target: string): void {
  mkdirSync(target, { recursive: true });
  let files: string[];
  if (existsSync(join(source, '.git'))) {
    const r = spawnSyncText('git', ['-C', source, 'ls-files', '-z', '--cached', '--others', '--exclude-standard']);
    files = r.split('\0').filter(Boolean).filter((f) => existsSync(join(source, f)) || isLink(join(source, f)));
  } else {
    files = listFiles(source, true).map((f) => relative(source, f));
  }
  for (const f of files) {
    const from = join(source, f);
    const to = join(target, f);
    mkdirSync(dirname(to), { recursive: true });
    if (isLink(from)) symlinkSync(readlinkSync(from), to);
    else cpSync(from, to);
  }
}

function isLink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

function spawnSyncText(command: string, args: string[]): string {
  return execFileSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/** Files under p (p itself when a file); hidden files and folders only when asked. */
function listFiles(p: string, hidden: boolean): string[] {
  if (!existsSync(p)) return [];
  const s = lstatSync(p);
  if (!s.isDirectory()) return [p];
  return readdirSync(p).flatMap((n) => (!hidden && n.startsWith('.') ? [] : listFiles(join(p, n), hidden)));
}

function commonRoot(dirs: string[]): string {
  let root = dirs[0]!;
  for (const d of dirs.slice(1)) while (!isInside(root, d)) root = dirname(root);
  return root;
}

/** minimatch's basics for artifact names: * ? and [...]. */
function globRegex(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
}

