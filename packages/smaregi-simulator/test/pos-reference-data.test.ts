import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaymentMethod, PosCategory, PosStore, RunningSimulator } from '../src/index.js';
import { api, appToken, start, type Problem } from './helpers.js';

describe('POS stores, payment methods and categories', () => {
  let sim: RunningSimulator;
  let token: string;
  beforeAll(async () => {
    sim = await start();
    token = await appToken(sim);
  });
  afterAll(() => sim.close());

  it('GET /stores: strings everywhere, division filter, store_code filter, fields', async () => {
    const res = await api<PosStore[]>(sim, token, 'GET', '/pos/stores');
    expect(res.body.map((s) => s.storeName)).toEqual(['渋谷店', '吉祥寺店', '梅田店', '東京倉庫']);
    for (const s of res.body) {
      for (const [k, v] of Object.entries(s)) expect(typeof v, k).toBe('string');
      expect(s.sumDateChangeTime).toMatch(/^\d{4}$/);
    }
    const warehouses = await api<PosStore[]>(sim, token, 'GET', '/pos/stores?division=2');
    expect(warehouses.body.map((s) => s.storeCode)).toEqual(['W001']);
    const byCode = await api<PosStore[]>(sim, token, 'GET', '/pos/stores?store_code=0002');
    expect(byCode.body.map((s) => s.storeId)).toEqual(['2']);
    const fields = await api<Record<string, string>[]>(
      sim,
      token,
      'GET',
      '/pos/stores?fields=storeId,division&sort=storeId:desc',
    );
    expect(fields.body[0]).toEqual({ storeId: '4', division: '2' });
    expect((await api<Problem>(sim, token, 'GET', '/pos/stores?division=3')).body.detail).toContain(
      'division',
    );
    expect((await api(sim, token, 'GET', '/pos/stores/1')).status).toBe(200);
    expect((await api(sim, token, 'GET', '/pos/stores/5')).status).toBe(404);
  });

  it('GET /payment_methods: the eight demo methods, filters and sort', async () => {
    const res = await api<PaymentMethod[]>(sim, token, 'GET', '/pos/payment_methods');
    expect(res.body.map((m) => m.paymentMethodName)).toEqual([
      '現金',
      'クレジットカード',
      '代金引換',
      '銀行振込',
      '後払い',
      '楽天ペイ',
      'Amazon Pay',
      'PayPay',
    ]);
    expect(Object.keys(res.body[0]!)).toEqual([
      'paymentMethodId',
      'paymentMethodCode',
      'paymentMethodName',
      'unitPrice',
      'displayFlag',
      'displaySequence',
      'changeFlag',
      'paymentMethodGroupId',
      'securitiesFlag',
      'updDateTime',
    ]);
    const cash = await api<PaymentMethod[]>(
      sim,
      token,
      'GET',
      '/pos/payment_methods?change_flag=1',
    );
    expect(cash.body.map((m) => m.paymentMethodCode)).toEqual(['CASH']);
    const desc = await api<PaymentMethod[]>(
      sim,
      token,
      'GET',
      '/pos/payment_methods?sort=paymentMethodCode:desc&limit=2',
    );
    expect(desc.body.map((m) => m.paymentMethodCode)).toEqual(['RAKUTENPAY', 'PAYPAY']);
    const one = await api<PaymentMethod>(sim, token, 'GET', '/pos/payment_methods/8');
    expect(one.body.paymentMethodName).toBe('PayPay');
    const noScope = await appToken(sim, 'pos.products:read');
    expect((await api(sim, noScope, 'GET', '/pos/payment_methods')).status).toBe(403);
  });

  it('categories: list, get, create with unique code', async () => {
    const res = await api<PosCategory[]>(sim, token, 'GET', '/pos/categories');
    expect(res.body.map((c) => c.categoryName)).toEqual([
      'トップス',
      'ボトムス',
      'アウター',
      'シューズ',
      '雑貨',
      '食品',
      '調整・その他',
    ]);
    const created = await api<PosCategory>(sim, token, 'POST', '/pos/categories', {
      categoryCode: '400',
      categoryName: 'アクセサリー',
      taxDivision: '0',
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      categoryCode: '400',
      categoryName: 'アクセサリー',
      taxDivision: '0',
    });
    expect(
      (await api<PosCategory>(sim, token, 'GET', `/pos/categories/${created.body.categoryId}`)).body
        .categoryName,
    ).toBe('アクセサリー');
    const dup = await api<Problem>(sim, token, 'POST', '/pos/categories', {
      categoryCode: '400',
      categoryName: 'x',
    });
    expect(dup.status).toBe(400);
    const missing = await api<Problem>(sim, token, 'POST', '/pos/categories', {
      categoryCode: '401',
    });
    expect(missing.body.detail).toContain('categoryName');
  });
});

describe('demo data', () => {
  it('is the same for the same seed and differs for another', async () => {
    const codes = async (seed: string): Promise<string[]> => {
      const sim = await start({ seed });
      const list = [
        sim.control.product('8000001')!.productCode,
        sim.control.product('8000150')!.productCode,
      ];
      const stock = sim.control.stock('4', '8000001')!.stockAmount;
      await sim.close();
      return [...list, String(stock)];
    };
    const a = await codes('one');
    expect(await codes('one')).toEqual(a);
    expect(await codes('two')).not.toEqual(a);
  });

  it('has a few hundred products with valid JAN check digits, variants, and stock in every store', async () => {
    const sim = await start();
    const summary = sim.control.summary();
    expect(summary.products).toBeGreaterThan(250);
    expect(summary.paymentMethods).toBe(8);
    const p = sim.control.product('8000001')!;
    const digits = p.productCode.split('').map(Number);
    const sum = digits.slice(0, 12).reduce((s, d, i) => s + d * (i % 2 === 0 ? 1 : 3), 0);
    expect((10 - (sum % 10)) % 10).toBe(digits[12]);
    for (const store of ['1', '2', '3', '4'])
      expect(sim.control.stock(store, '8000001')).toBeDefined();
    await sim.close();
  });

  it('can start without demo data', async () => {
    const sim = await start({ demo: false });
    expect(() => sim.control.summary()).toThrow();
    await sim.close();
  });
});
