import { sellDivisionOf, type ShopInput } from '@renkei/domain';
import { Order, type SettingOrigin, type Shop } from '@renkei/persistence';
import type { OrderStore } from '@renkei/smaregi-client';
import { AppError, fieldError, invalid, notFound } from '../errors.js';
import { liveOrderStores, livePosStores } from '../smaregi/live.js';
import { audit, pick, type TenantScope } from './scope.js';

/*
 * Master data of the OMS side: shops (店舗) here; payment methods (支払方法) in
 * payment-methods.ts and order statuses (受注ステータス) in order-statuses.ts. Every change is
 * audited with before and after. Mappings to Smaregi are checked against the list read live from
 * Smaregi, so a merchant can only pick what exists.
 */

const SHOP_FIELDS = [
  'name',
  'mallKind',
  'taxMode',
  'active',
  'orderStoreId',
  'orderStoreName',
  'orderStoreSellDivision',
  'warehouseStoreId',
  'warehouseOrigin',
  'autoAllocation',
  'autoAllocationOrigin',
  'orderCodePrefix',
] as const;

export function shopView(shop: Shop) {
  return {
    id: shop.id,
    name: shop.name,
    mallKind: shop.mallKind,
    taxMode: shop.taxMode,
    active: shop.active,
    orderStoreId: shop.orderStoreId ?? null,
    orderStoreName: shop.orderStoreName ?? null,
    /** 販売区分 of the 受注店舗 as last read from Smaregi (`included` / `excluded`); null = unknown. */
    orderStoreSellDivision: sellDivisionOf(shop.orderStoreSellDivision),
    /** 倉庫 of the 受注店舗 (a POS store ID); null = not set. */
    warehouseStoreId: shop.warehouseStoreId ?? null,
    warehouseOrigin: originOf(shop.warehouseOrigin),
    /** 自動引当 of the 受注店舗; null = not set. */
    autoAllocation: shop.autoAllocation ?? null,
    autoAllocationOrigin: originOf(shop.autoAllocationOrigin),
    /** 受注番号の接頭辞 put before the order number in the Smaregi order code; null = none. */
    orderCodePrefix: shop.orderCodePrefix ?? null,
    updatedAt: shop.updatedAt.toISOString(),
  };
}

function originOf(value: string | null | undefined): SettingOrigin | null {
  return value === 'smaregi' || value === 'merchant' ? value : null;
}

/**
 * What Smaregi's 受注店舗 object says of its warehouse and auto-allocation. No public source
 * shows either field (docs/smaregi-wire.md §4.4): an absent or empty one says nothing, and is
 * never read as "no warehouse" or "OFF".
 */
export function smaregiStoreSettings(store: OrderStore): {
  warehouseStoreId: string | null;
  autoAllocation: boolean | null;
} {
  const warehouse = typeof store.stockStoreId === 'string' ? store.stockStoreId.trim() : '';
  return {
    warehouseStoreId: warehouse === '' ? null : warehouse,
    autoAllocation: typeof store.autoAllocation === 'boolean' ? store.autoAllocation : null,
  };
}

/**
 * The 受注店舗 as just read from Smaregi, recorded on the shops mapped to them (name, 販売区分), so
 * that the worker holds the orders of a shop whose tax mode does not match with current facts.
 */
export async function recordOrderStores(
  scope: TenantScope,
  stores: readonly OrderStore[],
): Promise<void> {
  await scope.repos.shops.recordOrderStores(
    stores.map((s) => ({
      storeId: s.storeId,
      storeName: s.storeName,
      sellDivision: sellDivisionOf(s.sellDivision),
    })),
  );
}

/**
 * A new mapping starts from what its 受注店舗 says: the settings Smaregi provides are taken with
 * origin `smaregi`, the others are unknown (null) until the merchant sets them.
 */
