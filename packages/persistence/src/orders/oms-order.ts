import type { OmsOrder, OmsOrderLine } from '@renkei/domain';
import type { OrderLine } from './order-line.entity.js';
import type { Order } from './order.entity.js';

/*
 * One order, one source of truth: the `orders` and `order_lines` columns. The domain's OMS order
 * (what the payload rules, the shipping CSV and the intake's comparison read) is derived from
 * them here and nowhere else, so a status moved by the admin or the worker is seen by every
 * reader at once and nothing else has to be kept in step with it.
 */

/** The columns of an order that hold what the intake accepted (references and lines apart). */
export type OrderContent = Pick<
  Order,
  | 'orderNumber'
  | 'orderedAt'
  | 'shipToName'
  | 'shipToPostalCode'
  | 'shipToAddress'
  | 'shipToPhone'
  | 'deliveryDate'
  | 'shippingDate'
  | 'shippingFee'
  | 'commission'
  | 'giftWrapFee'
  | 'pointUse'
  | 'coupon'
  | 'mallCoupon'
  | 'adjustment'
  | 'externalTax'
  | 'total'
>;

/** The columns of an order line that hold what the intake accepted. */
export type OrderLineContent = Pick<
  OrderLine,
  'productCode' | 'managementNumber' | 'name' | 'unitPrice' | 'quantity' | 'isEnclosure'
>;

/** What the references of an order are called in the OMS order. */
interface OrderReferences {
  shopId: string;
  paymentMethodId: string;
  statusId: string;
}

/** The order columns an accepted OMS order is stored in. */
export function orderContentOf(o: OmsOrder): Required<OrderContent> {
  return {
    orderNumber: o.orderNumber,
    orderedAt: new Date(o.orderedAt),
    shipToName: o.shipTo?.name ?? null,
    shipToPostalCode: o.shipTo?.postalCode ?? null,
    shipToAddress: o.shipTo?.address ?? null,
    shipToPhone: o.shipTo?.phone ?? null,
    deliveryDate: o.deliveryDate,
    shippingDate: o.shippingDate,
    shippingFee: o.shippingFee,
    commission: o.commission,
    giftWrapFee: o.giftWrapFee,
    pointUse: o.pointUse,
    coupon: o.coupon,
    mallCoupon: o.mallCoupon,
    adjustment: o.adjustment,
    externalTax: o.externalTax,
    total: o.total ?? null,
  };
}

/** The order line columns an accepted OMS order line is stored in. */
export function lineContentOf(l: OmsOrderLine): Required<OrderLineContent> {
  return {
    productCode: l.productCode,
    managementNumber: l.managementNumber,
    name: l.name,
    unitPrice: l.unitPrice,
    quantity: l.quantity,
    isEnclosure: l.isEnclosure,
  };
}

/** The OMS order of some order columns, lines apart. */
function headerFrom(refs: OrderReferences, c: OrderContent): Omit<OmsOrder, 'lines'> {
  const shipTo = {
    ...(c.shipToName == null ? {} : { name: c.shipToName }),
    ...(c.shipToPostalCode == null ? {} : { postalCode: c.shipToPostalCode }),
    ...(c.shipToAddress == null ? {} : { address: c.shipToAddress }),
    ...(c.shipToPhone == null ? {} : { phone: c.shipToPhone }),
  };
  return {
    shopId: refs.shopId,
    orderNumber: c.orderNumber,
    orderedAt: c.orderedAt.toISOString(),
    paymentMethodId: refs.paymentMethodId,
    shippingFee: c.shippingFee,
    commission: c.commission,
    giftWrapFee: c.giftWrapFee,
    pointUse: c.pointUse,
    coupon: c.coupon,
    mallCoupon: c.mallCoupon,
    adjustment: c.adjustment,
    externalTax: c.externalTax,
    ...(c.total == null ? {} : { total: c.total }),
    deliveryDate: c.deliveryDate ?? null,
    shippingDate: c.shippingDate ?? null,
    statusId: refs.statusId,
    ...(Object.keys(shipTo).length === 0 ? {} : { shipTo }),
  };
}

/** A stored order line as the domain's OMS order line. */
export function toOmsOrderLine(l: OrderLineContent): OmsOrderLine {
  return {
    productCode: l.productCode ?? null,
    managementNumber: l.managementNumber ?? null,
    name: l.name,
    unitPrice: l.unitPrice,
    quantity: l.quantity,
    isEnclosure: l.isEnclosure,
  };
}

const referencesOf = (order: Order): OrderReferences => ({
  shopId: order.shop.id,
  paymentMethodId: order.paymentMethod.id,
  statusId: order.status.id,
});

/**
 * {@link toOmsOrder} without the lines, for readers that have not loaded them (the order list).
 */
export function toOmsOrderWithoutLines(order: Order): Omit<OmsOrder, 'lines'> {
  return headerFrom(referencesOf(order), order);
}

/**
 * A stored order as the domain's OMS order, lines in line order. The lines must be loaded
 * (`orders.findWithLines`, `orders.findInStatuses`, `em.populate`). `orderedAt` is the instant
 * in UTC (`toISOString`): the offset the OMS wrote it with is not kept.
 */
export function toOmsOrder(order: Order): OmsOrder {
  const lines = [...order.lines.getItems()].sort((a, b) => a.lineNo - b.lineNo);
  return { ...headerFrom(referencesOf(order), order), lines: lines.map(toOmsOrderLine) };
}

/**
 * An accepted OMS order as {@link toOmsOrder} will read it back once stored (the instant of
 * `orderedAt` in UTC, an empty ship-to left out): what a stored order is compared with.
 */
export function asStoredOmsOrder(o: OmsOrder): OmsOrder {
  return {
    ...headerFrom(o, orderContentOf(o)),
    lines: o.lines.map((l) => toOmsOrderLine(lineContentOf(l))),
  };
}
