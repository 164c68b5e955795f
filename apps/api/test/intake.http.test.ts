import { problemMessage, type LocalizedMessage } from '@renkei/domain';
import { forkEm, Job, Order, OrderLine, SyncEvent } from '@renkei/persistence';
import { testDialects } from '@renkei/persistence/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  seedTenant,
  signedInCaller,
  validOrder,
  type SeededTenant,
  type TestApp,
} from './helpers.js';

describe.each(testDialects())('REST order intake (%s)', (dialect) => {
  let t: TestApp;
  let a: SeededTenant;
  let b: SeededTenant;
  const post = (key: string, body: unknown) =>
    request(t.app)
      .post('/api/v1/orders')
      .set('Authorization', `Bearer ${key}`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(body));
  /** The order as the worker leaves it once Smaregi registered it. */
  const markRegistered = async (id: string) => {
    await forkEm(t.deps.orm).nativeUpdate(
      Order,
      { id },
      { syncState: 'registered', smaregiOrderHeadId: `H-${id.slice(0, 8)}` },
    );
  };
  const counts = async () => {
    const em = forkEm(t.deps.orm);
    return {
      orders: await em.count(Order, {}),
      lines: await em.count(OrderLine, {}),
      jobs: await em.count(Job, {}),
    };
  };

  beforeAll(async () => {
    t = await createTestApp(dialect);
    a = await seedTenant(t.deps, 'A');
    b = await seedTenant(t.deps, 'B');
  });
  afterAll(() => t.close());

  it('creates an order (201), returns the same order for the same content (200), stores it once', async () => {
    const first = await post(a.apiKey, validOrder(a));
    expect(first.status).toBe(201);
    expect(first.body.outcome).toBe('created');
    expect(first.body.order.orderCode).toBe('R-0001');
    expect(first.body.order.syncState).toBe('pending');
    const again = await post(a.apiKey, validOrder(a));
    expect(again.status).toBe(200);
    expect(again.body.outcome).toBe('unchanged');
    expect(again.body.order.id).toBe(first.body.order.id);
    const em = forkEm(t.deps.orm);
    expect(await em.count(Order, { tenant: a.tenantId, orderNumber: 'R-0001' })).toBe(1);
    expect(
      await em.count(SyncEvent, { subjectId: first.body.order.id, kind: 'order.received' }),
    ).toBe(1);
  });

  it('applies a documented update (status, shipping date) and, once in Smaregi, refuses other changes with 409', async () => {
    const updated = await post(
      a.apiKey,
      validOrder(a, { statusId: a.otherStatusId, shippingDate: '2026-01-07' }),
    );
    expect(updated.status).toBe(200);
    expect(updated.body.outcome).toBe('updated');
    expect(updated.body.order.statusId).toBe(a.otherStatusId);
    expect(updated.body.order.shippingDate).toBe('2026-01-07');

    // In Smaregi now: its content is no longer Renkei's to rewrite (before, see
    // intake-corrections.http.test.ts).
    await markRegistered(updated.body.order.id);
    const changed = await post(
      a.apiKey,
      validOrder(a, { statusId: a.otherStatusId, shippingDate: '2026-01-07', shippingFee: 0 }),
    );
    expect(changed.status).toBe(409);
    expect(changed.headers['content-type']).toContain('application/problem+json');
    expect(changed.body.errors.map((e: { field: string }) => e.field)).toEqual(['shippingFee']);
  });

  it('treats a full-width spelling of an order number as the same order (never a second one)', async () => {
    const before = await counts();
    const res = await post(a.apiKey, validOrder(a, { orderNumber: 'Ｒ－０００１' }));
    expect(res.status).toBe(409);
    expect((await counts()).orders).toBe(before.orders);
    const fresh = await post(
      a.apiKey,
      validOrder(a, { orderNumber: 'ＷＥＢ－９', shipTo: { name: 'ﾔﾏﾀﾞ ﾀﾛｳ' } }),
    );
    expect(fresh.status).toBe(201);
    expect(fresh.body.order.orderCode).toBe('WEB-9');
    expect(fresh.body.order.orderNumber).toBe('ＷＥＢ－９');
    expect(fresh.body.order.shipTo.name).toBe('ﾔﾏﾀﾞ ﾀﾛｳ');
  });

  it('takes the same instant written with another offset for the same order', async () => {
    const first = await post(a.apiKey, validOrder(a, { orderNumber: 'TZ-1' }));
    expect(first.status).toBe(201);
    const utc = await post(
      a.apiKey,
      validOrder(a, { orderNumber: 'TZ-1', orderedAt: '2026-01-05T01:00:00.000Z' }),
    );
    expect([utc.status, utc.body.outcome, utc.body.order.id]).toEqual([
      200,
      'unchanged',
      first.body.order.id,
    ]);
    await markRegistered(first.body.order.id);
    const later = await post(
      a.apiKey,
      validOrder(a, { orderNumber: 'TZ-1', orderedAt: '2026-01-05T10:00:01+09:00' }),
    );
    expect(later.status).toBe(409);
    expect(later.body.errors.map((e: { field: string }) => e.field)).toEqual(['orderedAt']);
  });

  it('compares a repeated order with its status as it is now (moved by the admin)', async () => {
    const order = validOrder(a, { orderNumber: 'MV-1' });
    const first = await post(a.apiKey, order);
    const caller = (await signedInCaller(t.deps, a)).caller;
    await caller.orders.changeStatus({ id: first.body.order.id, statusId: a.otherStatusId });
    const mirrored = await post(a.apiKey, { ...order, statusId: a.otherStatusId });
    expect([mirrored.status, mirrored.body.outcome]).toEqual([200, 'unchanged']);
  });

  it('words an order number Smaregi cannot take as the domain does', async () => {
    const res = await post(a.apiKey, validOrder(a, { orderNumber: '楽天注文123' }));
    expect(res.status).toBe(400);
    const error = (res.body.errors as { field: string; message: LocalizedMessage }[]).find(
      (e) => e.field === 'orderNumber',
    );
    expect(error?.message).toEqual(
      problemMessage('orderCodeNotAscii', { orderCode: '楽天注文123', max: 50 }),
    );
  });

  const badInputs: [string, (s: SeededTenant) => unknown, string][] = [
    ['missing fields', (s) => ({ shopId: s.shopId }), 'orderNumber'],
    ['wrong types', (s) => validOrder(s, { shippingFee: '550' }), 'shippingFee'],
    [
      'a negative quantity',
      (s) =>
        validOrder(s, { orderNumber: 'N-1', lines: [{ name: 'x', unitPrice: 1, quantity: -1 }] }),
      'lines.0.quantity',
    ],
    [
      'a fractional quantity',
      (s) =>
        validOrder(s, { orderNumber: 'N-2', lines: [{ name: 'x', unitPrice: 1, quantity: 1.5 }] }),
      'lines.0.quantity',
    ],
    [
      'an order number that cannot become a Smaregi order code',
      (s) => validOrder(s, { orderNumber: '楽天注文123' }),
      'orderNumber',
    ],
    [
      'an order number longer than 50 characters',
      (s) => validOrder(s, { orderNumber: 'A'.repeat(51) }),
      'orderNumber',
    ],
    [
      'an unknown shop',
      (s) => validOrder(s, { orderNumber: 'N-3', shopId: '00000000-0000-4000-8000-00000000dead' }),
      'shopId',
    ],
    [
      'an unknown field',
      (s) => validOrder(s, { orderNumber: 'N-4', shipping_fee: 1 }),
      'shipping_fee',
    ],
    [
      'a 10,000-line order',
      (s) =>
        validOrder(s, {
          orderNumber: 'N-5',
          lines: Array.from({ length: 10_000 }, () => ({
            name: '商品',
            unitPrice: 100,
            quantity: 1,
          })),
        }),
      'lines',
    ],
  ];
  it.each(badInputs)(
    'rejects %s with a message naming the field (ja + en), storing nothing',
    async (_name, build, field) => {
      const before = await counts();
      const res = await post(a.apiKey, build(a));
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const names = (
        res.body.errors as { field: string; message: { ja: string; en: string } }[]
      ).map((e) => e.field);
      expect(names).toContain(field);
      for (const e of res.body.errors as { message: { ja: string; en: string } }[]) {
        expect(e.message.ja).not.toBe('');
        expect(e.message.en).not.toBe('');
      }
      expect(await counts()).toEqual(before);
    },
  );

  it("refuses another tenant's shop as unknown", async () => {
    const res = await post(a.apiKey, validOrder(a, { orderNumber: 'X-1', shopId: b.shopId }));
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('shopId');
  });

  it('answers a 10 MB body with 413 quickly and keeps serving', async () => {
    const started = Date.now();
    const res = await request(t.app)
      .post('/api/v1/orders')
      .set('Authorization', `Bearer ${a.apiKey}`)
      .set('Content-Type', 'application/json')
      .send('{"x":"' + 'a'.repeat(10 * 1024 * 1024) + '"}');
    expect(res.status).toBe(413);
    expect(Date.now() - started).toBeLessThan(5000);
    expect((await request(t.app).get('/healthz')).status).toBe(200);
    expect((await post(a.apiKey, validOrder(a, { orderNumber: 'AFTER-413' }))).status).toBe(201);
  });

  it('stores one order when the same order arrives many times at once', async () => {
    const body = validOrder(a, { orderNumber: 'RACE-1' });
    const results = await Promise.all(Array.from({ length: 8 }, () => post(a.apiKey, body)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(results.map((r) => r.body.order.id)).size).toBe(1);
    expect(await forkEm(t.deps.orm).count(Order, { orderNumber: 'RACE-1' })).toBe(1);
    expect(
      await forkEm(t.deps.orm).count(SyncEvent, {
        subjectId: results[0]!.body.order.id,
        kind: 'order.received',
      }),
    ).toBe(1);
  });

  it('answers deeply nested JSON with 400 and keeps serving', async () => {
    const deep = await request(t.app)
      .post('/api/v1/orders')
      .set('Authorization', `Bearer ${a.apiKey}`)
      .set('Content-Type', 'application/json')
      .send('['.repeat(50_000) + ']'.repeat(50_000));
    expect(deep.status).toBe(400);
    const nestedObject = await post(
      a.apiKey,
      validOrder(a, {
        orderNumber: 'DEEP-1',
        shipTo: JSON.parse('{"name":'.repeat(1000) + '"x"' + '}'.repeat(1000)),
      }),
    );
    expect(nestedObject.status).toBe(400);
    expect((await request(t.app).get('/healthz')).status).toBe(200);
  });

  it('rejects malformed JSON and a missing or wrong API key', async () => {
    const malformed = await request(t.app)
      .post('/api/v1/orders')
      .set('Authorization', `Bearer ${a.apiKey}`)
      .set('Content-Type', 'application/json')
      .send('{"shopId":');
    expect(malformed.status).toBe(400);
    expect((await request(t.app).post('/api/v1/orders').send(validOrder(a))).status).toBe(401);
    expect((await post('rk_wrong', validOrder(a))).status).toBe(401);
  });

  it('stores orders under the key owner: the same order number in two tenants is two orders', async () => {
    const resA = await post(a.apiKey, validOrder(a, { orderNumber: 'SHARED-1' }));
    const resB = await post(b.apiKey, validOrder(b, { orderNumber: 'SHARED-1' }));
    expect(resA.status).toBe(201);
    expect(resB.status).toBe(201);
    expect(resA.body.order.id).not.toBe(resB.body.order.id);
  });

  it('serves an OpenAPI document whose example is accepted as is (demo tenant shape)', async () => {
    const res = await request(t.app).get('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(
      res.body.paths['/api/v1/orders'].post.requestBody.content['application/json'].example
        .orderNumber,
    ).toBeTypeOf('string');
    expect(res.body.components.schemas.OmsOrder.properties.lines).toBeDefined();
  });
});
