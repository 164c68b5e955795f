import type { OrderStatusInput, PaymentMethodInput, ShopInput } from '@renkei/domain';
import { Order, type OrderStatus, type PaymentMethod, type Shop } from '@renkei/persistence';
import { AppError, fieldError, invalid, notFound } from '../errors.js';
import { liveOrderStores, livePaymentMethods } from '../smaregi/live.js';
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
    updatedAt: shop.updatedAt.toISOString(),
  };
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

async function orderStoreName(
  scope: TenantScope,
  orderStoreId: string | null,
): Promise<string | null> {
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
  return store.storeName;
}

export async function createShop(scope: TenantScope, input: ShopInput): Promise<Shop> {
  const storeName = await orderStoreName(scope, input.orderStoreId);
  const shop = scope.repos.shops.create({ ...input, orderStoreName: storeName });
  audit(scope, 'shop.create', 'shop', shop.id, null, pick(shop, SHOP_FIELDS));
  await scope.em.flush();
  return shop;
}

export async function updateShop(scope: TenantScope, id: string, input: ShopInput): Promise<Shop> {
  const shop = await getShop(scope, id);
  const before = pick(shop, SHOP_FIELDS);
  const storeName =
    input.orderStoreId === shop.orderStoreId
      ? (shop.orderStoreName ?? null)
      : await orderStoreName(scope, input.orderStoreId);
  Object.assign(shop, input, { orderStoreName: storeName });
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
