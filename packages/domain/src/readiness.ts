import type { TaxMode } from './master-data.js';
import type { LocalizedMessage } from './messages.js';
import type { ProductIndex } from './product-index.js';
import {
  allocationInquiryCheck,
  bulkShippingCheck,
  connectionCheck,
  orderStoreWarehouseCheck,
  paymentMethodsCheck,
  productCodeCheck,
  productsImportedCheck,
  readinessView,
  shopsMappedCheck,
  taxModeCheck,
  type Check,
} from './readiness-checks.js';
import type { IntegrationSettings } from './settings.js';

/*
 * Readiness checklist (docs/flows.md §2): what must be true on both sides before the merchant may
 * switch the integration on. Pure: it reads a snapshot the caller assembled. Every item has an id,
 * passed or not, a message in Japanese and English, where to fix it (an admin route id, or
 * `smaregi.orderStores` for a setting made in Smaregi's own admin) and whether it blocks starting.
 * The items themselves are in readiness-checks.ts.
 */

export { PRODUCT_SYNC_SCOPES, REQUIRED_SMAREGI_SCOPES } from './readiness-checks.js';

/** Where a readiness item is fixed: admin screen route ids, or Smaregi's own admin. */
export const readinessFixLocations = [
  'settings.connection',
  'settings.orderSync',
  'settings.allocation',
  'settings.bulkShipping',
  'shops',
  'paymentMethods',
  'products',
  'smaregi.orderStores',
] as const;
export type ReadinessFixLocation = (typeof readinessFixLocations)[number];

export const readinessItemIds = [
  'connection',
  'shopsMapped',
  'orderStoreWarehouse',
  'taxModeMatches',
  'paymentMethodsMapped',
  'adjustmentProductCode',
  'dummyProductCode',
  'allocationInquirySettings',
  'productsImported',
  'bulkShippingStatus',
] as const;
export type ReadinessItemId = (typeof readinessItemIds)[number];

export interface ReadinessSnapshot {
  settings: IntegrationSettings;
  /** null = never connected. */
  connection: {
    status: 'active' | 'expired' | 'revoked' | 'error';
    grantedScopes: readonly string[];
  } | null;
  shops: readonly {
    id: string;
    name: string;
    active: boolean;
    taxMode: TaxMode;
    orderStoreId: string | null;
    /**
     * 倉庫 and 自動引当 of the shop's 受注店舗, as Renkei stores them (prefilled from Smaregi
     * when Smaregi sends them, else set by the merchant); null = unknown.
     */
    warehouseStoreId: string | null;
    autoAllocation: boolean | null;
  }[];
  /** Smaregi 受注店舗, read live (only confirmed fields). */
  orderStores: readonly {
    storeId: string;
    storeName: string;
    /** null when Smaregi did not send it: nothing to compare (see `compareTaxMode`). */
    sellDivision: TaxMode | null;
  }[];
  paymentMethods: readonly { id: string; name: string; smaregiPaymentMethodId: string | null }[];
  /** OMS payment method IDs used by recent orders. */
  recentPaymentMethodIds: readonly string[];
  /** Smaregi payment method IDs that exist. */
  smaregiPaymentMethodIds: readonly string[];
  /** Imported products (to check the adjustment and dummy product codes exist in Smaregi). */
  products: ProductIndex;
  importedProductCount: number;
  /** IDs of the OMS order statuses that exist. */
  orderStatusIds: readonly string[];
}

export interface ReadinessItem {
  id: ReadinessItemId;
  passed: boolean;
  /** A failing blocking item keeps the integration from being switched on. */
  blocking: boolean;
  message: LocalizedMessage;
  fixAt: ReadinessFixLocation;
  /** What exactly is wrong (shop names, payment method names, missing scopes ...). */
  details: string[];
}

export interface ReadinessResult {
  items: ReadinessItem[];
  /** True when no blocking item fails. */
  canStart: boolean;
}

/** Evaluates the readiness checklist. Never throws; a missing part of the snapshot fails its item. */
export function checkReadiness(snapshot: ReadinessSnapshot): ReadinessResult {
  const view = readinessView(snapshot);
  const s = view.settings;
  const items: ReadinessItem[] = [];
  const add = (id: ReadinessItemId, blocking: boolean, fixAt: ReadinessFixLocation, c: Check) =>
    items.push({
      id,
      passed: c.passed,
      blocking,
      message: c.message,
      fixAt,
      details: c.details ?? [],
    });

  add('connection', true, 'settings.connection', connectionCheck(view));
  add('shopsMapped', true, 'shops', shopsMappedCheck(view));
  add('orderStoreWarehouse', true, 'shops', orderStoreWarehouseCheck(view));
  add('taxModeMatches', true, 'shops', taxModeCheck(view));
  add('paymentMethodsMapped', true, 'paymentMethods', paymentMethodsCheck(view));
  add(
    'adjustmentProductCode',
    true,
    'settings.orderSync',
    productCodeCheck(
      s.adjustmentProductCode,
      '調整額用商品番号',
      'adjustment product code',
      view.productExists,
    ),
  );
  add(
    'dummyProductCode',
    true,
    'settings.orderSync',
    productCodeCheck(
      s.dummyProductCode,
      'ダミー商品番号',
      'dummy product code',
      view.productExists,
    ),
  );
  add('allocationInquirySettings', true, 'settings.allocation', allocationInquiryCheck(view));
  add('productsImported', true, 'products', productsImportedCheck(view));
  // An optional feature: not blocking.
  add('bulkShippingStatus', false, 'settings.bulkShipping', bulkShippingCheck(view));

  return { items, canStart: items.every((i) => i.passed || !i.blocking) };
}
