import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallPriority } from '@renkei/domain';
import {
  forkEm,
  Job,
  Operation,
  Order,
  OrderStatus,
  openDatabase,
  Shop,
  Tenant,
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
  startSimulator,
  type RunningSimulator,
} from '@renkei/smaregi-simulator';
import {
  allocationProtocolBreaches,
  createOrder,
  remoteOrdersByCode,
  seedTenant,
  testClient,
  testDeps,
  updateSettings,
  type TenantFixture,
} from './support/fixture.js';
import { metricValue, startWorkerProcess, type WorkerProcess } from './support/processes.js';
import { JOB_QUEUE, ORDER_QUEUE } from '../src/queue/distributed.js';
import { Worker } from '../src/worker.js';

/*
 * Issue 12 item 1: a worker process killed with `kill -9` while it holds active queue jobs must
 * not stall anybody. Two real worker processes (src/main.ts) on PostgreSQL; registrations are
 * slowed down by the simulator until one process has calls in flight, then that process is killed
 * (SIGKILL: no cleanup, its pg-boss jobs stay `active`). The survivor must register every order,
 * the dead one's included, once, within the lease (3 s here) plus a few seconds.
 */
const ORDERS = 8;
const LEASE_MS = 3_000;
const pg = testDialects().includes('postgresql');

