import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IntegrationSettings, forkEm, openDatabase, type Orm } from '@renkei/persistence';
import {
  startSimulator,
  type JournalEntry,
  type RunningSimulator,
} from '@renkei/smaregi-simulator';
import {
  deploymentEnv,
  freshDatabase,
  startWorker,
  statsAfter,
  stopAll,
  type MeasuredProcess,
} from './cluster.js';
import { callKind, contractFigures, type ContractFigures } from './journal.js';
import { createOrders, isAutoOrder, seedScaleTenant, type ScaleTenant } from './seed.js';
import { loopDelayMs, watchLoopDelay, type LoopDelayMs } from './loop-delay.js';

/*
 * One run of the many-merchants scenario: N simulator contracts, one tenant each, real worker
 * processes on one PostgreSQL database. Orders are stored first with every integration off;
 * once the workers are up and their statistics read, the integrations of the active tenants
 * are switched on in one statement, and that moment is the start of the measurement.
 */

export type Role = 'light' | 'heavy' | 'off' | 'slow' | 'revoked';

export interface Limits {
  readsPerSecond: number;
  writesPerSecond: number;
}

export interface ScenarioOptions {
  label: string;
  pgServer: string;
  roles: readonly Role[];
  lightOrders: number;
  heavyFactor: number;
  /** Simulator limits of every contract; false: off (the workers then get generous limits). */
  limits: Limits | false;
  /**
   * Tenants whose contract has twice `limits` (limits of its own: the workers are told by
   * SMAREGI_CONTRACT_RATE_LIMITS); default none.
   */
  doubleLimits?: (index: number) => boolean;
  workers: number;
  orderConcurrency: number;
  slowLatencyMs: number;
  /** The revoked tenant's app is uninstalled this long after the start. */
  revokeAfterMs: number;
  timeoutMs: number;
  /** WORKER_SHIPPING_MAX_WAIT_MS of the workers. */
  shippingMaxWaitMs: number;
  /** One order in this many is in the 受注店舗 that allocates by itself (0: none). */
  autoEvery: number;
}

export interface TenantResult {
  index: number;
  role: Role;
  contractId: string;
  orders: number;
  autoOrders: number;
  shipped: number;
  figures: ContractFigures;
  /** The contract's own limits (false: off). */
  limits: Limits | false;
  /** Registration and allocation writes per second while it had that work. */
  workRate: number | null;
  /** Counted writes per second over the same span / its write limit. */
  limitRatio: number | null;
  /** From the start to its first registration. */
  firstServiceMs: number | null;
  doneMs: number | null;
}

export interface WorkerCost {
  cpuMs: number;
  queries: number;
  maxRss: number;
  /** The event loop's delay over the process's life (process-stats.ts). */
  eventLoopDelayMs: LoopDelayMs;
  /** Measured before the start with every integration off. */
  idleCpuMsPerSecond: number;
  idleQueriesPerSecond: number;
}

/** How long the idle cost is measured before the start. */
const IDLE_MS = 5_000;

const cpuMsBetween = (
  a: { cpuUserUs: number; cpuSystemUs: number },
  b: { cpuUserUs: number; cpuSystemUs: number },
): number => (b.cpuUserUs + b.cpuSystemUs - a.cpuUserUs - a.cpuSystemUs) / 1000;

export interface ScenarioResult {
  options: ScenarioOptions;
  tenants: TenantResult[];
  elapsedMs: number;
  ordersDone: number;
  workers: WorkerCost[];
  /**
   * The event loop's delay in this process, which runs the simulator, during the run: a request
   * read late is counted late by the simulator's rate limit.
   */
  simulatorEventLoopDelayMs: LoopDelayMs;
  timedOut: boolean;
  loadAverage: number[];
}

const ordersOf = (role: Role, o: ScenarioOptions): number =>
  role === 'heavy' ? o.lightOrders * o.heavyFactor : o.lightOrders;

/** The tenants whose orders must all be shipped for the run to end. */
const mustFinish = (role: Role): boolean => role !== 'off' && role !== 'revoked';

