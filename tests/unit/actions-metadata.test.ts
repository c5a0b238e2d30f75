/** Every actions/<name>/action.yml as the runner loads it: GitHub's own action parser (@actions/workflow-parser). */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NoOperationTraceWriter } from '@actions/workflow-parser';
import { parseAction } from '@actions/workflow-parser/actions/action-parser';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ACTIONS = join(import.meta.dirname, '../../actions');
const names = readdirSync(ACTIONS, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

function problems(name: string, content: string): string[] {
  const result = parseAction({ name, content }, new NoOperationTraceWriter());
  const errors = result.context.errors.getErrors().map((e) => e.message);
  return errors.length > 0 || result.value ? errors : [`${name}: nothing parsed`];
}

describe('action metadata passes GitHub\'s action parser', () => {
  it('finds the four actions', () => {
    expect(names).toEqual(['bootstrap-python', 'build-rpms', 'bundle-diracos', 'test-platforms']);
  });

  it.each(names)('actions/%s/action.yml has no errors and runs on node24', (name) => {
    const text = readFileSync(join(ACTIONS, name, 'action.yml'), 'utf8');
    expect(problems(`actions/${name}/action.yml`, text)).toEqual([]);
    expect((parse(text) as { runs: { using: string } }).runs.using).toBe('node24');
  });

  it.each(names)('actions/%s/action.yml has no expression syntax in a description (the runner would evaluate it)', (name) => {
    const meta = parse(readFileSync(join(ACTIONS, name, 'action.yml'), 'utf8')) as { description: string; inputs?: Record<string, { description?: string }>; outputs?: Record<string, { description?: string }> };
    const descriptions = [meta.description, ...Object.values(meta.inputs ?? {}), ...Object.values(meta.outputs ?? {})].map((d) => (typeof d === 'string' ? d : (d.description ?? '')));
    expect(descriptions.filter((d) => d.includes('${{'))).toEqual([]);
  });

  it('reports the defect that broke build-rpms: an expression in an input description', () => {
    const broken = 'name: x\ndescription: x\ninputs:\n  shard:\n    description: "e.g. ${{ toJSON(matrix) }}"\nruns:\n  using: node24\n  main: index.js\n';
    expect(problems('broken/action.yml', broken).join('\n')).toMatch(/matrix/);
  });
});
