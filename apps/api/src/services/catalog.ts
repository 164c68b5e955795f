import type { OrderStatusInput, PaymentMethodInput, ShopInput } from '@renkei/domain';
import {
  Order,
  type OrderStatus,
  type PaymentMethod,
  type SettingOrigin,
  type Shop,
} from '@renkei/persistence';
import type { OrderStore } from '@renkei/smaregi-client';
import { AppError, fieldError, invalid, notFound } from '../errors.js';
import { liveOrderStores, livePaymentMethods, livePosStores } from '../smaregi/live.js';
import { audit, pick, type TenantScope } from './scope.js';

/*
 * Master data of the OMS side: shops (店舗), payment methods (支払方法), order statuses
 * (受注ステータス). Every change is audited with before and after. Mappings to Smaregi are
 * checked against the list read live from Smaregi, so a merchant can only pick what exists.
 */

const SHOP_FIELDS = [
  'name',
  'mallKind',
  'taxMode',
  'active',
  'orderStoreId',
  'orderStoreName',
  'warehouseStoreId',
  'warehouseOrigin',
  'autoAllocation',
  'autoAllocationOrigin',
  'orderCodePrefix',
] as const;
const PAYMENT_FIELDS = [
  'name',
  'code',
  'smaregiPaymentMethodId',
  'smaregiPaymentMethodName',
] as const;
const STATUS_FIELDS = ['name', 'category', 'sortOrder'] as const;

export function shopView(shop: Shop) {
  return {
    id: shop.id,
    name: shop.name,
    mallKind: shop.mallKind,
    taxMode: shop.taxMode,
    active: shop.active,
    orderStoreId: shop.orderStoreId ?? null,
    orderStoreName: shop.orderStoreName ?? null,
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
}

export function paymentMethodView(method: PaymentMethod) {
  return {
    id: method.id,
    name: method.name,
    code: method.code ?? null,
    smaregiPaymentMethodId: method.smaregiPaymentMethodId ?? null,
    smaregiPaymentMethodName: method.smaregiPaymentMethodName ?? null,
    updatedAt: method.updatedAt.toISOString(),
  };
}

export function orderStatusView(status: OrderStatus) {
  return {
    id: status.id,
    name: status.name,
    category: status.category,
    sortOrder: status.sortOrder,
  };
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

export async function createShop(scope: TenantScope, input: ShopInput): Promise<Shop> {
  const { warehouseStoreId, autoAllocation, orderCodePrefix, ...fields } = input;
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

export async function getPaymentMethod(scope: TenantScope, id: string): Promise<PaymentMethod> {
  return (
    (await scope.repos.paymentMethods.findById(id)) ??
    Promise.reject(notFound('支払方法', 'Payment method'))
  );
}

async function smaregiPaymentName(scope: TenantScope, id: string | null): Promise<string | null> {
  if (id === null) return null;
  const methods = await livePaymentMethods(scope);
  const method = methods.find((m) => m.paymentMethodId === id);
  if (method === undefined) {
    throw invalid([
      fieldError(
        'smaregiPaymentMethodId',
        `スマレジの支払方法(ID: ${id})はありません。一覧から選んでください`,
        `Smaregi payment method ${id} does not exist; pick one from the list`,
      ),
    ]);
  }
  return method.paymentMethodName;
}

export async function createPaymentMethod(
  scope: TenantScope,
  input: PaymentMethodInput,
): Promise<PaymentMethod> {
  const name = await smaregiPaymentName(scope, input.smaregiPaymentMethodId);
  const method = scope.repos.paymentMethods.create({ ...input, smaregiPaymentMethodName: name });
  audit(
    scope,
    'paymentMethod.create',
    'paymentMethod',
    method.id,
    null,
    pick(method, PAYMENT_FIELDS),
  );
  await scope.em.flush();
  return method;
}

export async function updatePaymentMethod(
  scope: TenantScope,
  id: string,
  input: PaymentMethodInput,
): Promise<PaymentMethod> {
  const method = await getPaymentMethod(scope, id);
  const before = pick(method, PAYMENT_FIELDS);
  const name =
    input.smaregiPaymentMethodId === method.smaregiPaymentMethodId
      ? (method.smaregiPaymentMethodName ?? null)
      : await smaregiPaymentName(scope, input.smaregiPaymentMethodId);
  Object.assign(method, input, { smaregiPaymentMethodName: name });
  audit(
    scope,
    'paymentMethod.update',
    'paymentMethod',
    method.id,
    before,
    pick(method, PAYMENT_FIELDS),
  );
  await scope.em.flush();
  return method;
}

export async function deletePaymentMethod(scope: TenantScope, id: string): Promise<void> {
  const method = await getPaymentMethod(scope, id);
  if ((await scope.em.count(Order, { tenant: scope.tenantId, paymentMethod: method.id })) > 0) {
    throw new AppError('CONFLICT', {
      ja: 'この支払方法は受注で使われているため削除できません',
      en: 'This payment method is used by orders and cannot be deleted',
    });
  }
  audit(
    scope,
    'paymentMethod.delete',
    'paymentMethod',
    method.id,
    pick(method, PAYMENT_FIELDS),
    null,
  );
  scope.repos.paymentMethods.remove(method);
  await scope.em.flush();
}

export async function getOrderStatus(scope: TenantScope, id: string): Promise<OrderStatus> {
  return (
    (await scope.repos.orderStatuses.findById(id)) ??
    Promise.reject(notFound('受注ステータス', 'Order status'))
  );
}

export async function createOrderStatus(
  scope: TenantScope,
  input: OrderStatusInput,
): Promise<OrderStatus> {
  const status = scope.repos.orderStatuses.create(input);
  audit(scope, 'orderStatus.create', 'orderStatus', status.id, null, pick(status, STATUS_FIELDS));
  await scope.em.flush();
  return status;
}

export async function updateOrderStatus(
  scope: TenantScope,
  id: string,
  input: OrderStatusInput,
): Promise<OrderStatus> {
  const status = await getOrderStatus(scope, id);
  const before = pick(status, STATUS_FIELDS);
  Object.assign(status, input);
  audit(scope, 'orderStatus.update', 'orderStatus', status.id, before, pick(status, STATUS_FIELDS));
  await scope.em.flush();
  return status;
}

/** Refused while orders are in the status or a setting names it (the worker would act on a ghost). */
export async function deleteOrderStatus(
  scope: TenantScope,
  id: string,
  settingsStatusIds: string[],
): Promise<void> {
  const status = await getOrderStatus(scope, id);
  const inUse = (await scope.em.count(Order, { tenant: scope.tenantId, status: status.id })) > 0;
  if (inUse || settingsStatusIds.includes(status.id)) {
    throw new AppError('CONFLICT', {
      ja: inUse
        ? 'このステータスの受注があるため削除できません'
        : 'このステータスは連携設定で使われているため削除できません',
      en: inUse
        ? 'Orders are in this status; it cannot be deleted'
        : 'The integration settings use this status; it cannot be deleted',
    });
  }
  audit(scope, 'orderStatus.delete', 'orderStatus', status.id, pick(status, STATUS_FIELDS), null);
  scope.repos.orderStatuses.remove(status);
  await scope.em.flush();
}
