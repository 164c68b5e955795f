import { normalizeCode } from './codes.js';
import { listOf } from './list.js';
import type { TaxMode } from './master-data.js';
import type { LocalizedMessage } from './messages.js';
import type { ProductIndex } from './product-index.js';
import type { IntegrationSettings } from './settings.js';

/*
 * Readiness checklist (docs/flows.md §2): what must be true on both sides before the merchant may
 * switch the integration on. Pure: it reads a snapshot the caller assembled. Every item has an id,
 * passed or not, a message in Japanese and English, where to fix it (an admin route id, or
 * `smaregi.orderStores` for a setting made in Smaregi's own admin) and whether it blocks starting.
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
    sellDivision: TaxMode;
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

type Check = { passed: boolean; message: LocalizedMessage; details?: string[] };

const ok = (ja: string, en: string): Check => ({ passed: true, message: { ja, en } });
const ng = (ja: string, en: string, details: string[] = []): Check => ({
  passed: false,
  message: { ja, en },
  details,
});

const isBlank = (v: string | null | undefined) => v === null || v === undefined || v.trim() === '';

/** Evaluates the readiness checklist. Never throws; a missing part of the snapshot fails its item. */
export function checkReadiness(snapshot: ReadinessSnapshot): ReadinessResult {
  const s = snapshot.settings;
  const stores = new Map(listOf(snapshot.orderStores).map((st) => [st.storeId, st]));
  const activeShops = listOf(snapshot.shops).filter((shop) => shop.active);
  const mappedShops = activeShops.filter(
    (shop) => shop.orderStoreId !== null && stores.has(shop.orderStoreId),
  );
  const statuses = new Set(listOf(snapshot.orderStatusIds));
  const productExists = (code: string | null) =>
    code !== null &&
    typeof snapshot.products?.byProductCode === 'function' &&
    snapshot.products.byProductCode(normalizeCode(code)).length === 1;

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

  // 1. Connection and scopes.
  {
    const c = snapshot.connection;
    const needed = [
      ...REQUIRED_SMAREGI_SCOPES,
      ...(s.productSyncEnabled ? PRODUCT_SYNC_SCOPES : []),
    ];
    const granted = new Set(listOf(c?.grantedScopes));
    const missing = needed.filter((scope) => !granted.has(scope));
    add(
      'connection',
      true,
      'settings.connection',
      c === null
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
              ),
    );
  }

  // 2. Every active shop mapped to an order store.
  {
    const unmapped = activeShops
      .filter((shop) => !mappedShops.includes(shop))
      .map((shop) => shop.name);
    add(
      'shopsMapped',
      true,
      'shops',
      activeShops.length === 0
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
            ),
    );
  }

  // 3. Each mapped shop has its 受注店舗's warehouse and auto-allocation set in Renkei, and shops
  // sharing one 受注店舗 agree (both are facts of the 受注店舗, not of the shop).
  {
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
          new Set(list.map((shop) => `${shop.warehouseStoreId ?? ''}|${shop.autoAllocation}`))
            .size > 1,
      )
      .map(
        ([id, list]) => `${stores.get(id)?.storeName ?? id}: ${list.map((x) => x.name).join('、')}`,
      );
    add(
      'orderStoreWarehouse',
      true,
      'shops',
      missing.length > 0
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
            ),
    );
  }

  // 4. Tax mode of each shop equals its order store's sellDivision.
  {
    const mismatched = mappedShops
      .filter((shop) => stores.get(shop.orderStoreId as string)?.sellDivision !== shop.taxMode)
      .map((shop) => shop.name);
    add(
      'taxModeMatches',
      true,
      'shops',
      mismatched.length > 0
        ? ng(
            '店舗の税設定(税込/税別)と受注店舗の販売区分(内税/外税)が一致しない店舗があります。',
            "Some shops' tax mode differs from their order store's sell division.",
            mismatched,
          )
        : ok(
            '店舗の税設定と受注店舗の販売区分が一致しています。',
            "Every shop's tax mode matches its order store.",
          ),
    );
  }

  // 5. Payment methods used by recent orders mapped.
  {
    const methods = new Map(listOf(snapshot.paymentMethods).map((pm) => [pm.id, pm]));
    const smaregi = new Set(listOf(snapshot.smaregiPaymentMethodIds));
    const unmapped = [...new Set(listOf(snapshot.recentPaymentMethodIds))]
      .filter((id) => {
        const target = methods.get(id)?.smaregiPaymentMethodId ?? null;
        return target === null || !smaregi.has(target);
      })
      .map((id) => methods.get(id)?.name ?? id);
    add(
      'paymentMethodsMapped',
      true,
      'paymentMethods',
      unmapped.length > 0
        ? ng(
            'スマレジの支払方法に紐付けられていない支払方法があります。',
            'Some payment methods used by recent orders are not mapped to a Smaregi payment method.',
            unmapped,
          )
        : ok(
            '最近の受注の支払方法はすべて紐付けられています。',
            'Every payment method of recent orders is mapped.',
          ),
    );
  }

  // 6, 7. Adjustment and dummy product codes exist in Smaregi.
  for (const [id, code, nameJa, nameEn] of [
    [
      'adjustmentProductCode',
      s.adjustmentProductCode,
      '調整額用商品番号',
      'adjustment product code',
    ],
    ['dummyProductCode', s.dummyProductCode, 'ダミー商品番号', 'dummy product code'],
  ] as const) {
    add(
      id,
      true,
      'settings.orderSync',
      code === null
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
            ),
    );
  }

  // 8. Allocation inquiry settings when an order store allocates manually.
  {
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
    add(
      'allocationInquirySettings',
      true,
      'settings.allocation',
      manual.length === 0
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
                ),
    );
  }

  // 9. Products imported.
  {
    const n = Number.isSafeInteger(snapshot.importedProductCount)
      ? snapshot.importedProductCount
      : 0;
    add(
      'productsImported',
      true,
      'products',
      n > 0
        ? ok(`${n}件の商品を取り込み済みです。`, `${n} products imported.`)
        : ng(
            '商品が取り込まれていません。商品一覧からスマレジの商品を取り込んでください。',
            'No products imported. Import Smaregi products from the product list.',
          ),
    );
  }

  // 10. Bulk shipping status refers to an existing status (optional feature: not blocking).
  {
    const st = s.bulkShippingTriggerStatus;
    add(
      'bulkShippingStatus',
      false,
      'settings.bulkShipping',
      st === null
        ? ok('受注一括出荷連携は使用しません。', 'Bulk shipping is not used.')
        : !statuses.has(st)
          ? ng(
              '一括出荷するステータスが存在しません。',
              'The bulk shipping status does not exist.',
              [st],
            )
          : ok('一括出荷するステータスが設定されています。', 'The bulk shipping status is set.'),
    );
  }

  return { items, canStart: items.every((i) => i.passed || !i.blocking) };
}
