import pMap, { pMapSkip } from 'p-map';

/**
 * Runs `work` over `items` with at most `concurrency` at a time (p-map); stops taking new items
 * once `signal` aborts, while items already started finish — a stopping worker hands back what it
 * has not begun and completes what is on the wire. The first error is rethrown after every
 * started item has settled, so one failing order never abandons the others mid-call.
 */
export async function runPool<T>(
  items: readonly T[],
  concurrency: number,
  signal: AbortSignal,
  work: (item: T) => Promise<void>,
): Promise<void> {
  try {
    await pMap(
      items,
      async (item) => {
        if (signal.aborted) return pMapSkip;
        await work(item);
        return undefined;
      },
      { concurrency: Math.max(1, concurrency), stopOnError: false },
    );
  } catch (error) {
    throw error instanceof AggregateError && error.errors.length > 0 ? error.errors[0] : error;
  }
}
