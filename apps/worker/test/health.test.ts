import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { openDatabase, type Orm } from '@renkei/persistence';
import {
  createPostgresDatabase,
  createTestDatabase,
  dropPostgresDatabase,
  testDialects,
  type TestDatabase,
} from '@renkei/persistence/testing';
import { createFakeClock, type FakeClock } from '@renkei/smaregi-client/testing';
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  startSimulator,
  type RunningSimulator,
} from '@renkei/smaregi-simulator';
import { startHealthServer } from '../src/http/health-server.js';
import { DEFAULT_INTERVALS, Worker, type WorkerHealth } from '../src/worker.js';
import { seedTenant, testClient, testDeps } from './support/fixture.js';
import { startWorkerProcess } from './support/processes.js';

/*
 * Issue 12 item 2: /healthz (alive: the process and its loops are not stuck) and /readyz (able
 * to work: database, queue) tell the truth. A worker with reconciliation and token upkeep every
 * 10 minutes (their production interval) runs on a fake clock for 30 minutes, three times its
 * longest interval, and stays healthy (the old rule, stale after 60 s, failed at once); a loop whose tick never ends makes it
 * unhealthy, on that loop's own scale. A database that refuses connections makes a real worker
 * process not ready while it stays alive, and ready again once the database is back.
 */
describe('worker liveness (/healthz) on a fake clock, 10-minute loops', () => {
  let db: TestDatabase;
  let sim: RunningSimulator;

  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    sim = await startSimulator({ rateLimits: false, seed: 41 });
    await seedTenant(db.orm, testClient(sim));
  }, 30_000);
  afterAll(async () => {
    await db?.close();
    await sim?.close();
  });

  /** Real-time wait until `n` loops sleep on the fake clock again (their ticks have ended). */
  const asleep = async (clock: FakeClock, n: number): Promise<void> => {
    const until = Date.now() + 15_000;
    while (clock.pendingSleeps() < n) {
      if (Date.now() > until) throw new Error(`only ${clock.pendingSleeps()} of ${n} loops asleep`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };

  it('stays healthy for three times its longest interval; a loop that stops ticking makes it 503', async () => {
    const clock = createFakeClock({ start: Date.now() });
    const deps = { ...testDeps(db.orm, testClient(sim)), clock };
    // Reconciliation and token upkeep at their production interval (10 minutes); the polling
    // loops every 30 s instead of 250 ms, so that an hour of fake time is a few hundred ticks.
    const worker = new Worker(deps, { ...DEFAULT_INTERVALS, pollMs: 30_000 });
    const server = await startHealthServer({
      host: '127.0.0.1',
      port: 0,
      worker,
      metrics: deps.metrics,
      now: () => clock.now(),
    });
    const healthz = async () => {
      const res = await fetch(`${server.url}/healthz`);
      return { status: res.status, body: (await res.json()) as WorkerHealth };
    };
    try {
      await worker.start();
      const loops = worker.loops.length;
      await asleep(clock, loops);
      const longest = Math.max(...worker.loops.map((l) => l.intervalMs));
      expect(longest).toBe(600_000);
      // 90-second steps: the old rule (stale after max(60 s, 3 polls) = 90 s) failed at the second.
      for (let elapsed = 0; elapsed < 3 * longest; elapsed += 90_000) {
        await clock.advance(90_000);
        await asleep(clock, loops);
        const { status, body } = await healthz();
        expect(status, JSON.stringify(body.loops.filter((l) => l.stuck))).toBe(200);
      }
      expect(worker.loop('reconcile').lastTickAt).toBeGreaterThan(clock.now() - longest - 90_000);

      // Token upkeep's tick now never ends (until the worker aborts it at shutdown).
      worker.tokens.tick = ({ signal }) =>
        new Promise<boolean>((_, reject) =>
          signal.addEventListener('abort', () => reject(signal.reason as Error)),
        );
      const hungAt = clock.now();
      const staleAfter = worker.loop('tokens').staleAfterMs;
      expect(staleAfter).toBe(3 * 600_000 + 600_000);
      let unhealthyAt: number | undefined;
      while (unhealthyAt === undefined) {
        await clock.advance(300_000);
        await asleep(clock, loops - (worker.loop('tokens').tickStartedAt === undefined ? 0 : 1));
        const { status, body } = await healthz();
        if (status === 503) {
          unhealthyAt = clock.now();
          expect(body.loops.filter((l) => l.stuck).map((l) => l.name)).toEqual(['tokens']);
        }
        expect(clock.now() - hungAt).toBeLessThan(600_000 + staleAfter + 600_000);
      }
      // Not before its own limit: a hung tick of a 10-minute loop is not judged by 250 ms loops.
      const tickStarted = worker.loop('tokens').tickStartedAt ?? 0;
      expect(unhealthyAt - tickStarted).toBeGreaterThan(staleAfter);
      expect(unhealthyAt - tickStarted).toBeLessThanOrEqual(staleAfter + 300_000);
      // Readiness is another matter: the database answers, so the worker is still ready.
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    } finally {
      await worker.stop(200);
      await server.close();
    }
  }, 60_000);
});

