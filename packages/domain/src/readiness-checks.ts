import { normalizeCode } from './codes.js';
import { listOf } from './list.js';
import type { LocalizedMessage } from './messages.js';
import type { ReadinessSnapshot } from './readiness.js';
import { compareTaxMode } from './shop-rules.js';
import type { IntegrationSettings } from './settings.js';

/*
 * The items of the readiness checklist (readiness.ts), one function each: what it checks and the
 * message the merchant reads, passed or not.
 */

/**
 * Smaregi scopes Renkei needs for the integration (docs/smaregi-wire.md §3: payment methods under
 * pos.transactions:read, modeled).
 */
export const REQUIRED_SMAREGI_SCOPES = [
  'pos.products:read',
  'pos.stock:read',
  'pos.stores:read',
  'pos.transactions:read',
  'order-shipment.orders:read',
  'order-shipment.orders:write',
  'order-shipment.stores:read',
  'order-shipment.stock:read',
] as const;
/** Needed in addition when `productSyncEnabled` (products are created / updated in Smaregi). */
export const PRODUCT_SYNC_SCOPES = ['pos.products:write'] as const;

/** One item's outcome. */
export type Check = { passed: boolean; message: LocalizedMessage; details?: string[] };

const ok = (ja: string, en: string): Check => ({ passed: true, message: { ja, en } });
const ng = (ja: string, en: string, details: string[] = []): Check => ({
  passed: false,
  message: { ja, en },
  details,
});

const isBlank = (v: string | null | undefined) => v === null || v === undefined || v.trim() === '';

/** The snapshot with what several checks look up, computed once. */
export interface ReadinessView {
  snapshot: ReadinessSnapshot;
  settings: IntegrationSettings;
  /** Smaregi's 受注店舗 by ID. */
  stores: Map<string, ReadinessSnapshot['orderStores'][number]>;
  activeShops: ReadinessSnapshot['shops'][number][];
  /** The active shops mapped to a 受注店舗 that exists. */
  mappedShops: ReadinessSnapshot['shops'][number][];
  /** The OMS order statuses that exist. */
  statuses: Set<string>;
  /** Whether exactly one imported product has this product code. */
  productExists: (code: string | null) => boolean;
}

export function readinessView(snapshot: ReadinessSnapshot): ReadinessView {
  const stores = new Map(listOf(snapshot.orderStores).map((st) => [st.storeId, st]));
  const activeShops = listOf(snapshot.shops).filter((shop) => shop.active);
  return {
    snapshot,
    settings: snapshot.settings,
    stores,
    activeShops,
    mappedShops: activeShops.filter(
      (shop) => shop.orderStoreId !== null && stores.has(shop.orderStoreId),
    ),
    statuses: new Set(listOf(snapshot.orderStatusIds)),
    productExists: (code) =>
      code !== null &&
      typeof snapshot.products?.byProductCode === 'function' &&
      snapshot.products.byProductCode(normalizeCode(code)).length === 1,
  };
}

/** 1. Connection and scopes. */
export function connectionCheck(v: ReadinessView): Check {
  const { snapshot, settings: s } = v;
  const c = snapshot.connection;
  const needed = [...REQUIRED_SMAREGI_SCOPES, ...(s.productSyncEnabled ? PRODUCT_SYNC_SCOPES : [])];
  const granted = new Set(listOf(c?.grantedScopes));
  const missing = needed.filter((scope) => !granted.has(scope));
  return c === null
    ? ng(
        'スマレジと接続されていません。[認証]から接続してください。',
        'Not connected to Smaregi. Connect with [認証].',
      )
    : c.status !== 'active'
      ? ng(
          'スマレジとの接続が有効ではありません。再度認証してください。',
          'The Smaregi connection is not valid. Authorise again.',
          [c.status],
        )
      : missing.length > 0
        ? ng(
            '必要な権限(スコープ)が許可されていません。アプリの権限を確認して再度認証してください。',
            'Required scopes are not granted. Check the app scopes and authorise again.',
            missing,
          )
        : ok(
            'スマレジと接続済みで、必要な権限があります。',
            'Connected to Smaregi with every required scope.',
          );
}

