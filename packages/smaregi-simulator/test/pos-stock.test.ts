import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_STORE_IDS, type RunningSimulator } from '../src/index.js';
import { api, appToken, start, startReceiver, type Problem, type Receiver } from './helpers.js';

interface StockItem {
  storeId: string;
  productId: string;
  stockAmount: string;
  layawayStockAmount: string;
  updDateTime: string;
}

describe('POS stock: GET /stock, PATCH /stock/{id}, POST /stock/{id}/add, bulk', () => {
  let sim: RunningSimulator;
  let token: string;
  let hooks: Receiver;
  beforeAll(async () => {
    hooks = await startReceiver();
    sim = await start({
      webhook: {
        url: `${hooks.url}/webhook`,
        secretHeaderName: 'X-Renkei-Secret',
        secretHeaderValue: 's3cret',
      },
    });
    token = await appToken(sim);
  });
  afterAll(async () => {
    await sim.close();
    await hooks.close();
  });
  beforeEach(() => {
    hooks.received.length = 0;
  });

  it('lists rows as strings, filtered by store and product, sorted by productId then storeId', async () => {
    const res = await api<StockItem[]>(sim, token, 'GET', '/pos/stock?product_id=8000001');
    expect(res.status).toBe(200);
    expect(res.body.map((r) => r.storeId)).toEqual(['1', '2', '3', '4']);
    for (const r of res.body) {
      expect(Object.keys(r)).toEqual([
        'storeId',
        'productId',
        'stockAmount',
        'layawayStockAmount',
        'updDateTime',
      ]);
      expect(r.stockAmount).toMatch(/^-?\d+$/);
    }
    const byStore = await api<StockItem[]>(
      sim,
      token,
      'GET',
      `/pos/stock?store_id=${DEMO_STORE_IDS.warehouse}&limit=1000`,
    );
    expect(byStore.body.every((r) => r.storeId === '4')).toBe(true);
    const ids = byStore.body.map((r) => Number(r.productId));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const desc = await api<StockItem[]>(
      sim,
      token,
      'GET',
      '/pos/stock?product_id=8000001&sort=storeId:desc',
    );
    expect(desc.body.map((r) => r.storeId)).toEqual(['4', '3', '2', '1']);
    expect(
      (await api<Problem>(sim, token, 'GET', '/pos/stock?store_id=abc')).body.detail,
    ).toContain('store_id');
  });

  it('a product has no row until its stock changes once', async () => {
    const created = await api<{ productId: string }>(sim, token, 'POST', '/pos/products', {
      categoryId: '1',
      productCode: 'NO-STOCK-YET',
      productName: '新作',
      price: '1000',
    });
    const none = await api<StockItem[]>(
      sim,
      token,
      'GET',
      `/pos/stock?product_id=${created.body.productId}`,
    );
    expect(none.body).toEqual([]);
  });

  it('PATCH sets an absolute amount, records history and sends pos:stock edited', async () => {
    const res = await api<Record<string, unknown>>(sim, token, 'PATCH', '/pos/stock/8000001', {
      storeId: '1',
      stockAmount: '25',
      stockHistory: { memo: 'OMS sync' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      productId: '8000001',
      storeId: '1',
      stockAmount: '25',
      stockHistory: { memo: 'OMS sync' },
    });
    const historyId = (res.body.stockHistory as { id: string }).id;
    expect(historyId).toMatch(/^\d+$/);
    await sim.control.flush();
    expect(hooks.received).toHaveLength(1);
    const hook = hooks.received[0]!;
    expect(hook.path).toBe('/webhook');
    expect(hook.headers['smaregi-event']).toBe('pos:stock');
    expect(hook.headers['smaregi-contract-id']).toBe('sb_renkei_demo');
    expect(hook.headers['smaregi-event-id']).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(hook.headers['x-renkei-secret']).toBe('s3cret');
    expect(hook.headers['user-agent']).toBe('Smaregi-Platform-Api-Webhook/1.2.4(simulator)');
    expect(hook.body).toEqual({
      contractId: 'sb_renkei_demo',
      event: 'pos:stock',
      action: 'edited',
      ids: [{ id: historyId, productId: '8000001', storeId: '1' }],
    });
  });

  it('POST /add changes relatively and enforces the resulting range', async () => {
    await api(sim, token, 'PATCH', '/pos/stock/8000002', { storeId: '2', stockAmount: '10' });
    const res = await api<{ stockAmount: string }>(sim, token, 'POST', '/pos/stock/8000002/add', {
      storeId: '2',
      stockAmount: '-3',
    });
    expect(res.status).toBe(200);
    expect(res.body.stockAmount).toBe('7');
    const high = await api<Problem>(sim, token, 'POST', '/pos/stock/8000002/add', {
      storeId: '2',
      stockAmount: '999999999',
    });
    expect(high.status).toBe(400);
    expect(high.body.detail).toBe('更新後の在庫数は[999999999]以下である必要があります');
    const low = await api<Problem>(sim, token, 'POST', '/pos/stock/8000002/add', {
      storeId: '2',
      stockAmount: '-1999999998',
    });
    expect(low.body.detail).toBe('更新後の在庫数は[-999999999]以上である必要があります');
    expect(sim.control.stock('2', '8000002')!.stockAmount).toBe(7);
  });

  it.each([
    [
      '/pos/stock/8000001',
      'PATCH',
      { storeId: '999', stockAmount: '1' },
      400,
      '指定された店舗IDのリソースが見つかりません',
    ],
    [
      '/pos/stock/8000001',
      'PATCH',
      { storeId: DEMO_STORE_IDS.orderStoreIncluded, stockAmount: '1' },
      400,
      '店舗ID',
    ],
    ['/pos/stock/8000001', 'PATCH', { storeId: '1', stockAmount: 5 }, 400, 'stockAmount'],
    [
      '/pos/stock/8000001',
      'PATCH',
      { storeId: '1', stockAmount: '1000000000' },
      400,
      'stockAmount',
    ],
    [
      '/pos/stock/8000001',
      'PATCH',
      { storeId: '1', stockAmount: '1', stockHistory: { memo: 'x'.repeat(101) } },
      400,
      'stockHistory.memo',
    ],
    [
      '/pos/stock/9999999',
      'PATCH',
      { storeId: '1', stockAmount: '1' },
      404,
      '指定されたIDのリソースが見つかりません',
    ],
  ])('%s %s %j → %i', async (path, method, body, status, detail) => {
    const res = await api<Problem>(sim, token, method, path, body);
    expect(res.status).toBe(status);
    expect(res.body.detail).toContain(detail);
  });

  it('bulk absolute and relative: {requestId, callbackUrl}, then the callback and one bulk-update webhook', async () => {
    const callbackUrl = `${hooks.url}/callback`;
    const res = await api<{ requestId: number; callbackUrl: string }>(
      sim,
      token,
      'PATCH',
      '/pos/stock/bulk',
      {
        stock: [
          { productId: '8000003', storeId: '1', stockAmount: '5' },
          { productId: '8000004', storeId: '4', stockAmount: '50', stockHistory: { memo: '棚卸' } },
        ],
        callbackUrl,
      },
    );
    expect(res.status).toBe(200);
    expect(typeof res.body.requestId).toBe('number');
    expect(res.body.callbackUrl).toBe(callbackUrl);
    await sim.control.flush();
    expect(sim.control.stock('1', '8000003')!.stockAmount).toBe(5);
    const callback = hooks.received.find((r) => r.path === '/callback')!;
    // An array of objects starting with requestId, as the official page shows.
    expect(Array.isArray(callback.body)).toBe(true);
    expect(callback.body).toMatchObject([{ requestId: res.body.requestId, status: 'success' }]);
    expect(callback.headers['content-type']).toBe('application/json;charset=UTF-8');
    const hook = hooks.received.find((r) => r.path === '/webhook')!;
    expect(hook.body).toMatchObject({ event: 'pos:stock', action: 'bulk-update' });
    expect((hook.body.ids as unknown[]).length).toBe(2);

    const rel = await api<{ requestId: number }>(sim, token, 'POST', '/pos/stock/add/bulk', {
      stock: [{ productId: '8000003', storeId: '1', stockAmount: '-2' }],
      callbackUrl,
    });
    expect(rel.body.requestId).toBe(res.body.requestId + 1);
    await sim.control.flush();
    expect(sim.control.stock('1', '8000003')!.stockAmount).toBe(3);
  });

  it('bulk failures: a bad row fails the whole request in the callback, changing nothing', async () => {
    const before = sim.control.stock('1', '8000005')!.stockAmount;
    await api(sim, token, 'POST', '/pos/stock/add/bulk', {
      stock: [
        { productId: '8000005', storeId: '1', stockAmount: '1' },
        { productId: '9999999', storeId: '1', stockAmount: '1' },
      ],
      callbackUrl: `${hooks.url}/callback`,
    });
    await sim.control.flush();
    const callback = hooks.received.find((r) => r.path === '/callback')!;
    expect(callback.body).toMatchObject([{ status: 'failure', errors: [{ index: 1 }] }]);
    expect(sim.control.stock('1', '8000005')!.stockAmount).toBe(before);
    expect(hooks.received.filter((r) => r.path === '/webhook')).toHaveLength(0);
  });

  it.each([
    [{ stock: [], callbackUrl: 'http://x/cb' }, 'stock'],
    [
      {
        stock: Array.from({ length: 101 }, () => ({
          productId: '8000001',
          storeId: '1',
          stockAmount: '1',
        })),
        callbackUrl: 'http://x/cb',
      },
      'stock',
    ],
    [{ stock: [{ productId: '8000001', storeId: '1', stockAmount: '1' }] }, 'callbackUrl'],
    [
      { stock: [{ productId: '8000001', storeId: '1', stockAmount: '1' }], callbackUrl: 'ftp://x' },
      'callbackUrl',
    ],
    [
      {
        stock: [{ productId: '8000001', storeId: '1', stockAmount: '0' }],
        callbackUrl: 'http://x/cb',
      },
      '0',
    ],
  ])('bulk add refuses %#', async (body, name) => {
    const res = await api<Problem>(sim, token, 'POST', '/pos/stock/add/bulk', body);
    expect(res.status).toBe(400);
    expect(res.body.detail).toContain(name);
  });
});
