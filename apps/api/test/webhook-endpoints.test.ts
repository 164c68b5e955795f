import {
  AuditEntry,
  forkEm,
  Job,
  JOB_NAMES,
  WebhookDelivery,
  WebhookDeliveryAttempt,
  WebhookEndpoint,
  tenantRepositories,
} from '@renkei/persistence';
import { testDialects } from '@renkei/persistence/testing';
import { TRPCError } from '@trpc/server';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkWebhookUrl } from '../src/services/webhook-url.js';
import { toPublicError } from '../src/trpc/errors.js';
import { loadConfig } from '../src/env.js';
import {
  createTestApp,
  seedTenant,
  signedInCaller,
  type SeededTenant,
  type TestApp,
} from './helpers.js';

type Caller = Awaited<ReturnType<typeof signedInCaller>>['caller'];

/** The public error (code, field errors) of a refused call. */
async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) return toPublicError(error);
    throw error;
  }
  throw new Error('expected a refusal');
}
const fieldsOf = (e: Awaited<ReturnType<typeof refusal>>) => e.fieldErrors.map((f) => f.path);

/**
 * One event of the tenant delivered to `endpointId` as the worker records it: the event and its
 * delivery (through the repositories), then the attempts it made with their outcome.
 */
async function deliveredEvent(
  t: TestApp,
  tenantId: string,
  endpointId: string,
  attempts: { status: number | null; latencyMs: number; snippet?: string; error?: string }[],
  state: 'delivered' | 'failed' | 'pending',
) {
  const em = forkEm(t.deps.orm);
  const repos = tenantRepositories(em, tenantId);
  const endpoint = (await repos.webhookEndpoints.findById(endpointId))!;
  const now = new Date();
  const event = repos.outboundEvents.emit(
    'order.shipped',
    { type: 'order.shipped', data: { orderNumber: 'R-1' } },
    [endpoint],
    now,
  )!;
  await em.flush();
  const delivery = await em.findOneOrFail(WebhookDelivery, { event: event.id });
  attempts.forEach((a, i) => {
    em.create(WebhookDeliveryAttempt, {
      tenant: delivery.tenant,
      delivery,
      attemptedAt: new Date(now.getTime() + i * 1000),
      status: a.status,
      latencyMs: a.latencyMs,
      responseSnippet: a.snippet ?? null,
      error: a.error ?? null,
    });
  });
  const last = attempts.at(-1);
  Object.assign(delivery, {
    state,
    attempts: attempts.length,
    lastStatus: last?.status ?? null,
    lastLatencyMs: last?.latencyMs ?? null,
    lastResponseSnippet: last?.snippet ?? null,
    lastError: last?.error ?? null,
    deliveredAt: state === 'delivered' ? now : null,
  });
  await em.flush();
  return { eventId: event.id, deliveryId: delivery.id };
}

/*
 * Outbound webhook endpoints as the merchant manages them: through the admin's tRPC and through
 * the REST API v1 with a key holding `webhooks:manage`, on a real database. The secret is shown
 * once; bad input names its field; one tenant never sees or changes another's endpoints; every
 * change is in the 操作履歴.
 */
