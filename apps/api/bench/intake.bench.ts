/**
 * `pnpm bench`: REST order intake of 10,000 orders at 50 concurrent connections on SQLite
 * (a fresh file, WAL), measured with autocannon. The API runs in a child process so the load
 * generator does not share its event loop. Prints throughput and latency percentiles against the
 * 50 ms p99 target, and checks that exactly 10,000 orders were stored. 500 warm-up orders are
 * sent first and not measured.
 *
 *   BENCH_ORDERS=10000 BENCH_CONNECTIONS=50 pnpm bench
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 10_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const TARGET_P99_MS = 50;
const WARMUP = Number(process.env.BENCH_WARMUP ?? 500);

async function runServer(): Promise<void> {
  const { createApp } = await import('../src/app.js');
  const { createDeps, openConfiguredDatabase } = await import('../src/create-deps.js');
  const { seedDemo } = await import('../src/demo/seed.js');
  const { loadConfig } = await import('../src/env.js');
  const { pino } = await import('pino');
  const config = loadConfig({
    ...process.env,
    PORT: '0',
    LOG_LEVEL: 'silent',
    RENKEI_DEMO: 'true',
    // One key sends every order here: the bench measures the intake's capacity, not the per-key
    // budget (still taken on every request, so its cost is in the figures).
    RENKEI_API_KEY_RATE_PER_SECOND: process.env.RENKEI_API_KEY_RATE_PER_SECOND ?? '1000000',
  });
  const orm = await openConfiguredDatabase(config);
  const deps = createDeps(config, orm, { logger: pino({ level: 'silent' }) });
  await seedDemo(deps);
  const server = createApp(deps).listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.send?.({ port: typeof address === 'object' && address !== null ? address.port : 0 });
  });
  process.on('message', (m) => {
    if (m === 'count') {
      void orm.em
        .fork()
        .getConnection()
        .execute<{ n: number }[]>("select count(*) as n from orders where source = 'api'")
        .then((rows) => process.send?.({ count: Number(rows[0]?.n ?? 0) }));
    }
    if (m === 'stop') server.close(() => void orm.close().then(() => process.exit(0)));
  });
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'renkei-bench-'));
  const child = fork(fileURLToPath(import.meta.url), [], {
    env: { ...process.env, BENCH_ROLE: 'server', RENKEI_DATA_DIR: dataDir, DATABASE_URL: '' },
    stdio: 'inherit',
  });
  const port = await new Promise<number>((resolve) =>
    child.once('message', (m: { port: number }) => resolve(m.port)),
  );
  const { DEMO_INTAKE_KEY, DEMO_ORDER_EXAMPLE } = await import('../src/demo/constants.js');
  let sequence = 0;
  const load = (amount: number) =>
    autocannon({
      url: `http://127.0.0.1:${port}/api/v1/orders`,
      method: 'POST',
      connections: CONNECTIONS,
      amount,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${DEMO_INTAKE_KEY}` },
      requests: [
        {
          // A new order number per request (autocannon sets Content-Length from this body).
          setupRequest: (req) => ({
            ...req,
            body: JSON.stringify({ ...DEMO_ORDER_EXAMPLE, orderNumber: `BENCH-${++sequence}` }),
          }),
        },
      ],
    });
  // Warm-up (JIT, module compilation, SQLite page cache), not measured; then the measured run.
  await load(WARMUP);
  const result = await load(ORDERS);

  child.send('count');
  const stored =
    (await new Promise<number>((resolve) =>
      child.once('message', (m: { count: number }) => resolve(m.count)),
    )) - WARMUP;
  child.send('stop');
  await new Promise((resolve) => child.once('exit', resolve));
  rmSync(dataDir, { recursive: true, force: true });

  const l = result.latency;
  const lines = [
    `REST intake on SQLite: ${ORDERS} orders, ${CONNECTIONS} connections (autocannon)`,
    `  throughput   ${result.requests.average.toFixed(0)} req/s average (${(ORDERS / result.duration).toFixed(0)} orders/s over ${result.duration.toFixed(1)} s)`,
    `  latency      p50 ${l.p50} ms   p90 ${l.p90} ms   p99 ${l.p99} ms   max ${l.max} ms`,
    `  p99 target   ${TARGET_P99_MS} ms -> ${l.p99 <= TARGET_P99_MS ? 'met' : 'NOT met'} (ratio ${(l.p99 / TARGET_P99_MS).toFixed(2)})`,
    `  responses    2xx ${result['2xx']}   non-2xx ${result.non2xx}   errors ${result.errors}   timeouts ${result.timeouts}`,
    `  stored       ${stored} orders (expected ${ORDERS})`,
  ];
  console.log(lines.join('\n'));
  if (stored !== ORDERS || result.non2xx > 0 || result.errors > 0) process.exitCode = 1;
}

if (process.env.BENCH_ROLE === 'server') void runServer();
else await main();
