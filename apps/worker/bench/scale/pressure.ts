import { fork } from 'node:child_process';
import { SMAREGI_RATE_LIMIT_DEFAULTS } from '@renkei/config';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ApiKey,
  forkEm,
  IntegrationSettings,
  openDatabase,
  Tenant,
  type Orm,
} from '@renkei/persistence';
import { startSimulator, type RunningSimulator } from '@renkei/smaregi-simulator';
import {
  deploymentEnv,
  freshDatabase,
  startMeasured,
  statsAfter,
  stopAll,
  type MeasuredProcess,
} from './cluster.js';
import type { LoadResult, LoadRun } from './intake-load.js';
import { callKind } from './journal.js';
import type { LiveHeap } from './live-heap-entry.js';
import type { ProcessStats } from './process-stats.js';
import { createOrdersBulk, seedScaleTenant } from './seed.js';

/*
 * The back-pressure part of the scale bench: one merchant with a large backlog of pending orders
 * (100,000 at the full size) on PostgreSQL, real worker processes working it off, and the real
 * API process taking new orders from the OMS at a steady rate at the same time. Measured: each
 * worker's memory over the run (it must not grow with the backlog), the intake's latency, the
 * API's CPU and PostgreSQL round trips per intake order, and how fast the workers register.
 *
 * The contract has Smaregi's production limits (50 reads/s, 20 writes/s), the workers are told
 * the same: a backlog is worked off at the rate Smaregi allows, which is what "while the worker
 * catches up" means for a merchant. (With the limits off the two workers run flat out on the
 * machine's 2 cores and the intake's latency measures the CPU scheduler, not Renkei.) The
 * backlog stays far larger than what the workers can do in the run, so it is a backlog
 * throughout, and every order of the run still passes through a worker's memory.
 */

/** Smaregi's production limits per app and contract (docs/smaregi-wire.md §5.2). */
export const PRODUCTION_LIMITS = SMAREGI_RATE_LIMIT_DEFAULTS.production;

const root = join(import.meta.dirname, '../../../..');
const apiDir = join(root, 'apps/api');
const workerDir = join(root, 'apps/worker');
const entry = join(import.meta.dirname, 'live-heap-entry.ts');

/** A measured process whose live heap can be asked for (live-heap-entry.ts). */
interface Probed {
  process: MeasuredProcess;
  statsFile: string;
}

function startProbed(
  main: string,
  cwd: string,
  env: Record<string, string>,
  statsFile: string,
  ready: RegExp,
): Probed {
  return {
    process: startMeasured(entry, cwd, { ...env, RENKEI_BENCH_ENTRY: main }, statsFile, ready),
    statsFile,
  };
}

