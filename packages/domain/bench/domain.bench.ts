/*
 * Domain benchmarks (`pnpm bench`):
 * 1. Smaregi order payloads built per second over 10,000 varied orders (target >= 50,000/s).
 * 2. Allocation planning time for 100,000 open orders of 1-5 lines over 20,000 products
 *    (target <= 1 s).
 * Inputs come from a seeded generator, so every run measures the same work. The process exits
 * with code 1 when a target is missed.
 */
import { cpus } from 'node:os';
import { Bench } from 'tinybench';
import {
  buildSmaregiOrderPayload,
  createProductIndex,
  integrationSettingsSchema,
  omsOrderSchema,
  planAllocation,
  type AllocationOrderInput,
  type OmsOrder,
  type OrderPayloadContext,
} from '../src/index.js';

/** mulberry32: a small seeded PRNG, so the data set is identical on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(20250131);
const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)] as T;

// --- 1. payloads -------------------------------------------------------------------------------
const PRODUCTS = 20_000;
const { index: products } = createProductIndex([
  ...Array.from({ length: PRODUCTS }, (_, i) => ({
    productId: String(8_000_000 + i),
    productCode: `SKU-${i}`,
    omsProductCode: `ITEM-${Math.floor(i / 4)}-${i % 4}`,
    managementNumber: `ITEM-${Math.floor(i / 4)}-V${i % 4}`,
  })),
  { productId: '9000001', productCode: 'ADJUST' },
  { productId: '9000002', productCode: 'DUMMY' },
]);
const toFullWidth = (s: string) =>
  s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

function variedLine(): OmsOrder['lines'][number] {
  const i = int(0, PRODUCTS - 1);
  const kind = random();
  const codes =
    kind < 0.4
      ? {
          managementNumber: `ITEM-${Math.floor(i / 4)}-V${i % 4}`,
          productCode: `ITEM-${Math.floor(i / 4)}`,
        }
      : kind < 0.7
        ? { productCode: `SKU-${i}` }
        : kind < 0.85
          ? { productCode: toFullWidth(`SKU-${i}`) }
          : kind < 0.95
            ? {}
            : { productCode: `UNKNOWN-${i}` };
  return {
    productCode: null,
    managementNumber: null,
    ...codes,
    name: `商品 ${i}`,
    unitPrice: int(100, 30_000),
    quantity: int(1, 5),
    isEnclosure: random() < 0.1,
  };
}

const orders: OmsOrder[] = Array.from({ length: 10_000 }, (_, n) =>
  omsOrderSchema.parse({
    shopId: n % 3 === 0 ? 'shop-excl' : 'shop-incl',
    orderNumber: n % 5 === 0 ? toFullWidth(`RT-${n}`) : `RT-${n}`,
    orderedAt: `2025-01-${String(1 + (n % 28)).padStart(2, '0')}T${String(n % 24).padStart(2, '0')}:00:00+09:00`,
    paymentMethodId: pick(['pm-card', 'pm-cod', 'pm-bank']),
    lines: Array.from({ length: int(1, 5) }, variedLine),
    shippingFee: pick([0, 600, 800]),
    commission: pick([0, 330]),
    giftWrapFee: pick([0, 0, 200]),
    pointUse: pick([0, 0, 100, 500]),
    coupon: pick([0, 0, 300]),
    mallCoupon: pick([0, 0, 200]),
    adjustment: pick([0, 0, 0, 150, -150, -1_000]),
    externalTax: n % 3 === 0 ? int(0, 3_000) : 0,
    deliveryDate: pick([null, '2025-02-10']),
    statusId: 'st-new',
  }),
);
const settings = integrationSettingsSchema.parse({
  adjustmentProductCode: 'ADJUST',
  dummyProductCode: 'DUMMY',
  syncEnclosures: true,
});
const paymentMethods = new Map([
  ['pm-card', '3'],
  ['pm-cod', '4'],
  ['pm-bank', '5'],
]);
const contexts: Record<string, OrderPayloadContext> = {
  'shop-incl': {
    settings,
    paymentMethods,
    products,
    shop: { id: 'shop-incl', name: '楽天市場店', taxMode: 'included', orderStoreId: '23' },
  },
  'shop-excl': {
    settings,
    paymentMethods,
    products,
    shop: { id: 'shop-excl', name: '自社EC', taxMode: 'excluded', orderStoreId: '24' },
  },
};
let accepted = 0;
for (const o of orders)
  if (buildSmaregiOrderPayload(o, contexts[o.shopId] as OrderPayloadContext).ok) accepted += 1;

// --- 2. allocation plan ------------------------------------------------------------------------
const OPEN_ORDERS = 100_000;
const stock = new Map(
  Array.from({ length: PRODUCTS }, (_, i) => [String(8_000_000 + i), int(0, 30)] as const),
);
const baseMs = Date.UTC(2025, 0, 1);
let planLines = 0;
const planOrders: AllocationOrderInput[] = Array.from({ length: OPEN_ORDERS }, (_, n) => {
  const lines = Array.from({ length: int(1, 5) }, () => ({
    productId: String(8_000_000 + int(0, PRODUCTS - 1)),
    quantity: int(1, 3),
  }));
  planLines += lines.length;
  const at = new Date(baseMs + int(0, 30 * 24 * 3600) * 1000).toISOString().replace('.000Z', 'Z');
  return { orderKey: `o${n}`, orderNumber: `RT-${n}`, orderedAt: at, lines };
});

// --- run ---------------------------------------------------------------------------------------
const payloadBench = new Bench({ time: 2_000, iterations: 10, warmupIterations: 3, throws: true });
payloadBench.add('build 10,000 payloads', () => {
  for (const o of orders) buildSmaregiOrderPayload(o, contexts[o.shopId] as OrderPayloadContext);
});
const planBench = new Bench({ time: 0, iterations: 5, warmupIterations: 1, throws: true });
let lastAllocated = 0;
planBench.add('plan 100,000 orders', () => {
  const plan = planAllocation(planOrders, stock);
  lastAllocated = plan.orders.filter((o) => o.status === 'allocated').length;
});

await payloadBench.run();
await planBench.run();

const payloadMs = payloadBench.tasks[0]?.result?.latency.mean ?? Number.NaN;
const payloadsPerSecond = (orders.length / payloadMs) * 1000;
const plan = planBench.tasks[0]?.result?.latency;
const planMean = plan?.mean ?? Number.NaN;
const planMax = plan?.max ?? Number.NaN;

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const verdict = (pass: boolean) => (pass ? 'PASS' : 'FAIL');
const payloadPass = payloadsPerSecond >= 50_000;
const planPass = planMean <= 1_000;

console.log(`@renkei/domain benchmarks  (Node ${process.version}, ${cpus().length} CPUs)`);
console.log('');
console.log(`1. Order payloads: ${fmt(payloadsPerSecond)} payloads/s`);
console.log(
  `   ${orders.length.toLocaleString('en-US')} varied orders (${fmt(accepted)} accepted, ${fmt(orders.length - accepted)} with problems), ${payloadBench.tasks[0]?.result?.latency.samples.length ?? 0} rounds, mean ${payloadMs.toFixed(1)} ms per round`,
);
console.log(`   target >= 50,000 payloads/s ... ${verdict(payloadPass)}`);
console.log('');
console.log(`2. Allocation plan: mean ${planMean.toFixed(0)} ms, max ${planMax.toFixed(0)} ms`);
console.log(
  `   ${fmt(OPEN_ORDERS)} open orders, ${fmt(planLines)} lines, ${fmt(PRODUCTS)} products, ${plan?.samples.length ?? 0} rounds; ${fmt(lastAllocated)} orders fully allocated`,
);
console.log(`   target <= 1,000 ms ... ${verdict(planPass)}`);
if (!payloadPass || !planPass) process.exitCode = 1;