describe.each(testDialects())('webhook endpoints (%s)', (dialect) => {
  let t: TestApp;
  let a: SeededTenant;
  let b: SeededTenant;
  let caller: Caller;
  let callerB: Caller;
  let manageKey: string;
  let manageKeyB: string;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    a = await seedTenant(t.deps);
    b = await seedTenant(t.deps, '別の商店');
    ({ caller } = await signedInCaller(t.deps, a));
    ({ caller: callerB } = await signedInCaller(t.deps, b));
    manageKey = (await caller.apiKeys.create({ name: 'Webhook 管理', scopes: ['webhooks:manage'] }))
      .key;
    manageKeyB = (
      await callerB.apiKeys.create({ name: 'B の管理', scopes: ['webhooks:manage', 'orders:read'] })
    ).key;
  });
  afterAll(async () => {
    await t.close();
  });

  it('API keys: the merchant chooses the scopes; webhooks:manage is never given unasked; the audit records them', async () => {
    // At least one scope, named at the field.
    expect(fieldsOf(await refusal(caller.apiKeys.create({ name: 'x', scopes: [] })))).toEqual([
      'scopes',
    ]);
    const plain = await caller.apiKeys.create({ name: '既定' });
    expect(plain.scopes).toEqual(['orders:write', 'orders:read', 'stock:read']);
    const chosen = await caller.apiKeys.create({
      name: '連携ツール',
      scopes: ['webhooks:manage', 'orders:read'],
    });
    expect(chosen.scopes).toEqual(['orders:read', 'webhooks:manage']);
    expect((await caller.apiKeys.list()).find((k) => k.id === chosen.id)?.scopes).toEqual([
      'orders:read',
      'webhooks:manage',
    ]);
    const entry = (await caller.audit.list({ action: 'apiKey.create' })).items.find(
      (e) => e.entityId === chosen.id,
    );
    expect(entry?.after).toMatchObject({
      name: '連携ツール',
      scopes: ['orders:read', 'webhooks:manage'],
    });
    // A key without the scope is refused by name; the seeded key (made without a choice) too.
    for (const key of [plain.key, a.apiKey]) {
      const res = await request(t.app)
        .get('/api/v1/webhook-endpoints')
        .set('Authorization', `Bearer ${key}`);
      expect(res.status).toBe(403);
      expect(res.type).toBe('application/problem+json');
      expect(res.body.details.missingScope).toBe('webhooks:manage');
      expect(res.headers['www-authenticate']).toContain('scope="webhooks:manage"');
    }
    expect((await request(t.app).get('/api/v1/webhook-endpoints')).status).toBe(401);
  });

  it('admin: adds an endpoint with its secret shown once, changes, pauses, resumes and deletes it, all audited', async () => {
    const created = await caller.webhookEndpoints.create({
      url: ' https://oms.example.com/hooks ',
      description: '基幹OMS',
      events: ['stock.changed', 'order.synced'],
    });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(created.endpoint).toMatchObject({
      url: 'https://oms.example.com/hooks',
      description: '基幹OMS',
      events: ['order.synced', 'stock.changed'],
      state: 'active',
    });
    // The secret signs the deliveries (the stored one is the one shown) but is never shown again.
    const em = forkEm(t.deps.orm);
    const repos = tenantRepositories(em, a.tenantId);
    const stored = (await repos.webhookEndpoints.findById(created.endpoint.id))!;
    expect(repos.webhookEndpoints.secretOf(stored, t.deps.vault)).toBe(created.secret);
    expect(stored.secretCiphertext).not.toContain(created.secret.slice(6));
    expect(JSON.stringify(await caller.webhookEndpoints.list())).not.toContain(created.secret);
    expect(
      JSON.stringify(await caller.webhookEndpoints.get({ id: created.endpoint.id })),
    ).not.toContain(created.secret);

    const id = created.endpoint.id;
    const changed = await caller.webhookEndpoints.update({
      id,
      url: 'https://oms.example.com/hooks/v2',
      description: '',
      events: ['order.shipped'],
    });
    expect(changed).toMatchObject({
      url: 'https://oms.example.com/hooks/v2',
      description: null,
      events: ['order.shipped'],
    });
    expect((await caller.webhookEndpoints.update({ id, state: 'paused' })).state).toBe('paused');
    // Pausing again changes and records nothing.
    expect((await caller.webhookEndpoints.update({ id, state: 'paused' })).state).toBe('paused');
    expect((await caller.webhookEndpoints.update({ id, state: 'active' })).state).toBe('active');
    await caller.webhookEndpoints.delete({ id });
    expect((await caller.webhookEndpoints.list()).map((e) => e.id)).not.toContain(id);
    expect((await refusal(caller.webhookEndpoints.get({ id }))).code).toBe('NOT_FOUND');

    const entries = (await caller.audit.list({})).items.filter((e) => e.entityId === id);
    expect(entries.map((e) => [e.action, e.actor])).toEqual([
      ['webhook.delete', a.email],
      ['webhook.resume', a.email],
      ['webhook.pause', a.email],
      ['webhook.update', a.email],
      ['webhook.create', a.email],
    ]);
    expect(entries.at(-1)?.after).toEqual({
      url: 'https://oms.example.com/hooks',
      description: '基幹OMS',
      eventTypes: ['order.synced', 'stock.changed'],
    });
    expect(entries[3]).toMatchObject({
      before: {
        url: 'https://oms.example.com/hooks',
        eventTypes: ['order.synced', 'stock.changed'],
      },
      after: {
        url: 'https://oms.example.com/hooks/v2',
        description: null,
        eventTypes: ['order.shipped'],
      },
    });
    expect(entries[2]).toMatchObject({
      before: { paused: false, url: 'https://oms.example.com/hooks/v2' },
      after: { paused: true, url: 'https://oms.example.com/hooks/v2' },
    });
    // No secret anywhere in the 操作履歴.
    const all = await forkEm(t.deps.orm).find(AuditEntry, { tenant: a.tenantId });
    expect(JSON.stringify(all)).not.toContain(created.secret);
  });

  it('bad input is refused at the field it names', async () => {
    const base = { url: 'https://oms.example.com/hooks', events: ['order.synced' as const] };
    const cases: [Record<string, unknown>, string[]][] = [
      [{ ...base, url: '  ' }, ['url']],
      [{ ...base, url: 'oms.example.com/hooks' }, ['url']],
      [{ ...base, url: 'ftp://oms.example.com/hooks' }, ['url']],
      [{ ...base, url: 'https://user:pass@oms.example.com/hooks' }, ['url']],
      [{ ...base, url: `https://oms.example.com/${'x'.repeat(2000)}` }, ['url']],
      [{ ...base, description: 'x'.repeat(501) }, ['description']],
      [{ ...base, events: [] }, ['events']],
      [{ ...base, events: ['order.synced', 'order.deleted'] }, ['events.1']],
      [{ ...base, secret: 'mine' }, ['secret']],
    ];
    for (const [input, fields] of cases)
      expect(fieldsOf(await refusal(caller.webhookEndpoints.create(input as never)))).toEqual(
        fields,
      );
    // The metadata service is refused under every policy (tests allow private addresses).
    const metadata = await refusal(
      caller.webhookEndpoints.create({ ...base, url: 'http://169.254.169.254/latest' }),
    );
    expect(fieldsOf(metadata)).toEqual(['url']);
    expect(metadata.fieldErrors[0]?.message.ja).toContain('メタデータ');
    const { endpoint } = await caller.webhookEndpoints.create(base);
    expect(
      fieldsOf(await refusal(caller.webhookEndpoints.update({ id: endpoint.id, events: [] }))),
    ).toEqual(['events']);
    expect(
      fieldsOf(
        await refusal(
          caller.webhookEndpoints.update({ id: endpoint.id, state: 'failing' as never }),
        ),
      ),
    ).toEqual(['state']);
    expect((await caller.webhookEndpoints.get({ id: endpoint.id })).events).toEqual([
      'order.synced',
    ]);
  });

  it('one tenant never sees nor changes another tenant’s endpoints or deliveries', async () => {
    const { endpoint } = await caller.webhookEndpoints.create({
      url: 'https://a.example.com/hooks',
      events: ['order.shipped'],
    });
    const { deliveryId } = await deliveredEvent(t, a.tenantId, endpoint.id, [], 'pending');
    expect((await callerB.webhookEndpoints.list()).map((e) => e.id)).not.toContain(endpoint.id);
    for (const call of [
      () => callerB.webhookEndpoints.get({ id: endpoint.id }),
      () => callerB.webhookEndpoints.update({ id: endpoint.id, state: 'paused' }),
      () => callerB.webhookEndpoints.delete({ id: endpoint.id }),
      () => callerB.webhookEndpoints.deliveries({ endpointId: endpoint.id }),
      () => callerB.webhookEndpoints.redeliver({ id: deliveryId }),
    ])
      expect((await refusal(call())).code).toBe('NOT_FOUND');
    const rest = (method: 'get' | 'patch' | 'delete' | 'post', path: string) =>
      request(t.app)[method](path).set('Authorization', `Bearer ${manageKeyB}`);
    expect((await rest('get', '/api/v1/webhook-endpoints')).body.endpoints).toEqual([]);
    expect((await rest('get', `/api/v1/webhook-endpoints/${endpoint.id}`)).status).toBe(404);
    expect(
      (await rest('patch', `/api/v1/webhook-endpoints/${endpoint.id}`).send({ state: 'paused' }))
        .status,
    ).toBe(404);
    expect((await rest('delete', `/api/v1/webhook-endpoints/${endpoint.id}`)).status).toBe(404);
    expect((await rest('get', `/api/v1/webhook-endpoints/${endpoint.id}/deliveries`)).status).toBe(
      404,
    );
    expect((await rest('post', `/api/v1/webhook-deliveries/${deliveryId}/redeliver`)).status).toBe(
      404,
    );
    // Untouched.
    expect(await caller.webhookEndpoints.get({ id: endpoint.id })).toMatchObject({
      state: 'active',
      url: 'https://a.example.com/hooks',
    });
  });

  it('the delivery log pages newest first with status, latency, response and attempts; re-delivery queues it again', async () => {
    const { endpoint } = await caller.webhookEndpoints.create({
      url: 'https://log.example.com/hooks',
      events: ['order.shipped'],
    });
    const failed = await deliveredEvent(
      t,
      a.tenantId,
      endpoint.id,
      [
        { status: null, latencyMs: 10_000, error: 'timeout' },
        { status: 500, latencyMs: 120, snippet: 'Internal Server Error' },
      ],
      'failed',
    );
    const ok = await deliveredEvent(
      t,
      a.tenantId,
      endpoint.id,
      [{ status: 200, latencyMs: 42, snippet: '{"ok":true}' }],
      'delivered',
    );
    const first = await caller.webhookEndpoints.deliveries({
      endpointId: endpoint.id,
      pageSize: 1,
    });
    expect(first.total).toBe(2);
    expect(first.items).toHaveLength(1);
    expect(first.items[0]).toMatchObject({
      id: ok.deliveryId,
      eventId: ok.eventId,
      eventType: 'order.shipped',
      state: 'delivered',
      status: 200,
      latencyMs: 42,
      responseSnippet: '{"ok":true}',
      attempts: 1,
    });
    const second = await caller.webhookEndpoints.deliveries({
      endpointId: endpoint.id,
      pageSize: 1,
      page: 2,
    });
    expect(second.items[0]).toMatchObject({
      id: failed.deliveryId,
      state: 'failed',
      status: 500,
      attempts: 2,
      responseSnippet: 'Internal Server Error',
    });
    expect(second.items[0]!.history.map((h) => [h.status, h.latencyMs, h.error])).toEqual([
      [500, 120, null],
      [null, 10_000, 'timeout'],
    ]);

    const again = await caller.webhookEndpoints.redeliver({ id: failed.deliveryId });
    expect(again).toMatchObject({
      id: failed.deliveryId,
      eventId: failed.eventId,
      state: 'pending',
      attempts: 0,
    });
    const jobs = await forkEm(t.deps.orm).find(Job, {
      tenant: a.tenantId,
      name: JOB_NAMES.deliverWebhook,
      dedupKey: failed.deliveryId,
    });
    expect(jobs.map((j) => j.state)).toContain('queued');
    const entry = (await caller.audit.list({ action: 'webhook.redeliver' })).items[0];
    expect(entry).toMatchObject({
      entityType: 'webhookDelivery',
      entityId: failed.deliveryId,
      before: { result: 'failed', eventType: 'order.shipped', eventId: failed.eventId },
      after: {
        result: 'pending',
        eventType: 'order.shipped',
        eventId: failed.eventId,
        url: 'https://log.example.com/hooks',
      },
    });

    // A paused endpoint's delivery is not re-delivered until it is resumed.
    await caller.webhookEndpoints.update({ id: endpoint.id, state: 'paused' });
    expect((await refusal(caller.webhookEndpoints.redeliver({ id: ok.deliveryId }))).code).toBe(
      'CONFLICT',
    );
  });

  it('REST: manages endpoints with webhooks:manage, problem+json naming the field in the language asked for', async () => {
    const api = (method: 'get' | 'patch' | 'delete' | 'post', path: string) =>
      request(t.app)[method](path).set('Authorization', `Bearer ${manageKey}`);
    const created = await api('post', '/api/v1/webhook-endpoints').send({
      url: 'https://rest.example.com/hooks',
      description: 'REST',
      events: ['order.failed', 'order.held'],
    });
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(`/api/v1/webhook-endpoints/${created.body.endpoint.id}`);
    expect(created.body.secret).toMatch(/^whsec_/);
    expect(created.body.endpoint).toMatchObject({
      url: 'https://rest.example.com/hooks',
      events: ['order.held', 'order.failed'],
      state: 'active',
    });
    const id = created.body.endpoint.id as string;

    const read = await api('get', `/api/v1/webhook-endpoints/${id}`);
    expect(read.status).toBe(200);
    expect(read.body.endpoint.id).toBe(id);
    expect(JSON.stringify(read.body)).not.toContain(created.body.secret);
    const listed = await api('get', '/api/v1/webhook-endpoints');
    expect(listed.body.endpoints.map((e: { id: string }) => e.id)).toContain(id);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.secret);

    // One endpoint per URL: registering it again, or moving another endpoint onto it, is a 409
    // naming url, and nothing is stored.
    const again = await api('post', '/api/v1/webhook-endpoints').send({
      url: 'https://rest.example.com/hooks',
      events: ['order.synced'],
    });
    expect(again.status).toBe(409);
    expect(again.body.errors.map((e: { field: string }) => e.field)).toEqual(['url']);
    const other = await api('post', '/api/v1/webhook-endpoints').send({
      url: 'https://rest.example.com/other',
      events: ['order.synced'],
    });
    expect(other.status).toBe(201);
    const moved = await api('patch', `/api/v1/webhook-endpoints/${other.body.endpoint.id}`).send({
      url: 'https://rest.example.com/hooks',
    });
    expect(moved.status).toBe(409);
    expect(moved.body.errors.map((e: { field: string }) => e.field)).toEqual(['url']);
    const urls = (await api('get', '/api/v1/webhook-endpoints')).body.endpoints.map(
      (e: { url: string }) => e.url,
    );
    expect(urls.filter((u: string) => u === 'https://rest.example.com/hooks')).toHaveLength(1);
    expect(urls).toContain('https://rest.example.com/other');
    expect(
      (await api('delete', `/api/v1/webhook-endpoints/${other.body.endpoint.id}`)).status,
    ).toBe(204);

    const paused = await api('patch', `/api/v1/webhook-endpoints/${id}`).send({ state: 'paused' });
    expect(paused.status).toBe(200);
    expect(paused.body.endpoint.state).toBe('paused');

    // Bad input: the field named, Japanese by default, English on request.
    const badUrl = await api('post', '/api/v1/webhook-endpoints').send({
      url: 'not a url',
      events: ['order.held'],
    });
    expect(badUrl.status).toBe(400);
    expect(badUrl.type).toBe('application/problem+json');
    expect(badUrl.body.errors.map((e: { field: string }) => e.field)).toEqual(['url']);
    expect(badUrl.headers['content-language']).toBe('ja');
    const badEvent = await api('post', '/api/v1/webhook-endpoints')
      .set('Accept-Language', 'en')
      .send({ url: 'https://rest.example.com/x', events: ['order.exploded'] });
    expect(badEvent.status).toBe(400);
    expect(badEvent.body.errors[0]).toMatchObject({ field: 'events.0' });
    expect(badEvent.body.errors[0].detail).toMatch(/order\.synced/);
    expect(badEvent.headers['content-language']).toBe('en');
    const unknownKey = await api('patch', `/api/v1/webhook-endpoints/${id}`).send({ secret: 'x' });
    expect(unknownKey.body.errors.map((e: { field: string }) => e.field)).toEqual(['secret']);
    const empty = await api('patch', `/api/v1/webhook-endpoints/${id}`).send({});
    expect(empty.status).toBe(400);
    const notJson = await api('post', '/api/v1/webhook-endpoints')
      .set('Content-Type', 'text/plain')
      .send('url=https://x');
    expect(notJson.status).toBe(400);
    const badPage = await api('get', `/api/v1/webhook-endpoints/${id}/deliveries?page=0`);
    expect(badPage.status).toBe(400);
    expect(badPage.body.errors.map((e: { field: string }) => e.field)).toEqual(['page']);

    // Deliveries and re-delivery.
    await api('patch', `/api/v1/webhook-endpoints/${id}`).send({ state: 'active' });
    const done = await deliveredEvent(
      t,
      a.tenantId,
      id,
      [{ status: 410, latencyMs: 30, snippet: 'Gone' }],
      'failed',
    );
    const log = await api('get', `/api/v1/webhook-endpoints/${id}/deliveries?pageSize=10`);
    expect(log.status).toBe(200);
    expect(log.body).toMatchObject({ page: 1, pageSize: 10, total: 1 });
    expect(log.body.deliveries[0]).toMatchObject({
      id: done.deliveryId,
      eventId: done.eventId,
      status: 410,
      latencyMs: 30,
      responseSnippet: 'Gone',
      state: 'failed',
    });
    const redelivered = await api(
      'post',
      `/api/v1/webhook-deliveries/${done.deliveryId}/redeliver`,
    );
    expect(redelivered.status).toBe(202);
    expect(redelivered.body.delivery).toMatchObject({ id: done.deliveryId, state: 'pending' });
    expect(
      (await api('post', '/api/v1/webhook-deliveries/no-such-delivery/redeliver')).status,
    ).toBe(404);

    const gone = await api('delete', `/api/v1/webhook-endpoints/${id}`);
    expect(gone.status).toBe(204);
    expect((await api('get', `/api/v1/webhook-endpoints/${id}`)).status).toBe(404);
    expect(await forkEm(t.deps.orm).count(WebhookEndpoint, { id })).toBe(0);

    // The 操作履歴 names the key that made each change.
    const entries = (await caller.audit.list({})).items.filter((e) => e.entityId === id);
    expect(entries.map((e) => e.action)).toEqual([
      'webhook.delete',
      'webhook.resume',
      'webhook.pause',
      'webhook.create',
    ]);
    expect(entries.every((e) => e.actor.startsWith('api-key Webhook 管理 ('))).toBe(true);
  });
});