/** A full collection in the process, then its live heap. */
async function liveHeap(p: Probed): Promise<LiveHeap> {
  const asked = Date.now();
  p.process.child.kill('SIGUSR2');
  const file = `${p.statsFile}.live.json`;
  for (let i = 0; i < 100; i++) {
    if (existsSync(file)) {
      const live = JSON.parse(readFileSync(file, 'utf8')) as LiveHeap;
      if (live.at >= asked) return live;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no live heap from process ${p.process.child.pid}`);
}

export interface PressureOptions {
  pgServer: string;
  /** Pending orders of the tenant before the run. */
  pending: number;
  workers: number;
  orderConcurrency: number;
  /** New orders per second through the intake during the run. */
  intakeRate: number;
  durationMs: number;
}

export interface MemorySample {
  /** Since the start of the run. */
  atMs: number;
  rss: number;
  heapUsed: number;
}

export interface ProcessFigures {
  name: string;
  /** When the processes were up with the backlog stored, before the integration was switched on. */
  start: ProcessStats;
  end: ProcessStats;
  samples: MemorySample[];
  /** After a full collection, before the run and at its end. */
  live: { start: LiveHeap; end: LiveHeap };
}

export interface PressureResult {
  options: PressureOptions;
  seedMs: number;
  elapsedMs: number;
  workers: ProcessFigures[];
  api: ProcessFigures;
  load: LoadResult;
  /** Intake orders stored (counted in the database after the run). */
  stored: number;
  /** Registrations (`POST /order-shipment/orders` answered) in Smaregi during the run. */
  registered: number;
  /** Pending orders when the run started (the backlog and the warm-up's orders) and ended. */
  backlogAtStart: number;
  backlogLeft: number;
  loadAverage: { start: number[]; end: number[] };
}

/** The intake body of one order of the seeded tenant (its number is set per request). */
function intakeOrder(t: Awaited<ReturnType<typeof seedScaleTenant>>): Record<string, unknown> {
  const p = t.products[0]!;
  return {
    shopId: t.shops.manual,
    orderedAt: '2026-12-01T10:15:00+09:00',
    paymentMethodId: t.payment,
    statusId: t.received,
    lines: [
      {
        productCode: p.code,
        managementNumber: null,
        name: p.name,
        unitPrice: p.price,
        quantity: 1,
        isEnclosure: false,
      },
    ],
    shippingFee: 0,
    commission: 0,
    giftWrapFee: 0,
    pointUse: 0,
    coupon: 0,
    mallCoupon: 0,
    adjustment: 0,
    externalTax: 0,
    total: p.price,
    deliveryDate: null,
    shippingDate: '2026-12-02',
    shipTo: {
      name: '山田 太郎',
      postalCode: '150-0041',
      address: '東京都渋谷区神南1-1-1',
      phone: '03-0000-0000',
    },
  };
}

/** The OMS process (intake-load.ts), started and ready for runs. */
async function startLoad(): Promise<{
  run(r: LoadRun): Promise<LoadResult>;
  stop(): void;
}> {
  const child = fork(join(import.meta.dirname, 'intake-load.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`intake-load.ts exited (${code})`)));
  });
  return {
    run: (r) =>
      new Promise((resolve) => {
        child.once('message', (m) => resolve(m as LoadResult));
        child.send(r);
      }),
    stop: () => {
      if (child.connected) child.send('stop');
    },
  };
}

export async function runPressure(o: PressureOptions): Promise<PressureResult> {
  const loadStart = loadavg();
  const db = await freshDatabase(o.pgServer, 'renkei_pressure');
  const orm: Orm = await openDatabase({
    location: { dialect: 'postgresql', url: db.url },
    poolMax: 4,
  });
  const sim: RunningSimulator = await startSimulator({
    seed: 16,
    rateLimits: PRODUCTION_LIMITS,
    journalLimit: 2_000_000,
  });
  // RENKEI_BENCH_QUERY_PROFILE=<folder>: each process's statements by count are left there
  // (the API's too), in a folder `pressure-*` of their own.
  const profileDir = process.env.RENKEI_BENCH_QUERY_PROFILE;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const statsDir = mkdtempSync(
    join(profileDir ?? tmpdir(), profileDir ? 'pressure-' : 'renkei-pressure-'),
  );
  const probed: Probed[] = [];
  let load: Awaited<ReturnType<typeof startLoad>> | undefined;
  try {
    const [contractId] = sim.control.addContracts({
      count: 1,
      contractIdPrefix: 'sb_pressure_',
      withDemoShop: true,
    });
    const t = await seedScaleTenant(orm, sim, contractId!, '大量受注店', false);
    const pendingOrders = async (): Promise<number> => {
      const [row] = await forkEm(orm)
        .getConnection()
        .execute<{ n: number }[]>(
          "select count(*)::int as n from orders where tenant_id = ? and sync_state in ('pending', 'waiting')",
          [t.tenantId],
        );
      return row?.n ?? 0;
    };
    const seedStart = Date.now();
    await createOrdersBulk(orm, t, o.pending, 'BACKLOG');
    const seedMs = Date.now() - seedStart;
    // The OMS's key, as the admin's APIキー screen makes it (only its SHA-256 is stored).
    const apiKey = `rk_${randomBytes(32).toString('base64url')}`;
    {
      const em = forkEm(orm);
      em.create(ApiKey, {
        tenant: em.getReference(Tenant, t.tenantId),
        name: 'OMS (bench)',
        keyHash: createHash('sha256').update(apiKey, 'utf8').digest('hex'),
        keyPrefix: apiKey.slice(0, 8),
      });
      await em.flush();
    }

    const env = {
      ...deploymentEnv(db.url, sim),
      ...(profileDir ? { RENKEI_BENCH_QUERY_PROFILE: '1' } : {}),
    };
    const workers: Probed[] = [];
    for (let w = 0; w < o.workers; w++)
      workers.push(
        startProbed(
          join(workerDir, 'src/main.ts'),
          workerDir,
          {
            ...env,
            // info: the start line is how readiness is seen (as startWorker in cluster.ts).
            LOG_LEVEL: 'info',
            SMAREGI_READS_PER_SECOND: String(PRODUCTION_LIMITS.readsPerSecond),
            SMAREGI_WRITES_PER_SECOND: String(PRODUCTION_LIMITS.writesPerSecond),
            WORKER_PORT: '0',
            WORKER_ORDER_CONCURRENCY: String(o.orderConcurrency),
            WORKER_SHUTDOWN_DEADLINE_MS: '5000',
          },
          join(statsDir, `worker-${w}.json`),
          /renkei worker started/,
        ),
      );
    const listening = /Renkei API\s+http:\/\/[^\s:]+:(\d+)/;
    const api = startProbed(
      join(apiDir, 'src/main.ts'),
      apiDir,
      {
        ...env,
        PORT: '0',
        HOST: '127.0.0.1',
        RENKEI_DATA_DIR: statsDir,
        SMAREGI_WEBHOOK_SECRET: randomBytes(24).toString('base64url'),
        // The per-key budget is not what is measured (still taken on every request).
        RENKEI_API_KEY_RATE_PER_SECOND: '1000000',
      },
      join(statsDir, 'api.json'),
      listening,
    );
    probed.push(...workers, api);
    const processes = probed.map((p) => p.process);
    await Promise.all(processes.map((p) => p.ready));
    const port = Number(listening.exec(api.process.output())?.[1]);
    load = await startLoad();
    const run = (prefix: string, durationMs: number): Promise<LoadResult> =>
      load!.run({
        url: `http://127.0.0.1:${port}/api/v1/orders`,
        apiKey,
        rate: o.intakeRate,
        durationMs,
        prefix,
        order: intakeOrder(t),
      });
    // Warm-up of the intake (module compilation, JIT, the pool's connections), not measured;
    // its orders join the backlog. Then start-up work settles before the baseline.
    const warm = await run('WARM', 3000);
    if (warm.errors > 0 || (warm.statuses['201'] ?? 0) === 0)
      throw new Error(`the intake does not take orders: ${warm.samples.join('\n')}`);
    await new Promise((r) => setTimeout(r, 1500));
    const liveStart = await Promise.all(probed.map(liveHeap));
    const start = await Promise.all(processes.map((p) => statsAfter(p, Date.now())));

    const backlogAtStart = await pendingOrders();
    const t0 = Date.now();
    await forkEm(orm).nativeUpdate(
      IntegrationSettings,
      { tenant: t.tenantId },
      { integrationEnabled: true },
    );
    const samples: MemorySample[][] = processes.map(() => []);
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        for (const [i, p] of processes.entries()) {
          const s = p.stats();
          if (s && s.at >= t0)
            samples[i]!.push({ atMs: s.at - t0, rss: s.rss, heapUsed: s.heapUsed });
          if (p.child.exitCode !== null)
            throw new Error(`a measured process died:\n${p.output().slice(-4000)}`);
        }
        await new Promise((r) => setTimeout(r, 500));
      }
    })();
    const measured = await run('INTAKE', o.durationMs).finally(() => (sampling = false));
    await sampler;
    const elapsedMs = Date.now() - t0;
    const end = await Promise.all(processes.map((p) => statsAfter(p, Date.now())));
    const liveEnd = await Promise.all(probed.map(liveHeap));

    const sql = forkEm(orm).getConnection();
    const [stored] = await sql.execute<{ n: number }[]>(
      "select count(*)::int as n from orders where tenant_id = ? and order_number like 'INTAKE-%'",
      [t.tenantId],
    );
    const registered = sim.control
      .journal()
      .filter(
        (e) =>
          e.timeMs >= t0 &&
          e.timeMs <= t0 + elapsedMs &&
          e.applied &&
          callKind(e) === 'registration',
      ).length;
    const figures = (i: number, name: string): ProcessFigures => ({
      name,
      start: start[i]!,
      end: end[i]!,
      samples: samples[i]!,
      live: { start: liveStart[i]!, end: liveEnd[i]! },
    });
    return {
      options: o,
      seedMs,
      elapsedMs,
      workers: workers.map((_, i) => figures(i, `worker ${i + 1}`)),
      api: figures(workers.length, 'API'),
      load: measured,
      stored: stored?.n ?? 0,
      registered,
      backlogAtStart,
      backlogLeft: await pendingOrders(),
      loadAverage: { start: loadStart, end: loadavg() },
    };
  } finally {
    load?.stop();
    await stopAll(probed.map((p) => p.process));
    await sim.close();
    await orm.close(true);
    await db.drop().catch(() => undefined);
    if (!profileDir) rmSync(statsDir, { recursive: true, force: true });
  }
}
