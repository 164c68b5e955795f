import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_PRODUCT_CODES,
  DEMO_STORE_IDS,
  type Order,
  type OrderStore,
  type PosProduct,
  type RunningSimulator,
} from '../src/index.js';
import { api, appToken, start, type Problem } from './helpers.js';

describe('受注管理: 受注店舗 and 受注登録', () => {
  let sim: RunningSimulator;
  let token: string;
  let products: PosProduct[];
  beforeAll(async () => {
    sim = await start();
    token = await appToken(sim);
    products = (await api<PosProduct[]>(sim, token, 'GET', '/pos/products?group_code=TS-ORG')).body;
  });
  afterAll(() => sim.close());

  function order(overrides: Record<string, unknown> = {}) {
    const a = products[0]!;
    const b = products[1]!;
    return {
      storeId: DEMO_STORE_IDS.orderStoreIncluded,
      orderCode: 'R-0001',
      orderDateTime: '2026-11-28T10:15:00+09:00',
      paymentMethodId: '2',
      carriage: 600,
      commission: 330,
      giftWrapPrice: 0,
      totalPointDiscount: 100,
      totalCouponDiscount: 0,
      subtotalCouponDiscount: 0,
      totalPromotionDiscount: 200,
      taxExclude: 0,
      total: 3300 * 2 + 3300 + 600 + 330 - 100 - 200,
      details: [
        {
          productId: a.productId,
          productCode: a.productCode,
          productName: a.productName,
          salesPrice: 3300,
          quantity: 2,
        },
        {
          productId: b.productId,
          productCode: b.productCode,
          productName: b.productName,
          salesPrice: 3300,
          quantity: 1,
        },
      ],
      ...overrides,
    };
  }

  it('GET /stores lists 受注店舗 with integer/boolean fields and the modeled link', async () => {
    const res = await api<OrderStore[]>(sim, token, 'GET', '/order-shipment/stores');
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(2);
    const [included, excluded] = res.body;
    expect(Object.keys(included!)).toEqual([
      'storeId',
      'storeCode',
      'storeName',
      'storeAbbr',
      'sellDivision',
      'sumDateChangeTime',
      'displaySequence',
      'pauseFlag',
      'pointPaymentMethodId',
      'stockStoreId',
      'autoAllocation',
    ]);
    expect(included).toMatchObject({
      storeId: '5',
      sellDivision: 'included',
      stockStoreId: '4',
      autoAllocation: false,
      pauseFlag: false,
    });
    expect(typeof included!.displaySequence).toBe('number');
    expect(included!.sumDateChangeTime).toMatch(/^\d{2}:\d{2}$/);
    expect(excluded).toMatchObject({
      storeId: '6',
      sellDivision: 'excluded',
      autoAllocation: true,
    });
  });

  it('GET /stores/{id}: a POS store or warehouse is rejected; an unknown ID is 404', async () => {
    const ok = await api<OrderStore>(
      sim,
      token,
      'GET',
      `/order-shipment/stores/${DEMO_STORE_IDS.orderStoreIncluded}`,
    );
    expect(ok.body.storeCode).toBe('EC001');
    for (const id of [DEMO_STORE_IDS.shibuya, DEMO_STORE_IDS.warehouse]) {
      const res = await api<Problem>(sim, token, 'GET', `/order-shipment/stores/${id}`);
      expect(res.status).toBe(400);
      expect(res.body.detail).toBe('指定された店舗は受注店舗ではありません');
    }
    expect((await api(sim, token, 'GET', '/order-shipment/stores/999')).status).toBe(404);
  });

  it('POS /stores does not list 受注店舗 (modeled)', async () => {
    const res = await api<{ storeId: string; division: string }[]>(
      sim,
      token,
      'GET',
      '/pos/stores',
    );
    expect(res.body.map((s) => s.storeId)).toEqual(['1', '2', '3', '4']);
    expect(res.body.map((s) => s.division)).toEqual(['1', '1', '1', '2']);
  });

  it('POST /stores registers a 受注店舗; storeCode must be unique in the contract', async () => {
    const res = await api<OrderStore>(sim, token, 'POST', '/order-shipment/stores', {
      storeCode: 'EC-YAHOO',
      storeName: 'Yahoo!ショッピング店',
      sellDivision: 'included',
      sumDateChangeTime: '23:59',
      stockStoreId: DEMO_STORE_IDS.warehouse,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      storeCode: 'EC-YAHOO',
      storeAbbr: 'Yahoo!ショッピング店',
      autoAllocation: false,
      pauseFlag: false,
      stockStoreId: '4',
    });
    const dup = await api<Problem>(sim, token, 'POST', '/order-shipment/stores', {
      storeCode: 'EC-YAHOO',
      storeName: 'x',
      sellDivision: 'included',
    });
    expect(dup.status).toBe(400);
    expect(dup.body.detail).toContain('EC-YAHOO');
    const posCode = await api<Problem>(sim, token, 'POST', '/order-shipment/stores', {
      storeCode: '0001',
      storeName: 'x',
      sellDivision: 'included',
    });
    expect(posCode.status).toBe(400);
    const badDivision = await api<Problem>(sim, token, 'POST', '/order-shipment/stores', {
      storeCode: 'EC-X',
      storeName: 'x',
      sellDivision: '0',
    });
    expect(badDivision.status).toBe(400);
    expect(badDivision.body.detail).toContain('sellDivision');
  });

  it('registers an order: integers, status received, lines with IDs', async () => {
    const res = await api<Order>(sim, token, 'POST', '/order-shipment/orders', order());
    expect(res.status).toBe(200);
    const o = res.body;
    expect(o).toMatchObject({
      orderCode: 'R-0001',
      storeId: '5',
      status: 'received',
      allocationStatus: 'unallocated',
      total: 10530,
      carriage: 600,
      deliveryDate: null,
      shippingDate: null,
    });
    expect(o.orderHeadId).toMatch(/^\d+$/);
    expect(o.details).toHaveLength(2);
    expect(o.details[0]).toMatchObject({ salesPrice: 3300, quantity: 2, allocatedQuantity: 0 });
    expect(typeof o.details[0]!.orderDetailId).toBe('string');
  });

  it('refuses a total that breaks the formula, stating expected and given', async () => {
    const res = await api<Problem>(
      sim,
      token,
      'POST',
      '/order-shipment/orders',
      order({ orderCode: 'R-0002', total: 10531 }),
    );
    expect(res.status).toBe(400);
    expect(res.body.detail).toContain('10530');
    expect(res.body.detail).toContain('10531');
    expect(res.body.fields).toEqual([{ name: 'total', message: '計算値は10530です' }]);
  });

  it('refuses a duplicate orderCode in the same store, naming the existing orderHeadId', async () => {
    const first = sim.control.orders().find((o) => o.orderCode === 'R-0001')!;
    const res = await api<Problem>(sim, token, 'POST', '/order-shipment/orders', order());
    expect(res.status).toBe(400);
    expect(res.body.detail).toBe(
      `受注番号[R-0001]は既に登録されています (orderHeadId: ${first.orderHeadId})`,
    );
    const otherStore = await api<Order>(
      sim,
      token,
      'POST',
      '/order-shipment/orders',
      order({ storeId: DEMO_STORE_IDS.orderStoreExcluded }),
    );
    expect(otherStore.status).toBe(200);
  });

  it.each([
    [{ orderCode: '受注-1' }, 'orderCode'],
    [{ orderCode: 'X'.repeat(51) }, 'orderCode'],
    [{ orderCode: '' }, 'orderCode'],
    [{ orderDateTime: '2026-11-28 10:15:00' }, 'orderDateTime'],
    [{ carriage: -1 }, 'carriage'],
    [{ carriage: 1.5 }, 'carriage'],
    [{ carriage: '600' }, 'carriage'],
    [{ totalPromotionDiscount: 1_000_000_000 }, 'totalPromotionDiscount'],
    [{ details: [] }, 'details'],
    [{ storeId: DEMO_STORE_IDS.shibuya }, '受注店舗ではありません'],
    [{ storeId: '999' }, 'storeId'],
    [{ paymentMethodId: '99' }, 'paymentMethodId'],
    [{ deliveryDate: '2026-02-30' }, 'deliveryDate'],
    [{ shippingFee: 600 }, 'shippingFee'],
  ])('refuses %j naming %s', async (overrides, name) => {
    const res = await api<Problem>(
      sim,
      token,
      'POST',
      '/order-shipment/orders',
      order({ orderCode: 'R-BAD', ...overrides }),
    );
    expect(res.status).toBe(400);
    expect(res.body.detail).toContain(name);
  });

  it('refuses a line with an unknown product, a wrong code or a bad quantity, naming the line', async () => {
    const base = order({ orderCode: 'R-LINES' });
    const unknown = await api<Problem>(sim, token, 'POST', '/order-shipment/orders', {
      ...base,
      details: [base.details[0], { ...base.details[1], productId: '1' }],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.detail).toContain('details[1].productId');
    const wrongCode = await api<Problem>(sim, token, 'POST', '/order-shipment/orders', {
      ...base,
      details: [{ ...base.details[0], productCode: 'NOPE' }, base.details[1]],
    });
    expect(wrongCode.body.detail).toContain('details[0].productCode');
    const zero = await api<Problem>(sim, token, 'POST', '/order-shipment/orders', {
      ...base,
      details: [{ ...base.details[0], quantity: 0 }, base.details[1]],
    });
    expect(zero.status).toBe(400);
    expect(zero.body.detail).toContain('quantity');
    expect(zero.body.fields?.[0]?.name).toBe('details[0].quantity');
  });

  it('accepts adjustment and dummy lines by their demo codes', async () => {
    const adj = sim.control.productByCode(DEMO_PRODUCT_CODES.adjustment)!;
    const dummy = sim.control.productByCode(DEMO_PRODUCT_CODES.dummy)!;
    const res = await api<Order>(sim, token, 'POST', '/order-shipment/orders', {
      storeId: DEMO_STORE_IDS.orderStoreIncluded,
      orderCode: 'R-ADJ',
      orderDateTime: '2026-11-28T10:15:00+09:00',
      total: 500 + 1200,
      details: [
        {
          productId: adj.productId,
          productCode: adj.productCode,
          productName: '調整額',
          salesPrice: 500,
          quantity: 1,
        },
        {
          productId: dummy.productId,
          productCode: dummy.productCode,
          productName: '福袋(商品番号なし)',
          salesPrice: 1200,
          quantity: 1,
        },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.details[1]!.productName).toBe('福袋(商品番号なし)');
  });
});