describe.each(testDialects())('webhook endpoint URLs in production (%s)', (dialect) => {
  let strict: TestApp;
  let selfHosted: TestApp;
  const production = {
    NODE_ENV: 'production',
    SMAREGI_CLIENT_ID: 'client',
    SMAREGI_CLIENT_SECRET: 'secret',
    PUBLIC_URL: 'https://renkei.example.com',
  };
  beforeAll(async () => {
    strict = await createTestApp(dialect, production);
    selfHosted = await createTestApp(dialect, {
      ...production,
      RENKEI_WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
    });
  });
  afterAll(async () => {
    await strict.close();
    await selfHosted.close();
  });

  it('refuses private, loopback and plain-http URLs at the url field, unless self-hosted', async () => {
    const tenant = await seedTenant(strict.deps);
    const { caller } = await signedInCaller(strict.deps, tenant);
    const key = (await caller.apiKeys.create({ name: 'k', scopes: ['webhooks:manage'] })).key;
    const refusedUrls: [string, RegExp][] = [
      ['https://127.0.0.1:8080/hooks', /ループバック/],
      ['https://localhost/hooks', /localhost/],
      ['https://[::1]/hooks', /ループバック/],
      ['https://10.0.0.5/hooks', /プライベート/],
      ['https://192.168.1.20/hooks', /プライベート/],
      ['http://oms.example.com/hooks', /https/],
    ];
    for (const [url, words] of refusedUrls) {
      const res = await request(strict.app)
        .post('/api/v1/webhook-endpoints')
        .set('Authorization', `Bearer ${key}`)
        .send({ url, events: ['order.synced'] });
      expect(res.status, url).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['url']);
      expect(res.body.errors[0].detail).toMatch(words);
      const viaAdmin = await refusal(
        caller.webhookEndpoints.create({ url, events: ['order.synced'] }),
      );
      expect(fieldsOf(viaAdmin)).toEqual(['url']);
    }
    // A change to such a URL is refused the same way, and the endpoint keeps its URL.
    const { endpoint } = await caller.webhookEndpoints.create({
      url: 'https://93.184.215.14/hooks',
      events: ['order.synced'],
    });
    expect(
      fieldsOf(
        await refusal(
          caller.webhookEndpoints.update({ id: endpoint.id, url: 'https://10.1.1.1/' }),
        ),
      ),
    ).toEqual(['url']);
    expect((await caller.webhookEndpoints.get({ id: endpoint.id })).url).toBe(
      'https://93.184.215.14/hooks',
    );

    // Self-hosted (RENKEI_WEBHOOK_ALLOW_PRIVATE_URLS): the OMS next door, over plain http.
    const other = await seedTenant(selfHosted.deps);
    const { caller: local } = await signedInCaller(selfHosted.deps, other);
    const made = await local.webhookEndpoints.create({
      url: 'http://10.0.0.5:8080/hooks',
      events: ['order.synced'],
    });
    expect(made.endpoint.url).toBe('http://10.0.0.5:8080/hooks');
    // The metadata service stays refused.
    expect(
      fieldsOf(
        await refusal(
          local.webhookEndpoints.create({
            url: 'http://169.254.169.254/',
            events: ['order.synced'],
          }),
        ),
      ),
    ).toEqual(['url']);
  });
});