export function prefillShopFromStore(shop: Shop, store: OrderStore | null): void {
  const said =
    store === null ? { warehouseStoreId: null, autoAllocation: null } : smaregiStoreSettings(store);
  shop.warehouseStoreId = said.warehouseStoreId;
  shop.warehouseOrigin = said.warehouseStoreId === null ? null : 'smaregi';
  shop.autoAllocation = said.autoAllocation;
  shop.autoAllocationOrigin = said.autoAllocation === null ? null : 'smaregi';
  // Its 販売区分, compared with the shop's 税込 / 税別 before any order is sent (kept fresh by
  // every later read of the 受注店舗).
  shop.orderStoreSellDivision = store === null ? null : sellDivisionOf(store.sellDivision);
}

/** The shop of this tenant, or NOT_FOUND (also for another tenant's shop ID). */
export async function getShop(scope: TenantScope, id: string): Promise<Shop> {
  return (await scope.repos.shops.findById(id)) ?? Promise.reject(notFound('店舗', 'Shop'));
}

/** The chosen 受注店舗 as Smaregi lists it (null = not mapped); a field error if it is not there. */
async function chosenOrderStore(
  scope: TenantScope,
  orderStoreId: string | null,
): Promise<OrderStore | null> {
  if (orderStoreId === null) return null;
  const stores = await liveOrderStores(scope);
  const store = stores.find((s) => s.storeId === orderStoreId);
  if (store === undefined) {
    throw invalid([
      fieldError(
        'orderStoreId',
        `受注店舗(ID: ${orderStoreId})はスマレジにありません。一覧から選んでください`,
        `Order store ${orderStoreId} does not exist in Smaregi; pick one from the list`,
      ),
    ]);
  }
  return store;
}

/**
 * Applies the merchant's 倉庫 / 自動引当 (omitted = unchanged). A value equal to what Smaregi's
 * 受注店舗 says keeps origin `smaregi`; any other is the merchant's. A warehouse must be one of the
 * contract's POS stores (read live, like the 受注店舗).
 */
async function applyStoreSettings(
  scope: TenantScope,
  shop: Shop,
  input: Pick<ShopInput, 'warehouseStoreId' | 'autoAllocation'>,
  known: OrderStore | null | undefined,
): Promise<void> {
  const warehouse = input.warehouseStoreId;
  const auto = input.autoAllocation;
  const warehouseChanged = warehouse !== undefined && warehouse !== (shop.warehouseStoreId ?? null);
  const autoChanged = auto !== undefined && auto !== (shop.autoAllocation ?? null);
  if (!warehouseChanged && !autoChanged) return;
  const mapped = shop.orderStoreId ?? null;
  if (
    mapped === null &&
    ((warehouseChanged && warehouse !== null) || (autoChanged && auto !== null))
  ) {
    throw invalid([
      fieldError(
        warehouseChanged ? 'warehouseStoreId' : 'autoAllocation',
        '受注店舗 (スマレジ店舗ID) を選んでから、倉庫と自動引当を設定してください',
        'Choose the order store (Smaregi store ID) before setting its warehouse and auto-allocation',
      ),
    ]);
  }
  if (warehouseChanged && warehouse !== null) {
    const stores = await livePosStores(scope);
    if (!stores.some((s) => s.storeId === warehouse)) {
      throw invalid([
        fieldError(
          'warehouseStoreId',
          `倉庫(店舗ID: ${warehouse})はスマレジの店舗・倉庫にありません。一覧から選んでください`,
          `Warehouse ${warehouse} is not a Smaregi store or warehouse; pick one from the list`,
        ),
      ]);
    }
  }
  const store =
    known !== undefined ? known : mapped === null ? null : await chosenOrderStore(scope, mapped);
  const said =
    store === null ? { warehouseStoreId: null, autoAllocation: null } : smaregiStoreSettings(store);
  if (warehouseChanged) {
    shop.warehouseStoreId = warehouse;
    shop.warehouseOrigin =
      warehouse === null ? null : warehouse === said.warehouseStoreId ? 'smaregi' : 'merchant';
  }
  if (autoChanged) {
    shop.autoAllocation = auto;
    shop.autoAllocationOrigin =
      auto === null ? null : auto === said.autoAllocation ? 'smaregi' : 'merchant';
  }
}

