import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planAllocation, type AllocationOrderInput } from './allocation-plan.js';
import { normalizeCode } from './codes.js';
import { PRINTABLE_ASCII, SMAREGI_MONEY_MAX, SMAREGI_QUANTITY_MAX } from './limits.js';
import { buildSmaregiOrderPayload, type OrderPayloadContext } from './order-payload.js';
import { createProductIndex } from './product-index.js';
import { integrationSettingsSchema } from './settings.js';

/*
 * Invariants that must hold for every input, not only the table cases.
 */

const { index: products } = createProductIndex([
  ...Array.from({ length: 20 }, (_, i) => ({
    productId: String(8000000 + i),
    productCode: `P-${i}`,
  })),
  { productId: '9000001', productCode: 'ADJUST' },
  { productId: '9000002', productCode: 'DUMMY' },
]);

/** Mostly valid values with a few broken ones mixed in (weights keep many orders acceptable). */
const mostly = <T, U>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<U>) =>
  fc.oneof({ weight: 15, arbitrary: good }, { weight: 1, arbitrary: bad });

const moneyish = mostly(
  fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 0, max: 20_000 }) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: SMAREGI_MONEY_MAX }) },
  ),
  fc.constantFrom(-1, 0.5, SMAREGI_MONEY_MAX + 1, Number.NaN),
);
const discount = mostly(
  fc.integer({ min: 0, max: 1_000 }),
  fc.integer({ min: 0, max: SMAREGI_MONEY_MAX }),
);

const lineArb = fc.record({
  productCode: mostly(
    fc.constantFrom('P-1', 'Ｐ－２', ' P-3 ', null),
    fc.constantFrom('UNKNOWN', ''),
  ),
  managementNumber: mostly(fc.constantFrom('P-4', 'P-5', null, null), fc.constant('NOPE')),
  name: mostly(fc.constantFrom('Tシャツ', 'マグ'), fc.constant('')),
  unitPrice: moneyish,
  quantity: mostly(
    fc.integer({ min: 1, max: 5 }),
    fc.constantFrom(0, -1, 1.5, SMAREGI_QUANTITY_MAX, SMAREGI_QUANTITY_MAX + 1),
  ),
  isEnclosure: fc.boolean(),
});

const orderArb = fc.record({
  shopId: fc.constant('shop'),
  orderNumber: mostly(
    fc.constantFrom('ＲＴ－１', 'RT-2', ' RT-4 '),
    fc.oneof(fc.constant('注文3'), fc.string({ maxLength: 60 })),
  ),
  orderedAt: mostly(
    fc.constantFrom('2025-01-31T10:00:00+09:00', '2025-01-31T01:00:00Z'),
    fc.constant('not a date'),
  ),
  paymentMethodId: mostly(fc.constant('pm-card'), fc.constant('pm-none')),
  lines: fc.array(lineArb, { minLength: 1, maxLength: 6 }),
  shippingFee: moneyish,
  commission: moneyish,
  giftWrapFee: moneyish,
  pointUse: discount,
  coupon: discount,
  mallCoupon: discount,
  adjustment: fc.integer({ min: -3_000, max: 30_000 }),
  externalTax: fc.oneof(fc.constant(0), moneyish),
  deliveryDate: mostly(fc.constantFrom(null, '2025-02-03'), fc.constant('2025-02-30')),
  shippingDate: fc.constant(null),
  statusId: fc.constant('new'),
});

const contextArb = fc.record({
  syncEnclosures: fc.boolean(),
  taxMode: fc.constantFrom('included' as const, 'excluded' as const),
  dummy: fc.constantFrom('DUMMY', null),
});

describe('properties: order payload', () => {
  it('never throws, and an accepted payload satisfies the total formula and every range', () => {
    let accepted = 0;
    fc.assert(
      fc.property(orderArb, contextArb, (order, c) => {
        const context: OrderPayloadContext = {
          settings: integrationSettingsSchema.parse({
            syncEnclosures: c.syncEnclosures,
            adjustmentProductCode: 'ADJUST',
            dummyProductCode: c.dummy,
          }),
          shop: { id: 'shop', name: '店舗', taxMode: c.taxMode, orderStoreId: '23' },
          paymentMethods: new Map([['pm-card', '3']]),
          products,
        };
        const result = buildSmaregiOrderPayload(order, context);
        if (!result.ok) {
          expect(result.problems.length).toBeGreaterThan(0);
          return;
        }
        accepted += 1;
        const p = result.payload;
        const goods = p.details.reduce((sum, d) => sum + d.salesPrice * d.quantity, 0);
        expect(p.total).toBe(
          goods +
            p.taxExclude +
            p.carriage +
            p.commission +
            p.giftWrapPrice -
            (p.totalPointDiscount +
              p.totalCouponDiscount +
              p.subtotalCouponDiscount +
              p.totalPromotionDiscount),
        );
        for (const v of [
          p.total,
          p.carriage,
          p.commission,
          p.giftWrapPrice,
          p.totalPointDiscount,
          p.totalCouponDiscount,
          p.subtotalCouponDiscount,
          p.totalPromotionDiscount,
          p.taxExclude,
        ]) {
          expect(Number.isInteger(v) && v >= 0 && v <= SMAREGI_MONEY_MAX).toBe(true);
        }
        expect(p.details.length).toBeGreaterThan(0);
        for (const d of p.details) {
          expect(
            Number.isInteger(d.salesPrice) &&
              d.salesPrice >= 0 &&
              d.salesPrice <= SMAREGI_MONEY_MAX,
          ).toBe(true);
          expect(
            Number.isInteger(d.quantity) && d.quantity >= 1 && d.quantity <= SMAREGI_QUANTITY_MAX,
          ).toBe(true);
          expect(d.productCode).toMatch(PRINTABLE_ASCII);
        }
        expect(p.orderCode).toMatch(PRINTABLE_ASCII);
        expect(p.orderCode.length).toBeLessThanOrEqual(50);
        if (c.taxMode === 'included') expect(p.taxExclude).toBe(0);
        expect(result.detailSources).toHaveLength(p.details.length);
      }),
      { numRuns: 2000 },
    );
    // The generator must reach the accepted branch often enough for the property to mean something.
    expect(accepted).toBeGreaterThan(50);
  });
});

