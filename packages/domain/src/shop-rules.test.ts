import { describe, expect, it } from 'vitest';
import type { TaxMode } from './master-data.js';
import { problemMessage } from './messages.js';
import { unsendableOutcome } from './order-facts.js';
import {
  compareTaxMode,
  sellDivisionOf,
  shopHoldProblems,
  withShopHolds,
  type OrderShopFacts,
} from './shop-rules.js';

describe('compareTaxMode (税込 ⇔ 内税販売, 税別 ⇔ 外税販売)', () => {
  it.each<[TaxMode, unknown, 'matches' | 'mismatch' | 'unknown']>([
    ['included', 'included', 'matches'],
    ['excluded', 'excluded', 'matches'],
    ['included', 'excluded', 'mismatch'],
    ['excluded', 'included', 'mismatch'],
    // Smaregi did not send it, or sent something else: nothing to compare, nothing held.
    ['included', null, 'unknown'],
    ['excluded', undefined, 'unknown'],
    ['excluded', '1', 'unknown'],
    ['included', 'INCLUDED', 'unknown'],
  ])('shop %s, store %j → %s', (shop, store, expected) => {
    expect(compareTaxMode(shop, sellDivisionOf(store))).toBe(expected);
  });
});

describe('shopHoldProblems', () => {
  const shop: OrderShopFacts = {
    id: 'shop-1',
    name: '楽天市場店',
    active: true,
    taxMode: 'included',
    orderStoreId: '23',
    orderStoreName: 'EC楽天',
    orderStoreSellDivision: 'included',
  };

  it.each<[string, Partial<OrderShopFacts>, string[]]>([
    ['active, matching', {}, []],
    ['active, store not read yet', { orderStoreSellDivision: null }, []],
    [
      'not mapped (the payload rules report that)',
      { orderStoreId: null, orderStoreSellDivision: 'excluded' },
      [],
    ],
    ['税込 shop, 外税販売 store', { orderStoreSellDivision: 'excluded' }, ['taxModeMismatch']],
    ['税別 shop, 内税販売 store', { taxMode: 'excluded' }, ['taxModeMismatch']],
    ['inactive', { active: false }, ['shopInactive']],
    [
      'inactive and mismatched',
      { active: false, taxMode: 'excluded' },
      ['shopInactive', 'taxModeMismatch'],
    ],
  ])('%s → %j', (_, over, codes) => {
    const problems = shopHoldProblems({ ...shop, ...over }, 'R-1');
    expect(problems.map((p) => p.code)).toEqual(codes);
    for (const p of problems) {
      expect(p.field).toBe('shopId');
      expect(p.orderNumber).toBe('R-1');
    }
  });

  it('names the shop, the store and both modes, in both languages', () => {
    const [p] = shopHoldProblems({ ...shop, taxMode: 'excluded' }, 'R-1');
    expect(p?.message.ja).toContain('楽天市場店');
    expect(p?.message.ja).toContain('税別');
    expect(p?.message.ja).toContain('EC楽天 (23)');
    expect(p?.message.ja).toContain('内税販売');
    expect(p?.message.en).toContain('tax-excluded');
    expect(p?.message.en).toContain('tax-included');
    // Rendered again from code and parameters (as stored), it reads the same.
    expect(problemMessage(p!.code, p!.params)).toEqual(p?.message);
    const [inactive] = shopHoldProblems({ ...shop, active: false }, 'R-1');
    expect(inactive?.message.ja).toContain('楽天市場店');
    expect(inactive?.message.ja).toContain('無効');
  });

  it('the store ID stands in for an unknown store name', () => {
    const [p] = shopHoldProblems({ ...shop, orderStoreName: null, taxMode: 'excluded' }, 'R-1');
    expect(p?.message.ja).toContain('受注店舗「23」');
  });

  it('holds the order until fixed elsewhere (waiting, never failed)', () => {
    const problems = shopHoldProblems({ ...shop, active: false, taxMode: 'excluded' }, 'R-1');
    expect(unsendableOutcome(problems)).toBe('waiting');
  });
});

describe('withShopHolds', () => {
  const hold = shopHoldProblems(
    {
      id: 's',
      name: 'S',
      active: false,
      taxMode: 'included',
      orderStoreId: '1',
      orderStoreSellDivision: 'included',
    },
    'R-1',
  );

  it('a sendable payload is held by any hold', () => {
    const held = withShopHolds({ ok: true as const, payload: 1 }, hold);
    expect(held).toEqual({ ok: false, problems: hold });
  });

  it('keeps the order’s own problems after the holds', () => {
    const own = shopHoldProblems(
      {
        id: 's',
        name: 'T',
        active: false,
        taxMode: 'included',
        orderStoreId: null,
        orderStoreSellDivision: null,
      },
      'R-1',
    );
    const held = withShopHolds({ ok: false as const, problems: own }, hold);
    expect(held.ok ? [] : held.problems).toEqual([...hold, ...own]);
  });

  it('without holds the result is untouched', () => {
    const result = { ok: true as const, payload: 1 };
    expect(withShopHolds(result, [])).toBe(result);
  });
});
