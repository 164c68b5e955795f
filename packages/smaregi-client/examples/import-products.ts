/**
 * Task 2: import all products (商品取込).
 *
 * Walks every product page by page (1,000 per request, within the read budget) with flat memory,
 * and reads the stock rows of one store the same way.
 *
 *   pnpm --filter @renkei/smaregi-client exec tsx examples/import-products.ts
 */
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_CONTRACT_ID,
  DEMO_STORE_IDS,
  startSimulator,
} from '@renkei/smaregi-simulator';
import { createSmaregiClient, isSmaregiApiError } from '../src/index.js';

const sim = await startSimulator();
sim.control.seedProducts({ count: 3_000 }); // a shop of a few thousand SKUs
try {
  const smaregi = createSmaregiClient({
    environment: { idBaseUrl: sim.idBaseUrl, apiBaseUrl: sim.apiBaseUrl },
    clientId: DEMO_CLIENT_ID,
    clientSecret: DEMO_CLIENT_SECRET,
  });
  const pos = smaregi.forContract(DEMO_CONTRACT_ID).pos;

  const started = Date.now();
  const byCategory = new Map<string, number>();
  let count = 0;
  for await (const product of pos.products.iterate({}, { prefetch: true })) {
    // Here Renkei would upsert the listed product by productCode (NFKC-normalised).
    byCategory.set(product.categoryId, (byCategory.get(product.categoryId) ?? 0) + 1);
    count++;
  }
  console.log(`imported ${count} products in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`per category: ${[...byCategory].map(([id, n]) => `${id}=${n}`).join(', ')}`);

  let rows = 0;
  for await (const row of pos.stock.iterate({ storeId: DEMO_STORE_IDS.warehouse })) {
    if (Number(row.stockAmount) >= 0) rows++;
  }
  console.log(`warehouse stock rows: ${rows} (products without a row never had a stock change)`);
} catch (error) {
  if (isSmaregiApiError(error)) console.error(`${error.kind}: ${error.message}`);
  throw error;
} finally {
  await sim.close();
}
