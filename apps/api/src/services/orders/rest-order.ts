import { createHash } from 'node:crypto';
import { fieldError as fieldErrorOf, omsOrderSchema, type Locale } from '@renkei/domain';
import type { Operation, Order } from '@renkei/persistence';
import { z } from 'zod';
import { AppError, fieldError, invalid, notFound } from '../../errors.js';
import { statusIdSchema } from '../../trpc/inputs.js';
import type { TenantScope } from '../scope.js';
import { setShippingDate } from './shipping-date.js';
import { changeOrderStatus } from './status-change.js';
import { getOrder, orderLinesView, orderView, orderViewFacts, orderViewIn } from './views.js';

/*
 * The order as the REST API v1 shows and changes it (`GET` / `PATCH /api/v1/orders/{orderNumber}`).
 * Reading reuses the admin's views (views.ts); changing goes through the admin's own services
 * (status-change.ts, shipping-date.ts), so 在庫引当自動照会, 受注一括出荷 and the cancel in
 * Smaregi follow from a change made here exactly as from the admin.
 */

/**
 * The tenant's order with this order number (as the mall wrote it), with its lines. An order
 * number is unique per shop, not per tenant: when shops share one, `shopId` picks it, and without
 * it the request is refused naming `shopId`. Another tenant's order is not found.
 */
export async function orderByNumber(
  scope: TenantScope,
  orderNumber: string,
  shopId: string | undefined,
): Promise<Order> {
  const found = await scope.repos.orders.find(
    { orderNumber, ...(shopId === undefined ? {} : { shop: shopId }) },
    { limit: 2, orderBy: { createdAt: 'asc' } },
  );
  if (found.length === 0) throw notFound(`受注番号 ${orderNumber} の受注`, `Order ${orderNumber}`);
  if (found.length > 1) {
    throw new AppError(
      'CONFLICT',
      {
        ja: `受注番号 ${orderNumber} の受注が複数の店舗にあります。shopId で店舗を指定してください`,
        en: `Several shops have an order ${orderNumber}; choose one with the shopId query parameter`,
      },
      [
        fieldError(
          'shopId',
          '受注番号が複数の店舗にあるため、店舗IDの指定が必要です',
          'Several shops have this order number: shopId is required',
        ),
      ],
    );
  }
  return getOrder(scope, found[0]!.id);
}

/**
 * Whether the order has shipped: its status is of category 出荷済み (set by the merchant, the OMS,
 * or by Renkei when Smaregi shipped it), and how its shipment in Smaregi stands — the ledger row
 * `ship:<orderId>` that 受注一括出荷 and Smaregi's shipped event share (docs/reliability.md item 1).
 */
function shippingOf(order: Order, shipment: Operation | undefined) {
  return {
    shippingDate: order.shippingDate ?? null,
    slipNumber: order.slipNumber ?? null,
    shipped: order.status.category === 'shipped' || shipment?.state === 'succeeded',
    smaregiShipment: shipment?.state ?? null,
  };
}

/** The shipments of these orders in the ledger, by order ID (one query for all of them). */
async function shipmentsOf(scope: TenantScope, orders: readonly Order[]) {
  const byKey = new Map(orders.map((o) => [`ship:${o.id}`, o.id]));
  const found =
    orders.length === 0
      ? []
      : await scope.repos.operations.find({
          kind: 'shipOrders',
          businessKey: { $in: [...byKey.keys()] },
        });
  return new Map(found.map((op) => [byKey.get(op.businessKey) ?? '', op]));
}

/**
 * The order's version: a digest of everything the API shows of it (in both languages, so the
 * version does not depend on the reader's), which changes whenever the order, a line's
 * allocation or its shipment changes — whoever changed it (admin, OMS, worker). Sent as the
 * `ETag`; a `PATCH` must name it in `If-Match`.
 */
function versionOf(order: Order, shipping: ReturnType<typeof shippingOf>): string {
  const represented = {
    order: orderView(order),
    statusId: order.status.id,
    lines: orderLinesView(order),
    shipping,
  };
  return createHash('sha256').update(JSON.stringify(represented)).digest('base64url').slice(0, 22);
}

/** What `GET` answers for an order, with its version. */
export async function restOrder(scope: TenantScope, order: Order, locale: Locale) {
  return (await restOrders(scope, [order], locale))[0]!;
}

/**
 * {@link restOrder} for many orders at once (the change feed's page): the tenant's facts and the
 * shipments read once for all of them. The orders must have their lines and status loaded.
 */
