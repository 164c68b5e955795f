/**
 * A worker process for the crash-point test: a real Worker on the test's SQLite file and
 * simulator, whose operation hooks kill the process (SIGKILL, no cleanup) with a given probability
 * before the remote call, after it before the local commit, or after the commit.
 *
 * env: CRASH_DB, CRASH_ID_URL, CRASH_API_URL, CRASH_POINT + CRASH_AFTER (a scheduled crash),
 * CRASH_KIND (only the hooks of this operation kind count, e.g. `allocateOrder`, `shipOrders`),
 * CRASH_SHIP_BATCH (orders per bulk-shipping call),
 * CRASH_SEED + CRASH_PROBABILITY (random crashes), CRASH_KILL_AFTER_MS
 * (a kill at a random moment, e.g. in the middle of an import page)
 */
import { openDatabase } from '@renkei/persistence';
import { Worker } from '../../src/worker.js';
import { testDeps } from './fixture.js';
import { createWorkerClient } from '../../src/smaregi/client.js';
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET } from '@renkei/smaregi-simulator';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const env = process.env;
const random = rng(Number(env.CRASH_SEED ?? '1'));
const p = Number(env.CRASH_PROBABILITY ?? '0');
// A scheduled crash: die at the CRASH_AFTER-th pass through the point CRASH_POINT.
const scheduledPoint = env.CRASH_POINT ?? '';
const scheduledKind = env.CRASH_KIND ?? '';
let countdown = Number(env.CRASH_AFTER ?? '0');
const crash =
  (point: string) =>
  (kind: string): void => {
    if (scheduledKind !== '' && kind !== scheduledKind) return;
    const scheduled = point === scheduledPoint && --countdown === 0;
    if (scheduled || random() < p) {
      process.stderr.write(`CRASH ${point} ${kind}\n`);
      process.kill(process.pid, 'SIGKILL');
    }
  };

const orm = await openDatabase({ location: { dialect: 'sqlite', path: env.CRASH_DB ?? '' } });
const client = createWorkerClient({
  idBaseUrl: env.CRASH_ID_URL ?? '',
  apiBaseUrl: env.CRASH_API_URL ?? '',
  clientId: DEMO_CLIENT_ID,
  clientSecret: DEMO_CLIENT_SECRET,
  readsPerSecond: 500,
  writesPerSecond: 500,
  requestTimeoutMs: 5_000,
});
const worker = new Worker(
  testDeps(
    orm,
    client,
    {
      singleProcess: true,
      orderConcurrency: 8,
      ...(env.CRASH_SHIP_BATCH ? { shippingBatchSize: Number(env.CRASH_SHIP_BATCH) } : {}),
    },
    {
      beforeRemoteCall: crash('beforeRemoteCall'),
      afterRemoteCall: crash('afterRemoteCall'),
      afterCommit: crash('afterCommit'),
    },
  ),
  { pollMs: 20, reconcileMs: 600_000, tokenUpkeepMs: 600_000 },
);
await worker.start();
process.stderr.write('READY\n');
const killAfter = Number(env.CRASH_KILL_AFTER_MS ?? '0');
if (killAfter > 0) {
  setTimeout(() => {
    process.stderr.write('CRASH timer\n');
    process.kill(process.pid, 'SIGKILL');
  }, killAfter);
}
process.on('SIGTERM', () => {
  void worker.stop(2_000).then(async () => {
    await orm.close(true);
    process.exit(0);
  });
});
