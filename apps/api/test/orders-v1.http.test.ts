import {
  AuditEntry,
  forkEm,
  Job,
  JOB_NAMES,
  Order,
  OrderLine,
  OrderStatus,
  Tenant,
  tenantRepositories,
} from '@renkei/persistence';
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

/*
 * GET / PATCH /api/v1/orders/{orderNumber} through HTTP: the order as Renkei holds it, and its
 * status, 出荷日 and cancel changed by an OMS through the admin's own services, under If-Match,
 * Idempotency-Key and the key's scopes, never across tenants.
 */
describe.each(testDialects())('REST orders v1 (%s)', (dialect) => {
  let t: TestApp;
  let a: SeededTenant;
  let b: SeededTenant;
  let caller: Awaited<ReturnType<typeof signedInCaller>>['caller'];
  let cancelStatusId: string;

  const create = async (orderNumber: string, overrides: Record<string, unknown> = {}) => {
    const res = await request(t.app)
      .post('/api/v1/orders')
      .set('Authorization', `Bearer ${a.apiKey}`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(validOrder(a, { orderNumber, ...overrides })));
    expect(res.status).toBe(201);
    return res.body.order as { id: string; orderNumber: string };
  };
  const get = (orderNumber: string, key = a.apiKey, lang?: string) => {
    const req = request(t.app)
      .get(`/api/v1/orders/${encodeURIComponent(orderNumber)}`)
      .set('Authorization', `Bearer ${key}`);
    return lang === undefined ? req : req.set('Accept-Language', lang);
  };
  const patch = (
    orderNumber: string,
    body: unknown,
    headers: Record<string, string> = {},
    key = a.apiKey,
  ) => {
    let req = request(t.app)
      .patch(`/api/v1/orders/${encodeURIComponent(orderNumber)}`)
      .set('Authorization', `Bearer ${key}`)
      .set('Content-Type', 'application/json');
    for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
    return req.send(JSON.stringify(body));
  };
  /** PATCH against the order's current version. */
  const patchCurrent = async (orderNumber: string, body: unknown, headers = {}) => {
    const etag = (await get(orderNumber)).headers.etag as string;
    return patch(orderNumber, body, { 'If-Match': etag, ...headers });
  };
  const statusJobs = async (orderId: string) =>
    (await forkEm(t.deps.orm).find(Job, { name: JOB_NAMES.orderStatusChanged })).filter(
      (j) => j.payload.orderId === orderId,
    );
  const finishJobs = async () => {
    await forkEm(t.deps.orm).nativeUpdate(Job, { tenant: a.tenantId }, { state: 'done' });
  };
  const fields = (res: request.Response) =>
    (res.body.errors as { field: string }[]).map((e) => e.field);

  beforeAll(async () => {
    t = await createTestApp(dialect);
    a = await seedTenant(t.deps, 'A');
    b = await seedTenant(t.deps, 'B');
    ({ caller } = await signedInCaller(t.deps, a));
    const em = forkEm(t.deps.orm);
    const cancelled = em.create(OrderStatus, {
      tenant: em.getReference(Tenant, a.tenantId),
      name: 'キャンセル',
      category: 'cancelled',
      sortOrder: 9,
    });
    await em.flush();
    cancelStatusId = cancelled.id;
  });
  afterAll(() => t.close());

  it('GET answers the order as Renkei holds it, its version as the ETag, its reason in the language asked for', async () => {
    const created = await create('V1-GET');
    const ja = await get('V1-GET');
    expect(ja.status).toBe(200);
    expect(ja.headers['content-language']).toBe('ja');
    const order = ja.body.order;
    expect(ja.headers.etag).toBe(`"${order.version}"`);
    expect(order).toMatchObject({
      id: created.id,
      orderNumber: 'V1-GET',
      orderCode: 'V1-GET',
      shopId: a.shopId,
      statusId: a.statusId,
      statusName: '新規受付',
      statusCategory: 'open',
      syncState: 'pending',
      syncReasonCode: 'orderWaitingIntegrationStopped',
      smaregiOrderHeadId: null,
      allocationStatus: null,
      shipping: { shippingDate: null, slipNumber: null, shipped: false, smaregiShipment: null },
    });
    expect(order.syncReason).toContain('連携が停止中');
    expect(order.lines).toEqual([
      expect.objectContaining({
        lineNo: 1,
        productCode: 'TS-001',
        quantity: 2,
        allocatedQuantity: 0,
      }),
    ]);
    const en = await get('V1-GET', a.apiKey, 'en');
    expect(en.headers['content-language']).toBe('en');
    expect(en.body.order.syncReason).toMatch(/stopped/i);
    // The version does not depend on the reader's language.
    expect(en.body.order.version).toBe(order.version);

    // Registered and allocated in Smaregi (as the worker leaves it): shown, and a new version.
    const em = forkEm(t.deps.orm);
    await em.nativeUpdate(
      Order,
      { id: created.id },
      { syncState: 'registered', smaregiOrderHeadId: 'H-77', allocationStatus: 'allocated' },
    );
    await em.nativeUpdate(OrderLine, { order: created.id }, { allocatedQuantity: 2 });
    const after = (await get('V1-GET')).body.order;
    expect(after).toMatchObject({
      syncState: 'registered',
      smaregiOrderHeadId: 'H-77',
      allocationStatus: 'allocated',
      syncReason: null,
    });
    expect(after.lines[0].allocatedQuantity).toBe(2);
    expect(after.version).not.toBe(order.version);
  });

  it('an unknown order number and another tenant’s order are both 404 problem+json', async () => {
    await create('V1-MINE');
    const unknown = await get('NO-SUCH-ORDER');
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
    expect(unknown.body.detail).toContain('NO-SUCH-ORDER');
    const foreign = await get('V1-MINE', b.apiKey, 'en');
    expect(foreign.status).toBe(404);
    expect(foreign.body.detail).toBe('Order V1-MINE not found');
    // B cannot change it either, whatever version it names.
    const etag = (await get('V1-MINE')).headers.etag as string;
    const changed = await patch('V1-MINE', { cancel: true }, { 'If-Match': etag }, b.apiKey);
    expect(changed.status).toBe(404);
    expect((await get('V1-MINE')).body.order.statusId).toBe(a.statusId);
  });

  it('PATCH statusId moves the order as the admin does: the same status job, history and an audit entry naming the key', async () => {
    const viaApi = await create('V1-ST-API');
    const viaAdmin = await create('V1-ST-ADMIN');
    await finishJobs();
    const res = await patchCurrent('V1-ST-API', { statusId: a.otherStatusId });
    expect(res.status).toBe(200);
    expect(res.body.outcome).toBe('updated');
    expect(res.body.order.statusId).toBe(a.otherStatusId);
    expect(res.headers.etag).toBe(`"${res.body.order.version}"`);
    await caller.orders.changeStatus({ id: viaAdmin.id, statusId: a.otherStatusId });

    const shape = (j: Job) => [
      j.state,
      j.priority,
      j.payload.statusId,
      j.dedupKey === j.payload.orderId,
    ];
    const [apiJob] = await statusJobs(viaApi.id);
    const [adminJob] = await statusJobs(viaAdmin.id);
    expect(apiJob).toBeDefined();
    expect(shape(apiJob!)).toEqual(shape(adminJob!));
    expect(shape(apiJob!)).toEqual(['queued', adminJob!.priority, a.otherStatusId, true]);

    const story = await caller.orders.get({ id: viaApi.id });
    expect(story.history.map((h) => h.kind)).toContain('order.statusChanged');
    const audit = await forkEm(t.deps.orm).find(AuditEntry, {
      tenant: a.tenantId,
      entityId: viaApi.id,
      action: 'order.statusChange',
    });
    expect(audit.map((e) => [e.actorLabel, e.after])).toEqual([
      [`api-key test (${a.apiKey.slice(0, 8)})`, { statusId: a.otherStatusId }],
    ]);

    // The same status again changes nothing (no new job, the same version).
    await finishJobs();
    const same = await patchCurrent('V1-ST-API', { statusId: a.otherStatusId });
    expect([same.status, same.body.outcome]).toEqual([200, 'unchanged']);
    expect(same.body.order.version).toBe(res.body.order.version);
    expect((await statusJobs(viaApi.id)).map((j) => j.state)).toEqual(['done']);
    // An unknown status is refused at statusId.
    const unknown = await patchCurrent('V1-ST-API', { statusId: b.otherStatusId });
    expect(unknown.status).toBe(400);
    expect(fields(unknown)).toEqual(['statusId']);
  });

  it('PATCH shippingDate sets the 出荷日 and, in the bulk-shipping status, has the order judged again (受注一括出荷)', async () => {
    await caller.settings.update({ bulkShippingTriggerStatus: a.otherStatusId });
    try {
      const order = await create('V1-SHIP', { statusId: a.otherStatusId });
      await finishJobs();
      const res = await patchCurrent('V1-SHIP', { shippingDate: '2026-01-20' });
      expect(res.status).toBe(200);
      expect(res.body.order.shippingDate).toBe('2026-01-20');
      expect(res.body.order.shipping).toMatchObject({ shippingDate: '2026-01-20', shipped: false });
      expect((await statusJobs(order.id)).map((j) => j.state)).toEqual(['queued']);
      const audit = await forkEm(t.deps.orm).find(AuditEntry, {
        entityId: order.id,
        action: 'order.shippingDate',
      });
      expect(audit.map((e) => e.actorLabel)).toEqual([`api-key test (${a.apiKey.slice(0, 8)})`]);
      // null clears it.
      const cleared = await patchCurrent('V1-SHIP', { shippingDate: null });
      expect(cleared.body.order.shippingDate).toBeNull();
      // Status and date together: the date is set first, so the order is judged with it.
      await create('V1-SHIP-2');
      await finishJobs();
      const both = await patchCurrent('V1-SHIP-2', {
        shippingDate: '2026-01-21',
        statusId: a.otherStatusId,
      });
      expect(both.body.order).toMatchObject({
        shippingDate: '2026-01-21',
        statusId: a.otherStatusId,
      });
    } finally {
      await caller.settings.update({ bulkShippingTriggerStatus: null });
    }
  });

  it('PATCH cancel moves the order into the cancel status (the admin’s path to the cancel in Smaregi)', async () => {
    const order = await create('V1-CANCEL');
    await finishJobs();
    const res = await patchCurrent('V1-CANCEL', { cancel: true });
    expect(res.status).toBe(200);
    expect(res.body.order).toMatchObject({ statusId: cancelStatusId, statusCategory: 'cancelled' });
    const jobs = await statusJobs(order.id);
    expect(jobs.map((j) => [j.state, j.payload.statusId])).toEqual([['queued', cancelStatusId]]);
    const again = await patchCurrent('V1-CANCEL', { cancel: true });
    expect([again.status, again.body.outcome]).toEqual([200, 'unchanged']);
    // With an open status it is not a cancel: refused at cancel.
    await create('V1-CANCEL-2');
    const mixed = await patchCurrent('V1-CANCEL-2', { cancel: true, statusId: a.otherStatusId });
    expect(mixed.status).toBe(400);
    expect(fields(mixed)).toEqual(['cancel']);
    // A tenant without a cancel status is told so, at cancel.
    const em = forkEm(t.deps.orm);
    const bOrder = await request(t.app)
      .post('/api/v1/orders')
      .set('Authorization', `Bearer ${b.apiKey}`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(validOrder(b, { orderNumber: 'B-CANCEL' })));
    expect(bOrder.status).toBe(201);
    const bEtag = (await get('B-CANCEL', b.apiKey)).headers.etag as string;
    const none = await patch('B-CANCEL', { cancel: true }, { 'If-Match': bEtag }, b.apiKey);
    expect(none.status).toBe(409);
    expect(fields(none)).toEqual(['cancel']);
    expect(await em.count(Order, { tenant: b.tenantId, status: b.statusId })).toBe(1);
  });

  it('PATCH needs If-Match (428) and refuses a stale version (412), giving the current one in the ETag', async () => {
    await create('V1-IFM');
    const missing = await patch('V1-IFM', { statusId: a.otherStatusId });
    expect(missing.status).toBe(428);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    expect(fields(missing)).toEqual(['If-Match']);
    const first = await get('V1-IFM');
    expect(missing.headers.etag).toBe(first.headers.etag);

    const moved = await patch(
      'V1-IFM',
      { shippingDate: '2026-02-01' },
      { 'If-Match': first.headers.etag as string },
    );
    expect(moved.status).toBe(200);
    const stale = await patch(
      'V1-IFM',
      { statusId: a.otherStatusId },
      { 'If-Match': first.headers.etag as string, 'Accept-Language': 'en' },
    );
    expect(stale.status).toBe(412);
    expect(stale.body.detail).toMatch(/changed since this version/);
    expect(stale.headers.etag).toBe(moved.headers.etag);
    expect((await get('V1-IFM')).body.order.statusId).toBe(a.statusId);
    // A change by the admin makes the version the OMS holds stale too.
    const held = (await get('V1-IFM')).headers.etag as string;
    await caller.orders.setShippingDate({
      id: (await get('V1-IFM')).body.order.id,
      shippingDate: '2026-02-02',
    });
    const afterAdmin = await patch('V1-IFM', { shippingDate: '2026-02-03' }, { 'If-Match': held });
    expect(afterAdmin.status).toBe(412);
  });

  it('two changes against the same version at once: one is made, the other is a 412 (no lost update)', async () => {
    await create('V1-RACE');
    const etag = (await get('V1-RACE')).headers.etag as string;
    const [one, two] = await Promise.all([
      patch('V1-RACE', { shippingDate: '2026-04-01' }, { 'If-Match': etag }),
      patch('V1-RACE', { shippingDate: '2026-04-02' }, { 'If-Match': etag }),
    ]);
    expect([one.status, two.status].sort()).toEqual([200, 412]);
    const winner = one.status === 200 ? one : two;
    expect((await get('V1-RACE')).body.order.shippingDate).toBe(winner.body.order.shippingDate);
  });

  it('Idempotency-Key: the same key and body replay the first answer; another body with it is a 422', async () => {
    const order = await create('V1-IDEM');
    const etag = (await get('V1-IDEM')).headers.etag as string;
    const headers = { 'If-Match': etag, 'Idempotency-Key': 'idem-v1-0001' };
    const first = await patch('V1-IDEM', { statusId: a.otherStatusId }, headers);
    expect(first.status).toBe(200);
    const audits = () =>
      forkEm(t.deps.orm).count(AuditEntry, { entityId: order.id, action: 'order.statusChange' });
    expect(await audits()).toBe(1);
    // A retry (its If-Match is stale now, the change having been made): the first answer again.
    const replay = await patch('V1-IDEM', { statusId: a.otherStatusId }, headers);
    expect(replay.status).toBe(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(first.body);
    expect(replay.headers.etag).toBe(first.headers.etag);
    // Asked in English, the replay is still the first answer, and says it is in Japanese.
    const replayEn = await patch(
      'V1-IDEM',
      { statusId: a.otherStatusId },
      {
        ...headers,
        'Accept-Language': 'en',
      },
    );
    expect(replayEn.body).toEqual(first.body);
    expect(replayEn.headers['content-language']).toBe('ja');
    expect(await audits()).toBe(1);
    // Another change under the same key.
    const other = await patch('V1-IDEM', { statusId: a.statusId }, headers);
    expect(other.status).toBe(422);
    expect(fields(other)).toEqual(['Idempotency-Key']);
    expect((await get('V1-IDEM')).body.order.statusId).toBe(a.otherStatusId);
    // Keys are per tenant: B's use of the same key is its own (here: B's order is not found).
    const foreign = await patch('V1-IDEM', { statusId: a.otherStatusId }, headers, b.apiKey);
    expect(foreign.status).toBe(404);
    // A refused request keeps no answer: fixed, it goes through under the same key.
    const refused = await patch(
      'V1-IDEM',
      { shippingDate: '2026-03-01' },
      { 'Idempotency-Key': 'idem-v1-0002' },
    );
    expect(refused.status).toBe(428);
    const fixed = await patchCurrent(
      'V1-IDEM',
      { shippingDate: '2026-03-01' },
      { 'Idempotency-Key': 'idem-v1-0002' },
    );
    expect([fixed.status, fixed.body.order.shippingDate]).toEqual([200, '2026-03-01']);
    const kept = await tenantRepositories(forkEm(t.deps.orm), a.tenantId).idempotencyKeys.count();
    expect(kept).toBe(2);
    const malformed = await patchCurrent(
      'V1-IDEM',
      { shippingDate: null },
      { 'Idempotency-Key': 'has spaces' },
    );
    expect(malformed.status).toBe(400);
    expect(fields(malformed)).toEqual(['Idempotency-Key']);
  });

  it('a key without the scope is refused with 403 naming it; keys made without a choice hold all three', async () => {
    await create('V1-SCOPE');
    const reader = await caller.apiKeys.create({ name: 'reader', scopes: ['orders:read'] });
    expect(reader.scopes).toEqual(['orders:read']);
    const stock = await caller.apiKeys.create({ name: 'stock', scopes: ['stock:read'] });
    const plain = await caller.apiKeys.create({ name: 'plain' });
    expect(plain.scopes).toEqual(['orders:write', 'orders:read', 'stock:read']);
    expect((await caller.apiKeys.list()).find((k) => k.id === reader.id)?.scopes).toEqual([
      'orders:read',
    ]);

    expect((await get('V1-SCOPE', reader.key)).status).toBe(200);
    const etag = (await get('V1-SCOPE')).headers.etag as string;
    const write = await patch('V1-SCOPE', { cancel: true }, { 'If-Match': etag }, reader.key);
    expect(write.status).toBe(403);
    expect(write.headers['content-type']).toContain('application/problem+json');
    expect(write.body.detail).toContain('orders:write');
    expect(write.body.details.missingScope).toBe('orders:write');
    expect(write.headers['www-authenticate']).toContain('insufficient_scope');
    const intake = await request(t.app)
      .post('/api/v1/orders')
      .set('Authorization', `Bearer ${reader.key}`)
      .set('Content-Type', 'application/json')
      .set('Accept-Language', 'en')
      .send(JSON.stringify(validOrder(a, { orderNumber: 'V1-SCOPE-2' })));
    expect(intake.status).toBe(403);
    expect(intake.body.detail).toContain('lacks the scope orders:write');
    const read = await get('V1-SCOPE', stock.key);
    expect(read.status).toBe(403);
    expect(read.body.details.missingScope).toBe('orders:read');
    expect((await get('V1-SCOPE', plain.key)).status).toBe(200);
    expect((await get('V1-SCOPE', 'rk_not-a-key')).status).toBe(401);
    // Scopes out of the list are refused at scopes.
    await expect(
      caller.apiKeys.create({ name: 'bad', scopes: ['orders:delete' as never] }),
    ).rejects.toThrow();
  });

  it('a bad PATCH body is refused naming each field, in Japanese or English', async () => {
    await create('V1-BAD');
    const ja = await patchCurrent('V1-BAD', {
      statusId: 12,
      colour: 'red',
      shippingDate: '2026/01/20',
    });
    expect(ja.status).toBe(400);
    expect(ja.headers['content-type']).toContain('application/problem+json');
    expect(fields(ja).sort()).toEqual(['colour', 'shippingDate', 'statusId']);
    const date = (ja.body.errors as { field: string; detail: string }[]).find(
      (e) => e.field === 'shippingDate',
    );
    expect(date?.detail).toContain('出荷日');
    const en = await patchCurrent(
      'V1-BAD',
      { shippingDate: '2026/01/20' },
      { 'Accept-Language': 'en' },
    );
    expect(en.headers['content-language']).toBe('en');
    expect(en.body.errors[0].detail).toMatch(/Shipping date/);
    const cancelFalse = await patchCurrent('V1-BAD', { cancel: false });
    expect(fields(cancelFalse)).toEqual(['cancel']);
    const empty = await patchCurrent('V1-BAD', {});
    expect(empty.status).toBe(400);
    expect(empty.body.detail).toContain('statusId');
  });

  it('shops sharing an order number: shopId picks the order, without it the request names shopId', async () => {
    const second = await caller.shops.create({
      name: 'Amazon店',
      mallKind: 'amazon',
      taxMode: 'included',
    } as never);
    await create('V1-TWIN');
    await create('V1-TWIN', { shopId: second.id });
    const both = await get('V1-TWIN');
    expect(both.status).toBe(409);
    expect(fields(both)).toEqual(['shopId']);
    const picked = await request(t.app)
      .get(`/api/v1/orders/V1-TWIN?shopId=${second.id}`)
      .set('Authorization', `Bearer ${a.apiKey}`);
    expect(picked.status).toBe(200);
    expect(picked.body.order.shopId).toBe(second.id);
  });

  it('the OpenAPI document describes both operations, their headers, scopes and every status they answer', async () => {
    const doc = (await request(t.app).get('/api/v1/openapi.json')).body;
    const path = doc.paths['/api/v1/orders/{orderNumber}'];
    expect(Object.keys(path.get.responses).sort()).toEqual(
      ['200', '304', '400', '401', '403', '404', '409', '429'].sort(),
    );
    expect(Object.keys(path.patch.responses).sort()).toEqual(
      ['200', '400', '401', '403', '404', '409', '412', '422', '428', '429'].sort(),
    );
    expect(path.get['x-required-scopes']).toEqual(['orders:read']);
    expect(path.patch['x-required-scopes']).toEqual(['orders:write']);
    expect(doc.paths['/api/v1/orders'].post['x-required-scopes']).toEqual(['orders:write']);
    const headers = path.patch.parameters.map(
      (p: { name: string; in: string }) => `${p.in}:${p.name}`,
    );
    expect(headers).toEqual(
      expect.arrayContaining(['header:If-Match', 'header:Idempotency-Key', 'path:orderNumber']),
    );
    expect(path.patch.responses['412'].headers.ETag).toBeDefined();
    // Every property a GET answers is described.
    await create('V1-DOC');
    const shown = Object.keys((await get('V1-DOC')).body.order);
    const described = Object.keys(doc.components.schemas.RestOrder.properties);
    expect(shown.filter((k) => !described.includes(k))).toEqual([]);
  });
});