const pgOn = testDialects().includes('postgresql');

describe.skipIf(!pgOn)('worker readiness (/readyz) of a process on PostgreSQL', () => {
  let sim: RunningSimulator;
  let orm: Orm;
  let db: { url: string; name: string };
  const server = process.env.RENKEI_TEST_PG_URL ?? '';

  beforeAll(async () => {
    db = await createPostgresDatabase(server, 'renkei_ready');
    orm = await openDatabase({ location: { dialect: 'postgresql', url: db.url }, poolMax: 2 });
    sim = await startSimulator({ rateLimits: false, seed: 42 });
    await seedTenant(orm, testClient(sim));
    await orm.close(true);
  }, 60_000);
  afterAll(async () => {
    await sim?.close();
    if (db) await dropPostgresDatabase(server, db.name);
  });

  /** Makes the worker's database refuse connections and cuts the open ones (or lets them in). */
  const setDatabaseUp = async (up: boolean): Promise<void> => {
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    try {
      await admin.query(
        `ALTER DATABASE "${db.name}" WITH ALLOW_CONNECTIONS ${up ? 'true' : 'false'}`,
      );
      if (!up)
        await admin.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
          [db.name],
        );
    } finally {
      await admin.end();
    }
  };

  it('database down: /readyz 503 naming the database, /healthz still 200; back up: ready again', async () => {
    const worker = startWorkerProcess({
      DATABASE_URL: db.url,
      RENKEI_DEMO: 'false',
      RENKEI_TOKEN_KEYS: `ready:${randomBytes(32).toString('base64')}`,
      SMAREGI_ID_BASE_URL: sim.idBaseUrl,
      SMAREGI_API_BASE_URL: sim.apiBaseUrl,
      SMAREGI_CLIENT_ID: DEMO_CLIENT_ID,
      SMAREGI_CLIENT_SECRET: DEMO_CLIENT_SECRET,
      WORKER_PORT: '0',
      WORKER_POLL_MS: '100',
      WORKER_SHUTDOWN_DEADLINE_MS: '3000',
    });
    const get = async (url: string) => {
      const res = await fetch(url);
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const waitFor = async (what: string, check: () => Promise<boolean>, ms: number) => {
      const until = Date.now() + ms;
      while (!(await check())) {
        if (Date.now() > until) throw new Error(`${what} within ${ms} ms\n${worker.output()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    try {
      const url = await worker.ready;
      await waitFor('ready', async () => (await get(`${url}/readyz`)).status === 200, 10_000);
      expect((await get(`${url}/healthz`)).status).toBe(200);

      await setDatabaseUp(false);
      await waitFor('not ready', async () => (await get(`${url}/readyz`)).status === 503, 10_000);
      const down = await get(`${url}/readyz`);
      expect(down.body).toMatchObject({ ok: false, checks: { database: { ok: false } } });
      // Alive all the while: restarting the worker would not bring the database back.
      for (let i = 0; i < 20; i++) {
        expect((await get(`${url}/healthz`)).status).toBe(200);
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(worker.child.exitCode).toBeNull();

      await setDatabaseUp(true);
      await waitFor('ready again', async () => (await get(`${url}/readyz`)).status === 200, 30_000);
      expect((await get(`${url}/healthz`)).status).toBe(200);
      worker.child.kill('SIGTERM');
      expect(await worker.exited).toBe(0);
    } finally {
      await setDatabaseUp(true);
      if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
    }
  }, 90_000);
});
