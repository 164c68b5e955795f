import { Collection, EntitySchema, OptionalProps } from '@mikro-orm/core';
import { idColumn } from '../ids.js';
import { PaymentMethod } from '../catalog/payment-method.entity.js';
import { Shop } from '../catalog/shop.entity.js';
import { Tenant } from '../tenancy/tenant.entity.js';
import { OrderLine } from './order-line.entity.js';

/**
 * Where an order stands towards Smaregi (the merchant filters by it):
 * - `waiting`: not sent yet because something must be fixed first (`syncReason` says what)
 *   or the integration is off;
 * - `pending`: queued for registration;
 * - `registered`: exists in Smaregi (`smaregiOrderHeadId`);
 * - `failed`: Smaregi refused it with a deterministic error (`lastSyncError`), retry after fixing;
 * - `canceled`: cancelled on both sides.
 */
export const ORDER_SYNC_STATES = [
  'waiting',
  'pending',
  'registered',
  'failed',
  'canceled',
] as const;
export type OrderSyncState = (typeof ORDER_SYNC_STATES)[number];

/** Where an order came from. */
export const ORDER_SOURCES = ['api', 'csv', 'admin', 'demo'] as const;
export type OrderSource = (typeof ORDER_SOURCES)[number];

/** 受注: an order held in Renkei's OMS, with its money fields in yen (integers). */
export class Order {
  [OptionalProps]?:
    | 'createdAt'
    | 'updatedAt'
    | 'syncState'
    | 'syncAttempts'
    | 'carriage'
    | 'commission'
    | 'giftWrapPrice'
    | 'pointDiscount'
    | 'couponDiscount'
    | 'promotionDiscount'
    | 'adjustment'
    | 'taxExclude'
    | 'lines';
  id!: string;
  tenant!: Tenant;
  shop!: Shop;
  /** The order number as the mall gave it (display, idempotency with the shop). */
  orderNumber!: string;
  /** The Smaregi order code derived from it by the domain rules (ASCII, <= 50). */
  orderCode!: string;
  /** Code of an OrderStatus of the same tenant. */
  status!: string;
  orderedAt!: Date;
  paymentMethod?: PaymentMethod | null;
  customerName?: string | null;
  shippingName?: string | null;
  shippingPostalCode?: string | null;
  shippingAddress?: string | null;
  shippingPhone?: string | null;
  /** YYYY-MM-DD */
  deliveryDate?: string | null;
  /** YYYY-MM-DD; required before bulk shipping. */
  shippingDate?: string | null;
  slipNumber?: string | null;
  carriage = 0;
  commission = 0;
  giftWrapPrice = 0;
  pointDiscount = 0;
  couponDiscount = 0;
  promotionDiscount = 0;
  /** 調整額, may be negative. */
  adjustment = 0;
  taxExclude = 0;
  total!: number;
  memo?: string | null;
  /** Everything else the intake accepted, kept verbatim for the domain rules. */
  extra?: Record<string, unknown> | null;
  /** SHA-256 of the canonical intake content: same content again = same order. */
  contentHash!: string;
  source!: OrderSource;
  lines = new Collection<OrderLine>(this);
  syncState: OrderSyncState = 'waiting';
  syncReason?: string | null;
  smaregiOrderHeadId?: string | null;
  /** unallocated | partial | allocated, as read from Smaregi (or planned by Renkei). */
  allocationStatus?: string | null;
  syncAttempts = 0;
  lastSyncedAt?: Date | null;
  lastSyncError?: string | null;
  createdAt: Date = new Date();
  updatedAt: Date = new Date();
}

export const OrderSchema = new EntitySchema<Order>({
  class: Order,
  tableName: 'orders',
  uniques: [
    { name: 'orders_tenant_shop_number_unique', properties: ['tenant', 'shop', 'orderNumber'] },
  ],
  indexes: [
    { name: 'orders_tenant_status_idx', properties: ['tenant', 'status'] },
    { name: 'orders_tenant_sync_state_idx', properties: ['tenant', 'syncState'] },
    { name: 'orders_tenant_created_idx', properties: ['tenant', 'createdAt'] },
    { name: 'orders_tenant_code_idx', properties: ['tenant', 'orderCode'] },
  ],
  properties: {
    id: { ...idColumn },
    tenant: { kind: 'm:1', entity: () => Tenant, deleteRule: 'cascade' },
    shop: { kind: 'm:1', entity: () => Shop },
    orderNumber: { type: 'string', length: 100 },
    orderCode: { type: 'string', length: 50 },
    status: { type: 'string', length: 50 },
    orderedAt: { type: 'datetime' },
    paymentMethod: {
      kind: 'm:1',
      entity: () => PaymentMethod,
      nullable: true,
      deleteRule: 'set null',
    },
    customerName: { type: 'string', length: 200, nullable: true },
    shippingName: { type: 'string', length: 200, nullable: true },
    shippingPostalCode: { type: 'string', length: 10, nullable: true },
    shippingAddress: { type: 'string', length: 500, nullable: true },
    shippingPhone: { type: 'string', length: 30, nullable: true },
    deliveryDate: { type: 'string', length: 10, nullable: true },
    shippingDate: { type: 'string', length: 10, nullable: true },
    slipNumber: { type: 'string', length: 50, nullable: true },
    carriage: { type: 'integer', default: 0 },
    commission: { type: 'integer', default: 0 },
    giftWrapPrice: { type: 'integer', default: 0 },
    pointDiscount: { type: 'integer', default: 0 },
    couponDiscount: { type: 'integer', default: 0 },
    promotionDiscount: { type: 'integer', default: 0 },
    adjustment: { type: 'integer', default: 0 },
    taxExclude: { type: 'integer', default: 0 },
    total: { type: 'integer' },
    memo: { type: 'text', nullable: true },
    extra: { type: 'json', nullable: true },
    contentHash: { type: 'string', length: 64 },
    source: { type: 'string', length: 10 },
    lines: { kind: '1:m', entity: () => OrderLine, mappedBy: 'order', orderBy: { lineNo: 'asc' } },
    syncState: { type: 'string', length: 20, default: 'waiting' },
    syncReason: { type: 'text', nullable: true },
    smaregiOrderHeadId: { type: 'string', length: 50, nullable: true },
    allocationStatus: { type: 'string', length: 20, nullable: true },
    syncAttempts: { type: 'integer', default: 0 },
    lastSyncedAt: { type: 'datetime', nullable: true },
    lastSyncError: { type: 'text', nullable: true },
    createdAt: { type: 'datetime', onCreate: () => new Date() },
    updatedAt: { type: 'datetime', onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});
