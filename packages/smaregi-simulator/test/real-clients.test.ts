import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_STORE_IDS,
  type Order,
  type PosProduct,
  type PosStore,
  type RunningSimulator,
} from '../src/index.js';
import { api, appToken, start, startReceiver, type Receiver } from './helpers.js';

/**
 * What open-source clients written against the real Smaregi send (issue 13 item 8), and the
 * switches that let Renkei be tested against behaviour the sources leave open.
 */
describe('requests of real clients', () => {
  let sim: RunningSimulator;
  let token: string;
  let hooks: Receiver;
  beforeAll(async () => {
    hooks = await startReceiver();
    sim = await start({
      webhook: { url: `${hooks.url}/hooks`, secretHeaderName: 'X-S', secretHeaderValue: 's' },
    });
    token = await appToken(sim);
  });
  afterAll(async () => {
    await sim.close();
    await hooks.close();
  });

  it('serves collection paths with a trailing slash, as the official request example writes them', async () => {
    const slash = await api<PosProduct[]>(sim, token, 'GET', '/pos/products/?limit=10');
    expect(slash.status).toBe(200);
    expect(slash.body).toHaveLength(10);
    const plain = await api<PosProduct[]>(sim, token, 'GET', '/pos/products?limit=10');
    expect(slash.body).toEqual(plain.body);
    expect((await api(sim, token, 'GET', '/pos/stores/')).status).toBe(200);
    expect((await api(sim, token, 'GET', '/order-shipment/stores/')).status).toBe(200);
  });

  it('adds pointCondition and receiptPrintInfo to stores when asked with with_*=all', async () => {
    const plain = await api<PosStore[]>(sim, token, 'GET', '/pos/stores');
    expect(plain.body[0]).not.toHaveProperty('pointCondition');
    const rich = await api<Record<string, unknown>[]>(
      sim,
      token,
      'GET',
      '/pos/stores?with_point_condition=all&with_receipt_print_info=all',
    );
    expect(rich.status).toBe(200);
    expect(rich.body[0]).toMatchObject({
      storeId: plain.body[0]!.storeId,
      pointCondition: {
        storeId: plain.body[0]!.storeId,
        pointUseDivision: expect.any(String) as unknown,
      },
      receiptPrintInfo: { storeId: plain.body[0]!.storeId, header: expect.any(String) as unknown },
    });
    const one = await api<Record<string, unknown>>(
      sim,
      token,
      'GET',
      `/pos/stores/${DEMO_STORE_IDS.shibuya}?with_point_condition=all`,
    );
    expect(one.body).toHaveProperty('pointCondition');
    expect(one.body).not.toHaveProperty('receiptPrintInfo');
    const none = await api(sim, token, 'GET', '/pos/stores?with_point_condition=none');
    expect((none.body as Record<string, unknown>[])[0]).not.toHaveProperty('pointCondition');
    expect((await api(sim, token, 'GET', '/pos/stores?with_point_condition=yes')).status).toBe(400);
  });

  it('deletes a product (DELETE /pos/products/{id}) and sends pos:products deleted', async () => {
    const created = await api<PosProduct>(sim, token, 'POST', '/pos/products', {
      categoryId: '1',
      productCode: 'DEL-ME-1',
      productName: '削除用',
      price: '100',
    });
    expect(created.status).toBe(200);
    const id = created.body.productId;
    const gone = await api(sim, token, 'DELETE', `/pos/products/${id}`);
    expect(gone.status).toBe(204);
    expect((await api(sim, token, 'GET', `/pos/products/${id}`)).status).toBe(404);
    expect((await api(sim, token, 'DELETE', `/pos/products/${id}`)).status).toBe(404);
    // The code is free again.
    expect(
      (
        await api(sim, token, 'POST', '/pos/products', {
          categoryId: '1',
          productCode: 'DEL-ME-1',
          productName: '再登録',
          price: '100',
        })
      ).status,
    ).toBe(200);
    await sim.control.flush();
    const deleted = hooks.received.find((r) => r.body.action === 'deleted');
    expect(deleted?.body).toMatchObject({ event: 'pos:products', productIds: [id] });
    const narrow = await appToken(sim, 'pos.products:read');
    expect((await api(sim, narrow, 'DELETE', `/pos/products/8000001`)).status).toBe(403);
  });
});

describe('quirk: the server ignores the order_code filter (docs/smaregi-wire.md §11)', () => {
  let sim: RunningSimulator;
  let token: string;
  beforeAll(async () => {
    sim = await start();
    token = await appToken(sim);
    const product = (await api<PosProduct[]>(sim, token, 'GET', '/pos/products?limit=1')).body[0]!;
    for (const [code, at] of [
      ['Q-1', '2026-11-20T10:00:00+09:00'],
      ['Q-2', '2026-11-25T10:00:00+09:00'],
    ] as const) {
      const res = await api(sim, token, 'POST', '/order-shipment/orders', {
        storeId: DEMO_STORE_IDS.orderStoreIncluded,
        orderCode: code,
        orderDateTime: at,
        total: 100,
        details: [{ productId: product.productId, salesPrice: 100, quantity: 1 }],
      });
      expect(res.status).toBe(200);
    }
  });
  afterAll(() => sim.close());

  const codes = async (query: string) =>
    (await api<Order[]>(sim, token, 'GET', `/order-shipment/orders?${query}`)).body.map(
      (o) => o.orderCode,
    );

  it('honours the filter by default, ignores it when switched (control API over HTTP too)', async () => {
    expect(await codes('order_code=Q-1')).toEqual(['Q-1']);
    const put = await fetch(`${sim.apiBaseUrl}/__sim/quirks`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ignoreOrderCodeFilter: true }),
    });
    expect(await put.json()).toEqual({ ignoreOrderCodeFilter: true });
    expect(await codes('order_code=Q-1')).toEqual(['Q-1', 'Q-2']);
    sim.control.setQuirks({ ignoreOrderCodeFilter: false });
    expect(await codes('order_code=Q-1')).toEqual(['Q-1']);
    expect(() => sim.control.setQuirks({ nope: true } as never)).toThrow(/unknown quirk/);
  });

  it('filters by 受注日時 (order_date_time-from/-to, modeled)', async () => {
    expect(
      await codes(
        'order_date_time-from=2026-11-24T00:00:00%2B09:00&order_date_time-to=2026-11-26T23:59:59%2B09:00',
      ),
    ).toEqual(['Q-2']);
    const bad = await api(sim, token, 'GET', '/order-shipment/orders?order_date_time-from=x');
    expect(bad.status).toBe(400);
  });
});
