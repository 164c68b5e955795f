import type { ScenarioResult, TenantResult } from './scenario.js';

/*
 * Printing of the scale bench: every figure next to its bound, "met" or "NOT met".
 */

const verdict = (ok: boolean): string => (ok ? 'met' : 'NOT met');
const f1 = (n: number): string => n.toFixed(1);
const f2 = (n: number): string => n.toFixed(2);
const f3 = (n: number): string => n.toFixed(3);
const min = (xs: number[]): number => (xs.length === 0 ? NaN : Math.min(...xs));

export interface BenchSummary {
  cpuMsPerOrder: number;
  queriesPerOrder: number;
  ordersPerSecond: number;
}

/** Figures later parts (the capacity table) reuse. */
export const summary: Partial<{
  fair: BenchSummary;
  curve: { workers: number; ordersPerSecond: number }[];
}> = {};

function perOrderCalls(tenants: TenantResult[]): string[] {
  const done = tenants.filter((t) => t.role === 'light' || t.role === 'heavy' || t.role === 'slow');
  const orders = done.reduce((n, t) => n + t.orders, 0);
  const auto = done.reduce((n, t) => n + t.autoOrders, 0);
  const manual = orders - auto;
  const sum = (k: keyof TenantResult['figures']['calls']) =>
    done.reduce((n, t) => n + t.figures.calls[k], 0);
  const reads = new Map<string, number>();
  for (const t of done)
    for (const [name, n] of t.figures.reads) reads.set(name, (reads.get(name) ?? 0) + n);
  const lines = [
    `  calls per order (${orders} orders of ${done.length} tenants; ${manual} in a 受注店舗 that does not allocate by itself, ${auto} in one that does):`,
    `    registration   ${f3(sum('registration') / orders)} writes/order (bound ≤ 1) ${verdict(sum('registration') <= orders)}`,
    `    allocation     ${f3(sum('allocation') / Math.max(1, manual))} writes per order needing it (bound ≤ 1) ${verdict(sum('allocation') <= manual)}; ${sum('allocation') - manual > 0 ? sum('allocation') - manual : 0} for orders that allocate by themselves`,
    `    shipping       ${f3(sum('shipping') / orders)} writes/order (bound ≤ 0.01) ${verdict(sum('shipping') <= orders / 100)}`,
    `    token          ${sum('token')} requests (${f3(sum('token') / done.length)} per tenant)`,
    `    other writes   ${sum('otherWrite') + sum('cancel')}`,
    `    reads          ${f3(sum('read') / orders)} reads/order:`,
  ];
  for (const [name, n] of [...reads].sort((a, b) => b[1] - a[1]))
    lines.push(`      ${name.padEnd(48)} ${String(n).padStart(6)}  (${f3(n / orders)}/order)`);
  return lines;
}

