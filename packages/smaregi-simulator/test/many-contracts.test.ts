import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../src/index.js';
import { api, appToken, basic, form, manualClock, start } from './helpers.js';

/*
 * A hosted Renkei serves many merchants: the simulator hosts many contracts, each its own
 * installation of the app, with its own token, rate limits, data and faults.
 */
describe('many contracts, each with its own limits, data and faults', () => {
  let sim: RunningSimulator;
  let ids: string[];
  const tokens = new Map<string, string>();
  const clock = manualClock('2026-11-28T00:00:00.000Z');
  const read = (contractId: string) =>
    api(sim, tokens.get(contractId)!, 'GET', '/pos/stores', undefined, contractId);
  const write = (contractId: string, name: string) =>
    api(
      sim,
      tokens.get(contractId)!,
      'PATCH',
      '/pos/products/8000001',
      { productName: name },
      contractId,
    );

  beforeAll(async () => {
    sim = await start({ now: clock.now, rateLimits: { readsPerSecond: 10, writesPerSecond: 4 } });
    ids = sim.control.addContracts({ count: 5, contractIdPrefix: 'sb_m', withDemoShop: true });
    sim.control.addContract({
      contractId: 'sb_big',
      withDemoShop: true,
      rateLimits: { readsPerSecond: 20, writesPerSecond: 8 },
    });
    for (const id of [...ids, 'sb_big']) tokens.set(id, await appToken(sim, undefined, id));
  });
  afterAll(() => sim.close());

  it('creates contracts by count, each with its own data', async () => {
    expect(ids).toEqual(['sb_m0001', 'sb_m0002', 'sb_m0003', 'sb_m0004', 'sb_m0005']);
    expect(sim.control.summary('sb_m0003').products).toBeGreaterThan(100);
    clock.advance(5_000);
    expect((await write('sb_m0001', 'only in one')).status).toBe(200);
    expect(sim.control.product('8000001', 'sb_m0001')?.productName).toBe('only in one');
    expect(sim.control.product('8000001', 'sb_m0002')?.productName).not.toBe('only in one');
  });

  it('enforces each contract its own write limit: 8/s for one, 4/s for the others', async () => {
    clock.advance(5_000);
    for (let i = 0; i < 8; i++) expect((await write('sb_big', `w${i}`)).status).toBe(200);
    expect((await write('sb_big', 'ninth')).status).toBe(429);
    for (let i = 0; i < 4; i++) expect((await write('sb_m0002', `w${i}`)).status).toBe(200);
    const refused = await write('sb_m0002', 'fifth');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    expect(sim.control.rateLimits('sb_big')).toEqual({ readsPerSecond: 20, writesPerSecond: 8 });
    expect(sim.control.rateLimits('sb_m0002')).toEqual({ readsPerSecond: 10, writesPerSecond: 4 });
  });

  it("counts a contract's token requests against its own limit only", async () => {
    clock.advance(5_000);
    for (let i = 0; i < 4; i++) await appToken(sim, undefined, 'sb_m0003');
    const refused = await form(
      `${sim.idBaseUrl}/app/sb_m0003/token`,
      { grant_type: 'client_credentials', scope: 'pos.products:read' },
      { authorization: basic() },
    );
    expect(refused.status).toBe(429);
    expect((await appToken(sim, undefined, 'sb_m0004')).length).toBeGreaterThan(10);
  });

  it("changes one contract's limits at run time, switches them off, and back to the default", async () => {
    clock.advance(5_000);
    sim.control.setRateLimits({ readsPerSecond: 2, writesPerSecond: 1 }, 'sb_m0004');
    expect((await read('sb_m0004')).status).toBe(200);
    expect((await read('sb_m0004')).status).toBe(200);
    expect((await read('sb_m0004')).status).toBe(429);
    expect((await read('sb_m0005')).status).toBe(200);
    sim.control.setRateLimits(false, 'sb_m0004');
    for (let i = 0; i < 30; i++) expect((await read('sb_m0004')).status).toBe(200);
    // The default changes for everyone without limits of their own; the overrides stay.
    sim.control.setRateLimits(null, 'sb_m0004');
    sim.control.setRateLimits({ readsPerSecond: 3, writesPerSecond: 1 });
    clock.advance(2_000);
    for (let i = 0; i < 3; i++) expect((await read('sb_m0004')).status).toBe(200);
    expect((await read('sb_m0004')).status).toBe(429);
    expect(sim.control.rateLimits('sb_big')).toEqual({ readsPerSecond: 20, writesPerSecond: 8 });
    expect(() =>
      sim.control.setRateLimits({ readsPerSecond: 0, writesPerSecond: 1 }, 'sb_m0001'),
    ).toThrow(/readsPerSecond/);
    expect(() => sim.control.setRateLimits(false, 'sb_nobody')).toThrow(/sb_nobody/);
    expect(() => sim.control.addContracts({ count: 0 })).toThrow(/count/);
    sim.control.setRateLimits({ readsPerSecond: 10, writesPerSecond: 4 });
  });

  it("slows one contract's answers and leaves the others' alone", async () => {
    clock.advance(5_000);
    sim.control.setFaults({ contractId: 'sb_m0005', latencyMs: 300 });
    const started = performance.now();
    expect((await read('sb_m0005')).status).toBe(200);
    const slow = performance.now() - started;
    const otherStart = performance.now();
    expect((await read('sb_m0001')).status).toBe(200);
    const fast = performance.now() - otherStart;
    expect(slow).toBeGreaterThanOrEqual(290);
    expect(fast).toBeLessThan(200);
    const slowEntry = sim.control.journal({ contractId: 'sb_m0005' }).at(-1);
    expect(slowEntry?.fault).toBe('latency');
    expect(sim.control.journal({ contractId: 'sb_m0001' }).at(-1)?.fault).toBeNull();
    expect(sim.control.faults('sb_m0005')).toEqual({ latencyMs: 300 });
    sim.control.clearFaults('sb_m0005');
    expect(sim.control.faults('sb_m0005')).toEqual({});
  });

  it("revokes one contract's tokens mid-run; the others keep working", async () => {
    clock.advance(5_000);
    sim.control.uninstallApp({ contractId: 'sb_m0002' });
    expect((await read('sb_m0002')).status).toBe(401);
    expect((await read('sb_m0001')).status).toBe(200);
    const refused = await form(
      `${sim.idBaseUrl}/app/sb_m0002/token`,
      { grant_type: 'client_credentials', scope: 'pos.products:read' },
      { authorization: basic() },
    );
    expect(refused.status).toBeGreaterThanOrEqual(400);
    // Token expiry scoped to one contract.
    expect(sim.control.expireTokens('sb_m0003')).toBeGreaterThan(0);
    expect((await read('sb_m0003')).status).toBe(401);
    expect((await read('sb_m0004')).status).toBe(200);
  });
});

