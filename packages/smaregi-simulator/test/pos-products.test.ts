import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PRODUCT_CODES, type PosProduct, type RunningSimulator } from '../src/index.js';
import { api, appToken, manualClock, start, type Problem } from './helpers.js';

describe('POS products: GET/POST/PATCH /pos/products', () => {
  let sim: RunningSimulator;
  let token: string;
  const clock = manualClock('2026-11-01T00:00:00.000Z');
  beforeAll(async () => {
    // The test moves the clock by weeks: a long token life keeps one token valid throughout.
    sim = await start({ now: clock.now, tokenTtlSeconds: 90 * 24 * 3600 });
    token = await appToken(sim);
  });
  afterAll(() => sim.close());

  it('lists a bare array of products whose numbers and IDs are strings', async () => {
    const res = await api<PosProduct[]>(sim, token, 'GET', '/pos/products');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(Array.isArray(res.body)).toBe(true);
    expect(res.body).toHaveLength(100);
    const p = res.body[0]!;
    for (const key of [
      'productId',
      'categoryId',
      'price',
      'taxDivision',
      'displayFlag',
      'division',
      'salesDivision',
      'stockControlDivision',
    ]) {
      expect(typeof (p as unknown as Record<string, unknown>)[key], key).toBe('string');
    }
    expect(p.productId).toBe('8000001');
    expect(p.productCode).toMatch(/^49\d{11}$/);
    expect(p.insDateTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+09:00$/);
    expect(Object.keys(p)[0]).toBe('productId');
  });

  it('pages with limit and page; the last page is shorter; past the end is empty', async () => {
    const all: PosProduct[] = [];
    for (let page = 1; ; page++) {
      const res = await api<PosProduct[]>(
        sim,
        token,
        'GET',
        `/pos/products?limit=120&page=${page}`,
      );
      all.push(...res.body);
      if (res.body.length < 120) break;
    }
    const ids = all.map((p) => Number(p.productId));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
    expect(all.length).toBeGreaterThan(250);
    const beyond = await api<PosProduct[]>(sim, token, 'GET', '/pos/products?limit=1000&page=99');
    expect(beyond.body).toEqual([]);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=1001', 'limit'],
    ['limit=abc', 'limit'],
    ['page=0', 'page'],
    ['sort=productName', 'sort'],
    ['sort=productId:asc', 'sort'],
    ['limit=10&limit=20', 'limit'],
    ['fields=nope', 'fields'],
    ['display_flag=2', 'display_flag'],
  ])('400 naming the parameter for %s', async (query, name) => {
    const res = await api<Problem>(sim, token, 'GET', `/pos/products?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.title).toBe('Bad Request');
    expect(res.body.detail).toContain(name);
  });

  it('sorts by productCode:desc and by several keys', async () => {
    const res = await api<PosProduct[]>(
      sim,
      token,
      'GET',
      '/pos/products?sort=productCode:desc&limit=1000',
    );
    const codes = res.body.map((p) => p.productCode);
    expect(codes).toEqual([...codes].sort().reverse());
    const desc = await api<PosProduct[]>(
      sim,
      token,
      'GET',
      '/pos/products?sort=productId:desc&limit=3',
    );
    expect(desc.body.map((p) => p.productId)).toEqual([
      String(8000000 + res.body.length),
      String(8000000 + res.body.length - 1),
      String(8000000 + res.body.length - 2),
    ]);
    const multi = await api<PosProduct[]>(
      sim,
      token,
      'GET',
      '/pos/products?sort=displaySequence:desc,productId&limit=5',
    );
    expect(multi.status).toBe(200);
  });

  it('filters by group_code, category_id, product_code and stock_control_division', async () => {
    const group = await api<PosProduct[]>(
      sim,
      token,
      'GET',
      '/pos/products?group_code=TS-ORG&limit=1000',
    );
    expect(group.body).toHaveLength(16);
    expect(new Set(group.body.map((p) => p.size))).toEqual(new Set(['S', 'M', 'L', 'XL']));
    const food = await api<PosProduct[]>(
      sim,
      token,
      'GET',
      '/pos/products?category_id=6&limit=1000',
    );
    expect(food.body.length).toBe(20);
    expect(
      food.body.every((p) => p.reduceTaxId === '10000001' && p.useCategoryReduceTax === '0'),
    ).toBe(true);
    const adjustment = await api<PosProduct[]>(
      sim,
      token,
      'GET',
      `/pos/products?product_code=${DEMO_PRODUCT_CODES.adjustment}`,
    );
    expect(adjustment.body).toHaveLength(1);
    expect(adjustment.body[0]).toMatchObject({ productName: '調整額', stockControlDivision: '1' });
    const unmanaged = await api<PosProduct[]>(
      sim,
      token,
      'GET',
      '/pos/products?stock_control_division=1',
    );
    expect(unmanaged.body.map((p) => p.productCode).sort()).toEqual(
      [DEMO_PRODUCT_CODES.adjustment, DEMO_PRODUCT_CODES.dummy].sort(),
    );
  });

  it('restricts top-level fields with fields=', async () => {
    const res = await api<Record<string, unknown>[]>(
      sim,
      token,
      'GET',
      '/pos/products?fields=productId,productCode&limit=2',
    );
    expect(res.body.map((p) => Object.keys(p))).toEqual([
      ['productId', 'productCode'],
      ['productId', 'productCode'],
    ]);
  });

  it('filters by upd_date_time range (ISO with offset, at most 31 days)', async () => {
    clock.set('2026-11-20T00:00:00.000Z');
    const created = await api<PosProduct>(sim, token, 'POST', '/pos/products', {
      categoryId: '1',
      productCode: 'NEW-1',
      productName: '新商品',
      price: '1000',
    });
    expect(created.status).toBe(200);
    const hit = await api<PosProduct[]>(
      sim,
      token,
      'GET',
      '/pos/products?upd_date_time-from=2026-11-19T00:00:00%2B09:00&upd_date_time-to=2026-11-30T00:00:00%2B09:00',
    );
    expect(hit.body.map((p) => p.productCode)).toEqual(['NEW-1']);
    const tooLong = await api<Problem>(
      sim,
      token,
      'GET',
      '/pos/products?upd_date_time-from=2026-10-01T00:00:00%2B09:00&upd_date_time-to=2026-11-02T00:00:00%2B09:00',
    );
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.detail).toContain('31日');
    const bad = await api<Problem>(
      sim,
      token,
      'GET',
      '/pos/products?upd_date_time-from=2026-10-01',
    );
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toContain('upd_date_time-from');
  });

  it('gets one product, and 404 for an unknown one', async () => {
    const res = await api<PosProduct>(sim, token, 'GET', '/pos/products/8000002');
    expect(res.status).toBe(200);
    expect(res.body.productId).toBe('8000002');
    const fields = await api<Record<string, unknown>>(
      sim,
      token,
      'GET',
      '/pos/products/8000002?fields=productName',
    );
    expect(Object.keys(fields.body)).toEqual(['productName']);
    expect((await api(sim, token, 'GET', '/pos/products/abc')).status).toBe(404);
  });

  it('creates a product with Smaregi defaults', async () => {
    const res = await api<PosProduct>(sim, token, 'POST', '/pos/products', {
      categoryId: '5',
      productCode: 'TOTE-NAVY',
      productName: '帆布トートバッグ ネイビー',
      price: '3800',
      groupCode: 'TOTE',
      color: 'ネイビー',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      productCode: 'TOTE-NAVY',
      price: '3800',
      taxDivision: '1',
      displayFlag: '1',
      stockControlDivision: '0',
      groupCode: 'TOTE',
    });
    expect(res.body.productId).toMatch(/^\d+$/);
  });

  it.each([
    [{ productCode: 'X1', productName: 'x', price: '1' }, 'categoryId'],
    [{ categoryId: '1', productCode: 'ＡＢＣ', productName: 'x', price: '1' }, 'productCode'],
    [{ categoryId: '1', productCode: 'A'.repeat(21), productName: 'x', price: '1' }, 'productCode'],
    [{ categoryId: '1', productCode: 'X2', productName: 'x', price: 100 }, 'price'],
    [{ categoryId: '1', productCode: 'X3', productName: 'x', price: '100000000' }, 'price'],
    [
      { categoryId: '1', productCode: 'X4', productName: 'x'.repeat(86), price: '1' },
      'productName',
    ],
    [
      { categoryId: '1', productCode: 'X5', productName: 'x', price: '1', taxDivision: '3' },
      'taxDivision',
    ],
    [
      { categoryId: '1', productCode: 'X6', productName: 'x', price: '1', shippingFee: '1' },
      'shippingFee',
    ],
    [{ categoryId: '999', productCode: 'X7', productName: 'x', price: '1' }, '部門'],
  ])('refuses a bad product (%j) naming %s', async (body, name) => {
    const res = await api<Problem>(sim, token, 'POST', '/pos/products', body);
    expect(res.status).toBe(400);
    expect(res.body.detail).toContain(name);
  });

  it('refuses a duplicate productCode on create and update', async () => {
    const dup = await api<Problem>(sim, token, 'POST', '/pos/products', {
      categoryId: '1',
      productCode: 'TOTE-NAVY',
      productName: 'x',
      price: '1',
    });
    expect(dup.status).toBe(400);
    expect(dup.body.detail).toContain('TOTE-NAVY');
    const upd = await api<Problem>(sim, token, 'PATCH', '/pos/products/8000001', {
      productCode: 'TOTE-NAVY',
    });
    expect(upd.status).toBe(400);
  });

  it('updates some fields and bumps updDateTime', async () => {
    clock.set('2026-11-25T01:02:03.000Z');
    const res = await api<PosProduct>(sim, token, 'PATCH', '/pos/products/8000001', {
      price: '2980',
      productName: 'Tシャツ 改',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      productId: '8000001',
      price: '2980',
      productName: 'Tシャツ 改',
      updDateTime: '2026-11-25T10:02:03+09:00',
    });
    const again = await api<PosProduct>(sim, token, 'GET', '/pos/products/8000001');
    expect(again.body.price).toBe('2980');
    expect((await api(sim, token, 'PATCH', '/pos/products/9999999', { price: '1' })).status).toBe(
      404,
    );
  });
});