describe('a webhook URL host name is judged by every address it resolves to', () => {
  const strict = {
    config: loadConfig({
      NODE_ENV: 'production',
      SMAREGI_CLIENT_ID: 'client',
      SMAREGI_CLIENT_SECRET: 'secret',
      SMAREGI_WEBHOOK_SECRET: 'test-webhook-secret-0123456789',
      RENKEI_TOKEN_KEYS: `k:${Buffer.alloc(32, 1).toString('base64')}`,
    }),
  };
  const resolving =
    (table: Record<string, string[]>) =>
    (host: string): Promise<string[]> => {
      const found = table[host];
      return found === undefined
        ? Promise.reject(new Error(`ENOTFOUND ${host}`))
        : Promise.resolve(found);
    };
  const resolver = resolving({
    'oms.example.com': ['93.184.215.14', '2606:4700::6810:84e5'],
    'intranet.example.com': ['93.184.215.15', '10.20.30.40'],
    'rebind.example.com': ['::ffff:127.0.0.1'],
  });

  it('accepts a name of public addresses, refuses one that leads into the private network or nowhere', async () => {
    expect(await checkWebhookUrl(strict, 'https://oms.example.com/hooks', resolver)).toBe(
      'https://oms.example.com/hooks',
    );
    const privateOne = await checkWebhookUrl(
      strict,
      'https://intranet.example.com/',
      resolver,
    ).catch((e: unknown) => e);
    expect(toPublicError(privateOne).fieldErrors).toEqual([
      {
        path: 'url',
        message: {
          ja: expect.stringContaining('intranet.example.com は 10.20.30.40 に解決されます'),
          en: expect.stringContaining('intranet.example.com resolves to 10.20.30.40'),
        },
      },
    ]);
    const mapped = await checkWebhookUrl(strict, 'https://rebind.example.com/', resolver).catch(
      (e: unknown) => e,
    );
    expect(toPublicError(mapped).fieldErrors[0]?.message.en).toMatch(/loopback/);
    const nowhere = await checkWebhookUrl(strict, 'https://no-such.example.com/', resolver).catch(
      (e: unknown) => e,
    );
    expect(toPublicError(nowhere).fieldErrors[0]).toMatchObject({ path: 'url' });
    expect(toPublicError(nowhere).fieldErrors[0]?.message.en).toMatch(/does not resolve/);
  });

  it('resolves nothing where private addresses are allowed (development, self-hosted)', async () => {
    const dev = { config: loadConfig({ RENKEI_TOKEN_KEYS: strict.config.tokenKeys! }) };
    const never = (): Promise<string[]> => Promise.reject(new Error('must not resolve'));
    expect(await checkWebhookUrl(dev, 'http://intranet.example.com/', never)).toBe(
      'http://intranet.example.com/',
    );
  });
});
