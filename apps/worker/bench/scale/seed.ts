import {
  forkEm,
  IntegrationSettings,
  newId,
  ListedProduct,
  Order,
  OrderLine,
  OrderStatus,
  PaymentMethod,
  Shop,
  SmaregiConnection,
  Tenant,
  type Orm,
} from '@renkei/persistence';
import { defaultIntegrationSettings, normalizeCode } from '@renkei/domain';
import { DEMO_STORE_IDS, type RunningSimulator } from '@renkei/smaregi-simulator';

/*
 * Merchants of the scale bench, written straight into the database as the admin would leave them
 * (one per simulator contract): a shop in a 受注店舗 that does not allocate by itself (Renkei
 * asks for the allocation), one in a 受注店舗 that does (自動引当), a payment method, the
 * products, the statuses that trigger allocation and bulk shipping.
 */

export interface ScaleTenant {
  tenantId: string;
  contractId: string;
  shops: { manual: string; auto: string };
  payment: string;
  received: string;
  products: { code: string; name: string; price: number }[];
}

const PRODUCTS = 20;

export async function seedScaleTenant(
  orm: Orm,
  sim: RunningSimulator,
  contractId: string,
  name: string,
  integrationEnabled: boolean,
): Promise<ScaleTenant> {
  const products: ScaleTenant['products'] = [];
  for (let id = 8000001; products.length < PRODUCTS && id < 8000400; id++) {
    const p = sim.control.product(String(id), contractId);
    if (p && p.stockControlDivision !== '1' && Number(p.price) > 0)
      products.push({ code: p.productCode, name: p.productName, price: Number(p.price) });
  }
  const em = forkEm(orm);
  const tenant = em.create(Tenant, { name });
  const status = (label: string, category: string, sortOrder: number) =>
    em.create(OrderStatus, { tenant, name: label, category, sortOrder });
  const received = status('新規受付', 'open', 1);
  const readyToShip = status('出荷待ち', 'open', 2);
  status('出荷済み', 'shipped', 3);
  status('キャンセル', 'cancelled', 4);
  const manual = em.create(Shop, {
    tenant,
    name: '自社サイト',
    mallKind: 'ownSite',
    taxMode: 'included',
    orderStoreId: DEMO_STORE_IDS.orderStoreIncluded,
    warehouseStoreId: DEMO_STORE_IDS.warehouse,
    warehouseOrigin: 'smaregi',
    autoAllocation: false,
    autoAllocationOrigin: 'smaregi',
  });
  const auto = em.create(Shop, {
    tenant,
    name: '楽天市場店',
    mallKind: 'rakuten',
    taxMode: 'excluded',
    orderStoreId: DEMO_STORE_IDS.orderStoreExcluded,
    warehouseStoreId: DEMO_STORE_IDS.warehouse,
    warehouseOrigin: 'smaregi',
    autoAllocation: true,
    autoAllocationOrigin: 'smaregi',
  });
  const payment = em.create(PaymentMethod, {
    tenant,
    name: 'クレジットカード',
    // 2 クレジットカード in the simulator's demo shop.
    smaregiPaymentMethodId: '2',
  });
  for (const p of products) {
    em.create(ListedProduct, {
      tenant,
      productCode: p.code,
      productCodeKey: normalizeCode(p.code),
      name: p.name,
      price: p.price,
      smaregiProductId: sim.control.productByCode(p.code, contractId)?.productId ?? null,
      syncState: 'synced',
    });
  }
  // The status IDs are known once written.
  await em.flush();
  const { integrationEnabled: _off, ...defaults } = defaultIntegrationSettings;
  em.create(IntegrationSettings, {
    tenant,
    integrationEnabled,
    values: {
      ...defaults,
      adjustmentProductCode: 'ADJUSTMENT',
      dummyProductCode: 'DUMMY',
      productSyncEnabled: true,
      allocationTriggerStatuses: [received.id],
      allocatedStatus: readyToShip.id,
      bulkShippingTriggerStatus: readyToShip.id,
    },
  });
  em.create(SmaregiConnection, { tenant, contractId, status: 'active', scopes: [] });
  await em.flush();
  return {
    tenantId: tenant.id,
    contractId,
    shops: { manual: manual.id, auto: auto.id },
    payment: payment.id,
    received: received.id,
    products,
  };
}

/**
 * Stores `count` pending orders as the intake would, alternating the two shops (`autoShare` of
 * them in the 受注店舗 that allocates by itself), flushed in chunks.
 */
