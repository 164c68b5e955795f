/**
 * Every operation the simulator serves, with the scope it checks and whether its path and shape
 * are confirmed by a source (its tag, see docs/smaregi-wire.md §0) or modeled by Renkei
 * (docs/smaregi-wire.md §11). The README table is this list; a test proves each one is routed.
 */
export interface OperationInfo {
  host: 'id' | 'api';
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path; on the API host relative to `/{contract_id}`. */
  path: string;
  /** Scope checked (API host), or null. */
  scope: string | null;
  basis: 'confirmed' | 'modeled';
  /** Where the path and shape come from. */
  source: string;
}

export const OPERATIONS: readonly OperationInfo[] = [
  {
    host: 'id',
    method: 'GET',
    path: '/authorize',
    scope: null,
    basis: 'confirmed',
    source:
      '[CODE] kanryu, JoBins, nonz250, omniauth-smaregi (docs/smaregi-wire.md §2.2); login/consent pages modeled',
  },
  {
    host: 'id',
    method: 'POST',
    path: '/authorize/token',
    scope: null,
    basis: 'confirmed',
    source: '[CODE] omniauth-smaregi token_url, nonz250 (docs/smaregi-wire.md §2.2)',
  },
  {
    host: 'id',
    method: 'GET',
    path: '/userinfo',
    scope: null,
    basis: 'confirmed',
    source: '[CODE] omniauth-smaregi, JoBins (docs/smaregi-wire.md §2.2)',
  },
  {
    host: 'id',
    method: 'POST',
    path: '/userinfo',
    scope: null,
    basis: 'confirmed',
    source: '[CODE] nonz250 SmaregiUser.php (docs/smaregi-wire.md §2.2)',
  },
  {
    host: 'id',
    method: 'POST',
    path: '/app/{contract_id}/token',
    scope: null,
    basis: 'confirmed',
    source: '[OFF] common spec; [CODE] kanryu fixture (docs/smaregi-wire.md §2.1)',
  },

  {
    host: 'api',
    method: 'GET',
    path: '/pos/products',
    scope: 'pos.products:read',
    basis: 'confirmed',
    source: '[OFF] POS spec paging example; filters [SEC] Asinoura (docs/smaregi-wire.md §4.1)',
  },
  {
    host: 'api',
    method: 'GET',
    path: '/pos/products/{product_id}',
    scope: 'pos.products:read',
    basis: 'confirmed',
    source: '[SEC] (docs/smaregi-wire.md §4.1); fields [OFF] bulk schemas',
  },
  {
    host: 'api',
    method: 'POST',
    path: '/pos/products',
    scope: 'pos.products:write',
    basis: 'confirmed',
    source: '[CODE] arcplg Products.php; constraints [OFF] postproductsbulk',
  },
  {
    host: 'api',
    method: 'PATCH',
    path: '/pos/products/{product_id}',
    scope: 'pos.products:write',
    basis: 'confirmed',
    source: '[CODE] arcplg updateProduct; constraints [OFF] patchproductsbulk',
  },
  {
    host: 'api',
    method: 'DELETE',
    path: '/pos/products/{product_id}',
    scope: 'pos.products:write',
    basis: 'confirmed',
    source: '[SEC] (docs/smaregi-wire.md §4.1); answer 204 modeled',
  },
  {
    host: 'api',
    method: 'GET',
    path: '/pos/categories',
    scope: 'pos.products:read',
    basis: 'confirmed',
    source:
      '[SEC] SmaregiMCP POS spec paths/categories (docs/smaregi-wire.md §4.8); fields modeled',
  },
  {
    host: 'api',
    method: 'GET',
    path: '/pos/categories/{category_id}',
    scope: 'pos.products:read',
    basis: 'confirmed',
    source:
      '[SEC] SmaregiMCP POS spec paths/categories (docs/smaregi-wire.md §4.8); fields modeled',
  },
  {
    host: 'api',
    method: 'POST',
    path: '/pos/categories',
    scope: 'pos.products:write',
    basis: 'confirmed',
    source:
      '[SEC] SmaregiMCP POS spec paths/categories (docs/smaregi-wire.md §4.8); fields modeled',
  },
  {
    host: 'api',
    method: 'GET',
    path: '/pos/stock',
    scope: 'pos.stock:read',
    basis: 'confirmed',
    source: '[OFF] getstock (docs/smaregi-wire.md §4.2)',
  },
  {
    host: 'api',
    method: 'PATCH',
    path: '/pos/stock/{product_id}',
    scope: 'pos.stock:write',
    basis: 'confirmed',
    source: '[OFF] patchstockproductid (docs/smaregi-wire.md §4.2)',
  },
  {
    host: 'api',
    method: 'POST',
    path: '/pos/stock/{product_id}/add',
    scope: 'pos.stock:write',
    basis: 'confirmed',
    source:
      '[OFF] poststockproductidadd (docs/smaregi-wire.md §4.2); response body [SEC] SmaregiMCP StockUpdate',
  },
  {
    host: 'api',
    method: 'PATCH',
    path: '/pos/stock/bulk',
    scope: 'pos.stock:write',
    basis: 'confirmed',
    source:
      '[OFF] patchstockbulk (docs/smaregi-wire.md §4.2); callback body an array [OFF], its fields modeled',
  },
  {
    host: 'api',
    method: 'POST',
    path: '/pos/stock/add/bulk',
    scope: 'pos.stock:write',
    basis: 'confirmed',
    source:
      '[OFF] poststockaddbulk (docs/smaregi-wire.md §4.2); callback body an array [OFF], its fields modeled',
  },
  {
    host: 'api',
    method: 'GET',
    path: '/pos/stores',
    scope: 'pos.stores:read',
    basis: 'confirmed',
    source:
      '[CODE] JoBins getStores, feedforce spec (docs/smaregi-wire.md §4.3); with_* [SEC] Asinoura',
  },
  {
    host: 'api',
    method: 'GET',
    path: '/pos/stores/{store_id}',
    scope: 'pos.stores:read',
    basis: 'confirmed',
    source:
      '[CODE] arcplg Shops.php, feedforce spec (docs/smaregi-wire.md §4.3); with_* [SEC] Asinoura',
  },
  {
    host: 'api',
    method: 'GET',
    path: '/pos/payment_methods',
    scope: 'pos.transactions:read',
    basis: 'confirmed',
    source: '[OFF] getpaymentmethods (docs/smaregi-wire.md §4.5); scope modeled',
  },
  {
    host: 'api',
    method: 'GET',
    path: '/pos/payment_methods/{payment_method_id}',
    scope: 'pos.transactions:read',
    basis: 'confirmed',
    source: '[CODE] arcplg PaymentMethods.php (docs/smaregi-wire.md §4.5); scope modeled',
  },

  {
    host: 'api',
    method: 'GET',
    path: '/order-shipment/stores/{store_id}',
    scope: 'order-shipment.stores:read',
    basis: 'confirmed',
    source:
      '[OFF] getstoresstoreid (docs/smaregi-wire.md §4.4); stockStoreId/autoAllocation modeled',
  },
  {
    host: 'api',
    method: 'GET',
    path: '/order-shipment/stores',
    scope: 'order-shipment.stores:read',
    basis: 'modeled',
    source: 'docs/smaregi-wire.md §11',
  },
  {
    host: 'api',
    method: 'POST',
    path: '/order-shipment/stores',
    scope: 'order-shipment.stores:write',
    basis: 'modeled',
    source: 'docs/smaregi-wire.md §11 (storeCode uniqueness [OFF])',
  },
  {
    host: 'api',
    method: 'POST',
    path: '/order-shipment/orders',
    scope: 'order-shipment.orders:write',
    basis: 'modeled',
    source:
      'docs/smaregi-wire.md §11; header fields, ranges and total formula [OFF] order-shipment apidoc',
  },
  {
    host: 'api',
    method: 'GET',
    path: '/order-shipment/orders',
    scope: 'order-shipment.orders:read',
    basis: 'modeled',
    source: 'docs/smaregi-wire.md §11',
  },
  {
    host: 'api',
    method: 'GET',
    path: '/order-shipment/orders/{orderHeadId}',
    scope: 'order-shipment.orders:read',
    basis: 'modeled',
    source: 'docs/smaregi-wire.md §11',
  },
  {
    host: 'api',
    method: 'POST',
    path: '/order-shipment/orders/{orderHeadId}/allocation',
    scope: 'order-shipment.orders:write',
    basis: 'modeled',
    source: 'docs/smaregi-wire.md §11',
  },
  {
    host: 'api',
    method: 'POST',
    path: '/order-shipment/orders/shipping/bulk',
    scope: 'order-shipment.orders:write',
    basis: 'modeled',
    source: 'docs/smaregi-wire.md §11',
  },
  {
    host: 'api',
    method: 'POST',
    path: '/order-shipment/orders/{orderHeadId}/cancel',
    scope: 'order-shipment.orders:write',
    basis: 'modeled',
    source: 'docs/smaregi-wire.md §11',
  },
  {
    host: 'api',
    method: 'GET',
    path: '/order-shipment/stock',
    scope: 'order-shipment.stock:read',
    basis: 'modeled',
    source: 'docs/smaregi-wire.md §11 (scope [OFF])',
  },
];
