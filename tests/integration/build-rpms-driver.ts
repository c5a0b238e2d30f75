/**
 * Runs the engine in its own process, for the tests that kill it or run two at once:
 *   vite-node build-rpms-driver.ts <dir> <jobs>
 * builds <dir>/diracos.yaml with the work folder <dir>/work. Environment:
 *   DRIVER_KILL_AT=rpm-entered   SIGKILL itself at the first createrepo_c after a build (rpmbuild -ba) ended:
 *                                the rebuilt RPMs have just been renamed into the repository
 *   DRIVER_LOCK_TIMEOUT=<s>      lockTimeoutSeconds
 * Prints warnings on stderr as they come ("warning: ..."), then the result as JSON on stdout.
 */
import { join } from 'node:path';
import { buildRpms } from '../../src/build-rpms/index.js';
import { loadManifest } from '../../src/manifest/load.js';
import { MemoryReporter } from '../../src/reporting/reporter.js';
import type { Tools } from '../../src/runtime/tools.js';
import type { Runtime } from '../../src/runtime/types.js';
import type { Exec } from '../../src/shared/exec.js';
import { makeTestContext } from '../support/context.js';

class EchoingReporter extends MemoryReporter {
  override warning(message: string): void {
    super.warning(message);
    process.stderr.write(`warning: ${message}\n`);
  }
}

const [dir, jobs] = process.argv.slice(2);
const ctx = await makeTestContext({ workdir: join(dir!, 'work'), downloadCache: join(dir!, 'downloads'), jobs: Number(jobs ?? 1), reporter: new EchoingReporter() });

if (process.env.DRIVER_KILL_AT === 'rpm-entered') {
  let built = false;
  const runtime = ctx.runtime;
  const run: Runtime['run'] = async (spec) => {
    const r = await runtime.run(spec);
    if (spec.command.join(' ').includes('rpmbuild -ba')) built = true;
    return r;
  };
  const toolsExec = ctx.tools.exec;
  const exec: Exec = (command, args, options) => {
    if (built && command === 'createrepo_c') process.kill(process.pid, 'SIGKILL');
    return toolsExec(command, args, options);
  };
  ctx.runtime = new Proxy(runtime, { get: (t, p) => (p === 'run' ? run : Reflect.get(t, p, t)) });
  ctx.tools = new Proxy(ctx.tools, { get: (t, p) => (p === 'exec' ? exec : Reflect.get(t, p, t)) }) as Tools;
}

const timeout = process.env.DRIVER_LOCK_TIMEOUT;
const result = await buildRpms(ctx, loadManifest(join(dir!, 'diracos.yaml')), { lockTimeoutSeconds: timeout === undefined ? undefined : Number(timeout) });
process.stdout.write(JSON.stringify(result) + '\n');
