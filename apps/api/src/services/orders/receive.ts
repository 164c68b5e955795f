import {
  UniqueConstraintViolationException,
  type Order,
  type OrderSource,
} from '@renkei/persistence';
import { invalid } from '../../errors.js';
import type { TenantScope } from '../scope.js';
import { compareWithStored, existingOrders, intakeKey, type IntakeOutcome } from './idempotency.js';
import { resolveOrder, type Resolved } from './intake.js';
import { draftNewOrder, noNewRows, writeOrderRows, type NewOrderRows } from './new-order-rows.js';
import { draftRevision } from './revision.js';
import { queueStatusDecisions } from './status-change.js';

/*
 * Receiving an order (受注取込): validated (intake.ts), looked up by its idempotency key
 * (idempotency.ts), then created, left unchanged, updated, or revised (a new version of an order
 * not yet in Smaregi, revision.ts). The REST intake's group commit
 * (receive-group.ts) and the CSV import (receive-file.ts) apply orders the same way.
 */

export interface IntakeResult {
  outcome: IntakeOutcome;
  order: Order;
}

/**
 * Applies a resolved order (nothing is written yet): a new order adds its rows to `rows`, an
 * update changes the stored order of its idempotency key in the unit of work. A conflict is
 * thrown before anything is changed.
 */
export async function applyOrder(
  scope: TenantScope,
  r: Resolved,
  source: OrderSource,
  existing: Order | undefined,
  rows: NewOrderRows,
): Promise<IntakeResult> {
  if (existing === undefined)
    return { outcome: 'created', order: draftNewOrder(scope, r, source, rows) };
  const repeat = compareWithStored(existing, r);
  if (repeat.outcome === 'unchanged') return { outcome: 'unchanged', order: existing };
  if (repeat.outcome === 'revised') {
    await draftRevision(scope, existing, r, repeat.differing, rows);
    return { outcome: 'updated', order: existing };
  }
  const statusChanged = existing.status.id !== r.status.id;
  existing.status = r.status;
  existing.shippingDate = r.parsed.shippingDate;
  const fields = repeat.differing.join(', ');
  scope.repos.syncEvents.record({
    subjectType: 'order',
    subjectId: existing.id,
    kind: 'order.updated',
    outcome: 'info',
    message: { code: 'orderUpdated', params: { orderNumber: existing.orderNumber, fields } },
  });
  if (statusChanged) await queueStatusDecisions(scope, existing);
  return { outcome: 'updated', order: existing };
}

/**
 * Receives one order. Throws AppError BAD_REQUEST (with per-field errors), CONFLICT, or returns
 * the stored order with what happened. All rows of one order are written in one transaction.
 */
export async function receiveOrder(
  scope: TenantScope,
  raw: unknown,
  source: OrderSource,
): Promise<IntakeResult> {
  const attempt = async () => {
    const resolved = await resolveOrder(scope, raw);
    if (!resolved.ok) throw invalid(resolved.errors);
    const existing = await existingOrders(scope, [resolved.value]);
    const rows = noNewRows();
    const result = await applyOrder(
      scope,
      resolved.value,
      source,
      existing.get(intakeKey(resolved.value)),
      rows,
    );
    // One transaction: the order, its lines, its history line and its job are written together
    // or not at all.
    await writeOrderRows(scope, rows);
    return result;
  };
  try {
    return await attempt();
  } catch (error) {
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
    // The same order arrived twice at once and the other request won: answer as for a repeat.
    scope.em.clear();
    return attempt();
  }
}