describe('many contracts over the control API', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await start({ rateLimits: { readsPerSecond: 10, writesPerSecond: 4 } });
  });
  afterAll(() => sim.close());
  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${sim.apiBaseUrl}/__sim${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    return {
      status: res.status,
      body: res.status === 204 ? null : ((await res.json())),
    };
  };

  it('adds contracts by count with limits, sets and reads per-contract limits and faults', async () => {
    const added = await control('POST', '/contracts/batch', {
      count: 3,
      contractIdPrefix: 'sb_h',
      rateLimits: { readsPerSecond: 5, writesPerSecond: 2 },
    });
    expect(added).toEqual({
      status: 201,
      body: { contractIds: ['sb_h0001', 'sb_h0002', 'sb_h0003'] },
    });
    expect((await control('GET', '/rate-limits?contractId=sb_h0002')).body).toEqual({
      readsPerSecond: 5,
      writesPerSecond: 2,
    });
    await control('PUT', '/rate-limits?contractId=sb_h0002', { enabled: false });
    expect((await control('GET', '/rate-limits?contractId=sb_h0002')).body).toEqual({
      enabled: false,
    });
    expect((await control('DELETE', '/rate-limits?contractId=sb_h0002')).status).toBe(204);
    expect((await control('GET', '/rate-limits?contractId=sb_h0002')).body).toEqual({
      readsPerSecond: 10,
      writesPerSecond: 4,
    });
    await control('PUT', '/faults', { contractId: 'sb_h0001', latencyMs: 50 });
    expect((await control('GET', '/faults?contractId=sb_h0001')).body).toEqual({ latencyMs: 50 });
    expect((await control('GET', '/faults')).body).toEqual({});
    const bad = await control('POST', '/contracts/batch', { count: 'many' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('count');
  });
});