export async function restOrders(scope: TenantScope, orders: readonly Order[], locale: Locale) {
  const [shipments, facts] = await Promise.all([shipmentsOf(scope, orders), orderViewFacts(scope)]);
  return orders.map((order) => {
    const shipping = shippingOf(order, shipments.get(order.id));
    return {
      ...orderViewIn(order, locale, facts),
      statusName: order.status.name,
      statusCategory: order.status.category,
      lines: orderLinesView(order),
      shipping,
      version: versionOf(order, shipping),
    };
  });
}
export type RestOrder = Awaited<ReturnType<typeof restOrders>>[number];

const patchShape = z.strictObject({
  statusId: statusIdSchema.optional(),
  shippingDate: omsOrderSchema.shape.shippingDate,
  cancel: z
    .literal(true, { error: fieldErrorOf({ ja: 'キャンセル', en: 'Cancel', key: 'cancel' }) })
    .optional(),
});

/** A `PATCH` body: what to change (a field left out is left as it is; shippingDate null clears). */
export interface OrderPatch {
  statusId?: string;
  shippingDate?: string | null;
  cancel?: true;
}

/**
 * Reads the body of `PATCH`: the order's status, its 出荷日 (null clears it), or its cancel.
 * Unknown fields are refused by name; the date rule is the domain's (as the intake's and the
 * admin's). A body that changes nothing is refused too.
 */
export function parseOrderPatch(raw: unknown): OrderPatch {
  const parsed = patchShape.parse(raw);
  const given = typeof raw === 'object' && raw !== null ? raw : {};
  const patch: OrderPatch = {
    ...(parsed.statusId === undefined ? {} : { statusId: parsed.statusId }),
    // The domain's date field reads a missing date as null; only a date sent is a change.
    ...('shippingDate' in given ? { shippingDate: parsed.shippingDate } : {}),
    ...(parsed.cancel === true ? { cancel: true as const } : {}),
  };
  if (Object.keys(patch).length === 0)
    throw new AppError('BAD_REQUEST', {
      ja: '変更する項目(statusId、shippingDate、cancel のいずれか)を指定してください',
      en: 'Name what to change: statusId, shippingDate or cancel',
    });
  return patch;
}

/**
 * The status an order is cancelled into: the first active status of category キャンセル, by sort
 * order (the one Renkei itself uses when Smaregi cancels an order), or the one the request names.
 */
async function cancelStatusFor(scope: TenantScope, statusId: string | undefined) {
  if (statusId !== undefined) {
    const named = await scope.repos.orderStatuses.findById(statusId);
    if (named !== null && named.category !== 'cancelled')
      throw invalid([
        fieldError(
          'cancel',
          `cancel と一緒に指定する受注ステータス(${named.name})は区分がキャンセルのものにしてください`,
          `With cancel, statusId must be a status of category cancelled (${named.name} is not)`,
        ),
      ]);
    // An unknown status is refused by the status change itself, at statusId.
    return statusId;
  }
  const [first] = await scope.repos.orderStatuses.find(
    { category: 'cancelled', active: true },
    { orderBy: { sortOrder: 'asc', name: 'asc' }, limit: 1 },
  );
  if (first === undefined)
    throw new AppError(
      'CONFLICT',
      {
        ja: '区分がキャンセルの受注ステータスがありません。管理画面の受注ステータスで作成してください',
        en: 'There is no order status of category cancelled; create one in the admin (order statuses)',
      },
      [
        fieldError(
          'cancel',
          '区分がキャンセルの受注ステータスがありません',
          'No order status of category cancelled',
        ),
      ],
    );
  return first.id;
}

/** Whether applying the patch would change anything (a repeat of a done change does not). */
export async function patchChanges(scope: TenantScope, order: Order, patch: OrderPatch) {
  const statusId = patch.cancel ? await cancelStatusFor(scope, patch.statusId) : patch.statusId;
  const alreadyCancelled =
    patch.cancel === true && patch.statusId === undefined
      ? order.status.category === 'cancelled'
      : false;
  return {
    statusId: alreadyCancelled || statusId === order.status.id ? undefined : statusId,
    shippingDate:
      patch.shippingDate === undefined || patch.shippingDate === (order.shippingDate ?? null)
        ? undefined
        : patch.shippingDate,
  };
}

/**
 * Applies a patch through the admin's services: the 出荷日 first (so an order moved into the
 * bulk-shipping status in the same request is judged with its date), then the status. Both in
 * the caller's unit of work and transaction.
 */
export async function applyOrderPatch(
  scope: TenantScope,
  order: Order,
  changes: Awaited<ReturnType<typeof patchChanges>>,
): Promise<void> {
  if (changes.shippingDate !== undefined)
    await setShippingDate(scope, order.id, changes.shippingDate);
  if (changes.statusId !== undefined) await changeOrderStatus(scope, order.id, changes.statusId);
}
