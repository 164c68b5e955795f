import { Collection, EntitySchema, OptionalProps } from '@mikro-orm/core';
import type { MessageRef } from '@renkei/domain';
import { idColumn } from '../ids.js';
import { dateTimeColumn } from '../columns.js';
import { OrderStatus } from '../catalog/order-status.entity.js';
import { PaymentMethod } from '../catalog/payment-method.entity.js';
import { Shop } from '../catalog/shop.entity.js';
import { messageColumns, storedMessage } from '../stored-message.js';
import { Tenant } from '../tenancy/tenant.entity.js';
import { OrderLine } from './order-line.entity.js';

/**
 * Where an order stands towards Smaregi (the merchant filters by it):
 * - `waiting`: not sent yet because something must be fixed first (`syncReason` says what)
 *   or the integration is off;
 * - `pending`: queued for registration;
 * - `registered`: exists in Smaregi (`smaregiOrderHeadId`);
 * - `failed`: Smaregi refused it with a deterministic error (`lastSyncError`), retry after fixing;
 * - `needsCheck` (要確認): an earlier attempt's outcome is unknown and Smaregi could not tell
 *   whether the order is there (`syncReason` says why); never sent again by itself — the
 *   merchant checks Smaregi, and a retry reads Smaregi again before sending;
 * - `canceled`: cancelled on both sides.
 * (A plain string column: a new value needs no migration.)
 */
export const ORDER_SYNC_STATES = [
  'waiting',
  'pending',
  'registered',
  'failed',
  'needsCheck',
  'canceled',
] as const;
export type OrderSyncState = (typeof ORDER_SYNC_STATES)[number];

/** Where an order came from. */
export const ORDER_SOURCES = ['api', 'csv', 'admin', 'demo'] as const;
export type OrderSource = (typeof ORDER_SOURCES)[number];

/**
 * 受注: an order held in Renkei's OMS, with its money fields in yen (integers). The columns (with
 * the lines) are the order's only record: the domain's OMS order is derived from them by
 * `toOmsOrder` (oms-order.ts), for the worker, the shipping CSV and the intake's comparison alike.
 */
export class Order {
  [OptionalProps]?:
    | 'createdAt'
    | 'updatedAt'
    | 'syncState'
    | 'syncAttempts'
    | 'shippingFee'
    | 'commission'
    | 'giftWrapFee'
    | 'pointUse'
    | 'coupon'
    | 'mallCoupon'
    | 'adjustment'
    | 'externalTax'
    | 'lines';
  id!: string;
  tenant!: Tenant;
  shop!: Shop;
  /** The order number as the mall gave it (display, idempotency with the shop). */
  orderNumber!: string;
  /** The Smaregi order code derived from it by the domain (`toSmaregiOrderCode`: ASCII, <= 50). */
  orderCode!: string;
  status!: OrderStatus;
  orderedAt!: Date;
  paymentMethod!: PaymentMethod;
  shipToName?: string | null;
  shipToPostalCode?: string | null;
  shipToAddress?: string | null;
  shipToPhone?: string | null;
  /** YYYY-MM-DD */
  deliveryDate?: string | null;
  /** YYYY-MM-DD; required before bulk shipping. */
  shippingDate?: string | null;
  slipNumber?: string | null;
  /** 送料 (Smaregi `carriage`). */
  shippingFee = 0;
  commission = 0;
  /** ギフト包装料 (Smaregi `giftWrapPrice`). */
  giftWrapFee = 0;
  /** ポイント利用額 (Smaregi `totalPointDiscount`). */
  pointUse = 0;
  /** クーポン値引き (Smaregi `totalCouponDiscount`). */
  coupon = 0;
  /** モールクーポン値引き (Smaregi `subtotalCouponDiscount`). */
  mallCoupon = 0;
  /** 調整額, may be negative. */
  adjustment = 0;
  /** 外税額 (Smaregi `taxExclude`). */
  externalTax = 0;
  /** 請求金額 as the OMS sent it (null when it did not). */
  total?: number | null;
  source!: OrderSource;
  lines = new Collection<OrderLine>(this);
  syncState: OrderSyncState = 'waiting';
  /**
   * Why the order waits or needs the merchant (held, 要確認, an automatic action skipped), as a
   * code of the domain's message catalog with its parameters: rendered in the reader's language
   * (see {@link syncReasonOf}). Null when nothing is in the way.
   */
  syncReasonCode?: string | null;
  syncReasonParams?: Record<string, unknown> | null;
  smaregiOrderHeadId?: string | null;
  /** unallocated | partial | allocated, as read from Smaregi (or planned by Renkei). */
  allocationStatus?: string | null;
  syncAttempts = 0;
  lastSyncedAt?: Date | null;
  /** What Smaregi refused last (registration, shipping), as a message code with parameters. */
  lastSyncErrorCode?: string | null;
  lastSyncErrorParams?: Record<string, unknown> | null;
  createdAt: Date = new Date();
  updatedAt: Date = new Date();
  /**
   * Where the order's last change stands in the change feed (`GET /api/v1/orders`) and when it
   * was made: set by database triggers on every write to the order, its lines or its shipment
   * (Migration20261203010000), never by the application; not loaded unless asked for.
   */
  feedPosition?: string | null;
  feedChangedAt?: Date | null;
}

