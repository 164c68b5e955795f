import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  forkEm,
  Operation,
  Order,
  openDatabase,
  Tenant,
  WebhookEvent,
  type Orm,
} from '@renkei/persistence';
import {
  createPostgresDatabase,
  dropPostgresDatabase,
  testDialects,
} from '@renkei/persistence/testing';
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_CONTRACT_ID,
  startSimulator,
  type RunningSimulator,
} from '@renkei/smaregi-simulator';
import {
  createOrder,
  remoteOrdersByCode,
  seedTenant,
  testClient,
  type TenantFixture,
} from './support/fixture.js';
import {
  logLines,
  metricValue,
  startWorkerProcess,
  type WorkerProcess,
} from './support/processes.js';

/*
 * Issue 12 item 3: after SIGTERM no new work begins; only work in flight finishes (or is handed
 * back). A worker process (src/main.ts) registers a backlog against a simulator that answers
 * every registration after 2 s; SIGTERM arrives while registrations are in flight. The simulator's
 * journal must show no registration arriving after the moment the worker logged the stop, the
 * ones in flight at that moment must complete, nothing may be left in flight, and a second run
 * registers the rest — every order exactly once. Both modes: SQLite (one process, in-process
 * pool) and PostgreSQL (pg-boss queue).
 */
const ORDERS = 40;
const WEBHOOKS = 20;
/** Time for a request sent just before the stop to reach the simulator. */
const DELIVERY_SLACK_MS = 200;

