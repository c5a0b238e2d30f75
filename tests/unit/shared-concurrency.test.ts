import { describe, expect, it } from 'vitest';
import { mapLimit } from '../../src/shared/concurrency.js';

describe('mapLimit', () => {
  it('keeps the order of the results and never runs more than `jobs` at once', async () => {
    let running = 0;
    let most = 0;
    const out = await mapLimit([5, 1, 3, 2, 4], 2, async (n) => {
      most = Math.max(most, ++running);
      await new Promise((r) => setTimeout(r, n));
      running--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 30, 20, 40]);
    expect(most).toBe(2);
  });

  it('after a failure starts nothing new, lets the running ones finish, then throws the first error', async () => {
    const started: number[] = [];
    const finished: number[] = [];
    const err = await mapLimit([0, 1, 2, 3, 4, 5], 2, async (n) => {
      started.push(n);
      if (n === 1) throw new Error('item 1 failed');
      await new Promise((r) => setTimeout(r, 20));
      finished.push(n);
      return n;
    }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).toBe('item 1 failed');
    expect(started).toEqual([0, 1]);
    expect(finished).toEqual([0]);
  });
});
