import type { BuildGraph } from './graph.js';

/**
 * Runs `task` for each of `names`, at most `jobs` at a time, each once every dependency of it among
 * `names` has finished. After a failure nothing new starts; running tasks finish, then the first error is thrown.
 */
export async function runInDependencyOrder(
  graph: BuildGraph,
  names: readonly string[],
  jobs: number,
  task: (name: string) => Promise<void>,
): Promise<void> {
  const wanted = new Set(names);
  const done = new Set<string>();
  const started = new Set<string>();
  let failure: { error: unknown } | undefined;
  let running = 0;
  await new Promise<void>((resolve) => {
    const pump = (): void => {
      if (failure || done.size === wanted.size) {
        if (running === 0) resolve();
        return;
      }
      for (const name of names) {
        if (running >= Math.max(1, jobs)) break;
        if (started.has(name)) continue;
        const deps = [...(graph.get(name)?.keys() ?? [])].filter((d) => wanted.has(d));
        if (!deps.every((d) => done.has(d))) continue;
        started.add(name);
        running++;
        task(name).then(
          () => {
            running--;
            done.add(name);
            pump();
          },
          (error: unknown) => {
            running--;
            failure ??= { error };
            pump();
          },
        );
      }
      if (running === 0 && !failure && done.size < wanted.size) {
        failure = { error: new Error(`scheduler stuck: ${[...wanted].filter((n) => !done.has(n)).join(', ')} wait on each other`) };
        resolve();
      }
    };
    pump();
  });
  if (failure) throw failure.error;
}
