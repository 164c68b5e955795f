import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  forkEm,
  Job,
  JOB_NAMES,
  OutboundEvent,
  Tenant,
  TokenVault,
  tenantRepositories,
  WebhookDelivery,
  type Em,
} from '../src/index.js';
import { createTestDatabase, testDialects, type TestDatabase } from '../src/testing.js';
import { schemaBefore, type SchemaBefore } from './support/schema-before.js';

/*
 * Storage of the outbound webhooks (docs/webhooks.md): order events are written with the 連携ログ
 * event that means them, in the same flush, only for subscribed receiving endpoints; a
 * re-delivery puts a delivery back with its job; stock changes coalesce per product.
 */

const vault = new TokenVault([{ id: 'k1', key: randomBytes(32) }]);

async function seedOrder(em: Em, tenantId: string, number: string) {
  const repos = tenantRepositories(em, tenantId);
  const shop = repos.shops.create({
    name: `店舗${number}`,
    mallKind: 'rakuten',
    taxMode: 'included',
  });
  const status = repos.orderStatuses.create({ name: '新規受付', category: 'open' });
  const payment = repos.paymentMethods.create({ name: 'クレジットカード' });
  const order = repos.orders.create({
    shop,
    orderNumber: number,
    orderCode: number,
    status,
    paymentMethod: payment,
    orderedAt: new Date('2026-11-01T10:00:00Z'),
    total: 1100,
    source: 'api',
  });
  await em.flush();
  return order;
}

function registered(em: Em, tenantId: string, orderId: string, number: string) {
  tenantRepositories(em, tenantId).syncEvents.record({
    subjectType: 'order',
    subjectId: orderId,
    kind: 'order.registered',
    outcome: 'success',
    message: {
      code: 'orderRegistered',
      params: { orderNumber: number, orderHeadId: '901', orderCode: number },
    },
  });
}

