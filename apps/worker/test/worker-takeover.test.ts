import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forkEm, Operation, Order, openDatabase, type Orm } from '@renkei/persistence';
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
  createOrder,
  remoteOrdersByCode,
  seedTenant,
  testClient,
  type TenantFixture,
} from './support/fixture.js';
import { metricValue, startWorkerProcess, type WorkerProcess } from './support/processes.js';
import { ORDER_QUEUE } from '../src/queue/distributed.js';

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
