import { toOmsOrder, type Order } from '@renkei/persistence';
import { AppError, fieldError } from '../../errors.js';
import type { TenantScope } from '../scope.js';
import { differingFields } from './content.js';
import type { Resolved } from './intake.js';

/*
 * The intake's idempotency policy. An order is known by (shop, Smaregi order code) within the
 * tenant: the same content again returns the same order; a documented update (status and/or
 * shipping date) is applied. Any other difference is a new version of the order: accepted while
 * the order is certainly not in Smaregi (not sent yet, held, or refused: the OMS corrects a wrong
 * price or total and the order goes through), a 409 once it is or may be there, because silently
 * rewriting an order Smaregi has would desynchronise them. Whether it may be there is decided
 * twice: here from the order's sync state, and when writing from the registration's ledger row
 * (`supersedeOperation`), which also keeps a worker that read the old version from sending it.
 * The stored order compared with is the order as it stands now (its columns), including a status
 * the admin or the worker moved since.
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
export type Repeat =
  | { outcome: 'unchanged' }
  | { outcome: 'updated'; differing: string[] }
  /** A new version of an order not yet in Smaregi: its content is replaced, it is sent again. */
  | { outcome: 'revised'; differing: string[] };

/** Sync states of an order that is certainly not in Smaregi (never sent, held, or refused). */
const NOT_IN_SMAREGI: readonly string[] = ['pending', 'waiting', 'failed'];

/**
 * The 409 of a new version of an order that is, or may be, in Smaregi: `registered` (or
 * cancelled), or `sending` (in flight, or an earlier attempt's outcome is being checked).
 */
export function contentConflict(
  existing: Order,
  orderNumber: string,
  differing: readonly string[],
  why: 'registered' | 'sending',
): AppError {
  const fields = differing.join(', ');
  return new AppError(
    'CONFLICT',
    why === 'registered'
      ? {
          ja: `受注番号 ${orderNumber} は別の内容で登録済みです(異なる項目: ${fields})。スマレジに登録済みの受注で変更できるのは受注ステータスと出荷日だけです`,
          en: `Order ${orderNumber} already exists with different content (${fields}); once it is in Smaregi only statusId and shippingDate may change`,
        }
      : {
          ja: `受注番号 ${orderNumber} はスマレジへ送信中(または送信結果の確認中)のため、内容を変更できません(異なる項目: ${fields})。結果が出てから送り直してください`,
          en: `Order ${orderNumber} is being sent to Smaregi (or its outcome is being checked), so its content cannot change now (${fields}); post it again once that is settled`,
        },
    differing.map((f) =>
      fieldError(f, `登録済みの内容と異なります`, `differs from the stored order`),
    ),
    { orderId: existing.id, differingFields: [...differing] },
  );
}

/**
 * Compares a posted order with the stored order of its key: the same content is `unchanged`, a
 * difference only in {@link UPDATABLE_FIELDS} is `updated` (with the fields), any other difference
 * is `revised` while the order is not in Smaregi, else thrown as CONFLICT naming the fields.
 * Changes nothing.
 */
export function compareWithStored(existing: Order, r: Resolved): Repeat {
  const differing = differingFields(toOmsOrder(existing), r.stored);
  if (differing.length === 0) return { outcome: 'unchanged' };
  const notUpdatable = differing.filter(
    (f) => !(UPDATABLE_FIELDS as readonly string[]).includes(f),
  );
  if (notUpdatable.length === 0) return { outcome: 'updated', differing };
  if (NOT_IN_SMAREGI.includes(existing.syncState) && existing.smaregiOrderHeadId == null)
    return { outcome: 'revised', differing };
  throw contentConflict(
    existing,
    r.parsed.orderNumber,
    notUpdatable,
    existing.syncState === 'needsCheck' ? 'sending' : 'registered',
  );
}
