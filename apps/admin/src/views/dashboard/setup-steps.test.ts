import { describe, expect, it } from 'vitest';
import { setupGuide, stepOfItem, type ReadinessItemLike, type SetupStepId } from './setup-steps';

const FIX_AT: Record<string, string> = {
  connection: 'settings.connection',
  shopsMapped: 'shops',
  orderStoreWarehouse: 'smaregi.orderStores',
  taxModeMatches: 'shops',
  paymentMethodsMapped: 'paymentMethods',
  adjustmentProductCode: 'settings.orderSync',
  dummyProductCode: 'settings.orderSync',
  allocationInquirySettings: 'settings.allocation',
  productsImported: 'products',
  bulkShippingStatus: 'settings.bulkShipping',
};

/** The domain's ten items, all met except those named (with their details). */
function items(unmet: Record<string, string[]> = {}): ReadinessItemLike[] {
  return Object.keys(FIX_AT).map((id) => ({
    id,
    passed: !(id in unmet),
    blocking: true,
    fixAt: FIX_AT[id]!,
    details: unmet[id] ?? [],
  }));
}

const NEW_MERCHANT = {
  connection: [],
  shopsMapped: ['楽天市場店'],
  paymentMethodsMapped: [],
  adjustmentProductCode: [],
  dummyProductCode: [],
  productsImported: [],
};

type Row = [
  string,
  Record<string, string[]>,
  boolean,
  Partial<Record<SetupStepId, string>>,
  SetupStepId | null,
];

describe('setupGuide: the help page steps from the readiness checklist', () => {
  it.each<Row>([
    [
      'a new merchant starts at 認証; steps that read Smaregi wait for it',
      NEW_MERCHANT,
      false,
      {
        connect: 'todo',
        stop: 'done',
        configure: 'blocked:connect',
        shops: 'blocked:connect',
        paymentMethods: 'blocked:connect',
        products: 'blocked:connect',
        start: 'blocked:connect',
      },
      'connect',
    ],
    [
      'connected but running with unmet items: 停止 comes first',
      { shopsMapped: ['楽天市場店'] },
      true,
      { connect: 'done', stop: 'todo', shops: 'todo', start: 'done' },
      'stop',
    ],
    [
      'connected and stopped, codes not set: 設定 is current',
      { adjustmentProductCode: [], dummyProductCode: [], productsImported: [] },
      false,
      { configure: 'todo', products: 'todo', start: 'blocked:configure' },
      'configure',
    ],
    [
      'codes set but not imported yet: 設定 waits for 商品取得, shops come next',
      {
        adjustmentProductCode: ['ADJ'],
        dummyProductCode: ['DUMMY'],
        productsImported: [],
        taxModeMatches: ['Amazon店'],
      },
      false,
      { configure: 'blocked:products', shops: 'todo', products: 'todo' },
      'shops',
    ],
    [
      'a code set but missing from imported products is to do once products are imported',
      { adjustmentProductCode: ['ADJ'] },
      false,
      { configure: 'todo', products: 'done' },
      'configure',
    ],
    [
      'the warehouse of an order store (fixed in Smaregi) belongs to 店舗',
      { orderStoreWarehouse: ['EC受注店舗'] },
      false,
      { shops: 'todo', configure: 'done', start: 'blocked:shops' },
      'shops',
    ],
    [
      'only payment methods left',
      { paymentMethodsMapped: ['代金引換'] },
      false,
      { paymentMethods: 'todo', start: 'blocked:paymentMethods' },
      'paymentMethods',
    ],
    [
      'everything met and stopped: 開始 is current',
      {},
      false,
      {
        connect: 'done',
        stop: 'done',
        configure: 'done',
        shops: 'done',
        paymentMethods: 'done',
        products: 'done',
        start: 'todo',
      },
      'start',
    ],
    ['everything met and running: complete', {}, true, { stop: 'done', start: 'done' }, null],
  ])('%s', (_name, unmet, integrationEnabled, expected, current) => {
    const guide = setupGuide({ items: items(unmet), integrationEnabled });
    const got = Object.fromEntries(
      guide.steps.map((s) => [s.id, s.waitsFor === null ? s.state : `${s.state}:${s.waitsFor}`]),
    );
    expect(got).toMatchObject(expected);
    expect(guide.current).toBe(current);
    expect(guide.steps.filter((s) => s.current).map((s) => s.id)).toEqual(
      current === null ? [] : [current],
    );
    expect(guide.complete).toBe(guide.steps.every((s) => s.state === 'done') && current === null);
  });

  it('lists each unmet item under its step, in the help page order', () => {
    const guide = setupGuide({ items: items(NEW_MERCHANT), integrationEnabled: false });
    expect(guide.steps.map((s) => [s.number, s.id, s.unmet.map((i) => i.id)])).toEqual([
      [1, 'connect', ['connection']],
      [2, 'stop', []],
      [3, 'configure', ['adjustmentProductCode', 'dummyProductCode']],
      [4, 'shops', ['shopsMapped']],
      [5, 'paymentMethods', ['paymentMethodsMapped']],
      [6, 'products', ['productsImported']],
      [7, 'start', []],
    ]);
  });

  it('a failing advisory (non-blocking) item is listed but does not hold the step', () => {
    const list = items().map((i) =>
      i.id === 'shopsMapped' ? { ...i, passed: false, blocking: false } : i,
    );
    const guide = setupGuide({ items: list, integrationEnabled: false });
    const shops = guide.steps.find((s) => s.id === 'shops')!;
    expect(shops.state).toBe('done');
    expect(shops.unmet.map((i) => i.id)).toEqual(['shopsMapped']);
    expect(guide.current).toBe('start');
  });

  it('an item the domain adds later lands on the step of the screen that fixes it', () => {
    expect(stepOfItem({ id: 'somethingNew', fixAt: 'paymentMethods' })).toBe('paymentMethods');
    expect(stepOfItem({ id: 'somethingNew', fixAt: 'smaregi.orderStores' })).toBe('shops');
    expect(stepOfItem({ id: 'orderStoreWarehouse', fixAt: 'smaregi.orderStores' })).toBe('shops');
  });
});
