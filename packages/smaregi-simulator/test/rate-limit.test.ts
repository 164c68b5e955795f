import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../src/index.js';
import { api, appToken, basic, form, manualClock, start, type Problem } from './helpers.js';

describe('rate limits per (app, contract), reads and writes apart', () => {
  let sim: RunningSimulator;
  let token: string;
  const clock = manualClock('2026-11-28T00:00:00.000Z');
  beforeAll(async () => {
    sim = await start({ now: clock.now, rateLimits: { readsPerSecond: 10, writesPerSecond: 4 } });
    token = await appToken(sim);
  });
  afterAll(() => sim.close());

  it('admits 10 reads in a second, refuses the 11th with 429 and an integer Retry-After >= 1', async () => {
    for (let i = 0; i < 10; i++) {
      expect((await api(sim, token, 'GET', '/pos/products?limit=1')).status).toBe(200);
      clock.advance(10);
    }
    const refused = await api<Problem>(sim, token, 'GET', '/pos/products?limit=1');
    expect(refused.status).toBe(429);
    expect(refused.body.title).toBe('Too Many Requests');
    expect(refused.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    // Writes have their own budget.
    expect(
      (await api(sim, token, 'PATCH', '/pos/products/8000001', { productName: 'A' })).status,
    ).toBe(200);
  });

  it('is a sliding window: bursting across a second boundary is refused', async () => {
    clock.advance(5_000);
    // 10 reads at t = 0.9 s .. 0.99 s, then at t = 1.05 s the window [0.9, 1.9) is still full.
    clock.advance(900);
    for (let i = 0; i < 10; i++) {
      expect((await api(sim, token, 'GET', '/pos/products?limit=1')).status).toBe(200);
      clock.advance(10);
    }
    clock.advance(50);
    expect((await api(sim, token, 'GET', '/pos/products?limit=1')).status).toBe(429);
    // A refused request does not count: one second after the first of the ten, a slot frees.
    clock.advance(1000 - 150);
    expect((await api(sim, token, 'GET', '/pos/products?limit=1')).status).toBe(200);
  });

  it('counts 4 writes per second', async () => {
    clock.advance(5_000);
    for (let i = 0; i < 4; i++) {
      expect(
        (await api(sim, token, 'PATCH', '/pos/products/8000001', { productName: `B${i}` })).status,
      ).toBe(200);
    }
    const refused = await api(sim, token, 'PATCH', '/pos/products/8000001', { productName: 'C' });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBe(1);
    expect(sim.control.product('8000001')!.productName).toBe('B3');
  });

  it('keeps contracts apart', async () => {
    clock.advance(5_000);
    sim.control.addContract({ contractId: 'sb_second' });
    for (let i = 0; i < 10; i++) await api(sim, token, 'GET', '/pos/products?limit=1');
    expect((await api(sim, token, 'GET', '/pos/products?limit=1')).status).toBe(429);
    const other = await appToken(sim, undefined, 'sb_second');
    expect(
      (await api(sim, other, 'GET', '/pos/products?limit=1', undefined, 'sb_second')).status,
    ).toBe(200);
  });

  it('counts token requests as writes of the app and contract (docs/smaregi-wire.md §5.2)', async () => {
    clock.advance(5_000);
    for (let i = 0; i < 3; i++) await appToken(sim);
    expect(
      (await api(sim, token, 'PATCH', '/pos/products/8000001', { productName: 'T' })).status,
    ).toBe(200);
    // 3 tokens + 1 write fill the 4 writes of this second: the next token request is refused.
    const refused = await form(
      `${sim.idBaseUrl}/app/sb_renkei_demo/token`,
      { grant_type: 'client_credentials', scope: 'pos.products:read' },
      { authorization: basic() },
    );
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    expect(
      (await api(sim, token, 'PATCH', '/pos/products/8000001', { productName: 'U' })).status,
    ).toBe(429);
    clock.advance(1_000);
    expect((await appToken(sim)).length).toBeGreaterThan(10);
  });

  it('the journal proves compliance: never more than N accepted in any 1-second window', () => {
    const accepted = sim.control
      .journal({ host: 'api', method: 'GET', contractId: 'sb_renkei_demo' })
      .filter((e) => e.status !== 429 && e.status !== 401)
      .map((e) => e.timeMs);
    for (let i = 0; i < accepted.length; i++) {
      const inWindow = accepted.filter((t) => t >= accepted[i]! && t < accepted[i]! + 1000).length;
      expect(inWindow).toBeLessThanOrEqual(10);
    }
  });

  it('can be reconfigured and switched off', async () => {
    sim.control.setRateLimits(false);
    for (let i = 0; i < 15; i++)
      expect((await api(sim, token, 'GET', '/pos/products?limit=1')).status).toBe(200);
    sim.control.setRateLimits({ readsPerSecond: 2, writesPerSecond: 1 });
    await api(sim, token, 'GET', '/pos/products?limit=1');
    await api(sim, token, 'GET', '/pos/products?limit=1');
    expect((await api(sim, token, 'GET', '/pos/products?limit=1')).status).toBe(429);
    expect(() => sim.control.setRateLimits({ readsPerSecond: 0, writesPerSecond: 1 })).toThrow();
  });
});
