import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractViolations, takeRecorded, type RecordedExchange } from './openapi-contract.js';
import {
  createTestApp,
  seedTenant,
  validOrder,
  type SeededTenant,
  type TestApp,
} from './helpers.js';

/*
 * The response check every REST test runs under (openapi-contract.setup.ts) finds what it is
 * there to find: an answer the document does not describe fails, one it does passes.
 */
describe('OpenAPI response check', () => {
  let t: TestApp;
  let a: SeededTenant;
  let good: RecordedExchange;

  const variant = (change: Partial<RecordedExchange>, body?: unknown): RecordedExchange => ({
    ...good,
    ...change,
    headers: { ...good.headers, ...change.headers },
    body: body === undefined ? good.body : Buffer.from(JSON.stringify(body)),
  });

  beforeAll(async () => {
    t = await createTestApp('sqlite');
    a = await seedTenant(t.deps);
    takeRecorded();
    const created = await request(t.app)
      .post('/api/v1/orders')
      .set('Authorization', `Bearer ${a.apiKey}`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(validOrder(a)));
    expect(created.status).toBe(201);
    await request(t.app).get('/api/v1/orders/R-0001').set('Authorization', `Bearer ${a.apiKey}`);
    const recorded = takeRecorded();
    expect(recorded.map((x) => `${x.method} ${x.url} ${x.status}`)).toEqual([
      'POST /api/v1/orders 201',
      'GET /api/v1/orders/R-0001 200',
    ]);
    good = recorded[1]!;
  });
  afterAll(() => t.close());

  it('passes the answers the API gave', async () => {
    expect(await contractViolations([good])).toEqual([]);
  });

  it('fails an undocumented status, path or method', async () => {
    expect(await contractViolations([variant({ status: 418 })])).toEqual([
      expect.stringMatching(
        /status 418 is not documented for GET \/api\/v1\/orders\/\{orderNumber\}/,
      ),
    ]);
    expect(await contractViolations([variant({ url: '/api/v1/nowhere', status: 200 })])).toEqual([
      expect.stringMatching(/no path of the document matches \/api\/v1\/nowhere/),
    ]);
    expect(await contractViolations([variant({ method: 'DELETE', status: 204 })])).toEqual([
      expect.stringMatching(/DELETE \/api\/v1\/orders\/\{orderNumber\} is not in the document/),
    ]);
    // An unknown URL answered 404 is no operation: nothing to check.
    expect(await contractViolations([variant({ url: '/api/v1/nowhere', status: 404 })])).toEqual(
      [],
    );
  });

  it('fails a missing required header and a header that does not match its schema', async () => {
    const headers = { ...good.headers };
    delete headers['ratelimit-remaining'];
    expect(await contractViolations([{ ...good, headers }])).toEqual([
      expect.stringMatching(/required header RateLimit-Remaining is missing/),
    ]);
    expect(await contractViolations([variant({ headers: { 'ratelimit-limit': 'lots' } })])).toEqual(
      [expect.stringMatching(/header RateLimit-Limit: "lots" .*integer/)],
    );
  });

  it('fails a body that differs from its schema: a wrong type, a missing or an undescribed field, another content type', async () => {
    const body = JSON.parse(good.body.toString()) as { order: Record<string, unknown> };
    const { version: _version, ...withoutVersion } = body.order;
    expect(
      await contractViolations([variant({}, { order: { ...body.order, syncState: 'lost' } })]),
    ).toEqual([
      expect.stringMatching(/body\/order\/syncState must be equal to one of the allowed values/),
    ]);
    expect(await contractViolations([variant({}, { order: withoutVersion })])).toEqual([
      expect.stringMatching(/body\/order must have required property 'version'/),
    ]);
    expect(
      await contractViolations([variant({}, { order: { ...body.order, secret: 'x' } })]),
    ).toEqual([expect.stringMatching(/body\/order .*"secret".*not described by the document/)]);
    expect(
      await contractViolations([variant({ headers: { 'content-type': 'text/html' } })]),
    ).toEqual([expect.stringMatching(/Content-Type text\/html is not documented/)]);
    expect(await contractViolations([variant({ status: 304 })])).toEqual([
      expect.stringMatching(/says this answer has no body, it has one/),
    ]);
  });
});
