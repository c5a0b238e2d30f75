/**
 * Packs and publishes one set of outputs the way bundle-diracos ends (versions.txt, makeTarball and
 * its checksums into a staging folder, publishSet), in its own process so the kill test can end it
 * with SIGKILL at a step (DIRACOS_DIE_AT): vite-node bundle-publish-driver.ts <outDir> <label>.
 * The label is written into the tarball (./label) and into versions.txt, so a reader can tell sets apart.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { publishSet, removeStaleSets, stagingFolder } from '../../src/bundle-diracos/publish.js';
import { makeTarball } from '../../src/bundle-diracos/tarball.js';
import { writeVersions } from '../../src/bundle-diracos/versions.js';
import { nodeExec } from '../../src/shared/exec.js';
import { sha256Object } from '../../src/shared/hash.js';

const [outDir, label] = process.argv.slice(2) as [string, string];
// Beside the test's folders (a killed run leaves it; the test removes them all at the end).
const tree = mkdtempSync(join(dirname(dirname(outDir)), 'tree-'));
try {
  mkdirSync(join(tree, 'usr'));
  writeFileSync(join(tree, 'label'), `${label}\n`);
  writeFileSync(join(tree, 'usr', 'data'), `${label}\n`.repeat(1000));
  await removeStaleSets(outDir);
  const staging = await stagingFolder(outDir);
  const versions = `${label}\n# pip\n`;
  writeVersions(join(staging, 'versions.txt'), versions);
  const tar = await makeTarball(nodeExec, tree, staging, { version: '1.0', arch: 'x86_64', epoch: 0 });
  await publishSet(staging, outDir, sha256Object({ tarball: tar.sha256, versions }).slice(0, 16));
} finally {
  rmSync(tree, { recursive: true, force: true });
}
