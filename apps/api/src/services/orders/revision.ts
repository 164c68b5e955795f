import {
  lastSyncErrorColumns,
  lineContentOf,
  orderContentOf,
  OrderLine,
  orderRegistrationKey,
  supersedeOperation,
  syncReasonColumns,
  type Order,
} from '@renkei/persistence';
import type { TenantScope } from '../scope.js';
import { contentConflict } from './idempotency.js';
import type { Resolved } from './intake.js';
import type { NewOrderRows } from './new-order-rows.js';
import { queueStatusDecisions } from './status-change.js';

/*
 * A new version of an order not yet in Smaregi (see idempotency.ts): the OMS corrected a wrong
 * price, line or total. The order keeps its identity (ID, history) and takes the new content; its
 * lines are replaced; it is sent again from the start (pending, no reason, no refusal). What a
 * registration would send is superseded in the same transaction, so a worker that read the old
 * version can no longer send it, and a registration that may have reached Smaregi refuses the new
 * version instead (409).
 */

/**
 * Applies a new version to the stored order in the unit of work and drafts its new lines into
 * `rows` (nothing is written yet; {@link writeRevisions} does the rest in the write transaction).
 */
export async function draftRevision(
  scope: TenantScope,
  existing: Order,
  r: Resolved,
  differing: readonly string[],
  rows: NewOrderRows,
): Promise<void> {
  const statusChanged = existing.status.id !== r.status.id;
  Object.assign(existing, orderContentOf(r.parsed), {
    status: r.status,
    paymentMethod: r.paymentMethod,
    syncState: 'pending' as const,
    ...syncReasonColumns(null),
    ...lastSyncErrorColumns(null),
  });
  rows.revised.push({ order: existing, orderNumber: r.parsed.orderNumber, differing });
  r.parsed.lines.forEach((line, index) => {
    rows.lines.push(
      scope.repos.orderLines.draft({ ...lineContentOf(line), order: existing, lineNo: index + 1 }),
    );
  });
  scope.repos.syncEvents.record({
    subjectType: 'order',
    subjectId: existing.id,
    kind: 'order.updated',
    outcome: 'info',
    message: {
      code: 'orderUpdated',
      params: { orderNumber: existing.orderNumber, fields: differing.join(', ') },
    },
  });
  if (statusChanged) await queueStatusDecisions(scope, existing);
}

/**
 * In the write transaction, before the new lines are inserted: supersedes each revised order's
 * registration (a CONFLICT when it is in flight, unknown or done: the transaction is then rolled
 * back and nothing of the new version is kept) and deletes its old lines.
 */
export async function writeRevisions(
  scope: TenantScope,
  revised: NewOrderRows['revised'],
): Promise<void> {
  const now = scope.deps.now();
  for (const { order, orderNumber, differing } of revised) {
    const superseded = await supersedeOperation(
      scope.em,
      scope.tenantId,
      'registerOrder',
      orderRegistrationKey(order.id),
      { type: 'order', id: order.id },
      now,
    );
    if (!superseded.ok) {
      throw contentConflict(
        order,
        orderNumber,
        differing,
        superseded.state === 'succeeded' ? 'registered' : 'sending',
      );
    }
    await scope.em.nativeDelete(OrderLine, { order: order.id });
  }
}
