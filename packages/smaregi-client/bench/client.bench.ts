/**
 * `pnpm bench`: the client against an in-process simulator with its default limits
 * (10 reads/s, 4 writes/s), printed as ratios to the rate-limit bound (issue 4 "Proof").
 *
 *   1. iterate 100,000 products at 1,000 per page: wall time / (pages / read limit), target <= 1.15;
 *      peak RSS growth during the walk, target <= 100 MB.
 *   2. 1,000 writes (stock add): achieved rate / write limit, target >= 0.9; 429s, target 0.
 *
 * Options: --products N (default 100000), --writes N (default 1000), --concurrency N (default 8).
 * Run it alone on a quiet machine: the figures are wall-clock figures.
 */
import { parseArgs } from 'node:util';
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_CONTRACT_ID,
  DEMO_STORE_IDS,
  startSimulator,
} from '@renkei/smaregi-simulator';
import { createSmaregiClient, DEFAULT_RATE_LIMITS, RENKEI_APP_SCOPES } from '../src/index.js';

const { values } = parseArgs({
  options: {
    products: { type: 'string', default: '100000' },
    writes: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '8' },
  },
});
const PRODUCTS = Number(values.products);
const WRITES = Number(values.writes);
const CONCURRENCY = Number(values.concurrency);
const PAGE = 1000;
const limits = {
  readsPerSecond: DEFAULT_RATE_LIMITS.readsPerSecond,
  writesPerSecond: DEFAULT_RATE_LIMITS.writesPerSecond,
};

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const verdict = (ok: boolean): string => (ok ? 'OK' : 'MISSED');

const sim = await startSimulator({ rateLimits: limits, journalLimit: 500_000 });
try {
  const existing = sim.control.summary(DEMO_CONTRACT_ID).products ?? 0;
  if (PRODUCTS > existing)
    sim.control.seedProducts({ count: PRODUCTS - existing, codePrefix: 'BENCH' });
  const total = sim.control.summary(DEMO_CONTRACT_ID).products ?? 0;

  const client = createSmaregiClient({
    environment: { idBaseUrl: sim.idBaseUrl, apiBaseUrl: sim.apiBaseUrl },
    clientId: DEMO_CLIENT_ID,
    clientSecret: DEMO_CLIENT_SECRET,
    rateLimits: limits,
    // The write benchmark adds stock, which Renkei itself does not do.
    appScopes: [...RENKEI_APP_SCOPES, 'pos.stock:write'],
  });
  const api = client.forContract(DEMO_CONTRACT_ID);
  await api.pos.stores.list(); // token and connection warm-up, outside the measurements
  await new Promise((resolve) => setTimeout(resolve, 1100)); // let the read window empty

  // ---------------------------------------------------------------- 1. iterate all products
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }, 25);
  const journalBefore = sim.control.journal({ host: 'api' }).length;
  const started = performance.now();
  let count = 0;
  for await (const product of api.pos.products.iterate({}, { limit: PAGE, prefetch: true })) {
    if (product.productId) count++;
  }
  const elapsedS = (performance.now() - started) / 1000;
  clearInterval(sampler);
  rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  const readCalls = sim.control.journal({ host: 'api' }).slice(journalBefore);
  const pages = readCalls.filter((e) => e.status === 200).length;
  const bound = pages / limits.readsPerSecond;
  const readRatio = elapsedS / bound;
  const growth = rssPeak - rssBefore;
  console.log(
    `iterate products: ${count} of ${total} products, ${pages} pages of ${PAGE} in ${elapsedS.toFixed(2)} s`,
  );
  console.log(
    `  bound pages/readLimit = ${bound.toFixed(2)} s; ratio = ${readRatio.toFixed(3)} (target <= 1.15) ${verdict(readRatio <= 1.15)}`,
  );
  console.log(
    `  peak RSS growth = ${mb(growth)} (target <= 100 MB) ${verdict(growth <= 100 * 1024 * 1024)}`,
  );
  console.log(`  429 responses = ${readCalls.filter((e) => e.status === 429).length}`);

  // ---------------------------------------------------------------- 2. writes
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const writeJournalBefore = sim.control.journal({ host: 'api' }).length;
  const productIds = ['8000001', '8000002', '8000003', '8000004', '8000005'];
  let next = 0;
  const writeStarted = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < WRITES) {
        const i = next++;
        await api.pos.stock.add(productIds[i % productIds.length]!, {
          storeId: DEMO_STORE_IDS.shibuya,
          stockAmount: 1,
        });
      }
    }),
  );
  const writeElapsedS = (performance.now() - writeStarted) / 1000;
  const writeCalls = sim.control.journal({ host: 'api' }).slice(writeJournalBefore);
  const rate = WRITES / writeElapsedS;
  const writeRatio = rate / limits.writesPerSecond;
  const writes429 = writeCalls.filter((e) => e.status === 429).length;
  console.log(
    `writes: ${WRITES} stock adds in ${writeElapsedS.toFixed(2)} s with ${CONCURRENCY} workers`,
  );
  console.log(
    `  achieved ${rate.toFixed(3)}/s; ratio to write limit = ${writeRatio.toFixed(3)} (target >= 0.9) ${verdict(writeRatio >= 0.9)}`,
  );
  console.log(`  429 responses = ${writes429} (target 0) ${verdict(writes429 === 0)}`);
} finally {
  await sim.close();
}