const planOrdersArb = fc.uniqueArray(
  fc.record({
    orderKey: fc.string({ minLength: 1, maxLength: 6 }),
    orderNumber: fc.string({ maxLength: 4 }),
    orderedAt: fc.constantFrom(
      '2025-01-01T09:00:00+09:00',
      '2025-01-01T00:00:00Z',
      '2025-01-01T10:00:00+09:00',
      '2025-01-01T09:30:00+09:00',
      'bad',
    ),
    lines: fc.array(
      fc.record({
        productId: fc.constantFrom('A', 'B', 'C', 'D'),
        quantity: fc.oneof(fc.integer({ min: 1, max: 6 }), fc.constant(0)),
      }),
      { minLength: 1, maxLength: 5 },
    ),
  }),
  { selector: (o) => o.orderKey, maxLength: 30 },
);
const stockArb = fc
  .record({
    A: fc.integer({ min: -3, max: 20 }),
    B: fc.integer({ min: 0, max: 10 }),
    C: fc.integer({ min: 0, max: 5 }),
  })
  .map((s) => new Map(Object.entries(s)));
const policyArb = fc.constantFrom('lineByLine' as const, 'wholeOrder' as const);

describe('properties: allocation planner', () => {
  it('never allocates more than the stock, and remaining = stock − allocated', () => {
    fc.assert(
      fc.property(
        planOrdersArb,
        stockArb,
        policyArb,
        (orders: AllocationOrderInput[], stock, policy) => {
          const plan = planAllocation(orders, stock, { policy });
          const allocated = new Map<string, number>();
          for (const o of plan.orders)
            for (const l of o.lines) {
              expect(l.allocatedQuantity === 0 || l.allocatedQuantity === l.quantity).toBe(true);
              allocated.set(l.productId, (allocated.get(l.productId) ?? 0) + l.allocatedQuantity);
            }
          for (const [productId, qty] of allocated) {
            const available = Math.max(0, stock.get(productId) ?? 0);
            expect(qty).toBeLessThanOrEqual(available);
            if (stock.has(productId))
              expect(plan.remainingStock.get(productId)).toBe(available - qty);
          }
          for (const o of plan.orders) {
            const all = o.lines.every((l) => l.status === 'allocated');
            if (o.status === 'allocated') expect(all).toBe(true);
            if (policy === 'wholeOrder') expect(o.status).not.toBe('partial');
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('gives the same plan for the same input, in any input order', () => {
    fc.assert(
      fc.property(
        planOrdersArb,
        stockArb,
        policyArb,
        fc.infiniteStream(fc.nat()),
        (orders, stock, policy, seeds) => {
          const shuffled: AllocationOrderInput[] = [...orders];
          for (let i = shuffled.length - 1; i > 0; i--) {
            const j = (seeds.next().value as number) % (i + 1);
            [shuffled[i], shuffled[j]] = [
              shuffled[j] as AllocationOrderInput,
              shuffled[i] as AllocationOrderInput,
            ];
          }
          const a = planAllocation(orders, stock, { policy });
          const b = planAllocation(orders, stock, { policy });
          const c = planAllocation(shuffled, stock, { policy });
          expect(b).toEqual(a);
          const valid = (p: typeof a) => p.orders.filter((o) => o.status !== 'invalid');
          expect(valid(c)).toEqual(valid(a));
          expect(c.remainingStock).toEqual(a.remainingStock);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('properties: code normalisation', () => {
  it('is idempotent and never leaves edge spaces', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const once = normalizeCode(s);
        expect(normalizeCode(once)).toBe(once);
        expect(once).toBe(once.replace(/^[\s\u3000]+|[\s\u3000]+$/g, ''));
      }),
      { numRuns: 2000 },
    );
  });
});
