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

/**
 * Like {@link runPool}, over work grouped by tenant: items are taken round-robin across the
 * groups, and a group never has more than `perGroup` items running, so one tenant's backlog —
 * each of its calls waiting for its own contract's rate budget — can neither hold every slot nor
 * make the other tenants wait behind it. A slot a capped group cannot use goes to the next group;
 * when only capped groups have work left, they share the free slots in turn.
 */
export async function runFairPool<T>(
  groups: ReadonlyMap<string, readonly T[]>,
  concurrency: number,
  perGroup: number,
  signal: AbortSignal,
  work: (group: string, item: T) => Promise<void>,
): Promise<void> {
  const queues = [...groups].map(([key, items]) => ({ key, items: [...items], running: 0 }));
  const slots = Math.max(1, concurrency);
  const cap = Math.max(1, perGroup);
  let next = 0;
  let running = 0;
  let firstError: { error: unknown } | undefined;
  await new Promise<void>((resolve) => {
    const pump = (): void => {
      while (running < slots && !signal.aborted) {
        // The next group, in turn, with an item waiting and room under its cap.
        let picked: (typeof queues)[number] | undefined;
        for (let i = 0; i < queues.length; i++) {
          const q = queues[(next + i) % queues.length]!;
          if (q.items.length > 0 && q.running < cap) {
            picked = q;
            next = (next + i + 1) % queues.length;
            break;
          }
        }
        // Work-conserving: when every group with work left is at its cap, a free slot still
        // goes (in turn) to one of them rather than idling — the cap keeps a backlog from
        // crowding out other groups, never a lone backlog from its own slots.
        if (picked === undefined)
          for (let i = 0; i < queues.length; i++) {
            const q = queues[(next + i) % queues.length]!;
            if (q.items.length > 0) {
              picked = q;
              next = (next + i + 1) % queues.length;
              break;
            }
          }
        if (picked === undefined) break;
        const group = picked;
        const item = group.items.shift() as T;
        group.running++;
        running++;
        void work(group.key, item)
          .catch((error: unknown) => {
            firstError ??= { error };
          })
          .finally(() => {
            group.running--;
            running--;
            pump();
          });
      }
      if (running === 0) resolve();
    };
    pump();
  });
  if (firstError) throw firstError.error;
}

/**
 * Interleaves per-tenant lists round-robin (first of each, then second of each, ...), at most
 * `perGroup` of each: the order in which a shared queue should see them.
 */
export function interleave<T>(groups: readonly (readonly T[])[], perGroup: number): T[] {
  const out: T[] = [];
  for (let i = 0; i < perGroup; i++) {
    let any = false;
    for (const g of groups) {
      if (i < g.length) {
        out.push(g[i] as T);
        any = true;
      }
    }
    if (!any) break;
  }
  return out;
}