export const OrderSchema = new EntitySchema<Order>({
  class: Order,
  tableName: 'orders',
  // Idempotency key of the intake: the Smaregi order code (the normalised order number) per
  // shop, so `ＲＴ－１` and `RT-1` are the same order and can never become two Smaregi orders.
  uniques: [
    { name: 'orders_tenant_shop_code_unique', properties: ['tenant', 'shop', 'orderCode'] },
  ],
  indexes: [
    { name: 'orders_tenant_sync_state_idx', properties: ['tenant', 'syncState'] },
    { name: 'orders_tenant_created_idx', properties: ['tenant', 'createdAt'] },
    { name: 'orders_tenant_number_idx', properties: ['tenant', 'orderNumber'] },
    // The order list (newest 受注日時 first) with each of its filters (Migration20261201060000).
    { name: 'orders_tenant_ordered_idx', properties: ['tenant', 'orderedAt'] },
    { name: 'orders_tenant_shop_ordered_idx', properties: ['tenant', 'shop', 'orderedAt'] },
    { name: 'orders_tenant_status_ordered_idx', properties: ['tenant', 'status', 'orderedAt'] },
    { name: 'orders_tenant_sync_ordered_idx', properties: ['tenant', 'syncState', 'orderedAt'] },
    {
      name: 'orders_tenant_allocation_ordered_idx',
      properties: ['tenant', 'allocationStatus', 'orderedAt'],
    },
    { name: 'orders_tenant_shipping_date_idx', properties: ['tenant', 'shippingDate'] },
    // Smaregi's order webhooks name the order by its 受注 ID (Migration20261202070000).
    { name: 'orders_tenant_smaregi_head_idx', properties: ['tenant', 'smaregiOrderHeadId'] },
    // The change feed reads a tenant's orders in position order, `updatedSince` checked on the
    // index itself (changes/change-feed.ts).
    {
      name: 'orders_tenant_feed_idx',
      properties: ['tenant', 'feedPosition', 'id', 'feedChangedAt'],
    },
  ],
  properties: {
    id: { ...idColumn },
    tenant: { kind: 'm:1', entity: () => Tenant, deleteRule: 'cascade' },
    shop: { kind: 'm:1', entity: () => Shop },
    orderNumber: { type: 'string', length: 255 },
    orderCode: { type: 'string', length: 50 },
    status: { kind: 'm:1', entity: () => OrderStatus },
    orderedAt: { ...dateTimeColumn },
    paymentMethod: { kind: 'm:1', entity: () => PaymentMethod },
    shipToName: { type: 'string', length: 255, nullable: true },
    shipToPostalCode: { type: 'string', length: 16, nullable: true },
    shipToAddress: { type: 'string', length: 500, nullable: true },
    shipToPhone: { type: 'string', length: 32, nullable: true },
    deliveryDate: { type: 'string', length: 10, nullable: true },
    shippingDate: { type: 'string', length: 10, nullable: true },
    slipNumber: { type: 'string', length: 50, nullable: true },
    shippingFee: { type: 'integer', default: 0 },
    commission: { type: 'integer', default: 0 },
    giftWrapFee: { type: 'integer', default: 0 },
    pointUse: { type: 'integer', default: 0 },
    coupon: { type: 'integer', default: 0 },
    mallCoupon: { type: 'integer', default: 0 },
    adjustment: { type: 'integer', default: 0 },
    externalTax: { type: 'integer', default: 0 },
    total: { type: 'integer', nullable: true },
    source: { type: 'string', length: 10 },
    lines: { kind: '1:m', entity: () => OrderLine, mappedBy: 'order', orderBy: { lineNo: 'asc' } },
    syncState: { type: 'string', length: 20, default: 'waiting' },
    syncReasonCode: { type: 'string', length: 50, nullable: true },
    syncReasonParams: { type: 'json', nullable: true },
    smaregiOrderHeadId: { type: 'string', length: 50, nullable: true },
    allocationStatus: { type: 'string', length: 20, nullable: true },
    syncAttempts: { type: 'integer', default: 0 },
    lastSyncedAt: { ...dateTimeColumn, nullable: true },
    lastSyncErrorCode: { type: 'string', length: 50, nullable: true },
    lastSyncErrorParams: { type: 'json', nullable: true },
    createdAt: { ...dateTimeColumn, onCreate: () => new Date() },
    updatedAt: { ...dateTimeColumn, onCreate: () => new Date(), onUpdate: () => new Date() },
    feedPosition: { type: 'bigint', nullable: true, lazy: true },
    feedChangedAt: { ...dateTimeColumn, nullable: true, lazy: true },
  },
});

/** Why the order waits or needs the merchant, ready to render; null when nothing is in the way. */
export function syncReasonOf(
  order: Pick<Order, 'syncReasonCode' | 'syncReasonParams'>,
): MessageRef | null {
  return storedMessage(order.syncReasonCode, order.syncReasonParams);
}

/** What Smaregi refused last, ready to render; null when nothing was refused. */
export function lastSyncErrorOf(
  order: Pick<Order, 'lastSyncErrorCode' | 'lastSyncErrorParams'>,
): MessageRef | null {
  return storedMessage(order.lastSyncErrorCode, order.lastSyncErrorParams);
}

/** The columns of an order's reason (for an assignment or a bulk update); null clears it. */
export const syncReasonColumns = (ref: MessageRef | null) => messageColumns('syncReason', ref);

/** The columns of an order's last refusal; null clears it. */
export const lastSyncErrorColumns = (ref: MessageRef | null) =>
  messageColumns('lastSyncError', ref);