describe.each(testDialects())('outbound webhooks storage (%s)', (dialect) => {
  let db: TestDatabase;
  let tenant: string;
  let other: string;

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    const em = forkEm(db.orm);
    const a = em.create(Tenant, { name: 'A' });
    const b = em.create(Tenant, { name: 'B' });
    await em.flush();
    tenant = a.id;
    other = b.id;
  });
  afterAll(async () => {
    await db.close();
  });

  const countOf = async (entity: typeof OutboundEvent | typeof WebhookDelivery, tenantId: string) =>
    forkEm(db.orm).count(entity, { tenant: tenantId });

  it('writes nothing for an order event while the tenant has no receiving endpoint', async () => {
    const em = forkEm(db.orm);
    const order = await seedOrder(em, tenant, 'N-1');
    registered(em, tenant, order.id, 'N-1');
    await em.flush();
    expect(await countOf(OutboundEvent, tenant)).toBe(0);
    expect(await forkEm(db.orm).count(Job, { tenant, name: JOB_NAMES.deliverWebhook })).toBe(0);
  });

  it('writes the event, a delivery and its job per subscribed endpoint in the same flush', async () => {
    const em = forkEm(db.orm);
    const repos = tenantRepositories(em, tenant);
    const { endpoint: synced, secret } = repos.webhookEndpoints.register(
      { url: 'https://oms.example.com/a', eventTypes: ['order.synced', 'order.failed'] },
      vault,
    );
    repos.webhookEndpoints.register(
      { url: 'https://oms.example.com/b', eventTypes: ['stock.changed'] },
      vault,
    );
    const { endpoint: paused } = repos.webhookEndpoints.register(
      { url: 'https://oms.example.com/c', eventTypes: ['order.synced'] },
      vault,
    );
    paused.state = 'paused';
    // Another tenant's endpoint never receives this tenant's events.
    tenantRepositories(em, other).webhookEndpoints.register(
      { url: 'https://other.example.com/', eventTypes: ['order.synced'] },
      vault,
    );
    await em.flush();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(synced.secretCiphertext).not.toContain(secret.slice(6));
    expect(repos.webhookEndpoints.secretOf(synced, vault)).toBe(secret);
    // The secret is bound to its tenant.
    expect(() => tenantRepositories(em, other).webhookEndpoints.secretOf(synced, vault)).toThrow();

    const em2 = forkEm(db.orm);
    const order = await seedOrder(em2, tenant, 'W-1');
    registered(em2, tenant, order.id, 'W-1');
    // A kind that means no outbound event.
    tenantRepositories(em2, tenant).syncEvents.record({
      subjectType: 'order',
      subjectId: order.id,
      kind: 'order.statusChanged',
      outcome: 'info',
      message: { code: 'orderStatusChanged', params: { orderNumber: 'W-1', status: '出荷待ち' } },
    });
    await em2.flush();

    const read = forkEm(db.orm);
    const events = await read.find(OutboundEvent, { tenant });
    expect(events.map((e) => e.type)).toEqual(['order.synced']);
    const [event] = events;
    expect(event!.id).toMatch(/^evt_[0-9a-f-]{36}$/);
    expect(event!.payload).toMatchObject({
      orderId: order.id,
      orderNumber: 'W-1',
      orderCode: 'W-1',
      logKind: 'order.registered',
      message: { code: 'orderRegistered' },
    });
    const deliveries = await read.find(WebhookDelivery, { tenant }, { populate: ['endpoint'] });
    expect(deliveries.map((d) => [d.endpoint.url, d.state, d.attempts])).toEqual([
      ['https://oms.example.com/a', 'pending', 0],
    ]);
    const jobs = await read.find(Job, { tenant, name: JOB_NAMES.deliverWebhook });
    expect(jobs.map((j) => [j.payload, j.dedupKey, j.state])).toEqual([
      [{ deliveryId: deliveries[0]!.id }, deliveries[0]!.id, 'queued'],
    ]);
    expect(await countOf(OutboundEvent, other)).toBe(0);
  });

  it('sends each tenant its own events when one flush holds several tenants’ (the worker’s group commit)', async () => {
    const setup = forkEm(db.orm);
    const [x, y, z] = ['X', 'Y', 'Z'].map((name) => setup.create(Tenant, { name }));
    await setup.flush();
    for (const t of [x!, y!])
      tenantRepositories(setup, t.id).webhookEndpoints.register(
        { url: `https://${t.name.toLowerCase()}.example.com/`, eventTypes: ['order.synced'] },
        vault,
      );
    await setup.flush();
    const em = forkEm(db.orm);
    const orders = [
      await seedOrder(em, x!.id, 'G-X'),
      await seedOrder(em, y!.id, 'G-Y'),
      await seedOrder(em, z!.id, 'G-Z'),
    ];
    // One flush: an event of each tenant (Z has no endpoint).
    for (const order of orders) registered(em, order.tenant.id, order.id, order.orderNumber);
    await em.flush();

    const read = forkEm(db.orm);
    const delivered = async (tenantId: string) =>
      (
        await read.find(WebhookDelivery, { tenant: tenantId }, { populate: ['endpoint', 'event'] })
      ).map((d) => [d.endpoint.url, d.event.payload.orderNumber]);
    expect(await delivered(x!.id)).toEqual([['https://x.example.com/', 'G-X']]);
    expect(await delivered(y!.id)).toEqual([['https://y.example.com/', 'G-Y']]);
    expect(await delivered(z!.id)).toEqual([]);
    expect(await countOf(OutboundEvent, z!.id)).toBe(0);
  });

  it('re-delivers one delivery: pending again with a new window, its job queued once', async () => {
    const em = forkEm(db.orm);
    const [delivery] = await em.find(WebhookDelivery, { tenant });
    await em.nativeUpdate(
      WebhookDelivery,
      { id: delivery!.id },
      { state: 'failed', attempts: 19, nextAttemptAt: null },
    );
    await em.nativeUpdate(Job, { dedupKey: delivery!.id }, { state: 'done' });

    const em2 = forkEm(db.orm);
    const now = new Date('2026-12-03T00:00:00Z');
    expect(
      await tenantRepositories(em2, other).webhookDeliveries.redeliver(delivery!.id, now),
    ).toBeNull();
    const again = await tenantRepositories(em2, tenant).webhookDeliveries.redeliver(
      delivery!.id,
      now,
    );
    await em2.flush();
    expect(again?.state).toBe('pending');
    const read = forkEm(db.orm);
    const row = await read.findOneOrFail(WebhookDelivery, { id: delivery!.id });
    expect([row.state, row.attempts, row.retryFrom.toISOString()]).toEqual([
      'pending',
      0,
      now.toISOString(),
    ]);
    const jobs = await read.find(Job, { dedupKey: delivery!.id });
    expect(jobs.map((j) => j.state)).toEqual(['queued']);
    // The delivery log of the endpoint shows it with its event.
    const page = await tenantRepositories(read, tenant).webhookDeliveries.forEndpoint(
      row.endpoint.id,
      1,
      20,
    );
    expect(page.items.map((d) => d.event.type)).toEqual(['order.synced']);
  });

  it('coalesces stock changes per product and keeps a change made while they were sent', async () => {
    const em = forkEm(db.orm);
    const stock = tenantRepositories(em, tenant).outboundStockChanges;
    const figures = (code: string, effectiveStock: number) => ({
      productCode: code,
      smaregiProductId: null,
      effectiveStock,
      stockAmount: effectiveStock,
      allocatedAmount: 0,
      changedAt: '2026-12-03T00:00:00.000Z',
    });
    const now = new Date('2026-12-03T00:00:00Z');
    await stock.record([figures('P-1', 5), figures('P-2', 3)], now);
    await stock.record([figures('P-1', 4)], now);
    await em.flush();
    const seen = await stock.due(10);
    expect(seen.map((c) => [c.productCode, c.figures.effectiveStock])).toEqual([
      ['P-1', 4],
      ['P-2', 3],
    ]);
    // One job per tenant, due at once: no event was sent within the last second.
    const jobsOf = () => forkEm(db.orm).find(Job, { tenant, name: JOB_NAMES.sendStockChanges });
    expect((await jobsOf()).map((j) => [j.state, j.runAt.getTime() - now.getTime()])).toEqual([
      ['queued', 0],
    ]);
    // The job sent them (done just now); P-2 changed again while the batch was being sent: it
    // stays for the next event, which waits for the coalescing second after the last one.
    await em.nativeUpdate(
      Job,
      { tenant, name: JOB_NAMES.sendStockChanges },
      { state: 'done', finishedAt: now },
    );
    await stock.record([figures('P-2', 2)], new Date(now.getTime() + 200));
    await em.flush();
    await stock.sent(seen);
    expect((await jobsOf()).map((j) => [j.state, j.runAt.getTime() - now.getTime()])).toEqual([
      ['queued', 1000],
    ]);
    const left = await stock.due(10);
    expect(left.map((c) => [c.productCode, c.figures.effectiveStock])).toEqual([['P-2', 2]]);
  });
});

