import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_STORE_IDS, type RunningSimulator } from '../src/index.js';
import { api, appToken, basic, form, start } from './helpers.js';

describe('faults (control API)', () => {
  let sim: RunningSimulator;
  let token: string;
  beforeAll(async () => {
    sim = await start({ seed: 'faults' });
    token = await appToken(sim);
  });
  afterAll(() => sim.close());
  beforeEach(() => {
    sim.control.clearFaults();
    sim.control.clearJournal();
  });

  it('an error rate per status fails about that share of calls, with Retry-After on 429', async () => {
    sim.control.setFaults({ errorRates: { 429: 0.1, 500: 0.1, 503: 0.1 }, retryAfterSeconds: 2 });
    const statuses: number[] = [];
    for (let i = 0; i < 200; i++) {
      const res = await api(sim, token, 'GET', '/pos/products?limit=1');
      statuses.push(res.status);
      if (res.status === 429) expect(res.headers.get('retry-after')).toBe('2');
      if (res.status >= 500) expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    }
    const failed = statuses.filter((s) => s !== 200).length;
    expect(failed).toBeGreaterThan(30);
    expect(failed).toBeLessThan(90);
    expect(new Set(statuses)).toEqual(new Set([200, 429, 500, 503]));
    const journal = sim.control.journal({ host: 'api' });
    expect(journal.filter((e) => e.fault === 'error').length).toBe(failed);
  });

  it('is deterministic for a seed', async () => {
    const run = async (seed: string): Promise<number[]> => {
      const s = await start({ seed });
      const t = await appToken(s);
      s.control.setFaults({ errorRates: { 500: 0.3 } });
      const out: number[] = [];
      for (let i = 0; i < 30; i++)
        out.push((await api(s, t, 'GET', '/pos/products?limit=1')).status);
      await s.close();
      return out;
    };
    const a = await run('same');
    expect(await run('same')).toEqual(a);
    expect(a).toContain(500);
  });

  it('"500 after the change was applied": the write happens, the answer is 500', async () => {
    sim.control.setFaults({ failAfterApplyRate: 1 });
    const res = await api(sim, token, 'POST', '/order-shipment/orders', {
      storeId: DEMO_STORE_IDS.orderStoreIncluded,
      orderCode: 'APPLIED-1',
      orderDateTime: '2026-11-28T10:00:00+09:00',
      total: 1000,
      details: [{ productId: '8000001', salesPrice: 1000, quantity: 1 }],
    });
    expect(res.status).toBe(500);
    expect(sim.control.orders().map((o) => o.orderCode)).toContain('APPLIED-1');
    const entry = sim.control.journal({ method: 'POST' }).at(-1)!;
    expect(entry).toMatchObject({ status: 500, fault: 'fail-after-apply', applied: true });
    // Reads are never "applied".
    expect(
      (await api(sim, token, 'GET', '/order-shipment/orders?order_code=APPLIED-1')).status,
    ).toBe(200);
  });

  it('dropped connections: the socket is destroyed without an answer, journaled with status null', async () => {
    sim.control.setFaults({ dropRate: 1 });
    await expect(api(sim, token, 'GET', '/pos/products?limit=1')).rejects.toThrow();
    sim.control.clearFaults();
    await new Promise((r) => setTimeout(r, 20));
    const entry = sim.control.journal({ host: 'api' })[0]!;
    expect(entry).toMatchObject({ status: null, fault: 'drop' });
  });

  it('added latency', async () => {
    sim.control.setFaults({ latencyMs: 120 });
    const started = performance.now();
    expect((await api(sim, token, 'GET', '/pos/products?limit=1')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('can be limited to methods, paths and the ID host', async () => {
    sim.control.setFaults({
      errorRates: { 503: 1 },
      methods: ['POST'],
      pathIncludes: '/order-shipment/',
    });
    expect((await api(sim, token, 'GET', '/order-shipment/orders')).status).toBe(200);
    expect((await api(sim, token, 'POST', '/pos/products', {})).status).toBe(400);
    expect((await api(sim, token, 'POST', '/order-shipment/orders', {})).status).toBe(503);
    sim.control.setFaults({ errorRates: { 503: 1 }, hosts: ['id'] });
    const res = await form(
      `${sim.idBaseUrl}/app/sb_renkei_demo/token`,
      { grant_type: 'client_credentials' },
      { authorization: basic() },
    );
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ error: 'temporarily_unavailable' });
    expect((await api(sim, token, 'GET', '/pos/products?limit=1')).status).toBe(200);
  });

  it('refuses rates outside 0..1', () => {
    expect(() => sim.control.setFaults({ errorRates: { 500: 1.5 } })).toThrow();
    expect(() => sim.control.setFaults({ dropRate: -0.1 })).toThrow();
  });
});
