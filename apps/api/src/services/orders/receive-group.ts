import type { OrderSource } from '@renkei/persistence';
import { AppError, invalid } from '../../errors.js';
import type { TenantScope } from '../scope.js';
import { existingOrders, intakeKey } from './idempotency.js';
import { resolveOrders } from './intake.js';
import { noNewRows, writeOrderRows } from './new-order-rows.js';
import { applyOrder, receiveOrder, type IntakeResult } from './receive.js';

/** What became of one order of a group: its result, or the error it alone is answered with. */
export type GroupOutcome = { ok: true; result: IntakeResult } | { ok: false; error: unknown };

/**
 * Receives independent orders of one tenant together (the REST intake's group commit): they are
 * validated with one query per kind of reference, looked up by idempotency key in one query, and
 * written in ONE transaction. Each order is answered on its own (the CSV import's `receiveOrders`
 * relies on it too): a malformed or conflicting order gets its error (found before anything is
 * written) and the others are stored. Each order still gets its order, lines, history line and job in the same
 * transaction, exactly as with {@link receiveOrder}.
 *
 * - A second order with the same idempotency key as an earlier one of the group is received
 *   after the group is committed, so it sees the first (same content → `unchanged`).
 * - If the shared transaction fails (a database error, or a concurrent writer that inserted one
 *   of the orders first), nothing of it is kept and every order is received again alone, so no
 *   order fails because of another.
 *
 * `newScope` gives a fresh unit of work of the tenant (one per transaction). Never throws.
 */
export async function receiveOrderGroup(
  newScope: () => TenantScope,
  raws: readonly unknown[],
  source: OrderSource,
): Promise<GroupOutcome[]> {
  const outcomes: (GroupOutcome | undefined)[] = raws.map(() => undefined);
  const later: number[] = []; // positions whose key repeats an earlier order of the group
  const alone: number[] = []; // positions to receive one by one
  try {
    const scope = newScope();
    const resolutions = await resolveOrders(scope, raws);
    const resolved = resolutions.flatMap((r) => (r.ok ? [r.value] : []));
    const existing = await existingOrders(scope, resolved);
    const keys = new Set<string>();
    const written: number[] = [];
    const rows = noNewRows();
    for (const [i, resolution] of resolutions.entries()) {
      if (!resolution.ok) {
        outcomes[i] = { ok: false, error: invalid(resolution.errors) };
        continue;
      }
      const key = intakeKey(resolution.value);
      if (keys.has(key)) {
        later.push(i);
        continue;
      }
      keys.add(key);
      try {
        const result = await applyOrder(scope, resolution.value, source, existing.get(key), rows);
        outcomes[i] = { ok: true, result };
        written.push(i);
      } catch (error) {
        // A conflict is decided before the order touches the unit of work; anything else may
        // have left it half-changed, so the whole group is received again one by one.
        if (!(error instanceof AppError)) throw error;
        outcomes[i] = { ok: false, error };
      }
    }
    try {
      await writeOrderRows(scope, rows);
    } catch (error) {
      // Nothing of the group was committed: receive the orders that were to be written alone
      // (an error that is really theirs comes back from that attempt).
      scope.deps.logger.warn(
        { err: error, orders: written.length },
        'intake group not committed; receiving its orders one by one',
      );
      alone.push(...written);
    }
  } catch {
    // Reading failed, or an order failed unexpectedly: start over, one order at a time.
    later.length = 0;
    alone.length = 0;
    alone.push(...raws.keys());
  }
  for (const i of alone) {
    try {
      outcomes[i] = { ok: true, result: await receiveOrder(newScope(), raws[i], source) };
    } catch (error) {
      outcomes[i] = { ok: false, error };
    }
  }
  if (later.length > 0) {
    const rest = await receiveOrderGroup(
      newScope,
      later.map((i) => raws[i]),
      source,
    );
    later.forEach((i, n) => (outcomes[i] = rest[n]));
  }
  return outcomes.map(
    (o) => o ?? { ok: false, error: new Error('order left unanswered by the intake group') },
  );
}