/** 2. Every active shop mapped to an order store. */
export function shopsMappedCheck(v: ReadinessView): Check {
  const { activeShops, mappedShops } = v;
  const unmapped = activeShops
    .filter((shop) => !mappedShops.includes(shop))
    .map((shop) => shop.name);
  return activeShops.length === 0
    ? ng(
        '有効な店舗がありません。店舗を登録してください。',
        'There is no active shop. Register a shop.',
      )
    : unmapped.length > 0
      ? ng(
          '受注店舗が紐付けられていない店舗があります。',
          'Some active shops are not mapped to a Smaregi order store.',
          unmapped,
        )
      : ok(
          'すべての有効な店舗に受注店舗が紐付けられています。',
          'Every active shop is mapped to an order store.',
        );
}

/**
 * 3. Each mapped shop has its 受注店舗's warehouse and auto-allocation set in Renkei, and shops
 * sharing one 受注店舗 agree (both are facts of the 受注店舗, not of the shop).
 */
export function orderStoreWarehouseCheck(v: ReadinessView): Check {
  const { mappedShops, stores } = v;
  const missing = mappedShops
    .filter((shop) => isBlank(shop.warehouseStoreId) || typeof shop.autoAllocation !== 'boolean')
    .map((shop) => {
      const what = [
        ...(isBlank(shop.warehouseStoreId) ? ['倉庫'] : []),
        ...(typeof shop.autoAllocation !== 'boolean' ? ['自動引当'] : []),
      ];
      return `${shop.name}: ${what.join('・')}`;
    });
  const byStore = new Map<string, (typeof mappedShops)[number][]>();
  for (const shop of mappedShops) {
    const list = byStore.get(shop.orderStoreId as string) ?? [];
    list.push(shop);
    byStore.set(shop.orderStoreId as string, list);
  }
  const conflicting = [...byStore.entries()]
    .filter(
      ([, list]) =>
        new Set(list.map((shop) => `${shop.warehouseStoreId ?? ''}|${shop.autoAllocation}`)).size >
        1,
    )
    .map(
      ([id, list]) => `${stores.get(id)?.storeName ?? id}: ${list.map((x) => x.name).join('、')}`,
    );
  return missing.length > 0
    ? ng(
        '倉庫または自動引当が設定されていない店舗があります。[店舗 (モール) ごとの設定]で、受注店舗の在庫を持つ倉庫と自動引当のON/OFFを設定してください。',
        'Some shops have no warehouse or auto-allocation set. Set them on the shop screen (店舗 (モール) ごとの設定).',
        missing,
      )
    : conflicting.length > 0
      ? ng(
          '同じ受注店舗に紐付く店舗で、倉庫または自動引当の設定が異なります。[店舗 (モール) ごとの設定]で揃えてください。',
          'Shops mapped to the same order store disagree on its warehouse or auto-allocation. Make them equal on the shop screen (店舗 (モール) ごとの設定).',
          conflicting,
        )
      : ok(
          'すべての店舗に倉庫と自動引当が設定されています。',
          'Every mapped shop has its warehouse and auto-allocation set.',
        );
}

/**
 * 4. Tax mode of each shop equals its order store's sellDivision (the rule that also holds the
 * orders of such a shop once the integration runs).
 */
export function taxModeCheck(v: ReadinessView): Check {
  const { mappedShops, stores } = v;
  const mismatched = mappedShops
    .filter(
      (shop) =>
        compareTaxMode(shop.taxMode, stores.get(shop.orderStoreId as string)?.sellDivision) ===
        'mismatch',
    )
    .map((shop) => shop.name);
  return mismatched.length > 0
    ? ng(
        '店舗の税設定(税込/税別)と受注店舗の販売区分(内税/外税)が一致しない店舗があります。',
        "Some shops' tax mode differs from their order store's sell division.",
        mismatched,
      )
    : ok(
        '店舗の税設定と受注店舗の販売区分が一致しています。',
        "Every shop's tax mode matches its order store.",
      );
}

/** 5. Payment methods used by recent orders mapped. */
export function paymentMethodsCheck(v: ReadinessView): Check {
  const { snapshot } = v;
  const methods = new Map(listOf(snapshot.paymentMethods).map((pm) => [pm.id, pm]));
  const smaregi = new Set(listOf(snapshot.smaregiPaymentMethodIds));
  const unmapped = [...new Set(listOf(snapshot.recentPaymentMethodIds))]
    .filter((id) => {
      const target = methods.get(id)?.smaregiPaymentMethodId ?? null;
      return target === null || !smaregi.has(target);
    })
    .map((id) => methods.get(id)?.name ?? id);
  return unmapped.length > 0
    ? ng(
        'スマレジの支払方法に紐付けられていない支払方法があります。',
        'Some payment methods used by recent orders are not mapped to a Smaregi payment method.',
        unmapped,
      )
    : ok(
        '最近の受注の支払方法はすべて紐付けられています。',
        'Every payment method of recent orders is mapped.',
      );
}

