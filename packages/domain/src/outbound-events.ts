import { z } from 'zod';

/*
 * Outbound webhooks (docs/webhooks.md): the events Renkei tells an OMS about, their payloads, and
 * which 連携ログ event means which of them. Pure: the worker signs and sends, persistence stores.
 */

/** Every event type an endpoint can subscribe to. */
export const OUTBOUND_EVENT_TYPES = [
  'order.synced',
  'order.held',
  'order.failed',
  'order.allocated',
  'order.shipped',
  'order.canceled',
  'stock.changed',
] as const;
export type OutboundEventType = (typeof OUTBOUND_EVENT_TYPES)[number];

export const outboundEventTypeSchema = z.enum(OUTBOUND_EVENT_TYPES);

/** The order events (all but `stock.changed`): each follows one 連携ログ event of an order. */
export type OrderOutboundEventType = Exclude<OutboundEventType, 'stock.changed'>;

/**
 * The outbound event a 連携ログ event of an order means, by its kind; kinds not listed send
 * nothing (received, updated, status changes, retries asked for, skipped actions: steps the OMS
 * made itself or that change nothing it acts on).
 * - `order.synced`: the order is registered in Smaregi (`order.registered`).
 * - `order.held` (保留: the order waits, nothing is lost, and it goes on by itself or after a
 *   merchant's fix): it waits for a product, shop or setting (`order.waiting`), its send has an
 *   unknown outcome to check (`order.needsCheck`), or its 受注コード collides with another
 *   (`order.codeCollision`).
 * - `order.failed` (a step was refused and needs a person): the order is invalid
 *   (`order.invalid`), or Smaregi refused its registration, allocation, shipping or cancel
 *   (`order.registrationFailed`, `order.allocationFailed`, `order.shippingFailed`,
 *   `order.cancelRefused`).
 * - `order.allocated`, `order.shipped`, `order.canceled`: the 連携ログ kind of the same name.
 */
export const OUTBOUND_TYPE_BY_SYNC_EVENT_KIND: Readonly<Record<string, OrderOutboundEventType>> = {
  'order.registered': 'order.synced',
  'order.waiting': 'order.held',
  'order.needsCheck': 'order.held',
  'order.codeCollision': 'order.held',
  'order.invalid': 'order.failed',
  'order.registrationFailed': 'order.failed',
  'order.allocationFailed': 'order.failed',
  'order.shippingFailed': 'order.failed',
  'order.cancelRefused': 'order.failed',
  'order.allocated': 'order.allocated',
  'order.shipped': 'order.shipped',
  'order.canceled': 'order.canceled',
};

/** The outbound event type a 連携ログ kind means, or null when it sends none. */
export function outboundTypeOfSyncEvent(kind: string): OrderOutboundEventType | null {
  return Object.prototype.hasOwnProperty.call(OUTBOUND_TYPE_BY_SYNC_EVENT_KIND, kind)
    ? OUTBOUND_TYPE_BY_SYNC_EVENT_KIND[kind]!
    : null;
}

/** A message of the 連携ログ as sent: the catalog code, its parameters, its text in both languages. */
export const outboundMessageSchema = z.object({
  code: z.string(),
  params: z.record(z.string(), z.unknown()),
  ja: z.string(),
  en: z.string(),
});

/** `data` of an order event. */
export const orderEventDataSchema = z.object({
  /** Renkei's ID of the order. */
  orderId: z.string(),
  /** The OMS's order number (受注番号), as the REST API names the order. */
  orderNumber: z.string(),
  /** The 受注コード sent to Smaregi. */
  orderCode: z.string(),
  /** Smaregi's 受注 ID once registered. */
  smaregiOrderId: z.string().nullable(),
  /** The 連携ログ kind the event follows (`order.registered`, `order.waiting`, …). */
  logKind: z.string(),
  /** What the merchant reads in the 連携ログ. */
  message: outboundMessageSchema,
  /** When it happened (ISO 8601). */
  at: z.string(),
});
export type OrderEventData = z.infer<typeof orderEventDataSchema>;

/** One product of a `stock.changed` event: its latest figures within the coalescing second. */
export const stockChangeSchema = z.object({
  productCode: z.string(),
  smaregiProductId: z.string().nullable(),
  /** 有効在庫数: what the malls may sell. Null when it cannot be computed yet. */
  effectiveStock: z.number().int().nullable(),
  /** Smaregi's stock the figure came from (under 在庫数合算設定). */
  stockAmount: z.number().int().nullable(),
  /** Smaregi's allocated amount counted, when 有効在庫数計算設定 counts it. */
  allocatedAmount: z.number().int().nullable(),
  /** When the figures changed (ISO 8601). */
  changedAt: z.string(),
});
export type StockChange = z.infer<typeof stockChangeSchema>;

/** `data` of `stock.changed`: one entry per product, each product at most once. */
export const stockChangedDataSchema = z.object({
  products: z.array(stockChangeSchema).min(1),
});
export type StockChangedData = z.infer<typeof stockChangedDataSchema>;

/** The JSON body of every delivery (Standard Webhooks: type, timestamp, data). */
export const outboundEventBodySchema = z.union([
  z.object({
    type: z.literal('stock.changed'),
    timestamp: z.string(),
    data: stockChangedDataSchema,
  }),
  z.object({
    type: outboundEventTypeSchema.exclude(['stock.changed']),
    timestamp: z.string(),
    data: orderEventDataSchema,
  }),
]);
export type OutboundEventBody = z.infer<typeof outboundEventBodySchema>;

/** Products of one `stock.changed` event at most (a larger batch is split into several events). */
export const STOCK_CHANGES_PER_EVENT = 500;

/**
 * How long changes of stock are gathered before they are sent: several changes of one product
 * within it make one entry with the latest figures.
 */
export const STOCK_CHANGE_COALESCE_MS = 1000;