export async function createOrders(
  orm: Orm,
  t: ScaleTenant,
  count: number,
  prefix: string,
  options: { autoEvery?: number; chunk?: number } = {},
): Promise<void> {
  const autoEvery = options.autoEvery ?? 4;
  const chunk = options.chunk ?? 1000;
  for (let start = 0; start < count; start += chunk) {
    const em = forkEm(orm);
    const tenant = em.getReference(Tenant, t.tenantId);
    for (let i = start; i < Math.min(count, start + chunk); i++) {
      const p = t.products[i % t.products.length]!;
      const auto = autoEvery > 0 && i % autoEvery === autoEvery - 1;
      const orderNumber = `${prefix}-${i}`;
      const order = em.create(Order, {
        tenant,
        shop: em.getReference(Shop, auto ? t.shops.auto : t.shops.manual),
        orderNumber,
        orderCode: normalizeCode(orderNumber).slice(0, 50),
        status: em.getReference(OrderStatus, t.received),
        orderedAt: new Date('2026-11-01T10:00:00+09:00'),
        paymentMethod: em.getReference(PaymentMethod, t.payment),
        shippingFee: 0,
        commission: 0,
        pointUse: 0,
        coupon: 0,
        adjustment: 0,
        externalTax: 0,
        shippingDate: '2026-12-01',
        total: null,
        source: 'api',
        syncState: 'pending',
      });
      em.create(OrderLine, {
        tenant,
        order,
        lineNo: 1,
        productCode: p.code,
        managementNumber: null,
        name: p.name,
        unitPrice: p.price,
        quantity: 1,
        isEnclosure: false,
      });
    }
    await em.flush();
  }
}

/** True when the order's shop is in the 受注店舗 that allocates by itself. */
export const isAutoOrder = (i: number, autoEvery = 4): boolean =>
  autoEvery > 0 && i % autoEvery === autoEvery - 1;

/**
 * The same orders as {@link createOrders} (the columns and values the ORM writes for them), in
 * one statement per 5,000 orders and one for their lines (`jsonb_to_recordset` of the rows):
 * 100,000 pending orders through the ORM take about 30 s on a quiet machine, this a few
 * seconds. Orders and lines carry the application's IDs (`newId`, UUIDv7) as the ORM gives them;
 * the change-feed position is set by the database's triggers on any insert.
 */
export async function createOrdersBulk(
  orm: Orm,
  t: ScaleTenant,
  count: number,
  prefix: string,
  options: { autoEvery?: number; chunk?: number } = {},
): Promise<void> {
  const autoEvery = options.autoEvery ?? 4;
  const chunk = options.chunk ?? 5000;
  const connection = forkEm(orm).getConnection();
  const orderedAt = new Date('2026-11-01T10:00:00+09:00').toISOString();
  for (let start = 0; start < count; start += chunk) {
    const orders: { id: string; shop_id: string; order_number: string; order_code: string }[] = [];
    const lines: {
      id: string;
      order_id: string;
      product_code: string;
      name: string;
      unit_price: number;
    }[] = [];
    for (let i = start; i < Math.min(count, start + chunk); i++) {
      const p = t.products[i % t.products.length]!;
      const orderNumber = `${prefix}-${i}`;
      const id = newId();
      orders.push({
        id,
        shop_id: isAutoOrder(i, autoEvery) ? t.shops.auto : t.shops.manual,
        order_number: orderNumber,
        order_code: normalizeCode(orderNumber).slice(0, 50),
      });
      lines.push({
        id: newId(),
        order_id: id,
        product_code: p.code,
        name: p.name,
        unit_price: p.price,
      });
    }
    const now = new Date().toISOString();
    await connection.execute(
      `insert into orders (id, tenant_id, shop_id, order_number, order_code, status_id, ordered_at,
         payment_method_id, shipping_date, shipping_fee, commission, gift_wrap_fee, point_use,
         coupon, mall_coupon, adjustment, external_tax, total, source, sync_state, sync_attempts,
         created_at, updated_at)
       select o.id, ?, o.shop_id, o.order_number, o.order_code, ?, ?::timestamptz, ?, '2026-12-01',
         0, 0, 0, 0, 0, 0, 0, 0, null, 'api', 'pending', 0, ?::timestamptz, ?::timestamptz
       from jsonb_to_recordset(?::jsonb)
         as o(id varchar, shop_id varchar, order_number varchar, order_code varchar)`,
      [t.tenantId, t.received, orderedAt, t.payment, now, now, JSON.stringify(orders)],
    );
    await connection.execute(
      `insert into order_lines (id, tenant_id, order_id, line_no, product_code, management_number,
         name, unit_price, quantity, is_enclosure, allocated_quantity)
       select l.id, ?, l.order_id, 1, l.product_code, null, l.name, l.unit_price, 1, false, 0
       from jsonb_to_recordset(?::jsonb)
         as l(id varchar, order_id varchar, product_code varchar, name varchar, unit_price int)`,
      [t.tenantId, JSON.stringify(lines)],
    );
  }
}
