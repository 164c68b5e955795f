import type { trpc } from '../../api/trpc';

/*
 * What the 店舗 (モール) ごとの設定 screen derives from its data, kept out of the components so it
 * can be tested as a table. The rule itself (税込 ⇔ 内税販売, 税別 ⇔ 外税販売) is the API's readiness
 * check too (`@renkei/domain` readiness `taxModeMatches`); here it is only shown early, at the
 * field, before the merchant saves.
 */

export type ShopView = Awaited<ReturnType<typeof trpc.shops.list.query>>[number];
export type OrderStore = Awaited<ReturnType<typeof trpc.shops.orderStores.query>>[number];
export type PosStore = Awaited<ReturnType<typeof trpc.shops.posStores.query>>[number];
export type ShopUpdate = Parameters<typeof trpc.shops.update.mutate>[0];
export type ShopCreate = Parameters<typeof trpc.shops.create.mutate>[0];
export type MallKind = ShopUpdate['mallKind'];
export type TaxMode = ShopUpdate['taxMode'];

/** The API's mall kinds; the `satisfies` fails to compile when the API adds or drops one. */
const MALL_KIND_SET = {
  rakuten: true,
  amazon: true,
  yahoo: true,
  ownSite: true,
  other: true,
} as const satisfies Record<MallKind, true>;
export const MALL_KINDS = Object.keys(MALL_KIND_SET) as MallKind[];

export const TAX_MODES = ['included', 'excluded'] as const satisfies readonly TaxMode[];

/** The editable fields of a shop: exactly the API's input, without the ID. */
export interface ShopDraft {
  name: string;
  mallKind: MallKind;
  taxMode: TaxMode;
  active: boolean;
  orderStoreId: string | null;
  /** 倉庫 of the 受注店舗 (a POS store ID); null = not set. */
  warehouseStoreId: string | null;
  /** 自動引当 of the 受注店舗; null = not set. */
  autoAllocation: boolean | null;
  /** 受注番号の接頭辞 as typed ('' = none); the API normalises and checks it. */
  orderCodePrefix: string;
}

function isMallKind(value: string): value is MallKind {
  return value in MALL_KIND_SET;
}

/** The tax mode of a Smaregi sell division (`included` 内税販売, `excluded` 外税販売); null if odd. */
export function sellDivisionOf(store: Pick<OrderStore, 'sellDivision'>): TaxMode | null {
  return store.sellDivision === 'included' || store.sellDivision === 'excluded'
    ? store.sellDivision
    : null;
}

export function shopDraftFrom(view: ShopView): ShopDraft {
  return {
    name: view.name,
    // The views carry plain strings; a value the admin does not know becomes その他 (other).
    mallKind: isMallKind(view.mallKind) ? view.mallKind : 'other',
    taxMode: view.taxMode === 'excluded' ? 'excluded' : 'included',
    active: view.active,
    orderStoreId: view.orderStoreId,
    warehouseStoreId: view.warehouseStoreId,
    autoAllocation: view.autoAllocation,
    orderCodePrefix: view.orderCodePrefix ?? '',
  };
}

/** The prefix the API is sent: trimmed, null for none (the API treats '' and null alike). */
function prefixOf(draft: Pick<ShopDraft, 'orderCodePrefix'>): string | null {
  const prefix = draft.orderCodePrefix.trim();
  return prefix === '' ? null : prefix;
}

/**
 * The draft after the merchant picks another 受注店舗: its warehouse and auto-allocation start
 * as that store's object says (the API prefills the same way), unknown when it says nothing.
 */
export function withOrderStore(
  draft: ShopDraft,
  orderStoreId: string | null,
  stores: readonly OrderStore[] | undefined,
): ShopDraft {
  if (orderStoreId === draft.orderStoreId) return draft;
  const store = stores?.find((s) => s.storeId === orderStoreId);
  return {
    ...draft,
    orderStoreId,
    warehouseStoreId: store?.stockStoreId ?? null,
    autoAllocation: store?.autoAllocation ?? null,
  };
}

/**
 * How a shop's 税計算設定 compares with its chosen 受注店舗's 販売区分:
 * - `unmapped`: no store chosen; `unknown`: the live list is not loaded or the store's division
 *   is not one we know (nothing to say yet);
 * - `storeMissing`: the list is loaded and the chosen store is not in it (deleted in Smaregi);
 * - `match` / `mismatch`, with the store so the message can name it.
 */
export type TaxCheck =
  | { kind: 'unmapped' }
  | { kind: 'unknown' }
  | { kind: 'storeMissing'; orderStoreId: string }
  | { kind: 'match'; store: OrderStore; sellDivision: TaxMode }
  | { kind: 'mismatch'; store: OrderStore; sellDivision: TaxMode };

