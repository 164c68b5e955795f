import type { SimulatorContext } from '../context.js';
import type { StockChange } from '../state/stock.js';

/**
 * Builders of the webhook bodies. Bodies carry IDs only, as the real ones do (docs/smaregi-wire.md
 * §6.2).
 * - `pos:stock` [OFF postwebhookstock]: `{contractId, event, action, ids:[{id, productId, storeId}]}`
 * - `pos:products` `{contractId, event, action, productIds}` [SEC] (docs/smaregi-wire.md §6.2)
 * - `order-shipment:orders` [OFF postwebhookorders]: `{contractId, event, action, storeId, orderHeadIds}`
 * - `AppSubscription` [SEC SmaregiMCP AppSubscriptionWebhook.yaml], sent to the app's own
 *   利用者契約通知先URL (docs/smaregi-wire.md §6.3)
 */
export function emitStock(
  ctx: SimulatorContext,
  contractId: string,
  action: 'edited' | 'bulk-update',
  changes: readonly StockChange[],
): void {
  if (changes.length === 0) return;
  ctx.webhooks.emit(contractId, 'pos:stock', {
    contractId,
    event: 'pos:stock',
    action,
    ids: changes.map((c) => ({ id: c.historyId, productId: c.productId, storeId: c.storeId })),
  });
}

export function emitProducts(
  ctx: SimulatorContext,
  contractId: string,
  action: 'created' | 'edited' | 'deleted' | 'bulk-update',
  productIds: readonly string[],
): void {
  if (productIds.length === 0) return;
  ctx.webhooks.emit(contractId, 'pos:products', {
    contractId,
    event: 'pos:products',
    action,
    productIds: [...productIds],
  });
}

export function emitOrders(
  ctx: SimulatorContext,
  contractId: string,
  action: 'shipped' | 'canceled',
  storeId: string,
  orderHeadIds: readonly string[],
): void {
  if (orderHeadIds.length === 0) return;
  ctx.webhooks.emit(contractId, 'order-shipment:orders', {
    contractId,
    event: 'order-shipment:orders',
    action,
    storeId,
    orderHeadIds: [...orderHeadIds],
  });
}

export function emitTransactions(
  ctx: SimulatorContext,
  contractId: string,
  transactionHeadIds: readonly string[],
): void {
  ctx.webhooks.emit(contractId, 'pos:transactions', {
    contractId,
    event: 'pos:transactions',
    action: 'created',
    transactionHeadIds: [...transactionHeadIds],
  });
}

/** Actions of the app subscription notice (利用者通知). */
export type AppSubscriptionAction =
  'start' | 'end' | 'change-plan' | 'change-options' | 'force-stop' | 'cancel-force-stop';

export function emitAppSubscription(
  ctx: SimulatorContext,
  contractId: string,
  clientId: string,
  action: AppSubscriptionAction,
  date: string,
): void {
  ctx.webhooks.emit(contractId, 'AppSubscription', {
    contractId,
    event: 'AppSubscription',
    action,
    date,
    clientId,
    plan: { trial_days: 0, price: 0, unit_price: 0, quantity: 1, name: 'デモプラン' },
    options: [],
  });
}
