import { forkEm, tenantRepositories, type OrderSource } from '@renkei/persistence';
import type { AppDeps } from '../deps.js';
import type { IntakeResult } from './orders/receive.js';
import { receiveOrderGroup } from './orders/receive-group.js';
import type { Actor, TenantScope } from './scope.js';

/** Most orders written in one transaction: bounds the wait of the last order of a group. */
export const MAX_GROUP_SIZE = 50;

interface Waiting {
  raw: unknown;
  resolve: (result: IntakeResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for the REST intake. Receiving an order costs milliseconds of single-threaded
 * work (validation, the ORM's unit of work, a transaction); under load, orders of one tenant that
 * arrive while a transaction is being written wait for it to finish and are then written
 * together, in one transaction, by {@link receiveOrderGroup}. Nothing waits on a timer: a lone
 * order is written at once, and groups only form when orders are already queuing, so the
 * grouping costs nothing when idle and cuts the cost per order when busy (SQLite has one writer
 * anyway).
 *
 * Every guarantee of {@link receiveOrder} holds per order: idempotency on (tenant, shop, order
 * code), the job written in the transaction of its order, a bad or conflicting order answered
 * with its own error without failing the others.
 */
export class GroupCommitIntake {
  readonly #waiting = new Map<string, Waiting[]>();
  readonly #writing = new Set<string>();

  constructor(
    private readonly deps: AppDeps,
    private readonly source: OrderSource,
    private readonly actor: Actor,
    private readonly maxGroupSize = MAX_GROUP_SIZE,
  ) {}

  /** Receives one order of the tenant; settles when its group is committed. */
  receive(tenantId: string, raw: unknown): Promise<IntakeResult> {
    return new Promise((resolve, reject) => {
      const queue = this.#waiting.get(tenantId);
      if (queue === undefined) this.#waiting.set(tenantId, [{ raw, resolve, reject }]);
      else queue.push({ raw, resolve, reject });
      if (!this.#writing.has(tenantId)) {
        this.#writing.add(tenantId);
        // After the current I/O callbacks, so that requests parsed in the same turn share a group.
        setImmediate(() => void this.#drain(tenantId));
      }
    });
  }

  /** Writes the tenant's queued orders, group after group, until none is left. */
  async #drain(tenantId: string): Promise<void> {
    const scope = (): TenantScope => {
      const em = forkEm(this.deps.orm);
      return {
        deps: this.deps,
        em,
        tenantId,
        repos: tenantRepositories(em, tenantId),
        actor: this.actor,
      };
    };
    try {
      for (;;) {
        const queue = this.#waiting.get(tenantId) ?? [];
        const group = queue.splice(0, this.maxGroupSize);
        if (group.length === 0) break;
        let outcomes: Awaited<ReturnType<typeof receiveOrderGroup>>;
        try {
          outcomes = await receiveOrderGroup(
            scope,
            group.map((w) => w.raw),
            this.source,
          );
        } catch (error) {
          // receiveOrderGroup answers every order itself; this only guards against a bug there.
          for (const w of group) w.reject(error);
          continue;
        }
        group.forEach((w, i) => {
          const outcome = outcomes[i];
          if (outcome?.ok === true) w.resolve(outcome.result);
          else w.reject(outcome?.error ?? new Error('order left unanswered by the intake group'));
        });
      }
    } finally {
      this.#waiting.delete(tenantId);
      this.#writing.delete(tenantId);
    }
  }
}
