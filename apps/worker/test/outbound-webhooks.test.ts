import { randomBytes } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { hostname } from 'node:os';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  renderMessage,
  webhookAddressRefusal,
  webhookUrlPolicy,
  type OutboundEventType,
  type WebhookUrlPolicy,
} from '@renkei/domain';
import {
  forkEm,
  Job,
  JOB_NAMES,
  ListedProduct,
  Order,
  OutboundEvent,
  syncEventMessage,
  SyncEvent,
  tenantRepositories,
  TokenVault,
  WebhookDelivery,
  WebhookDeliveryAttempt,
  WebhookEndpoint,
  WorkerQueries,
} from '@renkei/persistence';
import { createTestDatabase, testDialects, type TestDatabase } from '@renkei/persistence/testing';
import { DEMO_STORE_IDS, startSimulator, type RunningSimulator } from '@renkei/smaregi-simulator';
import type { Clock, SmaregiClient } from '@renkei/smaregi-client';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import type { WorkerDeps } from '../src/deps.js';
import { OutboundDeliveries, type OutboundSettings } from '../src/outbound/outbound-deliveries.js';
import { RETRY_WINDOW_MS } from '../src/outbound/retry-schedule.js';
import { signedHeaders } from '../src/outbound/webhook-sender.js';
import { activeTenants } from '../src/tenants/active-tenants.js';
import { Worker } from '../src/worker.js';
import {
  createOrder,
  seedTenant,
  testClient,
  testDeps,
  until,
  type TenantFixture,
} from './support/fixture.js';
import { ManualClock, startReceiver, type Receiver } from './support/webhook-receiver.js';

/*
 * Outbound webhooks end to end (docs/webhooks.md): orders registered in the simulator and stock
 * changed there become signed deliveries to a real local HTTP receiver, which verifies them with
 * the `standardwebhooks` package. At least once through a receiver that is down, slow, answers
 * 500 or resets; nothing lost across a restart; the sync never waits for a receiver; stock
 * changes coalesced; private addresses refused in production; the 24-hour window.
 */

vi.setConfig({ testTimeout: 60_000 });

const vault = new TokenVault([{ id: 'k1', key: randomBytes(32) }]);
const development = webhookUrlPolicy({ production: false, allowPrivateUrls: false });