export function printFair(
  r: ScenarioResult,
  solo: { light: ScenarioResult; heavy: ScenarioResult },
): void {
  const o = r.options;
  const limits = o.limits;
  const lines: string[] = [];
  const counts = new Map<string, number>();
  for (const t of r.tenants) counts.set(t.role, (counts.get(t.role) ?? 0) + 1);
  lines.push(
    `fair at the limit: ${r.tenants.length} tenants (${[...counts].map(([k, v]) => `${v} ${k}`).join(', ')}), ${o.workers} worker processes, WORKER_ORDER_CONCURRENCY ${o.orderConcurrency}, limits ${limits ? `${limits.readsPerSecond} reads/s ${limits.writesPerSecond} writes/s per contract` : 'off'}; a light tenant ${o.lightOrders} orders, heavy ${o.lightOrders * o.heavyFactor}; slow: +${o.slowLatencyMs} ms per call; revoked after ${o.revokeAfterMs} ms`,
  );
  lines.push(
    `  finished in ${f1(r.elapsedMs / 1000)} s${r.timedOut ? ' (TIMED OUT)' : ''}; ${r.ordersDone} orders shipped; load average at the end ${r.loadAverage.map(f2).join(' ')}`,
  );
  lines.push(...perOrderCalls(r.tenants));

  const working = r.tenants.filter((t) => t.role === 'light' || t.role === 'heavy');
  const ratios = working.map((t) => t.limitRatio).filter((x): x is number => x !== null);
  const low = working.filter((t) => t.limitRatio !== null && t.limitRatio < 0.9);
  lines.push(
    `  writes / own limit while it has work: min ${f3(min(ratios))}, median ${f3(ratios.sort((a, b) => a - b)[Math.floor(ratios.length / 2)] ?? NaN)} over ${ratios.length} tenants (bound ≥ 0.9 each; the client spaces permits by (1000 + 75 ms)/limit, so 0.93 is the ceiling) ${verdict(low.length === 0)}${
      low.length > 0
        ? `; below: ${low
            .map((t) => `#${t.index} ${t.role} ${f3(t.limitRatio!)}`)
            .slice(0, 12)
            .join(', ')}`
        : ''
    }`,
  );
  const over = r.tenants.filter(
    (t) => limits && t.figures.maxWritesPerSecond > limits.writesPerSecond,
  );
  const overReads = r.tenants.filter(
    (t) => limits && t.figures.maxReadsPerSecond > limits.readsPerSecond,
  );
  const all429 = r.tenants.reduce((n, t) => n + t.figures.status429, 0);
  lines.push(
    `  busiest one-second window: writes max ${Math.max(...r.tenants.map((t) => t.figures.maxWritesPerSecond))}, reads max ${Math.max(...r.tenants.map((t) => t.figures.maxReadsPerSecond))}; contracts over their limit ${over.length + overReads.length}; 429 answers ${all429} (bound 0) ${verdict(over.length + overReads.length === 0 && all429 === 0)}`,
  );

  const soloRate = (s: ScenarioResult) => s.tenants[0]?.workRate ?? NaN;
  const rel = working
    .filter((t) => t.workRate !== null)
    .map((t) => ({
      t,
      ratio: t.workRate! / soloRate(t.role === 'heavy' ? solo.heavy : solo.light),
    }));
  const slower = rel.filter((x) => x.ratio < 0.9);
  lines.push(
    `  throughput against the solo run (registration + allocation writes/s): solo light ${f2(soloRate(solo.light))}/s, solo heavy ${f2(soloRate(solo.heavy))}/s; here min ${f3(min(rel.map((x) => x.ratio)))} × solo over ${rel.length} tenants (bound ≥ 0.9 each) ${verdict(slower.length === 0)}${
      slower.length > 0
        ? `; below: ${slower
            .map((x) => `#${x.t.index} ${f3(x.ratio)}`)
            .slice(0, 12)
            .join(', ')}`
        : ''
    }`,
  );
  const slow = r.tenants.find((t) => t.role === 'slow');
  const revoked = r.tenants.find((t) => t.role === 'revoked');
  if (slow)
    lines.push(
      `    slow tenant #${slow.index}: ${slow.shipped}/${slow.orders} shipped, done at ${slow.doneMs === null ? '—' : `${f1(slow.doneMs / 1000)} s`}`,
    );
  if (revoked)
    lines.push(
      `    revoked tenant #${revoked.index}: ${revoked.shipped}/${revoked.orders} shipped before and none after; ${revoked.figures.calls.registration} registrations, ${revoked.figures.status429} 429s`,
    );
  const off = r.tenants.filter((t) => t.role === 'off');
  const offCalls = off.reduce(
    (n, t) => n + Object.values(t.figures.calls).reduce((a, b) => a + b, 0),
    0,
  );
  lines.push(
    `    integration off: ${off.length} tenants, ${offCalls} Smaregi calls (expected 0) ${verdict(offCalls === 0)}`,
  );

  // Fairness: every tenant with work is served soon after the start, whatever its backlog.
  const first = working.map((t) => t.firstServiceMs).filter((x): x is number => x !== null);
  const lastFirst = Math.max(...first);
  const firstBound = 5_000;
  const share = working.map((t) => t.limitRatio ?? 0);
  const jain =
    share.reduce((a, b) => a + b, 0) ** 2 / (share.length * share.reduce((a, b) => a + b * b, 0));
  lines.push(
    `  fairness: the last tenant with work got its first registration ${f2(lastFirst / 1000)} s after the start (bound ≤ ${firstBound / 1000} s: nobody waits behind another's backlog) ${verdict(lastFirst <= firstBound)}; Jain index of writes/limit over tenants with work ${f3(jain)} (bound ≥ 0.95) ${verdict(jain >= 0.95)}`,
  );

  const orders = r.ordersDone;
  const cpu = r.workers.reduce((n, w) => n + w.cpuMs, 0);
  const queries = r.workers.reduce((n, w) => n + w.queries, 0);
  lines.push(
    `  worker cost: ${f2(cpu / orders)} ms CPU per order (process.cpuUsage of both processes from the start to the end, idle ticks of every loop included; bound ≤ 5) ${verdict(cpu / orders <= 5)}`,
  );
  lines.push(
    `  PostgreSQL round trips: ${f1(queries / orders)} per order (every pg Client.query of the worker processes — ORM, pg-boss, rate budget, locks; bound ≤ 10) ${verdict(queries / orders <= 10)}`,
  );
  lines.push(
    `  worker RSS max ${r.workers.map((w) => `${(w.maxRss / 2 ** 20).toFixed(0)} MB`).join(', ')}`,
  );
  summary.fair = {
    cpuMsPerOrder: cpu / orders,
    queriesPerOrder: queries / orders,
    ordersPerSecond: orders / (r.elapsedMs / 1000),
  };
  console.log(lines.join('\n'));
}

