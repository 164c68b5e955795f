/**
 * The scopes of the Smaregi operations this client offers, and the ones Renkei uses
 * (docs/smaregi-wire.md §3).
 *
 * The app token is always requested with an explicit, space separated `scope`: the official
 * common spec's clients all send it (docs/smaregi-wire.md §2.1). `RENKEI_APP_SCOPES` is the
 * default list of `createSmaregiClient({ appScopes })`; `pnpm smaregi:check` uses
 * `OPERATION_SCOPES` to say which scope an operation that failed with 403 needs.
 */

/** Every operation of the client (its `operation` name in errors) → the scope Smaregi checks. */
export const OPERATION_SCOPES = {
  'pos.products.list': 'pos.products:read',
  'pos.products.get': 'pos.products:read',
  'pos.products.create': 'pos.products:write',
  'pos.products.update': 'pos.products:write',
  'pos.categories.list': 'pos.products:read',
  'pos.categories.get': 'pos.products:read',
  'pos.categories.create': 'pos.products:write',
  'pos.stock.list': 'pos.stock:read',
  'pos.stock.set': 'pos.stock:write',
  'pos.stock.add': 'pos.stock:write',
  'pos.stock.bulkSet': 'pos.stock:write',
  'pos.stock.bulkAdd': 'pos.stock:write',
  'pos.stores.list': 'pos.stores:read',
  'pos.stores.get': 'pos.stores:read',
  // Modeled: the scope of payment methods is unpublished (docs/smaregi-wire.md §4.5).
  'pos.paymentMethods.list': 'pos.transactions:read',
  'pos.paymentMethods.get': 'pos.transactions:read',
  'orderShipment.stores.list': 'order-shipment.stores:read',
  'orderShipment.stores.get': 'order-shipment.stores:read',
  'orderShipment.stores.register': 'order-shipment.stores:write',
  'orderShipment.orders.register': 'order-shipment.orders:write',
  'orderShipment.orders.list': 'order-shipment.orders:read',
  'orderShipment.orders.get': 'order-shipment.orders:read',
  'orderShipment.orders.allocate': 'order-shipment.orders:write',
  'orderShipment.orders.bulkShip': 'order-shipment.orders:write',
  'orderShipment.orders.cancel': 'order-shipment.orders:write',
  'orderShipment.stock.list': 'order-shipment.stock:read',
} as const satisfies Record<string, string>;

export type SmaregiOperation = keyof typeof OPERATION_SCOPES;

/**
 * The operations Renkei's API and worker call: importing products and creating them when product
 * sync is on, reading stock, stores, payment methods and 受注店舗, registering, reading,
 * allocating and shipping orders. `pnpm smaregi:check` probes exactly these.
 */
export const RENKEI_OPERATIONS = [
  'pos.products.list',
  'pos.products.get',
  'pos.products.create',
  'pos.products.update',
  'pos.categories.list',
  'pos.stock.list',
  'pos.stores.list',
  'pos.paymentMethods.list',
  'orderShipment.stores.list',
  'orderShipment.stores.get',
  'orderShipment.orders.register',
  'orderShipment.orders.list',
  'orderShipment.orders.get',
  'orderShipment.orders.allocate',
  'orderShipment.orders.bulkShip',
  'orderShipment.stock.list',
] as const satisfies readonly SmaregiOperation[];

/** The scope an operation needs. */
export function scopeOf(operation: SmaregiOperation): string {
  return OPERATION_SCOPES[operation];
}

/**
 * The app-token scopes Renkei asks for: the scopes of `RENKEI_OPERATIONS`, each once, in that
 * order. They must be registered for the app in the developer portal and approved by the
 * contract (docs/smaregi-wire.md §12).
 */
export const RENKEI_APP_SCOPES: readonly string[] = Object.freeze([
  ...new Set(RENKEI_OPERATIONS.map(scopeOf)),
]);
