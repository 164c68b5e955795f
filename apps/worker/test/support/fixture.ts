import {
  forkEm,
  IntegrationSettings,
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
import {
  normalizeCode,
  defaultIntegrationSettings,
  type IntegrationSettings as Settings,
} from '@renkei/domain';
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_CONTRACT_ID,
  DEMO_STORE_IDS,
  type RunningSimulator,
} from '@renkei/smaregi-simulator';
import { systemClock, type SmaregiClient, type Product } from '@renkei/smaregi-client';
import {
  DEFAULT_ENGINE_SETTINGS,
  type EngineSettings,
  type OperationHooks,
  type WorkerDeps,
} from '../../src/deps.js';
import { createLogger } from '../../src/logger.js';
import { WorkerMetrics } from '../../src/metrics.js';
import { createWorkerClient } from '../../src/smaregi/client.js';

/** A merchant set up the way the readiness list wants it, against the simulator's demo contract. */
export interface TenantFixture {
  tenantId: string;
  shops: { included: string; excluded: string; unmapped: string };
  payments: { card: string; cod: string; unmapped: string };
  statuses: Record<
    'received' | 'waitingAllocation' | 'allocated' | 'readyToShip' | 'shipped' | 'cancelled',
    string
  >;
  /** Smaregi products imported as listed products (stock-managed goods only). */
  products: Product[];
  smaregiPaymentIds: { card: string; cod: string };
}

export function testClient(
  sim: RunningSimulator,
  overrides: Partial<Parameters<typeof createWorkerClient>[0]> = {},
): SmaregiClient {
  return createWorkerClient({
    idBaseUrl: sim.idBaseUrl,
    apiBaseUrl: sim.apiBaseUrl,
    clientId: DEMO_CLIENT_ID,
    clientSecret: DEMO_CLIENT_SECRET,
    readsPerSecond: 200,
    writesPerSecond: 200,
    requestTimeoutMs: 5_000,
    ...overrides,
  });
}

export function testDeps(
  orm: Orm,
  smaregi: SmaregiClient,
  settings: Partial<EngineSettings> = {},
  hooks?: OperationHooks,
): WorkerDeps {
  return {
    orm,
    smaregi,
    clock: systemClock,
    logger: createLogger(process.env.WORKER_TEST_LOG === '1' ? 'debug' : 'silent'),
    metrics: new WorkerMetrics(),
    settings: {
      ...DEFAULT_ENGINE_SETTINGS,
      retryBaseMs: 20,
      retryMaxMs: 500,
      leaseMs: 10_000,
      ...settings,
    },
    ...(hooks ? { hooks } : {}),
  };
}

