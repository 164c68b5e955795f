import { toOmsOrder, type Order } from '@renkei/persistence';
import { AppError, fieldError } from '../../errors.js';
import type { TenantScope } from '../scope.js';
import { differingFields } from './content.js';
import type { Resolved } from './intake.js';

/*
 * The intake's idempotency policy. An order is known by (shop, Smaregi order code) within the
 * tenant: the same content again returns the same order; a documented update (status and/or
 * shipping date) is applied; any other difference is a 409, because silently rewriting an order
 * that may already be in Smaregi would desynchronise them. The stored order compared with is the
 * order as it stands now (its columns), including a status the admin or the worker moved since.
 */

/** Fields an integrator may change by posting an existing order again. */
export const UPDATABLE_FIELDS = ['statusId', 'shippingDate'] as const;

/** What posting an order did to the stored one. */
export type IntakeOutcome = 'created' | 'unchanged' | 'updated';

/** The idempotency key of an order: (shop, Smaregi order code), within the tenant. */
export function intakeKey(r: Resolved): string {
  return keyOf(r.shop.id, r.orderCode);
}

const keyOf = (shopId: string, orderCode: string) => `${shopId}\u0000${orderCode}`;

/**
 * The stored orders having the idempotency keys of these orders, by key, with their lines (one
 * query for the orders, one for the lines of those found).
 */
export async function existingOrders(
  scope: TenantScope,
  resolved: readonly Resolved[],
): Promise<Map<string, Order>> {
  const found = await scope.repos.orders.findByShopAndCodes(
    resolved.map((r) => ({ shopId: r.shop.id, orderCode: r.orderCode })),
  );
  if (found.length > 0) await scope.em.populate(found, ['lines']);
  return new Map(found.map((o) => [keyOf(o.shop.id, o.orderCode), o]));
}

/** What to do with a posted order whose key is already stored. */
export type Repeat = { outcome: 'unchanged' } | { outcome: 'updated'; differing: string[] };

/**
 * Compares a posted order with the stored order of its key: the same content is `unchanged`, a
 * difference only in {@link UPDATABLE_FIELDS} is `updated` (with the fields), anything else is
 * thrown as CONFLICT naming the fields. Changes nothing.
 */
export function compareWithStored(existing: Order, r: Resolved): Repeat {
  const differing = differingFields(toOmsOrder(existing), r.stored);
  if (differing.length === 0) return { outcome: 'unchanged' };
  const notUpdatable = differing.filter(
    (f) => !(UPDATABLE_FIELDS as readonly string[]).includes(f),
  );
  if (notUpdatable.length > 0) {
    throw new AppError(
      'CONFLICT',
      {
        ja: `受注番号 ${r.parsed.orderNumber} は別の内容で登録済みです(異なる項目: ${notUpdatable.join(', ')})。変更できるのは受注ステータスと出荷日だけです`,
        en: `Order ${r.parsed.orderNumber} already exists with different content (${notUpdatable.join(', ')}); only statusId and shippingDate may change`,
      },
      notUpdatable.map((f) =>
        fieldError(f, `登録済みの内容と異なります`, `differs from the stored order`),
      ),
      { orderId: existing.id, differingFields: notUpdatable },
    );
  }
  return { outcome: 'updated', differing };
}
