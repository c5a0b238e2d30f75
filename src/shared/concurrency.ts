/**
 * Runs `fn` over `items`, `jobs` at a time, keeping the order of the results. After a failure no new
 * item is started, and the first error is thrown once the running ones are done (no work left behind).
 */
export async function mapLimit<T, R>(items: readonly T[], jobs: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (!failure && next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i] as T, i);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, worker));
  if (failure) throw failure.error;
  return out;
}
