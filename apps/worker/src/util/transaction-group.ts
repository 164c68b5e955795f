import { FlushMode, forkEm, type Em, type Orm } from '@renkei/persistence';

/** Most pieces of work written in one transaction: bounds the wait of the last one of a group. */
export const MAX_TRANSACTION_GROUP = 32;

/**
 * Queries do not flush first: with MikroORM's default (auto), the next piece's first read of a
 * table flushed the previous pieces' changes to it, one statement a piece again (a profiled
 * `pnpm bench:scale` showed groups of up to 32 registrations and still one insert of each kind
 * an order). Everything is written by the one flush at the end.
 */
const GROUP_TRANSACTION = { flushMode: FlushMode.COMMIT } as const;

interface Pending {
  work: (tx: Em) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

/**
 * Group commit for the worker's local commits after a Smaregi answer. Each piece of work reads
 * and changes what it needs through the transaction it is given, exactly as in a transaction of
 * its own; pieces that arrive while a transaction is being written wait for it and are then
 * written together, in ONE transaction with one flush. MikroORM writes a flush's new rows of one
 * table in one statement and its updates of one shape in one statement, so under load an order's
 * share of `BEGIN`, `COMMIT` and the inserts and updates falls with the size of the group, across
 * tenants (each tenant's commits are paced by its own contract's rate limit, so the groups of
 * many merchants' orders form across tenants).
 *
 * Nothing waits on a timer: a lone piece is written at once (after the current I/O callbacks),
 * and groups form only when commits are already queuing, so grouping costs nothing when idle.
 *
 * A query of a piece does not see the piece's own unflushed changes (`GROUP_TRANSACTION`): the
 * pieces read first, then change, or flush themselves.
 *
 * Each piece keeps its own outcome: should the shared transaction fail (a piece threw, a
 * deadlock, a lost connection), nothing of it is kept and every piece of the group is written
 * again in a transaction of its own, so a piece fails only for its own reason. A piece must
 * therefore be written so that it can run again: read what it changes through `tx`, and keep its
 * side effects outside the database for after its promise settles.
 */
export class TransactionGroup {
  readonly #queue: Pending[] = [];
  #writing = false;

  constructor(
    private readonly orm: Orm,
    private readonly maxSize = MAX_TRANSACTION_GROUP,
  ) {}

  /** Runs `work` in a transaction, maybe shared with others; settles when it is committed. */
  run<T>(work: (tx: Em) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.#writing) return;
      this.#writing = true;
      // After the current I/O callbacks, so that answers handled in the same turn share a group.
      setImmediate(() => void this.#drain());
    });
  }

  async #drain(): Promise<void> {
    try {
      for (;;) {
        const group = this.#queue.splice(0, this.maxSize);
        if (group.length === 0) break;
        await this.#write(group);
      }
    } finally {
      this.#writing = false;
    }
  }

  async #write(group: readonly Pending[]): Promise<void> {
    if (group.length === 1) {
      const [only] = group as [Pending];
      try {
        only.resolve(
          await forkEm(this.orm).transactional((tx) => only.work(tx), GROUP_TRANSACTION),
        );
      } catch (error) {
        only.reject(error);
      }
      return;
    }
    let results: unknown[];
    try {
      results = await forkEm(this.orm).transactional(async (tx) => {
        const out: unknown[] = [];
        for (const pending of group) out.push(await pending.work(tx));
        return out;
      }, GROUP_TRANSACTION);
    } catch {
      // Nothing of the group was committed: each piece again, alone, with its own outcome.
      for (const pending of group) await this.#write([pending]);
      return;
    }
    group.forEach((pending, i) => pending.resolve(results[i]));
  }
}
