/** Runs the engine in its own process (the interrupt test kills it with SIGKILL): vite-node build-rpms-driver.ts <dir> <jobs>. */
import { join } from 'node:path';
import { buildRpms } from '../../src/build-rpms/index.js';
import { loadManifest } from '../../src/manifest/load.js';
import { testContext } from './build-rpms-support.js';

const [dir, jobs] = process.argv.slice(2);
const ctx = await testContext(dir!, Number(jobs ?? 1));
const result = await buildRpms(ctx, loadManifest(join(dir!, 'diracos.yaml')));
process.stdout.write(JSON.stringify(result) + '\n');
