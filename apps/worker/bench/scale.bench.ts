/**
 * `pnpm bench:scale`: many merchants on one deployment (docs: apps/worker/README.md, "Many
 * merchants"). Parts, each against its bound:
 *   fair      N tenants (one simulator contract each) on two worker processes and one
 *             PostgreSQL: calls per order by kind, each contract's writes against its own limit,
 *             no 429, the others' throughput against their solo runs despite a slow and a revoked
 *             tenant, fairness of service, worker CPU and PostgreSQL round trips per order;
 *   curve     orders/s with 1, 2 and 4 worker processes, the simulator's limits off;
 *   pressure  100,000 pending orders for one tenant at Smaregi's production limits while the OMS
 *             sends more: memory per process, intake latency, API cost per intake order.
 * The capacity table (processes and PostgreSQL round trips for N merchants) follows, computed
 * from the measured costs.
 * Sizes: BENCH_SCALE_SIZE=ci (the size inside `pnpm bench`) or full (default of bench:scale);
 * BENCH_SCALE_TENANTS, BENCH_SCALE_ORDERS (a light tenant's orders), BENCH_SCALE_PENDING,
 * BENCH_SCALE_INTAKE_RATE (orders/s through the intake in the pressure part),
 * BENCH_SCALE_CONCURRENCY (WORKER_ORDER_CONCURRENCY of each worker process) override.
 * PostgreSQL: BENCH_PG_URL or RENKEI_TEST_PG_URL, else a throwaway cluster (scripts/pg-throwaway.sh).
 * Where the cost goes: RENKEI_BENCH_QUERY_PROFILE=<folder> leaves each worker's statements by
 * count there, and its transactions by shape (fair and curve parts), RENKEI_BENCH_CPU_PROFILE=<folder> a V8 CPU profile of each
 * measured process.
 */
import { loadavg } from 'node:os';
import { startPostgres } from './scale/cluster.js';
import { runPressure } from './scale/pressure.js';
import {
  printCapacity,
  printCurve,
  printFair,
  printPressure,
  summary,
  type CurvePoint,
} from './scale/report.js';
import { runScenario, type Role, type ScenarioOptions } from './scale/scenario.js';

const size = process.env.BENCH_SCALE_SIZE === 'ci' ? 'ci' : 'full';
const num = (name: string, fallback: number): number => {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`${name} must be a positive integer, got ${v}`);
  return n;
};
const TENANTS = num('BENCH_SCALE_TENANTS', size === 'ci' ? 10 : 100);
// A light tenant's orders: enough for its rate to be measured over several seconds.
const LIGHT_ORDERS = num('BENCH_SCALE_ORDERS', size === 'ci' ? 20 : 10);
const PENDING = num('BENCH_SCALE_PENDING', size === 'ci' ? 20_000 : 100_000);

/** Every 10th tenant has 10× the orders, every 10th (offset 9) has its integration off. */
export function rolesFor(n: number): Role[] {
  return Array.from({ length: n }, (_, i): Role => {
    if (n >= 3 && i === 1) return 'slow';
    if (n >= 3 && i === 2) return 'revoked';
    if (i % 10 === 0) return 'heavy';
    if (i % 10 === 9) return 'off';
    return 'light';
  });
}

const only = process.argv[2];
const pg = startPostgres();
try {
  console.log(
    `scale bench (${size}): ${TENANTS} tenants; load average at start ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} on ${(await import('node:os')).cpus().length} cores`,
  );
  const base: Omit<ScenarioOptions, 'label' | 'roles'> = {
    pgServer: pg.url,
    lightOrders: LIGHT_ORDERS,
    // A heavy tenant has 100 (ci) or 200 orders: enough for full bulk-shipping calls of 100.
    heavyFactor: size === 'ci' ? 5 : 20,
    limits:
      size === 'ci'
        ? { readsPerSecond: 10, writesPerSecond: 4 }
        : { readsPerSecond: 5, writesPerSecond: 2 },
    workers: 2,
    // Registration slots per process: a task waiting for its contract's permit holds one, so
    // 100 tenants at a sandbox-like 2 writes/s need many more than 10 tenants (see README).
    orderConcurrency: num('BENCH_SCALE_CONCURRENCY', size === 'ci' ? 8 : 64),
    slowLatencyMs: 1500,
    revokeAfterMs: 3000,
    timeoutMs: size === 'ci' ? 180_000 : 900_000,
    autoEvery: 4,
    // The production default: a tenant's last orders wait this long for a fuller call.
    shippingMaxWaitMs: 30_000,
  };
  if (!only || only === 'fair') {
    // Every third light tenant has a contract with twice the limits, told to the workers as
    // limits of its own (SMAREGI_CONTRACT_RATE_LIMITS).
    const roles = rolesFor(TENANTS);
    const doubleLimits = (i: number) => i % 3 === 2 && roles[i] === 'light';
    const scenario = await runScenario({ ...base, label: 'fair', roles, doubleLimits });
    const soloLight = await runScenario({ ...base, label: 'solo light', roles: ['light'] });
    const soloLightDouble = await runScenario({
      ...base,
      label: 'solo light 2x',
      roles: ['light'],
      doubleLimits: () => true,
    });
    const soloHeavy = await runScenario({ ...base, label: 'solo heavy', roles: ['heavy'] });
    printFair(scenario, { light: soloLight, heavy: soloHeavy, lightDouble: soloLightDouble });
  }
  if (!only || only === 'curve') {
    const points: CurvePoint[] = [];
    for (const workers of [1, 2, 4]) {
      const r = await runScenario({
        ...base,
        label: `curve ${workers}`,
        limits: false,
        workers,
        roles: Array.from({ length: size === 'ci' ? 4 : 10 }, (): Role => 'light'),
        lightOrders: size === 'ci' ? 100 : 300,
      });
      points.push({ workers, result: r });
    }
    printCurve(points);
  }
  if (!only || only === 'pressure') {
    printPressure(
      await runPressure({
        pgServer: pg.url,
        pending: PENDING,
        workers: 2,
        orderConcurrency: base.orderConcurrency,
        // A busy merchant's OMS on a sale day (72,000 orders an hour): about twice what one
        // contract can have registered at Smaregi's production limit (10.6 orders/s).
        intakeRate: num('BENCH_SCALE_INTAKE_RATE', 20),
        durationMs: size === 'ci' ? 30_000 : 60_000,
      }),
    );
  }
  if (summary.fair && base.limits) {
    // 3 of 4 orders in a 受注店舗 that does not allocate by itself: 1.75 writes per order.
    printCapacity(
      summary.fair,
      base.limits.writesPerSecond,
      1 + (1 - 1 / base.autoEvery),
      summary.intake,
    );
  }
} finally {
  pg.stop();
}
process.exit(0);
