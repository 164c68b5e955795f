import {
  fieldErrorsOf,
  omsOrderSchema,
  ORDER_CODE_PROBLEMS,
  orderTotalProblems,
  problemMessage,
  SMAREGI_ORDER_CODE_MAX_LENGTH,
  toSmaregiOrderCode,
  type FieldError,
  type OmsOrder,
} from '@renkei/domain';
import {
  asStoredOmsOrder,
  type OrderStatus,
  type PaymentMethod,
  type Shop,
} from '@renkei/persistence';
import { fieldError } from '../../errors.js';
import type { TenantScope } from '../scope.js';

/*
 * Intake validation (受注取込), shared by the REST API, the CSV import, the admin and the demo
 * seed: shape by the domain's schema, the Smaregi order code and the total by the domain's rules,
 * and the tenant's references (an inactive shop refuses its orders). Nothing is written here.
 */

/** An order that passed validation, with what it refers to. */
export interface Resolved {
  parsed: OmsOrder;
  /** The order as it will read back once stored: what a stored order is compared with. */
  stored: OmsOrder;
  orderCode: string;
  shop: Shop;
  paymentMethod: PaymentMethod;
  status: OrderStatus;
}

/** An order validated (or refused, with its field errors) without writing anything. */
export type Resolution = { ok: true; value: Resolved } | { ok: false; errors: FieldError[] };

/** The field error of a status ID this tenant does not have (intake and status change). */
export function statusNotFound(statusId: string): FieldError {
  return fieldError(
    'statusId',
    `受注ステータス(statusId)が見つかりません: ${statusId}`,
    `Order status (statusId) not found: ${statusId}`,
  );
}

/**
 * Shops, payment methods and statuses of this tenant that the orders refer to, one query per
 * kind for any number of orders (an ID of another tenant is simply not found).
 */
async function loadReferences(scope: TenantScope, orders: readonly OmsOrder[]) {
  const ids = (of: (o: OmsOrder) => string) => [...new Set(orders.map(of))];
  const [shops, paymentMethods, statuses] = await Promise.all([
    scope.repos.shops.find({ id: { $in: ids((o) => o.shopId) } }),
    scope.repos.paymentMethods.find({ id: { $in: ids((o) => o.paymentMethodId) } }),
    scope.repos.orderStatuses.find({ id: { $in: ids((o) => o.statusId) } }),
  ]);
  const byId = <T extends { id: string }>(rows: T[]) => new Map(rows.map((r) => [r.id, r]));
  return {
    shops: byId(shops),
    paymentMethods: byId(paymentMethods),
    statuses: byId(statuses),
  };
}

/** The order code and references of a well-formed order, or every field that is wrong. */
function checkOrder(order: OmsOrder, refs: Awaited<ReturnType<typeof loadReferences>>): Resolution {
  const errors: FieldError[] = [];
  const code = toSmaregiOrderCode(order.orderNumber);
  if (!code.ok) {
    // The domain words why the order number cannot be sent, as the payload rules do.
    errors.push({
      path: 'orderNumber',
      message: problemMessage(ORDER_CODE_PROBLEMS[code.reason], {
        orderCode: order.orderNumber,
        max: SMAREGI_ORDER_CODE_MAX_LENGTH,
      }),
    });
  }
  const shop = refs.shops.get(order.shopId);
  const paymentMethod = refs.paymentMethods.get(order.paymentMethodId);
  const status = refs.statuses.get(order.statusId);
  if (shop === undefined)
    errors.push(
      fieldError(
        'shopId',
        `店舗ID(shopId)が見つかりません: ${order.shopId}`,
        `Shop ID (shopId) not found: ${order.shopId}`,
      ),
    );
  // An inactive shop's orders are never sent (the domain's shop rule): refused here, so the OMS
  // hears it at once instead of the order waiting unseen.
  else if (!shop.active)
    errors.push({
      path: 'shopId',
      message: problemMessage('shopInactive', { shopName: shop.name }),
    });
  if (paymentMethod === undefined)
    errors.push(
      fieldError(
        'paymentMethodId',
        `支払方法ID(paymentMethodId)が見つかりません: ${order.paymentMethodId}`,
        `Payment method ID (paymentMethodId) not found: ${order.paymentMethodId}`,
      ),
    );
  if (status === undefined) errors.push(statusNotFound(order.statusId));
  // A total that does not add up is wrong in the order itself: the OMS corrects and sends it again.
  for (const p of orderTotalProblems(order)) errors.push({ path: p.field, message: p.message });
  if (
    errors.length > 0 ||
    shop === undefined ||
    paymentMethod === undefined ||
    status === undefined ||
    !code.ok
  )
    return { ok: false, errors };
  return {
    ok: true,
    value: {
      parsed: order,
      stored: asStoredOmsOrder(order),
      orderCode: code.code,
      shop,
      paymentMethod,
      status,
    },
  };
}

/**
 * Validates orders completely without writing anything: shape (domain schema), order code, and
 * that shop, payment method and status belong to this tenant. Returns field errors per order
 * instead of throwing, so a CSV import can report every bad row at once. The references of all
 * the orders are read together (three queries, however many orders).
 */
export async function resolveOrders(
  scope: TenantScope,
  raws: readonly unknown[],
): Promise<Resolution[]> {
  const parsed = raws.map((raw) => omsOrderSchema.safeParse(raw));
  const refs = await loadReferences(
    scope,
    parsed.flatMap((p) => (p.success ? [p.data] : [])),
  );
  return parsed.map((p) =>
    p.success ? checkOrder(p.data, refs) : { ok: false, errors: fieldErrorsOf(p.error) },
  );
}

/** {@link resolveOrders} for one order. */
export async function resolveOrder(scope: TenantScope, raw: unknown): Promise<Resolution> {
  const [resolution] = await resolveOrders(scope, [raw]);
  return resolution ?? { ok: false, errors: [] };
}