/** 6, 7. A product-code setting (調整額用商品番号, ダミー商品番号) names a product in Smaregi. */
export function productCodeCheck(
  code: string | null,
  nameJa: string,
  nameEn: string,
  productExists: (code: string | null) => boolean,
): Check {
  return code === null
    ? ng(`${nameJa}が設定されていません。`, `The ${nameEn} is not set.`)
    : !productExists(code)
      ? ng(
          `${nameJa}「${code}」の商品がスマレジにありません。スマレジに商品を登録して取り込んでください。`,
          `The ${nameEn} "${code}" is not a Smaregi product. Create it in Smaregi and import products.`,
          [code],
        )
      : ok(
          `${nameJa}「${code}」はスマレジに登録済みです。`,
          `The ${nameEn} "${code}" exists in Smaregi.`,
        );
}

/**
 * 8. Allocation inquiry settings when an order store allocates manually.
 * An unknown auto-allocation counts as OFF here: better to ask for the inquiry settings than
 * to leave orders of such a store unallocated (item 3 fails for it anyway).
 */
export function allocationInquiryCheck(v: ReadinessView): Check {
  const { mappedShops, stores, settings: s, statuses } = v;
  // An unknown auto-allocation counts as OFF here: better to ask for the inquiry settings than
  // to leave orders of such a store unallocated (item 3 fails for it anyway).
  const manual = [
    ...new Set(
      mappedShops
        .filter((shop) => shop.autoAllocation !== true)
        .map((shop) => stores.get(shop.orderStoreId as string)?.storeName ?? shop.name),
    ),
  ];
  const unknownStatuses = [
    ...listOf(s.allocationTriggerStatuses),
    ...(s.allocatedStatus === null ? [] : [s.allocatedStatus]),
  ].filter((id) => !statuses.has(id));
  return manual.length === 0
    ? ok(
        '受注店舗の自動引当がONのため、在庫引当自動照会の設定は不要です。',
        'Order stores allocate automatically; no inquiry settings are needed.',
      )
    : s.allocationTriggerStatuses.length === 0 || s.allocatedStatus === null
      ? ng(
          '自動引当がOFFの受注店舗があります。在庫引当を照会するステータスと引当済みにするステータスを設定してください。',
          'Some order stores do not allocate automatically. Set the allocation trigger statuses and the allocated status.',
          manual,
        )
      : unknownStatuses.length > 0
        ? ng(
            '在庫引当自動照会の設定に存在しないステータスがあります。',
            'The allocation inquiry settings refer to statuses that do not exist.',
            unknownStatuses,
          )
        : s.allocationTriggerStatuses.includes(s.allocatedStatus)
          ? ng(
              '引当済みにするステータスが照会するステータスに含まれています。',
              'The allocated status is also a trigger status.',
              [s.allocatedStatus],
            )
          : ok(
              '在庫引当自動照会の設定は完了しています。',
              'The allocation inquiry settings are complete.',
            );
}

/** 9. Products imported. */
export function productsImportedCheck(v: ReadinessView): Check {
  const { snapshot, settings: s } = v;
  const n = Number.isSafeInteger(snapshot.importedProductCount) ? snapshot.importedProductCount : 0;
  return n > 0
    ? ok(`${n}件の商品を取り込み済みです。`, `${n} products imported.`)
    : s.productSyncEnabled
      ? ng(
          '商品が取り込まれていません。商品一覧からスマレジの商品を取り込んでください。',
          'No products imported. Import Smaregi products from the product list.',
        )
      : ng(
          '商品が取り込まれていません。商品連携設定を[連携する]にして、商品一覧からスマレジの商品を取り込んでください。',
          'No products imported. Set product sync (商品連携設定) to [連携する], then import Smaregi products from the product list.',
        );
}

/** 10. Bulk shipping status refers to an existing status (optional feature: not blocking). */
export function bulkShippingCheck(v: ReadinessView): Check {
  const { settings: s, statuses } = v;
  const st = s.bulkShippingTriggerStatus;
  return st === null
    ? ok('受注一括出荷連携は使用しません。', 'Bulk shipping is not used.')
    : !statuses.has(st)
      ? ng('一括出荷するステータスが存在しません。', 'The bulk shipping status does not exist.', [
          st,
        ])
      : ok('一括出荷するステータスが設定されています。', 'The bulk shipping status is set.');
}