describe.each(testDialects())('outbound webhooks (%s)', (dialect) => {
  let db: TestDatabase;
  let sim: RunningSimulator;
  let client: SmaregiClient;
  let t: TenantFixture;
  let receiver: Receiver;
  let secret = '';
  let seq = 0;
  const workers: Worker[] = [];

  const outboundSettings = (over: Partial<OutboundSettings> = {}): OutboundSettings => ({
    vault,
    urlPolicy: development,
    concurrency: 8,
    endpointConcurrency: 8,
    timeoutMs: 400,
    // Short, but longer than a failed attempt: each tick makes at most one attempt a delivery.
    retryDelaysMs: [300],
    ...over,
  });
  const deps = (over: Partial<OutboundSettings> = {}, clock?: Clock): WorkerDeps => ({
    ...testDeps(db.orm, client),
    ...(clock ? { clock } : {}),
    outbound: outboundSettings(over),
  });
  const newWorker = (d: WorkerDeps) => {
    const worker = new Worker(d, { pollMs: 50, reconcileMs: 3_600_000, tokenUpkeepMs: 3_600_000 });
    workers.push(worker);
    return worker;
  };

  /** Replaces the tenant's endpoints by one at `url` for these types; its secret is kept. */
  const endpoint = async (types: OutboundEventType[], url = receiver.url) => {
    const em = forkEm(db.orm);
    await em.nativeDelete(WebhookEndpoint, { tenant: t.tenantId });
    await em.nativeDelete(Job, {
      tenant: t.tenantId,
      name: { $in: [JOB_NAMES.deliverWebhook, JOB_NAMES.sendStockChanges] },
    });
    const registered = tenantRepositories(em, t.tenantId).webhookEndpoints.register(
      { url, eventTypes: types },
      vault,
    );
    await em.flush();
    secret = registered.secret;
    return registered.endpoint.id;
  };
  const newOrders = async (n: number) => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const p = t.products[i % 10]!;
      ids.push(
        await createOrder(db.orm, t.tenantId, {
          orderNumber: `WH-${dialect}-${++seq}`,
          shopId: t.shops.excluded,
          paymentMethodId: t.payments.card,
          statusId: t.statuses.received,
          lines: [
            { productCode: p.productCode, name: p.productName, unitPrice: 1000, quantity: 1 },
          ],
        }),
      );
    }
    return ids;
  };
  const registeredCount = (ids: string[]) =>
    forkEm(db.orm).count(Order, { id: { $in: ids }, syncState: 'registered' });
  const deliveries = (endpointId: string) =>
    forkEm(db.orm).find(
      WebhookDelivery,
      { endpoint: endpointId },
      { populate: ['event'], orderBy: { createdAt: 'asc' } },
    );
  const attemptsOf = (deliveryId: string) =>
    forkEm(db.orm).find(
      WebhookDeliveryAttempt,
      { delivery: deliveryId },
      { orderBy: { attemptedAt: 'asc' } },
    );
  const verify = (w: { body: string; id: string; timestamp: string; signature: string }) =>
    new Webhook(secret).verify(w.body, {
      'webhook-id': w.id,
      'webhook-timestamp': w.timestamp,
      'webhook-signature': w.signature,
    });

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    sim = await startSimulator({ rateLimits: false, seed: 41 });
    client = testClient(sim);
    t = await seedTenant(db.orm, client, { allocationTriggerStatuses: [], allocatedStatus: null });
    receiver = await startReceiver(() => secret);
  }, 30_000);
  afterEach(async () => {
    // Down first: requests a slow receiver holds end at once, so the workers stop at once.
    await receiver.down().catch(() => undefined);
    for (const w of workers.splice(0)) await w.stop(2_000);
    receiver.mode = 'ok';
    receiver.delayMs = 0;
    await receiver.up();
  });
  afterAll(async () => {
    await receiver?.close();
    await sim?.close();
    await db?.close();
  });

  it('delivers every event, signed, once a receiver that was down, slow, failing or resetting recovers', async () => {
    const endpointId = await endpoint(['order.synced']);
    const worker = newWorker(deps());
    const lane = worker.loop('outbound');
    const orders = await newOrders(4);
    await until(
      async () => (await registeredCount(orders)) === 4,
      () => worker.loop('orders').tickOnce(),
    );
    const pending = await deliveries(endpointId);
    expect(pending.map((d) => [d.event.type, d.state])).toEqual(
      Array.from({ length: 4 }, () => ['order.synced', 'pending']),
    );

    // Down, then slow (no answer within the timeout), then 500, then a reset connection: each
    // round makes one more attempt of every delivery, and none is lost.
    await receiver.down();
    const attempted = async (n: number) =>
      (await forkEm(db.orm).count(WebhookDeliveryAttempt, {
        delivery: { $in: pending.map((d) => d.id) },
      })) >= n;
    await until(
      () => attempted(4),
      () => lane.tickOnce(),
    );
    await receiver.up();
    receiver.mode = 'slow';
    await until(
      () => attempted(8),
      () => lane.tickOnce(),
    );
    receiver.mode = 'error500';
    await until(
      () => attempted(12),
      () => lane.tickOnce(),
    );
    receiver.mode = 'reset';
    await until(
      () => attempted(16),
      () => lane.tickOnce(),
    );
    expect(receiver.delivered).toEqual([]);
    receiver.mode = 'ok';
    await until(
      async () => (await deliveries(endpointId)).every((d) => d.state === 'delivered'),
      () => lane.tickOnce(),
    );

    // Every event arrived, exactly under its event's ID, with a valid signature.
    const events = (await deliveries(endpointId)).map((d) => d.event);
    expect(new Set(receiver.delivered.map((w) => w.id))).toEqual(new Set(events.map((e) => e.id)));
    for (const w of receiver.delivered) {
      expect(() => verify(w)).not.toThrow();
      expect(w.payload.type).toBe('order.synced');
      expect(w.headers['content-type']).toBe('application/json');
    }
    const bodies = receiver.delivered.map((w) => w.payload.data.orderId).sort();
    expect(bodies).toEqual([...orders].sort());
    // Retries carried the same webhook-id: the receiver saw each ID on every attempt.
    for (const e of events)
      expect(receiver.requests.filter((id) => id === e.id).length).toBeGreaterThanOrEqual(3);

    // The delivery log of one of them: each failure as it happened, then the success.
    const [first] = await deliveries(endpointId);
    const log = await attemptsOf(first!.id);
    const errors = log.map((a) => a.error ?? `${a.status}`);
    expect(errors[0]).toBe('ECONNREFUSED');
    expect(errors).toContain('timeout after 400 ms');
    expect(errors).toContain('HTTP 500');
    expect(log.find((a) => a.status === 500)?.responseSnippet).toBe('receiver broke: try later');
    expect(errors.some((e) => e === 'ECONNRESET' || e === 'socket hang up')).toBe(true);
    expect(log.at(-1)).toMatchObject({ status: 200, error: null, responseSnippet: 'ok' });
    expect(first).toMatchObject({ state: 'delivered', lastStatus: 200 });
    expect(first!.attempts).toBe(log.length);
    const row = await forkEm(db.orm).findOneOrFail(WebhookEndpoint, { id: endpointId });
    expect(row.state).toBe('active');
    expect(row.lastDeliveredAt).not.toBeNull();
  });

  it('a tampered body and an old timestamp fail verification', async () => {
    const endpointId = await endpoint(['order.synced']);
    const worker = newWorker(deps());
    const orders = await newOrders(1);
    await until(
      async () => (await registeredCount(orders)) === 1,
      () => worker.loop('orders').tickOnce(),
    );
    const before = receiver.delivered.length;
    await until(
      () => receiver.delivered.length > before,
      () => worker.loop('outbound').tickOnce(),
    );
    const w = receiver.delivered.at(-1)!;
    expect((await deliveries(endpointId))[0]!.event.id).toBe(w.id);
    expect(() => verify(w)).not.toThrow();
    const tampered = w.body.replace(w.payload.data.orderNumber as string, 'WH-OTHER');
    expect(() => verify({ ...w, body: tampered })).toThrow(WebhookVerificationError);
    expect(() => verify({ ...w, id: 'evt_another' })).toThrow(WebhookVerificationError);
    // A replay: the same message signed (correctly) ten minutes ago.
    const old = signedHeaders({
      id: w.id,
      body: w.body,
      secret,
      at: new Date(Date.now() - 600_000),
    });
    expect(() =>
      verify({
        ...w,
        timestamp: old['webhook-timestamp']!,
        signature: old['webhook-signature']!,
      }),
    ).toThrow(/too old/);
    // Another endpoint's secret does not verify it.
    expect(() =>
      new Webhook(`whsec_${randomBytes(32).toString('base64')}`).verify(w.body, {
        'webhook-id': w.id,
        'webhook-timestamp': w.timestamp,
        'webhook-signature': w.signature,
      }),
    ).toThrow(WebhookVerificationError);
  });

  it('loses nothing when the worker restarts mid-retry, nor a delivery a dead process held', async () => {
    const endpointId = await endpoint(['order.synced']);
    const first = newWorker(deps());
    const orders = await newOrders(3);
    await until(
      async () => (await registeredCount(orders)) === 3,
      () => first.loop('orders').tickOnce(),
    );
    await receiver.down();
    const ids = (await deliveries(endpointId)).map((d) => d.id);
    await until(
      async () =>
        (await forkEm(db.orm).count(WebhookDeliveryAttempt, { delivery: { $in: ids } })) >= 2,
      () => first.loop('outbound').tickOnce(),
    );
    // A process that died holding one delivery's job (claimed, never finished).
    const [held] = await new WorkerQueries(forkEm(db.orm)).claimJobs(
      'worker-killed',
      new Date(Date.now() + 1_000),
      1,
      1,
      [JOB_NAMES.deliverWebhook],
    );
    expect(held).toBeDefined();
    await first.stop(2_000);

    await receiver.up();
    const second = newWorker(deps());
    const before = receiver.delivered.length;
    await until(
      async () => (await deliveries(endpointId)).every((d) => d.state === 'delivered'),
      () => second.loop('outbound').tickOnce(),
    );
    const events = (await deliveries(endpointId)).map((d) => d.event.id);
    const arrived = receiver.delivered.slice(before).map((w) => w.id);
    expect(new Set(arrived)).toEqual(new Set(events));
    expect(arrived).toHaveLength(3);
  });

  it('never slows the sync: orders register while a hanging receiver holds every delivery slot', async () => {
    const endpointId = await endpoint(['order.synced']);
    receiver.mode = 'slow';
    const worker = newWorker(deps({ concurrency: 4, endpointConcurrency: 4, timeoutMs: 8_000 }));
    // A backlog of events whose deliveries hang.
    const backlog = await newOrders(6);
    await until(
      async () => (await registeredCount(backlog)) === 6,
      () => worker.loop('orders').tickOnce(),
    );
    await worker.start();
    await until(
      () => receiver.open() === 4,
      () => new Promise((r) => setTimeout(r, 20)),
    );
    const started = Date.now();
    const orders = await newOrders(8);
    await until(
      async () => (await registeredCount(orders)) === 8,
      () => new Promise((r) => setTimeout(r, 20)),
      7_000,
    );
    const elapsed = Date.now() - started;
    // Registered while every slot still hung (no attempt had timed out yet).
    expect(receiver.open()).toBe(4);
    expect(elapsed).toBeLessThan(6_000);
    expect(
      await forkEm(db.orm).count(WebhookDeliveryAttempt, {
        delivery: { endpoint: endpointId },
      }),
    ).toBe(0);
  }, 20_000);

  it('coalesces stock changes: one entry per product with its latest figures, at most an event per second', async () => {
    const endpointId = await endpoint(['stock.changed']);
    const worker = newWorker(deps());
    const me = (await activeTenants(forkEm(db.orm))).find((a) => a.tenantId === t.tenantId)!;
    const [a, b] = [t.products[0]!.productId, t.products[1]!.productId];
    const setStock = (productId: string, stockAmount: number) =>
      sim.control.adjustStock({ storeId: DEMO_STORE_IDS.warehouse, productId, stockAmount });
    const signal = new AbortController().signal;
    const refresh = (ids: string[]) => worker.stock.refreshProducts(me, ids, signal);
    setStock(a, 10);
    await refresh([a]);
    setStock(a, 11);
    await refresh([a]);
    setStock(a, 12);
    setStock(b, 7);
    await refresh([a, b]);
    const before = receiver.delivered.length;
    await until(
      () => receiver.delivered.length > before,
      () => worker.loop('outbound').tickOnce(),
    );
    const [firstEvent] = receiver.delivered.slice(before);
    const products = (w: typeof firstEvent) =>
      (w!.payload.data.products as { smaregiProductId: string; stockAmount: number }[]).map((p) => [
        p.smaregiProductId,
        p.stockAmount,
      ]);
    expect(firstEvent!.payload.type).toBe('stock.changed');
    expect(products(firstEvent).sort()).toEqual([
      [a, 12],
      [b, 7],
    ]);
    expect(() => verify(firstEvent!)).not.toThrow();

    // Changed again right after: held until a second after the last event, then sent alone.
    setStock(a, 13);
    await refresh([a]);
    const sentAt = Date.now();
    await until(
      () => receiver.delivered.length > before + 1,
      () => worker.loop('outbound').tickOnce(),
    );
    const second = receiver.delivered.at(-1)!;
    expect(products(second)).toEqual([[a, 13]]);
    expect(second.at - firstEvent!.at).toBeGreaterThanOrEqual(900);
    expect(Date.now() - sentAt).toBeLessThan(2_500);
    // Each event its own ID; the figures as stored.
    expect(second.id).not.toBe(firstEvent!.id);
    const listed = await forkEm(db.orm).findOneOrFail(ListedProduct, {
      tenant: t.tenantId,
      smaregiProductId: a,
    });
    expect(second.payload.data.products).toEqual([
      expect.objectContaining({
        productCode: listed.productCode,
        effectiveStock: listed.effectiveStock,
        stockAmount: 13,
      }),
    ]);
    expect((await deliveries(endpointId)).map((d) => d.state)).toEqual(['delivered', 'delivered']);
    expect(
      await tenantRepositories(forkEm(db.orm), t.tenantId).outboundStockChanges.pending(),
    ).toBe(0);
  });

  it('refuses a private address at delivery in production: nothing is sent there', async () => {
    const production: WebhookUrlPolicy = webhookUrlPolicy({
      production: true,
      allowPrivateUrls: false,
    });
    // This machine's own name: a public-looking URL whose name resolves to a private or loopback
    // address (as DNS rebinding would make it), refused once resolved, before connecting.
    const name = hostname();
    const [resolved] = await lookup(name, { all: true });
    const reason = webhookAddressRefusal(resolved!.address, production);
    expect(reason).not.toBeNull();
    const endpointId = await endpoint(['order.synced'], `https://${name}:${receiver.port}/hooks`);
    const worker = newWorker(deps({ urlPolicy: production }));
    const orders = await newOrders(1);
    await until(
      async () => (await registeredCount(orders)) === 1,
      () => worker.loop('orders').tickOnce(),
    );
    const requests = receiver.requests.length;
    const [delivery] = await deliveries(endpointId);
    await until(
      async () => (await attemptsOf(delivery!.id)).length > 0,
      () => worker.loop('outbound').tickOnce(),
    );
    const [attempt] = await attemptsOf(delivery!.id);
    expect(attempt).toMatchObject({
      status: null,
      error: `URL refused: ${reason} (${resolved!.address})`,
    });
    // A literal private address or plain http is refused without any lookup.
    await endpoint(['order.synced'], receiver.url);
    const more = await newOrders(1);
    await until(
      async () => (await registeredCount(more)) === 1,
      () => worker.loop('orders').tickOnce(),
    );
    const [second] = await deliveries(
      (await forkEm(db.orm).findOneOrFail(WebhookEndpoint, { tenant: t.tenantId })).id,
    );
    await until(
      async () => (await attemptsOf(second!.id)).length > 0,
      () => worker.loop('outbound').tickOnce(),
    );
    expect((await attemptsOf(second!.id))[0]!.error).toBe('URL refused: httpsRequired (127.0.0.1)');
    expect(receiver.requests.length).toBe(requests);
  });

  it('marks the endpoint failing after 24 hours of failures, tells the merchant, and recovers on success', async () => {
    const endpointId = await endpoint(['order.synced']);
    receiver.mode = 'error500';
    const clock = new ManualClock();
    const lane = new OutboundDeliveries(
      { ...testDeps(db.orm, client), clock },
      { ...outboundSettings(), retryDelaysMs: undefined },
      'worker-clock',
    );
    const worker = newWorker(deps());
    const orders = await newOrders(1);
    await until(
      async () => (await registeredCount(orders)) === 1,
      () => worker.loop('orders').tickOnce(),
    );
    const [delivery] = await deliveries(endpointId);
    const firstAt = clock.now();
    const tick = () => lane.tick({ signal: new AbortController().signal, em: forkEm(db.orm) });
    for (let i = 0; i < 40; i++) {
      await tick();
      const row = await forkEm(db.orm).findOneOrFail(WebhookDelivery, { id: delivery!.id });
      if (row.state !== 'pending') break;
      clock.advanceTo(row.nextAttemptAt!.getTime());
    }
    const failed = await forkEm(db.orm).findOneOrFail(WebhookDelivery, { id: delivery!.id });
    const log = await attemptsOf(delivery!.id);
    expect(failed.state).toBe('failed');
    // Exponential backoff over the whole window: about 14 attempts, the last at its end.
    expect(log.length).toBeGreaterThanOrEqual(12);
    expect(log.length).toBeLessThanOrEqual(16);
    const last = log.at(-1)!.attemptedAt.getTime();
    expect(last - firstAt).toBeGreaterThanOrEqual(RETRY_WINDOW_MS - 1_000);
    expect(last - firstAt).toBeLessThan(RETRY_WINDOW_MS + 60_000);
    const gaps = log
      .slice(1)
      .map((a, i) => a.attemptedAt.getTime() - log[i]!.attemptedAt.getTime());
    expect(gaps[0]).toBeLessThan(10_000);
    expect(gaps[1]).toBeGreaterThan(gaps[0]!);
    expect(log.every((a) => a.status === 500)).toBe(true);

    const marked = await forkEm(db.orm).findOneOrFail(WebhookEndpoint, { id: endpointId });
    expect(marked.state).toBe('failing');
    expect(marked.failingSince!.getTime()).toBeGreaterThanOrEqual(last);
    expect(marked.failingSince!.getTime()).toBeLessThan(last + 5_000);
    const told = await forkEm(db.orm).find(SyncEvent, {
      tenant: t.tenantId,
      kind: 'webhookEndpoint.failing',
      subjectId: endpointId,
    });
    expect(told).toHaveLength(1);
    expect(told[0]!.outcome).toBe('failure');
    expect(renderMessage(syncEventMessage(told[0]!), 'ja')).toContain(receiver.url);
    expect(renderMessage(syncEventMessage(told[0]!), 'ja')).toContain('24 時間');
    expect(renderMessage(syncEventMessage(told[0]!), 'en')).toContain('HTTP 500');

    // A failing endpoint still gets new events; the first success makes it active again.
    receiver.mode = 'ok';
    const later = await newOrders(1);
    await until(
      async () => (await registeredCount(later)) === 1,
      () => worker.loop('orders').tickOnce(),
    );
    // (Delivered by the worker's own lane, on the real clock the receiver verifies against.)
    await until(
      async () =>
        (await forkEm(db.orm).findOneOrFail(WebhookEndpoint, { id: endpointId })).state ===
        'active',
      () => worker.loop('outbound').tickOnce(),
    );
    const recovered = await forkEm(db.orm).find(SyncEvent, {
      tenant: t.tenantId,
      kind: 'webhookEndpoint.recovered',
      subjectId: endpointId,
    });
    expect(recovered).toHaveLength(1);
    expect(
      (await forkEm(db.orm).findOneOrFail(WebhookEndpoint, { id: endpointId })).failingSince,
    ).toBeNull();

    // The failed delivery is sent again on request, under the same ID.
    const em = forkEm(db.orm);
    await tenantRepositories(em, t.tenantId).webhookDeliveries.redeliver(delivery!.id, new Date());
    await em.flush();
    await until(
      async () =>
        (await forkEm(db.orm).findOneOrFail(WebhookDelivery, { id: delivery!.id })).state ===
        'delivered',
      () => worker.loop('outbound').tickOnce(),
    );
    const event = await forkEm(db.orm).findOneOrFail(OutboundEvent, { id: failed.event.id });
    expect(receiver.delivered.at(-1)?.id).toBe(event.id);
    lane.close();
  });
});
