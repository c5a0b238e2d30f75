/** Every workflow parsed and converted by GitHub's own parser (@actions/workflow-parser): schema, expressions, job graph. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { describe, expect, it } from 'vitest';

const WORKFLOWS = join(import.meta.dirname, '../../.github/workflows');
const files = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f)).sort();

async function problems(name: string, content: string): Promise<string[]> {
  const result = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  const parseErrors = result.context.errors.getErrors().map((e) => e.message);
  if (parseErrors.length > 0 || !result.value) return parseErrors.length ? parseErrors : [`${name}: nothing parsed`];
  const template = await convertWorkflowTemplate(result.context, result.value);
  return (template.errors ?? []).map((e) => e.Message);
}

describe('workflows pass GitHub\'s parser', () => {
  it('finds the workflows', () => {
    expect(files).toEqual(['ci.yml', 'diracos-reusable.yml', 'diracos.yml', 'release.yml']);
  });

  it.each(files)('%s has no errors', async (file) => {
    expect(await problems(file, readFileSync(join(WORKFLOWS, file), 'utf8'))).toEqual([]);
  });

  it('reports a broken workflow (the check can fail)', async () => {
    const broken = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ matrix.x }\n    bogus-key: 1\n';
    expect((await problems('broken.yml', broken)).length).toBeGreaterThan(0);
  });
});