describe.skipIf(!pg)('a worker process killed with kill -9 (PostgreSQL, two processes)', () => {
  let sim: RunningSimulator;
  let orm: Orm;
  let db: { url: string; name: string };
  let t: TenantFixture;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    const server = process.env.RENKEI_TEST_PG_URL ?? '';
    db = await createPostgresDatabase(server, 'renkei_kill');
    orm = await openDatabase({ location: { dialect: 'postgresql', url: db.url }, poolMax: 4 });
    sim = await startSimulator({ rateLimits: false, seed: 31 });
    t = await seedTenant(orm, testClient(sim));
    for (let i = 0; i < ORDERS; i++) {
      const p = t.products[i % 20]!;
      await createOrder(orm, t.tenantId, {
        orderNumber: `KILL-${i}`,
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
    if (db) await dropPostgresDatabase(process.env.RENKEI_TEST_PG_URL ?? '', db.name);
  });

  const registered = () =>
    forkEm(orm).count(Order, { tenant: t.tenantId, syncState: 'registered' });
  const activeJobs = async (): Promise<number> => {
    const rows = await forkEm(orm)
      .getConnection()
      .execute<{ n: string }[]>(
        `SELECT count(*) AS n FROM pgboss.job WHERE name = ? AND state = 'active'`,
        [ORDER_QUEUE],
      );
    return Number(rows[0]?.n ?? 0);
  };

  it('the survivor takes over the dead worker’s orders within the lease; every order once', async () => {
    // Slow registrations so that a process is sure to hold calls (and queue jobs) when killed.
    sim.control.setFaults({
      latencyMs: 1_500,
      methods: ['POST'],
      pathIncludes: '/order-shipment/orders',
    });
    const env = {
      DATABASE_URL: db.url,
      RENKEI_DEMO: 'false',
      RENKEI_TOKEN_KEYS: `kill:${randomBytes(32).toString('base64')}`,
      SMAREGI_ID_BASE_URL: sim.idBaseUrl,
      SMAREGI_API_BASE_URL: sim.apiBaseUrl,
      SMAREGI_CLIENT_ID: DEMO_CLIENT_ID,
      SMAREGI_CLIENT_SECRET: DEMO_CLIENT_SECRET,
      SMAREGI_READS_PER_SECOND: '100',
      SMAREGI_WRITES_PER_SECOND: '100',
      SMAREGI_REQUEST_TIMEOUT_MS: '2500',
      WORKER_LEASE_MS: String(LEASE_MS),
      WORKER_ORDER_CONCURRENCY: '4',
      WORKER_PORT: '0',
      WORKER_POLL_MS: '100',
      WORKER_SHUTDOWN_DEADLINE_MS: '5000',
    };
    workers.push(startWorkerProcess(env), startWorkerProcess(env));
    const urls = await Promise.all(workers.map((w) => w.ready));

    // The victim: the first process seen with registrations in flight.
    let victim = -1;
    const seekUntil = Date.now() + 30_000;
    while (victim < 0) {
      expect(Date.now(), workers.map((w) => w.output()).join('\n')).toBeLessThan(seekUntil);
      for (const [i, url] of urls.entries()) {
        const text = await (await fetch(`${url}/metrics`)).text();
        if (metricValue(text, 'renkei_worker_in_flight_operations', '') >= 2) victim = i;
      }
      if (victim < 0) await new Promise((r) => setTimeout(r, 50));
    }
    const dead = workers[victim]!;
    const survivor = workers[1 - victim]!;
    const survivorUrl = urls[1 - victim]!;
    dead.child.kill('SIGKILL');
    const killedAt = Date.now();
    await dead.exited;
    // Its jobs are left active in the queue, as after a real crash.
    expect(await activeJobs()).toBeGreaterThan(0);
    sim.control.clearFaults();

    // The dead worker's orders are resolved once their lease ends; the rest of the backlog is
    // the survivor's own work at its pace. A stall (issue 12: 15 minutes and more) never ends.
    const deadline = killedAt + LEASE_MS + 8_000;
    while ((await registered()) < ORDERS) {
      if (Date.now() > deadline) {
        const left = await forkEm(orm).find(Order, {
          tenant: t.tenantId,
          syncState: { $ne: 'registered' },
        });
        throw new Error(
          `${left.length} orders not registered ${Date.now() - killedAt} ms after the kill ` +
            `(lease ${LEASE_MS} ms): ${left.map((o) => o.orderNumber).join(', ')}\n${survivor.output()}`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const tookMs = Date.now() - killedAt;

    const counts = remoteOrdersByCode(sim);
    const codes = [...counts.keys()].filter((c) => c.startsWith('KILL-'));
    expect(codes).toHaveLength(ORDERS);
    expect([...counts.values()].filter((n) => n > 1)).toEqual([]);
    // Nothing was sent twice blindly: an order the dead worker may have reached was looked up.
    const refused = sim.control
      .journal({ method: 'POST' })
      .filter((e) => e.path.endsWith('/order-shipment/orders') && e.status === 400);
    expect(refused).toHaveLength(0);
    const ops = await forkEm(orm).find(Operation, { tenant: t.tenantId, kind: 'registerOrder' });
    expect(ops.map((o) => o.state).filter((s) => s !== 'succeeded')).toEqual([]);
    // The survivor's queue never failed to fetch (the stall of issue 12 was a silent fetch error).
    const metrics = await (await fetch(`${survivorUrl}/metrics`)).text();
    expect(metricValue(metrics, 'renkei_worker_queue_errors_total', 'operation="fetch"')).toBe(0);
    console.log(`kill -9: every order registered ${tookMs} ms after the kill (lease ${LEASE_MS})`);

    survivor.child.kill('SIGTERM');
    expect(await survivor.exited).toBe(0);
  }, 90_000);
});

/*
 * Issue 10 item 1: every job kind goes through pg-boss on PostgreSQL, not only registrations.
 * Status-change jobs (`order.statusChanged`: an allocation inquiry in Smaregi) enqueued as the API
 * does are worked by either of two real worker processes, each once; then, with allocations slowed
 * down, the process holding jobs is killed with `kill -9` and the survivor runs them once their
 * row lock (two leases) ends — every order allocated once, nothing asked twice blindly.
 */
describe.skipIf(!pg)('jobs on PostgreSQL: two processes, one killed with kill -9', () => {
  const JOBS = 8;
  let sim: RunningSimulator;
  let orm: Orm;
  let db: { url: string; name: string };
  let t: TenantFixture;
  const orderIds: string[] = [];
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    const server = process.env.RENKEI_TEST_PG_URL ?? '';
    db = await createPostgresDatabase(server, 'renkei_jobkill');
    orm = await openDatabase({ location: { dialect: 'postgresql', url: db.url }, poolMax: 4 });
    sim = await startSimulator({ rateLimits: false, seed: 37 });
    t = await seedTenant(orm, testClient(sim), {
      allocationTriggerStatuses: [],
      allocatedStatus: null,
    });
    const em = forkEm(orm);
    const shop = await em.findOneOrFail(Shop, { id: t.shops.included });
    shop.autoAllocation = false;
    shop.autoAllocationOrigin = 'merchant';
    await em.flush();
    for (let i = 0; i < 2 * JOBS; i++) {
      const p = t.products[i % 20]!;
      orderIds.push(
        await createOrder(orm, t.tenantId, {
          orderNumber: `JOB-${i}`,
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
        }),
      );
    }
    // Registered beforehand (no allocation: no trigger status yet), in this process.
    const registrar = new Worker(testDeps(orm, testClient(sim)));
    while ((await forkEm(orm).count(Order, { syncState: 'registered' })) < 2 * JOBS)
      await registrar.loop('orders').tickOnce();
    await updateSettings(orm, t.tenantId, {
      allocationTriggerStatuses: [t.statuses.waitingAllocation],
      allocatedStatus: t.statuses.allocated,
    });
  }, 90_000);
  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
    await orm?.close(true);
    await sim?.close();
    if (db) await dropPostgresDatabase(process.env.RENKEI_TEST_PG_URL ?? '', db.name);
  });

  /** As apps/api does on a status change: the new status and its job in one transaction. */
  const changeStatus = async (ids: readonly string[]): Promise<void> => {
    const em = forkEm(orm);
    for (const orderId of ids) {
      const order = await em.findOneOrFail(Order, { id: orderId });
      order.status = em.getReference(OrderStatus, t.statuses.waitingAllocation);
      em.create(Job, {
        tenant: em.getReference(Tenant, t.tenantId),
        name: 'order.statusChanged',
        payload: { orderId, statusId: t.statuses.waitingAllocation },
        priority: CallPriority.allocation,
      });
    }
    await em.flush();
  };
  const jobsOf = (ids: readonly string[]) =>
    forkEm(orm)
      .find(Job, { name: 'order.statusChanged', payload: { $ne: null } })
      .then((jobs) => jobs.filter((j) => ids.includes(j.payload.orderId as string)));
  const allocatedRemotely = async (ids: readonly string[]): Promise<number> => {
    const orders = await forkEm(orm).find(Order, { id: { $in: [...ids] } });
    return orders.filter(
      (o) => sim.control.order(o.smaregiOrderHeadId ?? '')?.allocationStatus === 'allocated',
    ).length;
  };
  const allocationPosts = (headIds: readonly string[]) =>
    sim.control
      .journal({ method: 'POST' })
      .filter((e) => headIds.some((h) => e.path.endsWith(`/orders/${h}/allocation`)));
  const jobsDone = (text: string) =>
    metricValue(text, 'renkei_worker_jobs_total', 'name="order.statusChanged",outcome="done"');
  const activeQueueJobs = async (): Promise<number> => {
    const rows = await forkEm(orm)
      .getConnection()
      .execute<{ n: string }[]>(
        `SELECT count(*) AS n FROM pgboss.job WHERE name = ? AND state = 'active'`,
        [JOB_QUEUE],
      );
    return Number(rows[0]?.n ?? 0);
  };

  it('runs each job once in either process, and the survivor runs the dead one’s jobs', async () => {
    const env = {
      DATABASE_URL: db.url,
      RENKEI_DEMO: 'false',
      RENKEI_TOKEN_KEYS: `jobkill:${randomBytes(32).toString('base64')}`,
      SMAREGI_ID_BASE_URL: sim.idBaseUrl,
      SMAREGI_API_BASE_URL: sim.apiBaseUrl,
      SMAREGI_CLIENT_ID: DEMO_CLIENT_ID,
      SMAREGI_CLIENT_SECRET: DEMO_CLIENT_SECRET,
      SMAREGI_READS_PER_SECOND: '100',
      SMAREGI_WRITES_PER_SECOND: '100',
      SMAREGI_REQUEST_TIMEOUT_MS: '2500',
      WORKER_LEASE_MS: String(LEASE_MS),
      WORKER_PORT: '0',
      WORKER_POLL_MS: '100',
      WORKER_SHUTDOWN_DEADLINE_MS: '5000',
    };
    workers.push(startWorkerProcess(env), startWorkerProcess(env));
    const urls = await Promise.all(workers.map((w) => w.ready));
    const output = () => workers.map((w) => w.output()).join('\n');

    // 1. Both alive: each job run once, by either process.
    const first = orderIds.slice(0, JOBS);
    await changeStatus(first);
    const firstBy = Date.now() + 20_000;
    while ((await jobsOf(first)).some((j) => j.state !== 'done')) {
      expect(Date.now(), output()).toBeLessThan(firstBy);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await jobsOf(first)).map((j) => j.attempts)).toEqual(first.map(() => 1));
    const done = await Promise.all(
      urls.map(async (url) => jobsDone(await (await fetch(`${url}/metrics`)).text())),
    );
    expect(done[0]! + done[1]!).toBe(JOBS);
    expect(await allocatedRemotely(first)).toBe(JOBS);

    // 2. Allocations slowed down until a process holds jobs with calls in flight; it is killed.
    const second = orderIds.slice(JOBS);
    sim.control.setFaults({ latencyMs: 1_500, methods: ['POST'], pathIncludes: '/allocation' });
    await changeStatus(second);
    let victim = -1;
    const seekUntil = Date.now() + 30_000;
    while (victim < 0) {
      expect(Date.now(), output()).toBeLessThan(seekUntil);
      // The holder of an in-flight allocation is recorded as `host:pid`.
      const holders = (
        await forkEm(orm).find(Operation, { kind: 'allocateOrder', state: 'in_flight' })
      ).map((o) => o.leasedBy ?? '');
      for (const [i, w] of workers.entries()) {
        if (holders.filter((h) => h.endsWith(`:${w.child.pid}`)).length >= 2) victim = i;
      }
      if (victim < 0) await new Promise((r) => setTimeout(r, 50));
    }
    const dead = workers[victim]!;
    const survivor = workers[1 - victim]!;
    const survivorUrl = urls[1 - victim]!;
    dead.child.kill('SIGKILL');
    const killedAt = Date.now();
    await dead.exited;
    expect(await activeQueueJobs()).toBeGreaterThan(0);
    sim.control.clearFaults();

    // The dead one's rows stay `running` until their lock (2 leases) ends; then the survivor.
    const deadline = killedAt + 2 * LEASE_MS + 10_000;
    while ((await jobsOf(second)).some((j) => j.state !== 'done')) {
      if (Date.now() > deadline) {
        const left = (await jobsOf(second)).filter((j) => j.state !== 'done');
        throw new Error(
          `${left.length} jobs not done ${Date.now() - killedAt} ms after the kill: ` +
            `${left.map((j) => `${j.state}/${j.attempts}`).join(', ')}\n${survivor.output()}`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const tookMs = Date.now() - killedAt;
    // Some of them were the dead process's: claimed a second time, by the survivor.
    expect((await jobsOf(second)).filter((j) => j.attempts > 1).length).toBeGreaterThan(0);
    expect(await allocatedRemotely(second)).toBe(JOBS);
    const orders = await forkEm(orm).find(Order, { id: { $in: orderIds } });
    const heads = orders.map((o) => o.smaregiOrderHeadId ?? '');
    expect(heads.flatMap((h) => allocationProtocolBreaches(sim, h))).toEqual([]);
    // Never asked again after an answer: at most one answered allocation per order, exactly one
    // for the orders of step 1 (no kill there). A request cut off by the kill is journalled
    // without its answer although Smaregi applied it, so step 2 may show fewer answers than
    // orders; that each was allocated once is `allocatedRemotely` and the breaches above.
    const answersOf = (ids: readonly string[]) =>
      forkEm(orm)
        .find(Order, { id: { $in: [...ids] } })
        .then((found) =>
          found.map(
            (o) =>
              allocationPosts([o.smaregiOrderHeadId ?? '']).filter((e) => e.status === 200).length,
          ),
        );
    expect(await answersOf(first)).toEqual(first.map(() => 1));
    expect((await answersOf(second)).every((n) => n <= 1)).toBe(true);
    expect(orders.filter((o) => o.status.id !== t.statuses.allocated)).toEqual([]);
    const metrics = await (await fetch(`${survivorUrl}/metrics`)).text();
    expect(metricValue(metrics, 'renkei_worker_queue_errors_total', 'operation="fetch"')).toBe(0);
    console.log(`kill -9: every job done ${tookMs} ms after the kill (lease ${LEASE_MS})`);

    survivor.child.kill('SIGTERM');
    expect(await survivor.exited).toBe(0);
  }, 120_000);
});
