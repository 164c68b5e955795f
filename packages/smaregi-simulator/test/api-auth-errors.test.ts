import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CONTRACT_ID, type RunningSimulator } from '../src/index.js';
import { api, appToken, manualClock, start, type Problem } from './helpers.js';

describe('API host: authentication, contract, scopes and problem+json', () => {
  let sim: RunningSimulator;
  let token: string;
  const clock = manualClock();
  beforeAll(async () => {
    sim = await start({ now: clock.now, tokenTtlSeconds: 600 });
    sim.control.addContract({ contractId: 'sb_other', withDemoShop: true });
    token = await appToken(sim);
  });
  afterAll(() => sim.close());

  function expectProblem(
    res: { status: number; headers: Headers; body: unknown },
    status: number,
    title: string,
  ): Problem {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const body = res.body as Problem;
    expect(body.type).toBe('about:blank');
    expect(body.title).toBe(title);
    expect(body.status).toBe(status);
    expect(typeof body.detail).toBe('string');
    expect(body.detail).toMatch(/[\u3040-\u30ff\u4e00-\u9faf]/);
    return body;
  }

  it('401 with WWW-Authenticate when the token is missing, malformed or forged', async () => {
    for (const t of [null, 'not-a-jwt', `${token.slice(0, -4)}AAAA`]) {
      const res = await api(sim, t, 'GET', '/pos/products');
      expectProblem(res, 401, 'Unauthorized');
      expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    }
  });

  it('401 when the contract in the path is not the one in the token', async () => {
    const res = await api(sim, token, 'GET', '/pos/products', undefined, 'sb_other');
    expectProblem(res, 401, 'Unauthorized');
    const unknown = await api(sim, token, 'GET', '/pos/products', undefined, 'sb_unknown');
    expectProblem(unknown, 401, 'Unauthorized');
  });

  it('403 when the scope does not cover the operation, naming the scope', async () => {
    const readOnly = await appToken(sim, 'pos.products:read');
    const res = await api(sim, readOnly, 'GET', '/pos/stock');
    const body = expectProblem(res, 403, 'Forbidden');
    expect(body.detail).toContain('pos.stock:read');
    const write = await api(sim, readOnly, 'PATCH', '/pos/products/8000001', { productName: 'x' });
    expectProblem(write, 403, 'Forbidden');
    const orders = await api(sim, readOnly, 'GET', '/order-shipment/orders');
    expect(expectProblem(orders, 403, 'Forbidden').detail).toContain('order-shipment.orders:read');
  });

  it('404 NotFound with the official detail for a missing ID and for an unknown path', async () => {
    const res = await api(sim, token, 'GET', '/pos/products/9999999');
    const body = expectProblem(res, 404, 'NotFound');
    expect(body.detail).toBe('指定されたIDのリソースが見つかりません');
    expectProblem(await api(sim, token, 'GET', '/pos/nothing-here'), 404, 'NotFound');
  });

  it('400 for a malformed JSON body, journaled with the contract of the path', async () => {
    const res = await fetch(`${sim.apiBaseUrl}/${DEMO_CONTRACT_ID}/pos/products`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{"productCode":',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    expect(sim.control.journal({ method: 'POST' }).at(-1)).toMatchObject({
      status: 400,
      contractId: DEMO_CONTRACT_ID,
      applied: false,
    });
  });

  it('413 for a body over the limit', async () => {
    const res = await fetch(`${sim.apiBaseUrl}/${DEMO_CONTRACT_ID}/pos/products`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ productName: 'x'.repeat(3 * 1024 * 1024) }),
    });
    expect(res.status).toBe(413);
  });

  it('refuses an expired token (clock moved past exp) and after "token expiry now"', async () => {
    const t = await appToken(sim);
    expect((await api(sim, t, 'GET', '/pos/products?limit=1')).status).toBe(200);
    clock.advance(601_000);
    const expired = await api(sim, t, 'GET', '/pos/products?limit=1');
    expect(expectProblem(expired, 401, 'Unauthorized').detail).toContain('有効期限');

    const fresh = await appToken(sim);
    expect((await api(sim, fresh, 'GET', '/pos/products?limit=1')).status).toBe(200);
    expect(sim.control.expireTokens()).toBeGreaterThan(0);
    expectProblem(await api(sim, fresh, 'GET', '/pos/products?limit=1'), 401, 'Unauthorized');
    const after = await appToken(sim);
    expect((await api(sim, after, 'GET', '/pos/products?limit=1')).status).toBe(200);
    token = after;
  });

  it('revokes tokens when the contract stops using the app', async () => {
    sim.control.addContract({ contractId: 'sb_leaving' });
    const t = await appToken(sim, undefined, 'sb_leaving');
    expect((await api(sim, t, 'GET', '/pos/products', undefined, 'sb_leaving')).status).toBe(200);
    sim.control.uninstallApp({ contractId: 'sb_leaving' });
    expectProblem(
      await api(sim, t, 'GET', '/pos/products', undefined, 'sb_leaving'),
      401,
      'Unauthorized',
    );
  });

  it("keeps contracts apart: the same product ID reads each contract's own product", async () => {
    const other = await appToken(sim, undefined, 'sb_other');
    sim.control.addProduct({
      contractId: 'sb_other',
      categoryId: '1',
      productCode: 'ONLY-OTHER',
      productName: '別契約の商品',
      price: '100',
    });
    const mine = await api<unknown[]>(sim, token, 'GET', '/pos/products?product_code=ONLY-OTHER');
    expect(mine.body).toEqual([]);
    const theirs = await api<unknown[]>(
      sim,
      other,
      'GET',
      '/pos/products?product_code=ONLY-OTHER',
      undefined,
      'sb_other',
    );
    expect(theirs.body).toHaveLength(1);
  });

  it('journals API requests with client, contract, status and no fault', () => {
    const entries = sim.control.journal({ host: 'api', contractId: DEMO_CONTRACT_ID });
    expect(entries.some((e) => e.status === 401 && e.clientId === null)).toBe(true);
    expect(
      entries.some(
        (e) => e.status === 200 && e.clientId === 'renkei-demo-client' && e.fault === null,
      ),
    ).toBe(true);
  });
});