describe.each(testDialects())('SIGTERM stops new work at once (%s)', (dialect) => {
  let sim: RunningSimulator;
  let orm: Orm;
  let dir: string;
  let pgDb: { url: string; name: string } | undefined;
  let t: TenantFixture;
  let env: Record<string, string>;
  const codes: string[] = [];
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'renkei-stop-'));
    sim = await startSimulator({ rateLimits: false, seed: 51 });
    const common = {
      SMAREGI_ID_BASE_URL: sim.idBaseUrl,
      SMAREGI_API_BASE_URL: sim.apiBaseUrl,
      SMAREGI_READS_PER_SECOND: '100',
      SMAREGI_WRITES_PER_SECOND: '100',
      WORKER_PORT: '0',
      WORKER_POLL_MS: '100',
      WORKER_ORDER_CONCURRENCY: '8',
      WORKER_SHUTDOWN_DEADLINE_MS: '10000',
    };
    if (dialect === 'sqlite') {
      orm = await openDatabase({
        location: { dialect: 'sqlite', path: join(dir, 'renkei.sqlite') },
      });
      env = { ...common, RENKEI_DATA_DIR: dir };
    } else {
      const server = process.env.RENKEI_TEST_PG_URL ?? '';
      pgDb = await createPostgresDatabase(server, 'renkei_stop');
      orm = await openDatabase({ location: { dialect: 'postgresql', url: pgDb.url }, poolMax: 4 });
      env = {
        ...common,
        DATABASE_URL: pgDb.url,
        RENKEI_DEMO: 'false',
        RENKEI_TOKEN_KEYS: `stop:${randomBytes(32).toString('base64')}`,
        SMAREGI_CLIENT_ID: DEMO_CLIENT_ID,
        SMAREGI_CLIENT_SECRET: DEMO_CLIENT_SECRET,
      };
    }
    t = await seedTenant(orm, testClient(sim));
    // A backlog of webhook deliveries (orders Renkei does not know: each is one read, then done).
    const em = forkEm(orm);
    for (let i = 0; i < WEBHOOKS; i++) {
      em.create(WebhookEvent, {
        tenant: em.getReference(Tenant, t.tenantId),
        eventId: `stop-${i}`,
        event: 'order-shipment:orders',
        action: 'shipped',
        contractId: DEMO_CONTRACT_ID,
        body: {
          contractId: DEMO_CONTRACT_ID,
          event: 'order-shipment:orders',
          action: 'shipped',
          storeId: '1',
          orderHeadIds: [String(900_000 + i)],
        },
      });
    }
    await em.flush();
    for (let i = 0; i < ORDERS; i++) {
      const p = t.products[i % 20]!;
      const code = `STOP-${i}`;
      codes.push(code);
      await createOrder(orm, t.tenantId, {
        orderNumber: code,
        shopId: t.shops.included,
        paymentMethodId: t.payments.card,
        statusId: t.statuses.received,
        lines: [
          {
            productCode: p.productCode,
            name: p.productName,
            unitPrice: Number(p.price),
            quantity: 1,
          },
        ],
      });
    }
  }, 60_000);
  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
    await orm?.close(true);
    await sim?.close();
    if (pgDb) await dropPostgresDatabase(process.env.RENKEI_TEST_PG_URL ?? '', pgDb.name);
    rmSync(dir, { recursive: true, force: true });
  });

  const registered = () =>
    forkEm(orm).count(Order, { tenant: t.tenantId, syncState: 'registered' });
  const isRegistration = (e: { method: string; path: string }) =>
    e.method === 'POST' && e.path.endsWith('/order-shipment/orders');
  /** A webhook event's re-read of its order (GET /order-shipment/orders/{id}). */
  const isWebhookRead = (e: { method: string; path: string }) =>
    e.method === 'GET' && /\/order-shipment\/orders\/9\d+$/.test(e.path);

  it('no registration begins after the stop; in-flight ones finish; the rest waits, once', async () => {
    // Every 受注管理 call takes 2 s: registrations come in waves of 8, and the webhook loop
    // re-reads its backlog one event at a time (2 s each) — a tick far longer than the stop
    // takes, during which nothing else may go on taking orders.
    sim.control.setFaults({
      latencyMs: 2_000,
      methods: ['GET', 'POST'],
      pathIncludes: '/order-shipment/',
    });
    sim.control.clearJournal();
    const worker = startWorkerProcess(env);
    workers.push(worker);
    const url = await worker.ready;
    const until = Date.now() + 30_000;
    // Stop in the middle: the first wave registered, the next one in flight.
    const inFlight = async () =>
      metricValue(
        await (await fetch(`${url}/metrics`)).text(),
        'renkei_worker_in_flight_operations',
        '',
      );
    while ((await registered()) < 8 || (await inFlight()) < 3) {
      expect(Date.now(), worker.output()).toBeLessThan(until);
      await new Promise((r) => setTimeout(r, 20));
    }
    // Claimed calls wait for their token and rate budget before they leave (on PostgreSQL a few
    // hundred ms): give them time to be on the wire.
    await new Promise((r) => setTimeout(r, 1_000));
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    const stopLine = logLines(worker.output()).find(
      (l) => l.msg === 'stopping: finishing in-flight work',
    );
    expect(stopLine, worker.output()).toBeDefined();
    const stopAt = stopLine!.time;
    expect(worker.output()).toMatch(/stopped cleanly/);

    const posts = sim.control.journal({ host: 'api' }).filter(isRegistration);
    const after = posts.filter((e) => e.timeMs > stopAt + DELIVERY_SLACK_MS);
    const inFlightAtStop = posts.filter(
      (e) => e.timeMs <= stopAt && e.timeMs + e.durationMs >= stopAt,
    );
    console.log(
      `${dialect}: ${posts.length} registrations sent, ${inFlightAtStop.length} in flight at the stop, ${after.length} begun after it`,
    );
    expect(after.map((e) => `${e.timeMs - stopAt} ms after the stop`)).toEqual([]);
    // Nor does any other new work: no webhook event was taken up after the stop.
    const reads = sim.control.journal({ host: 'api' }).filter(isWebhookRead);
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.filter((e) => e.timeMs > stopAt + DELIVERY_SLACK_MS)).toEqual([]);
    // The test really stopped the worker in the middle of work, and that work was finished.
    expect(inFlightAtStop.length).toBeGreaterThan(0);
    expect(inFlightAtStop.every((e) => e.status === 200 && e.applied)).toBe(true);
    expect(posts.length).toBeLessThan(ORDERS);

    // Nothing left in flight: every order is registered (once) or back to pending.
    const ops = await forkEm(orm).find(Operation, { tenant: t.tenantId, kind: 'registerOrder' });
    expect(ops.filter((o) => o.state === 'in_flight')).toEqual([]);
    const orders = await forkEm(orm).find(Order, { tenant: t.tenantId });
    const states = new Set(orders.map((o) => o.syncState));
    expect([...states].filter((s) => s !== 'registered' && s !== 'pending')).toEqual([]);
    const remote = remoteOrdersByCode(sim);
    expect([...remote.values()].filter((n) => n > 1)).toEqual([]);
    const registeredCodes = orders
      .filter((o) => o.syncState === 'registered')
      .map((o) => o.orderNumber);
    expect(registeredCodes.sort()).toEqual([...remote.keys()].sort());

    // The next run takes up what was left: every order in Smaregi exactly once.
    sim.control.clearFaults();
    const next = startWorkerProcess(env);
    workers.push(next);
    await next.ready;
    const done = Date.now() + 30_000;
    while ((await registered()) < ORDERS) {
      expect(Date.now(), next.output()).toBeLessThan(done);
      await new Promise((r) => setTimeout(r, 100));
    }
    next.child.kill('SIGTERM');
    expect(await next.exited).toBe(0);
    const counts = remoteOrdersByCode(sim);
    expect(codes.filter((c) => counts.get(c) !== 1)).toEqual([]);
    const refused = sim.control
      .journal({ host: 'api' })
      .filter((e) => isRegistration(e) && e.status !== 200);
    expect(refused).toHaveLength(0);
  }, 120_000);
});
