import type { Server } from 'node:http';
import { forkEm, openDatabase, type Orm } from '@renkei/persistence';
import { testDialects } from '@renkei/persistence/testing';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { createDeps } from '../src/create-deps.js';
import { createApiKey } from '../src/services/tenancy.js';
import {
  createTestApp,
  seedTenant,
  validOrder,
  type SeededTenant,
  type TestApp,
} from './helpers.js';

/*
 * Per-key request budget of the REST API (issue 15): RENKEI_API_KEY_RATE_PER_SECOND requests per
 * key per second over every keyed route; more are answered 429 problem+json with Retry-After, and
 * every keyed answer says what is left (RateLimit-* headers). Requests go to listening servers so
 * that a burst really is simultaneous (well inside one one-second window).
 */

const LIMIT = 5;

describe.each(testDialects())('API key rate limits (%s)', (dialect) => {
  let t: TestApp;
  let a: SeededTenant;
  let b: SeededTenant;
  let server: Server;

  const getOrder = (key: string, target: Server = server, lang?: string) => {
    const req = request(target).get('/api/v1/orders/R-0001').set('Authorization', `Bearer ${key}`);
    return lang === undefined ? req : req.set('Accept-Language', lang);
  };
  const statuses = (responses: request.Response[]) => {
    const count: Record<number, number> = {};
    for (const r of responses) count[r.status] = (count[r.status] ?? 0) + 1;
    return count;
  };
  const burst = (n: number, send: (i: number) => request.Test) =>
    Promise.all(Array.from({ length: n }, (_, i) => send(i).then((r) => r)));
  /** Waits until the key's current window has ended (its RateLimit-Reset, in seconds). */
  const nextWindow = (res: request.Response) =>
    new Promise((resolve) =>
      setTimeout(resolve, Number(res.headers['ratelimit-reset']) * 1000 + 50),
    );

  beforeEach(async () => {
    t = await createTestApp(dialect, { RENKEI_API_KEY_RATE_PER_SECOND: String(LIMIT) });
    a = await seedTenant(t.deps);
    b = await seedTenant(t.deps);
    server = t.app.listen(0, '127.0.0.1');
    const created = await request(server)
      .post('/api/v1/orders')
      .set('Authorization', `Bearer ${a.apiKey}`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(validOrder(a)));
    expect(created.status).toBe(201);
    // The intake request took from a's budget: start the tests on a fresh window.
    await nextWindow(created);
  });
  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
    await t.close();
  });

  it('answers the first LIMIT requests of a burst and refuses the rest with 429, Retry-After and RateLimit-*', async () => {
    const answers = await burst(LIMIT + 3, () => getOrder(a.apiKey));
    expect(statuses(answers)).toEqual({ 200: LIMIT, 429: 3 });

    const ok = answers.filter((r) => r.status === 200);
    for (const r of ok) {
      expect(r.headers['ratelimit-limit']).toBe(String(LIMIT));
      expect(r.headers['ratelimit-policy']).toBe(`${LIMIT};w=1`);
      expect(r.headers['ratelimit-reset']).toBe('1');
      expect(r.headers['retry-after']).toBeUndefined();
    }
    // Each answered request says how many are left: LIMIT-1 down to 0, once each.
    expect(ok.map((r) => Number(r.headers['ratelimit-remaining'])).sort()).toEqual(
      Array.from({ length: LIMIT }, (_, i) => i),
    );

    const refused = answers.find((r) => r.status === 429)!;
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.headers['ratelimit-limit']).toBe(String(LIMIT));
    expect(refused.headers['ratelimit-remaining']).toBe('0');
    expect(refused.headers['ratelimit-reset']).toBe('1');
    expect(refused.headers['ratelimit-policy']).toBe(`${LIMIT};w=1`);
    expect(refused.body).toMatchObject({
      status: 429,
      title: 'Too Many Requests',
      detail: `このAPIキーのリクエストが多すぎます(毎秒${LIMIT}件まで)。1秒後にもう一度送ってください`,
      detail_en: `Too many requests with this API key (at most ${LIMIT} per second); retry in 1 s`,
      details: { limit: LIMIT, retryAfterSeconds: 1 },
    });
    expect(refused.body.order).toBeUndefined();

    // In English when asked for (a fresh window, spent again by a burst asking for English).
    await nextWindow(refused);
    const inEnglish = await burst(LIMIT + 1, () => getOrder(a.apiKey, server, 'en'));
    const english = inEnglish.find((r) => r.status === 429)!;
    expect(english.headers['content-language']).toBe('en');
    expect(english.body.detail).toBe(
      `Too many requests with this API key (at most ${LIMIT} per second); retry in 1 s`,
    );
  });

  it("leaves another key's budget alone, and gives a key its whole budget back when the window resets", async () => {
    const spent = await burst(LIMIT + 1, () => getOrder(a.apiKey));
    expect(statuses(spent)).toEqual({ 200: LIMIT, 429: 1 });

    // b's key (another tenant) in the same second: untouched by a's burst (its order: not found).
    const other = await burst(LIMIT, () => getOrder(b.apiKey));
    expect(statuses(other)).toEqual({ 404: LIMIT });
    expect(other.map((r) => Number(r.headers['ratelimit-remaining'])).sort()).toEqual([
      0, 1, 2, 3, 4,
    ]);
    // A second key of the same tenant has a budget of its own too.
    const { plaintext: second } = await createApiKey(forkEm(t.deps.orm), {
      tenantId: a.tenantId,
      name: 'second',
    });
    const fromSecond = await getOrder(second);
    expect(fromSecond.status).toBe(200);
    expect(fromSecond.headers['ratelimit-remaining']).toBe(String(LIMIT - 1));

    await nextWindow(spent.find((r) => r.status === 429)!);
    const again = await burst(LIMIT, () => getOrder(a.apiKey));
    expect(statuses(again)).toEqual({ 200: LIMIT });
  });

  it('counts every keyed route and answer: intake POST, PATCH, and a request refused for its scope', async () => {
    const { plaintext: readOnly } = await createApiKey(forkEm(t.deps.orm), {
      tenantId: a.tenantId,
      name: 'read only',
      scopes: ['orders:read'],
    });
    const post = () =>
      request(server)
        .post('/api/v1/orders')
        .set('Authorization', `Bearer ${readOnly}`)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(validOrder(a, { orderNumber: 'R-0002' })));
    const patch = () =>
      request(server)
        .patch('/api/v1/orders/R-0001')
        .set('X-API-Key', readOnly)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ shippingDate: '2026-01-07' }));

    // Two of each, together: one more than the budget, whichever kind the refusal falls on.
    const answers = await burst(LIMIT + 1, (i) =>
      i % 3 === 0 ? post() : i % 3 === 1 ? patch() : getOrder(readOnly),
    );
    const counted = answers.filter((r) => r.status !== 429);
    expect(answers.filter((r) => r.status === 429)).toHaveLength(1);
    expect(counted.every((r) => r.status === 403 || (r.status === 200 && r.body.order))).toBe(true);
    expect(counted.filter((r) => r.status === 403).length).toBeGreaterThanOrEqual(3);
    expect(counted.map((r) => Number(r.headers['ratelimit-remaining'])).sort()).toEqual([
      0, 1, 2, 3, 4,
    ]);
    expect(answers.every((r) => r.headers['ratelimit-limit'] === String(LIMIT))).toBe(true);

    // No key, or an unknown one: 401 with no budget to report.
    const unknown = await getOrder('rk_unknown');
    expect(unknown.status).toBe(401);
    expect(unknown.headers['ratelimit-limit']).toBeUndefined();
  });

  it.runIf(dialect === 'postgresql')(
    'two API processes on one PostgreSQL database share one budget per key',
    async () => {
      // A second API process: its own connection pool, dependencies and limiter, same database.
      const url = t.db.orm.config.get('clientUrl')!;
      const orm: Orm = await openDatabase({ location: { dialect: 'postgresql', url } });
      const second = createDeps(t.deps.config, orm, { logger: t.deps.logger });
      const secondServer = createApp(second).listen(0, '127.0.0.1');
      try {
        const answers = await burst(2 * LIMIT, (i) =>
          getOrder(a.apiKey, i % 2 ? server : secondServer),
        );
        expect(statuses(answers)).toEqual({ 200: LIMIT, 429: LIMIT });
        // Five answered over both processes (each alone would have answered five): one budget.
        expect(new Set(answers.map((r) => r.headers['ratelimit-remaining']))).toEqual(
          new Set(['0', '1', '2', '3', '4']),
        );
        expect((await getOrder(b.apiKey, secondServer)).status).toBe(404);
      } finally {
        await new Promise((resolve) => secondServer.close(resolve));
        await orm.close(true);
      }
    },
  );
});
