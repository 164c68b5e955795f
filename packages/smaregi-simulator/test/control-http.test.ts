import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JournalEntry, RunningSimulator } from '../src/index.js';
import { api, appToken, start } from './helpers.js';

describe('control API over HTTP (/__sim)', () => {
  let sim: RunningSimulator;
  let token: string;
  beforeAll(async () => {
    sim = await start();
    token = await appToken(sim);
  });
  afterAll(() => sim.close());

  async function control<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> {
    const res = await fetch(`${sim.apiBaseUrl}/__sim${path}`, {
      method,
      headers: body !== undefined ? { 'content-type': 'application/json' } : {},
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  }

  it('reads and clears the journal; control calls are not journaled', async () => {
    await api(sim, token, 'GET', '/pos/products?limit=1');
    const j = await control<{ entries: JournalEntry[] }>('GET', '/journal?host=api');
    expect(j.body.entries.map((e) => e.path)).toEqual(['/sb_renkei_demo/pos/products']);
    expect(j.body.entries[0]).toMatchObject({
      method: 'GET',
      status: 200,
      clientId: 'renkei-demo-client',
      contractId: 'sb_renkei_demo',
      fault: null,
    });
    expect(Date.parse(j.body.entries[0]!.time)).toBe(j.body.entries[0]!.timeMs);
    expect((await control('DELETE', '/journal')).status).toBe(204);
    expect(
      (await control<{ entries: unknown[] }>('GET', '/journal?host=api')).body.entries,
    ).toEqual([]);
  });

  it('switches faults on and off', async () => {
    expect((await control('PUT', '/faults', { errorRates: { 503: 1 } })).status).toBe(200);
    expect((await api(sim, token, 'GET', '/pos/products?limit=1')).status).toBe(503);
    expect((await control('PUT', '/faults', { errorRates: { 503: 2 } })).status).toBe(400);
    expect((await control('DELETE', '/faults')).status).toBe(204);
    expect((await api(sim, token, 'GET', '/pos/products?limit=1')).status).toBe(200);
  });

  it('expires tokens now', async () => {
    const res = await control<{ expired: number }>('POST', '/tokens/expire');
    expect(res.body.expired).toBeGreaterThan(0);
    expect((await api(sim, token, 'GET', '/pos/products?limit=1')).status).toBe(401);
    token = await appToken(sim);
  });

  it('emulates a POS sale and a stock adjustment; bad input is a 400 with a message', async () => {
    const before = sim.control.stock('1', '8000001')!.stockAmount;
    const sale = await control<{ transactionHeadId: string }>('POST', '/pos/sales', {
      storeId: '1',
      lines: [{ productId: '8000001', quantity: 1 }],
    });
    expect(sale.status).toBe(200);
    expect(sim.control.stock('1', '8000001')!.stockAmount).toBe(before - 1);
    const adj = await control('POST', '/pos/stock-adjustments', {
      storeId: '1',
      productId: '8000001',
      stockAmount: 40,
    });
    expect(adj.status).toBe(200);
    expect(sim.control.stock('1', '8000001')!.stockAmount).toBe(40);
    const bad = await control<{ error: string }>('POST', '/pos/sales', { storeId: '5', lines: [] });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toContain('storeId');
  });

  it('sets rate limits, webhook endpoint and behaviour; seeds products; reports state', async () => {
    expect(
      (await control('PUT', '/rate-limits', { readsPerSecond: 50, writesPerSecond: 20 })).status,
    ).toBe(200);
    expect(sim.control.rateLimits()).toEqual({ readsPerSecond: 50, writesPerSecond: 20 });
    expect((await control('PUT', '/rate-limits', { enabled: false })).status).toBe(200);
    expect(sim.control.rateLimits()).toBe(false);
    expect(
      (
        await control('PUT', '/webhooks/endpoint', {
          url: 'http://127.0.0.1:9/hook',
          secretHeaderName: 'X-S',
          secretHeaderValue: 'v',
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await control('PUT', '/webhooks/endpoint', {
          url: 'not a url',
          secretHeaderName: 'X-S',
          secretHeaderValue: 'v',
        })
      ).status,
    ).toBe(400);
    expect(
      (await control('PUT', '/webhooks/behaviour', { duplicateRate: 0.5, shuffle: true })).status,
    ).toBe(200);
    expect((await control('DELETE', '/webhooks/endpoint')).status).toBe(204);
    const seeded = await control<{ count: number; firstProductId: string }>(
      'POST',
      '/seed/products',
      { count: 500 },
    );
    expect(seeded.body.count).toBe(500);
    const state = await control<{ products: number }>('GET', '/state');
    expect(state.body.products).toBeGreaterThan(750);
    expect(
      (await control('POST', '/contracts', { contractId: 'sb_http', withDemoShop: true })).status,
    ).toBe(201);
    expect(
      (await control<{ products: number }>('GET', '/state?contractId=sb_http')).body.products,
    ).toBeGreaterThan(250);
    const product = await control<{ productId: string; productCode: string }>('POST', '/products', {
      categoryId: '1',
      productCode: 'CTRL-1',
      productName: '管理画面で登録',
      price: '500',
      color: '赤',
    });
    expect(product.status).toBe(201);
    expect(sim.control.product(product.body.productId)).toMatchObject({
      productCode: 'CTRL-1',
      color: '赤',
    });
    expect(
      (
        await control<{ error: string }>('POST', '/products', {
          categoryId: '1',
          productCode: 'CTRL-2',
          productName: 'x',
          price: '1',
          colour: '赤',
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await control<{ error: string }>('POST', '/products', {
          categoryId: '1',
          productCode: 'CTRL-1',
          productName: 'x',
          price: '1',
        })
      ).body.error,
    ).toContain('CTRL-1');
    const store = await control<{ autoAllocation: boolean; stockStoreId: string | null }>(
      'PATCH',
      '/order-stores/5',
      { autoAllocation: true, stockStoreId: null },
    );
    expect(store.body).toMatchObject({ autoAllocation: true, stockStoreId: null });
    const seen = await api<{ autoAllocation: boolean }>(
      sim,
      token,
      'GET',
      '/order-shipment/stores/5',
    );
    expect(seen.body.autoAllocation).toBe(true);
    expect((await control('PATCH', '/order-stores/1', { autoAllocation: true })).status).toBe(400);
    // The unpublished parts can be switched off, as the real Smaregi may not have them.
    expect((await api(sim, token, 'GET', '/order-shipment/stock?limit=1')).status).toBe(200);
    const off = await control('PUT', '/modeled-surface', {
      orderShipmentStock: false,
      orderStoreStockFields: false,
    });
    expect(off.body).toEqual({ orderShipmentStock: false, orderStoreStockFields: false });
    expect((await api(sim, token, 'GET', '/order-shipment/stock?limit=1')).status).toBe(404);
    const bare = await api<Record<string, unknown>>(sim, token, 'GET', '/order-shipment/stores/5');
    expect(bare.body.storeId).toBe('5');
    expect(typeof bare.body.storeName).toBe('string');
    expect(Object.keys(bare.body)).not.toContain('stockStoreId');
    expect(Object.keys(bare.body)).not.toContain('autoAllocation');
    const listed = await api<Record<string, unknown>[]>(
      sim,
      token,
      'GET',
      '/order-shipment/stores',
    );
    expect(listed.body.every((st) => !('autoAllocation' in st))).toBe(true);
    expect((await control('PUT', '/modeled-surface', { orderShipmentStock: 'no' })).status).toBe(
      400,
    );
    await control('PUT', '/modeled-surface', {
      orderShipmentStock: true,
      orderStoreStockFields: true,
    });
    expect((await control('GET', '/nothing')).status).toBe(404);
  });
});