/**
 * A prefix exists to keep two shops' order codes apart in one 受注店舗: a prefix another shop of
 * the same 受注店舗 already uses would defeat it, so it is refused at its field. (Two shops
 * without a prefix are allowed: most malls' order numbers never meet; a collision is held and
 * shown on the order.)
 */
async function assertPrefixFree(
  scope: TenantScope,
  shop: { id: string | null; orderStoreId: string | null; orderCodePrefix: string | null },
): Promise<void> {
  // Checked before the shop entity changes: the query must not flush a half-applied edit.
  const prefix = shop.orderCodePrefix;
  if (prefix === null || prefix === '' || shop.orderStoreId === null) return;
  const other = await scope.repos.shops.findOne({
    ...(shop.id === null ? {} : { id: { $ne: shop.id } }),
    orderStoreId: shop.orderStoreId,
    orderCodePrefix: prefix,
  });
  if (other === null) return;
  throw invalid([
    fieldError(
      'orderCodePrefix',
      `接頭辞「${prefix}」は同じ受注店舗の店舗「${other.name}」が使っています。別の接頭辞にしてください`,
      `The prefix "${prefix}" is used by shop "${other.name}" of the same order store; choose another`,
    ),
  ]);
}

export async function createShop(scope: TenantScope, input: ShopInput): Promise<Shop> {
  const { warehouseStoreId, autoAllocation, orderCodePrefix, ...fields } = input;
  await assertPrefixFree(scope, {
    id: null,
    orderStoreId: input.orderStoreId ?? null,
    orderCodePrefix: orderCodePrefix ?? null,
  });
  const store = await chosenOrderStore(scope, input.orderStoreId);
  const shop = scope.repos.shops.create({
    ...fields,
    orderStoreName: store?.storeName ?? null,
    orderCodePrefix: orderCodePrefix ?? null,
  });
  prefillShopFromStore(shop, store);
  await applyStoreSettings(scope, shop, { warehouseStoreId, autoAllocation }, store);
  audit(scope, 'shop.create', 'shop', shop.id, null, pick(shop, SHOP_FIELDS));
  await scope.em.flush();
  return shop;
}

export async function updateShop(scope: TenantScope, id: string, input: ShopInput): Promise<Shop> {
  const shop = await getShop(scope, id);
  const before = pick(shop, SHOP_FIELDS);
  const { warehouseStoreId, autoAllocation, orderCodePrefix, ...fields } = input;
  await assertPrefixFree(scope, {
    id: shop.id,
    orderStoreId: input.orderStoreId ?? null,
    orderCodePrefix:
      orderCodePrefix === undefined ? (shop.orderCodePrefix ?? null) : orderCodePrefix,
  });
  // A new prefix changes the order codes sent from now on (orders held by a code collision go
  // through with it by themselves); registered orders keep theirs.
  if (orderCodePrefix !== undefined) shop.orderCodePrefix = orderCodePrefix;
  const remapped = input.orderStoreId !== (shop.orderStoreId ?? null);
  const store = remapped ? await chosenOrderStore(scope, input.orderStoreId) : undefined;
  Object.assign(shop, fields);
  if (store !== undefined) {
    // Another 受注店舗: its warehouse and auto-allocation, not the previous store's.
    shop.orderStoreName = store?.storeName ?? null;
    prefillShopFromStore(shop, store);
  }
  await applyStoreSettings(scope, shop, { warehouseStoreId, autoAllocation }, store);
  audit(scope, 'shop.update', 'shop', shop.id, before, pick(shop, SHOP_FIELDS));
  await scope.em.flush();
  return shop;
}

export async function deleteShop(scope: TenantScope, id: string): Promise<void> {
  const shop = await getShop(scope, id);
  if ((await scope.em.count(Order, { tenant: scope.tenantId, shop: shop.id })) > 0) {
    throw new AppError('CONFLICT', {
      ja: 'この店舗には受注があるため削除できません。無効にしてください',
      en: 'This shop has orders and cannot be deleted; deactivate it instead',
    });
  }
  audit(scope, 'shop.delete', 'shop', shop.id, pick(shop, SHOP_FIELDS), null);
  scope.repos.shops.remove(shop);
  await scope.em.flush();
}
