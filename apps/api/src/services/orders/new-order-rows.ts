import {
  lineContentOf,
  orderContentOf,
  type Order,
  type OrderLine,
  type OrderSource,
  type SyncEvent,
} from '@renkei/persistence';
import type { TenantScope } from '../scope.js';
import type { Resolved } from './intake.js';
import { writeRevisions } from './revision.js';

/**
 * The rows new orders add (drafts, untracked by the unit of work): each order, its lines and its
 * first history line. {@link writeOrderRows} inserts them together. No job goes with them: the
 * worker's order loop finds pending orders by their state on its next tick (a quarter second),
 * and a wake-up job cost the intake a statement and the worker several per order.
 */
export interface NewOrderRows {
  orders: Order[];
  lines: OrderLine[];
  events: SyncEvent[];
  /**
   * Stored orders that took a new version (revision.ts): their registration is superseded and
   * their old lines deleted in the write transaction, before `lines` (their new ones) go in.
   */
  revised: { order: Order; orderNumber: string; differing: readonly string[] }[];
}

export const noNewRows = (): NewOrderRows => ({
  orders: [],
  lines: [],
  events: [],
  revised: [],
});

/** Drafts the rows of a new order into `rows` (nothing is written yet). */
export function draftNewOrder(
  scope: TenantScope,
  r: Resolved,
  source: OrderSource,
  rows: NewOrderRows,
): Order {
  const order = scope.repos.orders.draft({
    ...orderContentOf(r.parsed),
    shop: r.shop,
    orderCode: r.orderCode,
    status: r.status,
    paymentMethod: r.paymentMethod,
    source,
    syncState: 'pending',
  });
  rows.orders.push(order);
  r.parsed.lines.forEach((line, index) => {
    rows.lines.push(
      scope.repos.orderLines.draft({ ...lineContentOf(line), order, lineNo: index + 1 }),
    );
  });
  rows.events.push(
    scope.repos.syncEvents.draftEvent({
      subjectType: 'order',
      subjectId: order.id,
      kind: 'order.received',
      outcome: 'info',
      message: { code: 'orderReceived', params: { orderNumber: order.orderNumber, source } },
    }),
  );
  return order;
}

/**
 * Writes what the received orders changed in ONE transaction: the new orders' rows (orders
 * before their lines), the new versions of stored orders (revision.ts) and the unit of work's
 * changes to existing orders (documented updates).
 * Nothing is kept if any of it fails.
 */
export async function writeOrderRows(scope: TenantScope, rows: NewOrderRows): Promise<void> {
  await scope.em.begin();
  try {
    await scope.repos.orders.insertAll(rows.orders);
    await writeRevisions(scope, rows.revised);
    await scope.repos.orderLines.insertAll(rows.lines);
    await scope.repos.syncEvents.insertAll(rows.events);
    await scope.em.commit(); // flushes the updates, then commits
  } catch (error) {
    await scope.em.rollback();
    throw error;
  }
}
