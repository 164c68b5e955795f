/**
 * Runs `work` over `items` with at most `concurrency` at a time; stops taking new items once
 * `signal` aborts (items already started finish). The first error is rethrown after all started
 * items have settled.
 */
export async function runPool<T>(
  items: readonly T[],
  concurrency: number,
  signal: AbortSignal,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let firstError: Error | undefined;
  const lane = async (): Promise<void> => {
    while (!signal.aborted && next < items.length) {
      const item = items[next++] as T;
      try {
        await work(item);
      } catch (error) {
        firstError ??= error instanceof Error ? error : new Error(String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, lane));
  if (firstError !== undefined) throw firstError;
}