/** Creates the demo-like tenant: shops mapped to both 受注店舗, payment methods, statuses, products. */
export async function seedTenant(
  orm: Orm,
  smaregi: SmaregiClient,
  settings: Partial<Settings> = {},
): Promise<TenantFixture> {
  const contract = smaregi.forContract(DEMO_CONTRACT_ID);
  const methods = await contract.pos.paymentMethods.list({ limit: 100 });
  const card = methods.find((m) => m.paymentMethodCode === 'CREDIT');
  const cod = methods.find((m) => m.paymentMethodCode === 'COD');
  if (!card || !cod) throw new Error('simulator demo payment methods missing');
  const products: Product[] = [];
  for await (const p of contract.pos.products.iterate({}, { limit: 1000 })) products.push(p);

  const em = forkEm(orm);
  const tenant = em.create(Tenant, { name: 'テスト商店' });
  const status = (name: string, category: string, sortOrder: number) =>
    em.create(OrderStatus, { tenant, name, category, sortOrder });
  const statuses = {
    received: status('新規受付', 'open', 1),
    waitingAllocation: status('引当待ち', 'open', 2),
    allocated: status('引当済み', 'open', 3),
    readyToShip: status('出荷待ち', 'open', 4),
    shipped: status('出荷済み', 'shipped', 5),
    cancelled: status('キャンセル', 'cancelled', 6),
  };
  const included = em.create(Shop, {
    tenant,
    name: '自社サイト',
    mallKind: 'ownSite',
    taxMode: 'included',
    orderStoreId: DEMO_STORE_IDS.orderStoreIncluded,
    // As the shop screen prefills them from the demo 受注店舗 (docs/smaregi-wire.md §4.4).
    warehouseStoreId: DEMO_STORE_IDS.warehouse,
    warehouseOrigin: 'smaregi',
    autoAllocation: false,
    autoAllocationOrigin: 'smaregi',
  });
  const excluded = em.create(Shop, {
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
  const unmapped = em.create(Shop, {
    tenant,
    name: 'Yahoo!店',
    mallKind: 'yahoo',
    taxMode: 'included',
    orderStoreId: null,
  });
  const pmCard = em.create(PaymentMethod, {
    tenant,
    name: 'クレジットカード',
    smaregiPaymentMethodId: card.paymentMethodId,
  });
  const pmCod = em.create(PaymentMethod, {
    tenant,
    name: '代金引換',
    smaregiPaymentMethodId: cod.paymentMethodId,
  });
  const pmUnmapped = em.create(PaymentMethod, {
    tenant,
    name: 'コンビニ決済',
    smaregiPaymentMethodId: null,
  });
  for (const p of products) {
    em.create(ListedProduct, {
      tenant,
      productCode: p.productCode,
      productCodeKey: normalizeCode(p.productCode),
      name: p.productName,
      price: Number(p.price),
      smaregiProductId: p.productId,
      syncState: 'synced',
    });
  }
  const { integrationEnabled: _off, ...defaults } = defaultIntegrationSettings;
  em.create(IntegrationSettings, {
    tenant,
    integrationEnabled: settings.integrationEnabled ?? true,
    values: {
      ...defaults,
      adjustmentProductCode: 'ADJUSTMENT',
      dummyProductCode: 'DUMMY',
      // 商品連携設定 [連携する]: the products are imported and follow Smaregi.
      productSyncEnabled: true,
      ...withoutSwitch(settings),
    },
  });
  em.create(SmaregiConnection, {
    tenant,
    contractId: DEMO_CONTRACT_ID,
    status: 'active',
    scopes: [],
  });
  await em.flush();
  return {
    tenantId: tenant.id,
    shops: { included: included.id, excluded: excluded.id, unmapped: unmapped.id },
    payments: { card: pmCard.id, cod: pmCod.id, unmapped: pmUnmapped.id },
    statuses: Object.fromEntries(
      Object.entries(statuses).map(([k, v]) => [k, v.id]),
    ) as TenantFixture['statuses'],
    products: products.filter((p) => p.stockControlDivision !== '1'),
    smaregiPaymentIds: { card: card.paymentMethodId, cod: cod.paymentMethodId },
  };
}

function withoutSwitch(settings: Partial<Settings>): Partial<Settings> {
  const { integrationEnabled: _ignored, ...rest } = settings;
  return rest;
}

export async function updateSettings(
  orm: Orm,
  tenantId: string,
  patch: Partial<Settings>,
): Promise<void> {
  const em = forkEm(orm);
  const row = await em.findOneOrFail(IntegrationSettings, { tenant: tenantId });
  if (patch.integrationEnabled !== undefined) row.integrationEnabled = patch.integrationEnabled;
  row.values = { ...row.values, ...withoutSwitch(patch) };
  await em.flush();
}

export interface OrderSpec {
  orderNumber: string;
  shopId: string;
  paymentMethodId: string;
  statusId: string;
  orderedAt?: Date;
  lines: {
    productCode?: string | null;
    managementNumber?: string | null;
    name: string;
    unitPrice: number;
    quantity: number;
    isEnclosure?: boolean;
  }[];
  shippingFee?: number;
  commission?: number;
  pointUse?: number;
  coupon?: number;
  adjustment?: number;
  externalTax?: number;
  shippingDate?: string | null;
  total?: number | null;
}

/** Stores an order as the intake would (syncState pending). Returns its ID. */
export async function createOrder(orm: Orm, tenantId: string, spec: OrderSpec): Promise<string> {
  const em = forkEm(orm);
  const tenant = em.getReference(Tenant, tenantId);
  const order = em.create(Order, {
    tenant,
    shop: em.getReference(Shop, spec.shopId),
    orderNumber: spec.orderNumber,
    orderCode: normalizeCode(spec.orderNumber).slice(0, 50),
    status: em.getReference(OrderStatus, spec.statusId),
    orderedAt: spec.orderedAt ?? new Date('2026-11-01T10:00:00+09:00'),
    paymentMethod: em.getReference(PaymentMethod, spec.paymentMethodId),
    shippingFee: spec.shippingFee ?? 0,
    commission: spec.commission ?? 0,
    pointUse: spec.pointUse ?? 0,
    coupon: spec.coupon ?? 0,
    adjustment: spec.adjustment ?? 0,
    externalTax: spec.externalTax ?? 0,
    shippingDate: spec.shippingDate ?? null,
    total: spec.total ?? null,
    source: 'api',
    syncState: 'pending',
  });
  spec.lines.forEach((l, i) => {
    em.create(OrderLine, {
      tenant,
      order,
      lineNo: i + 1,
      productCode: l.productCode ?? null,
      managementNumber: l.managementNumber ?? null,
      name: l.name,
      unitPrice: l.unitPrice,
      quantity: l.quantity,
      isEnclosure: l.isEnclosure ?? false,
    });
  });
  await em.flush();
  return order.id;
}

/** Orders in the simulator with this code (to prove "exactly once"). */
export function remoteOrdersByCode(sim: RunningSimulator): Map<string, number> {
  const counts = new Map<string, number>();
  for (const o of sim.control.orders()) counts.set(o.orderCode, (counts.get(o.orderCode) ?? 0) + 1);
  return counts;
}

/** Runs `tick` until `done()` or the time is up (bounded, no fixed sleeps). */
export async function until(
  done: () => Promise<boolean> | boolean,
  tick: () => Promise<unknown>,
  timeoutMs = 20_000,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms`);
    await tick();
    await new Promise((r) => setImmediate(r));
  }
}

/**
 * How the allocation requests of one order broke the write protocol, from the simulator's
 * journal: a request after one that Smaregi answered (200), or a resend after a lost outcome (no
 * answer, 5xx) without reading the order first. A 429 had no effect: sending again is fine.
 */
export function allocationProtocolBreaches(sim: RunningSimulator, headId: string): string[] {
  const breaches: string[] = [];
  let answered = false;
  let mustRead = false;
  for (const e of sim.control.journal()) {
    if (e.method === 'POST' && e.path.endsWith(`/orders/${headId}/allocation`)) {
      if (answered) breaches.push(`${headId}: asked again after Smaregi answered`);
      if (mustRead) breaches.push(`${headId}: resent without reading the lost outcome`);
      if (e.status === 200) answered = true;
      else if (e.status === null || e.status >= 500) mustRead = true;
    } else if (e.method === 'GET' && e.path.endsWith(`/orders/${headId}`) && e.status === 200) {
      mustRead = false;
    }
  }
  return breaches;
}