export async function runScenario(o: ScenarioOptions): Promise<ScenarioResult> {
  const db = await freshDatabase(o.pgServer, 'renkei_scale');
  const orm: Orm = await openDatabase({
    location: { dialect: 'postgresql', url: db.url },
    poolMax: 4,
  });
  const sim: RunningSimulator = await startSimulator({
    seed: 16,
    rateLimits: o.limits,
    journalLimit: 5_000_000,
  });
  // RENKEI_BENCH_QUERY_PROFILE=<folder>: each worker's statements by count are left there.
  const profileDir = process.env.RENKEI_BENCH_QUERY_PROFILE;
  const fileLabel = o.label.replace(/\W+/g, '-');
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const statsDir = profileDir ?? mkdtempSync(join(tmpdir(), 'renkei-scale-'));
  const workers: MeasuredProcess[] = [];
  try {
    const double = (i: number) => o.limits !== false && (o.doubleLimits?.(i) ?? false);
    const limitsOf = (i: number): Limits | false =>
      o.limits === false
        ? false
        : double(i)
          ? {
              readsPerSecond: o.limits.readsPerSecond * 2,
              writesPerSecond: o.limits.writesPerSecond * 2,
            }
          : o.limits;
    // Contracts of the default limits, then those with twice as much, each batch its own prefix.
    const plain = o.roles.map((_, i) => i).filter((i) => !double(i));
    const doubled = o.roles.map((_, i) => i).filter((i) => double(i));
    const contractIds: string[] = [];
    const batches: [number[], string][] = [
      [plain, 'sb_scale_'],
      [doubled, 'sb_scale2x_'],
    ];
    for (const [indexes, prefix] of batches) {
      if (indexes.length === 0) continue;
      const limits = limitsOf(indexes[0]!);
      const ids = sim.control.addContracts({
        count: indexes.length,
        contractIdPrefix: prefix,
        withDemoShop: true,
        ...(limits === false ? {} : { rateLimits: limits }),
      });
      indexes.forEach((i, k) => (contractIds[i] = ids[k]!));
    }
    const tenants: ScaleTenant[] = [];
    for (const [i, role] of o.roles.entries()) {
      const t = await seedScaleTenant(orm, sim, contractIds[i]!, `加盟店${i + 1}`, false);
      await createOrders(orm, t, ordersOf(role, o), `S${i}`, { autoEvery: o.autoEvery });
      tenants.push(t);
      if (role === 'slow')
        sim.control.setFaults({ contractId: t.contractId, latencyMs: o.slowLatencyMs });
    }

    const env = {
      ...deploymentEnv(db.url, sim),
      SMAREGI_READS_PER_SECOND: String(o.limits ? o.limits.readsPerSecond : 1000),
      SMAREGI_WRITES_PER_SECOND: String(o.limits ? o.limits.writesPerSecond : 1000),
      WORKER_PORT: '0',
      SMAREGI_CONTRACT_RATE_LIMITS: doubled
        .map((i) => {
          const l = limitsOf(i) as Limits;
          return `${contractIds[i]}=${l.readsPerSecond}/${l.writesPerSecond}`;
        })
        .join(','),
      WORKER_ORDER_CONCURRENCY: String(o.orderConcurrency),
      WORKER_SHIPPING_MAX_WAIT_MS: String(o.shippingMaxWaitMs),
      WORKER_SHUTDOWN_DEADLINE_MS: '5000',
      ...(profileDir ? { RENKEI_BENCH_QUERY_PROFILE: '1' } : {}),
    };
    for (let w = 0; w < o.workers; w++)
      workers.push(startWorker(env, join(statsDir, `${fileLabel}-worker-${w}.json`)));
    await Promise.all(workers.map((w) => w.ready));
    // Let start-up work (module compilation, first ticks) settle before the baseline.
    await new Promise((r) => setTimeout(r, 1500));
    // Idle cost first: the processes with every integration off for a few seconds (their loops
    // tick; with the cross-tenant queries a tick costs about the same whatever the tenants).
    const idleStart = await Promise.all(workers.map((w) => statsAfter(w, Date.now())));
    const idleFrom = Date.now();
    await new Promise((r) => setTimeout(r, IDLE_MS));
    const baseline = await Promise.all(workers.map((w) => statsAfter(w, Date.now())));
    const idleSeconds = (Date.now() - idleFrom) / 1000;
    sim.control.clearJournal();

    const active = o.roles.flatMap((role, i) => (role === 'off' ? [] : [tenants[i]!.tenantId]));
    const simulatorLoop = watchLoopDelay();
    const t0 = Date.now();
    await forkEm(orm).nativeUpdate(
      IntegrationSettings,
      { tenant: { $in: active } },
      { integrationEnabled: true },
    );
    let revoked = false;
    const doneAt = new Map<number, number>();
    const shippedOf = (i: number) =>
      sim.control.orders(tenants[i]!.contractId).filter((x) => x.status === 'shipped').length;
    let timedOut = false;
    for (;;) {
      const now = Date.now();
      if (!revoked && now - t0 >= o.revokeAfterMs) {
        for (const [i, role] of o.roles.entries())
          if (role === 'revoked') sim.control.uninstallApp({ contractId: tenants[i]!.contractId });
        revoked = true;
      }
      for (const [i, role] of o.roles.entries()) {
        if (!mustFinish(role) || doneAt.has(i)) continue;
        if (shippedOf(i) >= ordersOf(role, o)) doneAt.set(i, now - t0);
      }
      const remaining = o.roles.filter((r, i) => mustFinish(r) && !doneAt.has(i)).length;
      if (remaining === 0) break;
      if (now - t0 > o.timeoutMs) {
        timedOut = true;
        // Say why: where the unfinished orders stand.
        const rows = await forkEm(orm)
          .getConnection()
          .execute(
            'select sync_state, sync_reason_code, count(*)::int as n from orders group by 1, 2',
          );
        console.error(`${o.label}: timed out; orders by state: ${JSON.stringify(rows)}`);
        console.error(workers[0]?.output().slice(-3000));
        break;
      }
      for (const w of workers)
        if (w.child.exitCode !== null)
          throw new Error(`a worker died:\n${w.output().slice(-4000)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const elapsedMs = Date.now() - t0;
    simulatorLoop.disable();
    const end = await Promise.all(workers.map((w) => statsAfter(w, Date.now())));
    const journal = sim.control.journal();
    const byContract = new Map<string, JournalEntry[]>();
    for (const e of journal) {
      if (e.contractId === null) continue;
      const list = byContract.get(e.contractId) ?? [];
      list.push(e);
      byContract.set(e.contractId, list);
    }
    if (profileDir) {
      // Every contract's calls in time order (ms from the start): where a tenant's gaps are.
      const timeline = o.roles.map((role, i) => ({
        index: i,
        role,
        calls: (byContract.get(tenants[i]!.contractId) ?? []).map((e) => ({
          atMs: e.timeMs - t0,
          kind: callKind(e),
          method: e.method,
          path: e.path,
          status: e.status,
        })),
      }));
      writeFileSync(join(profileDir, `${fileLabel}-timeline.json`), JSON.stringify(timeline));
    }
    const results: TenantResult[] = o.roles.map((role, i) => {
      const t = tenants[i]!;
      const figures = contractFigures(byContract.get(t.contractId) ?? []);
      const spanS =
        figures.firstWorkMs !== null && figures.lastWorkMs !== null
          ? (figures.lastWorkMs - figures.firstWorkMs) / 1000
          : 0;
      const work = figures.calls.registration + figures.calls.allocation;
      const orders = ordersOf(role, o);
      const own = limitsOf(i);
      return {
        index: i,
        role,
        contractId: t.contractId,
        limits: own,
        orders,
        autoOrders: Array.from({ length: orders }, (_, k) => isAutoOrder(k, o.autoEvery)).filter(
          Boolean,
        ).length,
        shipped: shippedOf(i),
        figures,
        workRate: spanS > 0 ? (work - 1) / spanS : null,
        limitRatio:
          spanS > 0 && own ? (figures.writesInSpan - 1) / spanS / own.writesPerSecond : null,
        firstServiceMs: figures.firstWorkMs === null ? null : figures.firstWorkMs - t0,
        doneMs: doneAt.get(i) ?? null,
      };
    });
    const { loadavg } = await import('node:os');
    return {
      options: o,
      tenants: results,
      elapsedMs,
      ordersDone: results.reduce((n, t) => n + t.shipped, 0),
      workers: end.map((s, w) => ({
        cpuMs:
          (s.cpuUserUs + s.cpuSystemUs - baseline[w]!.cpuUserUs - baseline[w]!.cpuSystemUs) / 1000,
        queries: s.queries - baseline[w]!.queries,
        maxRss: s.maxRss,
        eventLoopDelayMs: s.eventLoopDelayMs,
        idleCpuMsPerSecond: cpuMsBetween(idleStart[w]!, baseline[w]!) / idleSeconds,
        idleQueriesPerSecond: (baseline[w]!.queries - idleStart[w]!.queries) / idleSeconds,
      })),
      simulatorEventLoopDelayMs: loopDelayMs(simulatorLoop),
      timedOut,
      loadAverage: loadavg(),
    };
  } finally {
    await stopAll(workers);
    await sim.close();
    await orm.close(true);
    await db.drop().catch(() => undefined);
    if (!profileDir) rmSync(statsDir, { recursive: true, force: true });
  }
}