describe.each(testDialects())('outbound webhooks migration (%s)', (dialect) => {
  let before: SchemaBefore | undefined;
  afterEach(async () => {
    await before?.close();
    before = undefined;
  });

  it('adds the webhook tables to a database of the previous schema, keeping its rows', async () => {
    before = await schemaBefore(dialect, 'Migration20261203020000');
    const now = before.at('2026-11-01T00:00:00Z');
    await before.insert('tenants', { id: 't-1', name: 'テスト商店', demo: false, created_at: now });
    await before.insert('sync_events', {
      id: 'e-1',
      tenant_id: 't-1',
      subject_type: 'order',
      subject_id: 'o-1',
      kind: 'order.registered',
      outcome: 'success',
      message_code: 'orderRegistered',
      message_params: JSON.stringify({ orderNumber: 'A-1', smaregiOrderId: '1' }),
      at: now,
    });
    expect(await before.columnsOf('webhook_endpoints')).toEqual([]);

    await before.migrateRest();
    expect(await before.select('tenants', ['id'])).toEqual([{ id: 't-1' }]);
    expect(await before.select('sync_events', ['id', 'kind'])).toEqual([
      { id: 'e-1', kind: 'order.registered' },
    ]);
    const em = forkEm(before.db.orm);
    const { endpoint } = tenantRepositories(em, 't-1').webhookEndpoints.register(
      { url: 'https://oms.example.com/', eventTypes: ['order.synced'] },
      vault,
    );
    await em.flush();
    expect(await before.select('webhook_endpoints', ['id', 'state'])).toEqual([
      { id: endpoint.id, state: 'active' },
    ]);

    await before.migrateBack();
    expect(await before.columnsOf('webhook_endpoints')).toEqual([]);
    expect(await before.select('sync_events', ['id'])).toEqual([{ id: 'e-1' }]);
  });
});