export function checkShopTax(
  draft: Pick<ShopDraft, 'taxMode' | 'orderStoreId'>,
  stores: readonly OrderStore[] | undefined,
): TaxCheck {
  if (draft.orderStoreId === null || draft.orderStoreId === '') return { kind: 'unmapped' };
  if (stores === undefined) return { kind: 'unknown' };
  const store = stores.find((s) => s.storeId === draft.orderStoreId);
  if (store === undefined) return { kind: 'storeMissing', orderStoreId: draft.orderStoreId };
  const sellDivision = sellDivisionOf(store);
  if (sellDivision === null) return { kind: 'unknown' };
  return sellDivision === draft.taxMode
    ? { kind: 'match', store, sellDivision }
    : { kind: 'mismatch', store, sellDivision };
}

/**
 * Where a shop's 倉庫 or 自動引当 on screen comes from:
 * - `unset`: nothing chosen yet (the readiness checklist asks for it);
 * - `smaregi`: what Smaregi's 受注店舗 object says (saved, or about to be);
 * - `merchant`: chosen by the merchant (saved, or about to be).
 * A saved value keeps the origin the API stored; an unsaved one is Smaregi's when it equals what
 * the live store says.
 */
export type SettingOrigin = 'unset' | 'smaregi' | 'merchant';

export function settingOrigin<T extends string | boolean>(
  draftValue: T | null,
  saved: { value: T | null; origin: 'smaregi' | 'merchant' | null },
  smaregiValue: T | null | undefined,
): SettingOrigin {
  if (draftValue === null) return 'unset';
  if (draftValue === saved.value && saved.origin !== null) return saved.origin;
  return draftValue === smaregiValue ? 'smaregi' : 'merchant';
}

/** Active mapped shops whose warehouse or auto-allocation is not set (readiness item 3). */
export function missingStoreSettings(draft: ShopDraft): ('warehouse' | 'autoAllocation')[] {
  if (!draft.active || draft.orderStoreId === null) return [];
  return [
    ...(draft.warehouseStoreId === null ? (['warehouse'] as const) : []),
    ...(draft.autoAllocation === null ? (['autoAllocation'] as const) : []),
  ];
}

function sameDraft(a: ShopDraft, b: ShopDraft): boolean {
  return (
    a.name.trim() === b.name.trim() &&
    a.mallKind === b.mallKind &&
    a.taxMode === b.taxMode &&
    a.active === b.active &&
    (a.orderStoreId ?? null) === (b.orderStoreId ?? null) &&
    (a.warehouseStoreId ?? null) === (b.warehouseStoreId ?? null) &&
    (a.autoAllocation ?? null) === (b.autoAllocation ?? null) &&
    prefixOf(a) === prefixOf(b)
  );
}

/** True when the merchant changed the shop on screen and has not saved it yet. */
export function isShopChanged(view: ShopView, draft: ShopDraft): boolean {
  return !sameDraft(shopDraftFrom(view), draft);
}

/**
 * The update of one shop, in exactly the shape of the API's strict input (an extra key is
 * refused): `{ id, name, mallKind, taxMode, active, orderStoreId }`, plus `warehouseStoreId` /
 * `autoAllocation` / `orderCodePrefix` only when the merchant changed them (omitted = the API keeps
 * them, or prefills the first two for a newly chosen 受注店舗).
 */
export function shopUpdateOf(id: string, draft: ShopDraft, saved?: ShopView): ShopUpdate {
  return {
    id,
    name: draft.name.trim(),
    mallKind: draft.mallKind,
    taxMode: draft.taxMode,
    active: draft.active,
    orderStoreId: draft.orderStoreId === '' ? null : draft.orderStoreId,
    ...(saved === undefined || draft.warehouseStoreId !== saved.warehouseStoreId
      ? { warehouseStoreId: draft.warehouseStoreId }
      : {}),
    ...(saved === undefined || draft.autoAllocation !== saved.autoAllocation
      ? { autoAllocation: draft.autoAllocation }
      : {}),
    ...(saved === undefined || prefixOf(draft) !== saved.orderCodePrefix
      ? { orderCodePrefix: prefixOf(draft) }
      : {}),
  };
}

/** The updates [この内容で登録する] sends: one per changed shop, in the list's order. */
export function changedShopUpdates(
  views: readonly ShopView[],
  drafts: Readonly<Record<string, ShopDraft>>,
): ShopUpdate[] {
  return views.flatMap((view) => {
    const draft = drafts[view.id];
    return draft !== undefined && isShopChanged(view, draft)
      ? [shopUpdateOf(view.id, draft, view)]
      : [];
  });
}