export interface CurvePoint {
  workers: number;
  result: ScenarioResult;
}

export function printCurve(points: CurvePoint[]): void {
  const lines = [
    'more workers, more throughput (simulator limits off; orders registered, allocated and shipped per second):',
  ];
  let previous = 0;
  let rising = true;
  summary.curve = [];
  for (const p of points) {
    const rate = p.result.ordersDone / (p.result.elapsedMs / 1000);
    const cpu = p.result.workers.reduce((n, w) => n + w.cpuMs, 0);
    const q = p.result.workers.reduce((n, w) => n + w.queries, 0);
    if (rate < previous * 0.95) rising = false;
    previous = Math.max(previous, rate);
    summary.curve.push({ workers: p.workers, ordersPerSecond: rate });
    lines.push(
      `  ${p.workers} process${p.workers > 1 ? 'es' : ''}: ${f1(rate)} orders/s ${'#'.repeat(Math.round(rate / 2))}  (${p.result.ordersDone} orders in ${f1(p.result.elapsedMs / 1000)} s; ${f2(cpu / p.result.ordersDone)} ms CPU and ${f1(q / p.result.ordersDone)} round trips per order; load ${p.result.loadAverage[0]?.toFixed(2)})`,
    );
  }
  lines.push(`  never falls by more than 5% as processes are added: ${verdict(rising)}`);
  console.log(lines.join('\n'));
}

/**
 * What a deployment of N merchants needs, from the measured cost: at its peak each merchant
 * registers at its contract's write limit (0.93 × limit / writes per order: 1 registration plus
 * an allocation for the share of orders whose 受注店舗 does not allocate by itself); a worker
 * process is planned at 70% of one core; PostgreSQL by round trips per second.
 */
export function printCapacity(
  cost: BenchSummary,
  writesPerSecond: number,
  writesPerOrder: number,
  tenantCounts: readonly number[] = [10, 100, 500, 1000],
): void {
  const perMerchant = (0.93 * writesPerSecond) / writesPerOrder;
  const lines = [
    `capacity from the measured cost (${cost.cpuMsPerOrder.toFixed(1)} ms worker CPU and ${cost.queriesPerOrder.toFixed(0)} PostgreSQL round trips per order; every merchant at its peak, ${perMerchant.toFixed(2)} orders/s at ${writesPerSecond} writes/s; a process planned at 70% of a core):`,
    '  merchants | peak orders/s | worker processes (cores) | PostgreSQL round trips/s',
  ];
  for (const n of tenantCounts) {
    const rate = n * perMerchant;
    const cores = (rate * cost.cpuMsPerOrder) / 1000 / 0.7;
    lines.push(
      `  ${String(n).padStart(9)} | ${rate.toFixed(0).padStart(13)} | ${String(Math.max(1, Math.ceil(cores))).padStart(24)} | ${(rate * cost.queriesPerOrder).toFixed(0).padStart(24)}`,
    );
  }
  console.log(lines.join('\n'));
}
