/*
 * Whether 在庫引当自動照会設定 matters for this merchant. The inquiry is only used for orders of
 * 受注店舗 whose automatic allocation (Smaregi's 自動処理 tab) is OFF; when every order store that
 * a shop is mapped to allocates by itself, the settings are not applicable and the screen says so.
 * The ON/OFF is the shop's own setting in Renkei (店舗 (モール) ごとの設定), not a field of Smaregi's
 * store object, which need not carry it. The same reading as the readiness item
 * `allocationInquirySettings` of `@renkei/domain` (an unknown auto-allocation counts as OFF:
 * better to ask for the settings than to hide them).
 */

export interface MappedShop {
  active: boolean;
  orderStoreId: string | null;
  orderStoreName: string | null;
  /** The shop's 自動引当 setting; null = not set. */
  autoAllocation: boolean | null;
}

/** A 受注店舗 as Smaregi lists it (for its current name). */
export interface LiveOrderStore {
  storeId: string;
  storeName: string;
}

export type InquiryApplicability =
  /** No active shop is mapped to an order store yet: the settings may become needed. */
  | { kind: 'noMappedStores' }
  /** Every mapped order store allocates automatically: the settings are not used. */
  | { kind: 'notApplicable'; autoStores: string[] }
  /** These mapped order stores allocate manually: the settings are used for their orders. */
  | { kind: 'applicable'; manualStores: string[] };

/** What the screen knows about it: also while the live list loads or when it failed. */
export type InquiryApplicabilityView =
  InquiryApplicability | { kind: 'loading' } | { kind: 'failed'; message: string };

export function inquiryApplicability(
  shops: readonly MappedShop[],
  stores: readonly LiveOrderStore[],
): InquiryApplicability {
  const live = new Map(stores.map((s) => [s.storeId, s]));
  const mapped = new Map<string, string>();
  const manualIds = new Set<string>();
  for (const shop of shops) {
    if (!shop.active || shop.orderStoreId === null) continue;
    if (shop.autoAllocation !== true) manualIds.add(shop.orderStoreId);
    if (mapped.has(shop.orderStoreId)) continue;
    const name = live.get(shop.orderStoreId)?.storeName ?? shop.orderStoreName;
    mapped.set(shop.orderStoreId, name ?? shop.orderStoreId);
  }
  if (mapped.size === 0) return { kind: 'noMappedStores' };
  const manual = [...mapped].filter(([id]) => manualIds.has(id));
  if (manual.length === 0) return { kind: 'notApplicable', autoStores: [...mapped.values()] };
  return { kind: 'applicable', manualStores: manual.map(([, name]) => name) };
}
