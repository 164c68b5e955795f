/**
 * `pnpm bench` (feeds): the REST API v1 change feeds on a large tenant — `GET /api/v1/orders`
 * (each order as `GET /api/v1/orders/{orderNumber}` shows it) and `GET /api/v1/stock` — on
 * SQLite (a file, WAL) and on PostgreSQL when RENKEI_TEST_PG_URL names a server (a throwaway
 * database is made and dropped).
 *
 * The tenant holds 100,000 orders (one or two lines each, 1 % with a shipment in the ledger) and
 * 100,000 listed products (stock rows in two stores); another tenant 20,000 of each. Rows are
 * written as the intake and the worker write them, so the change positions are the triggers' own
 * (Migration20261203010000). Each scenario is one page read over HTTP from an in-process server
 * with the API key's own authentication (its per-second budget lifted: the bench measures a page,
 * not the budget); the figure is server time (request in to response finished), the loopback
 * round trip shown beside it. Pages of the default size (50) are held to the bound, p95 < 50 ms
 * (issue 15); pages of 100 and of 500 (the most a client may ask for) are shown for information.
 * A walk follows `nextCursor` from page to page as a client catching up does.
 *
 *   BENCH_ROWS=100000 BENCH_RUNS=40 BENCH_DIALECTS=sqlite,postgresql \
 *     RENKEI_TEST_PG_URL=postgresql://... pnpm bench
 */
import type { AddressInfo } from 'node:net';
import {
  forkEm,
  OrderStatus,
  PaymentMethod,
  Shop,
  Tenant,
  tenantRepositories,
  type Dialect,
  type ListedProduct,
  type Order,
  type OrderLine,
  type Orm,
  type StockLevel,
} from '@renkei/persistence';
import express from 'express';
import { createApp } from '../src/app.js';
import { FEED_LIMIT_DEFAULT } from '../src/services/feeds/feed-query.js';
import { createApiKey, createTenant } from '../src/services/tenancy.js';
import { benchDialects, openBenchStack } from './admin-bench.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const OTHER_TENANT_ROWS = Math.round(ROWS / 5);
const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const WARMUP = 5;
const BOUND_P95_MS = 50;
const CHUNK = 2000;
const FIRST_AT = Date.parse('2026-06-01T00:00:00+09:00');

interface Seeded {
  tenantId: string;
  apiKey: string;
  /** An instant when half of the rows were written (an `updatedSince` that skips half). */
  halfway: Date;
}

/** A tenant with `rows` orders (with lines and some shipments) and `rows` stocked products. */
async function seedTenant(orm: Orm, name: string, rows: number): Promise<Seeded> {
  const em = forkEm(orm);
  const tenant = await createTenant(em, { name });
  const { plaintext } = await createApiKey(em, { tenantId: tenant.id, name: 'bench' });
  const t = em.getReference(Tenant, tenant.id);
  const shop = em.create(Shop, {
    tenant: t,
    name: '楽天市場店',
    mallKind: 'rakuten',
    taxMode: 'included',
    orderStoreId: '10',
    warehouseStoreId: '1',
  });
  const method = em.create(PaymentMethod, { tenant: t, name: 'クレジットカード', code: 'credit' });
  const status = em.create(OrderStatus, {
    tenant: t,
    name: '新規受付',
    category: 'open',
    sortOrder: 1,
  });
  await em.flush();

  let halfway = new Date();
  for (let start = 0; start < rows; start += CHUNK) {
    if (start < rows / 2) halfway = new Date();
    const w = forkEm(orm);
    const repos = tenantRepositories(w, tenant.id);
    const orders: Order[] = [];
    const lines: OrderLine[] = [];
    const products: ListedProduct[] = [];
    const levels: StockLevel[] = [];
    for (let i = start; i < Math.min(rows, start + CHUNK); i++) {
      const at = new Date(FIRST_AT + i * 60_000);
      const number = `R-${String(i).padStart(7, '0')}`;
      const order = repos.orders.draft({
        shop: w.getReference(Shop, shop.id),
        orderNumber: number,
        orderCode: number,
        status: w.getReference(OrderStatus, status.id),
        orderedAt: at,
        paymentMethod: w.getReference(PaymentMethod, method.id),
        shipToName: '山田 太郎',
        shipToPostalCode: '150-0041',
        shipToAddress: '東京都渋谷区神南1-1-1',
        shipToPhone: '03-0000-0000',
        shippingFee: 550,
        source: 'api',
        syncState: i % 10 === 0 ? 'pending' : 'registered',
        smaregiOrderHeadId: i % 10 === 0 ? null : String(100_000 + i),
        allocationStatus: i % 10 === 0 ? null : 'allocated',
        createdAt: at,
        updatedAt: at,
      });
      orders.push(order);
      for (let n = 1; n <= 1 + (i % 2); n++)
        lines.push(
          repos.orderLines.draft({
            order,
            lineNo: n,
            productCode: `P-${String((i * 7 + n) % rows).padStart(6, '0')}`,
            name: `Tシャツ ${n}`,
            unitPrice: 3300,
            quantity: n,
            allocatedQuantity: i % 10 === 0 ? 0 : n,
          }),
        );
      const code = `P-${String(i).padStart(6, '0')}`;
      const stock = (i * 13) % 500;
      const product = repos.products.draft({
        productCode: code,
        productCodeKey: code,
        name: `商品 ${i}`,
        smaregiProductId: String(8_000_001 + i),
        effectiveStock: stock,
        stockAmount: stock + 2,
        allocatedAmount: 2,
        stockUpdatedAt: at,
        syncState: 'synced',
        createdAt: at,
        updatedAt: at,
      });
      products.push(product);
      for (const storeId of ['1', '2'])
        levels.push(
          repos.stockLevels.draft({
            product,
            smaregiStoreId: storeId,
            stockAmount: storeId === '1' ? stock + 2 : 7,
            allocatedAmount: storeId === '1' ? 2 : 0,
            source: 'reconciliation',
            updatedAt: at,
          }),
        );
    }
    await w.begin();
    await repos.orders.insertAll(orders);
    await repos.orderLines.insertAll(lines);
    await repos.products.insertAll(products);
    await repos.stockLevels.insertAll(levels);
    await w.commit();
    // 1 % of the orders have a shipment in the ledger (the view reads it per page).
    const ops = forkEm(orm);
    for (const order of orders.filter((_, k) => (start + k) % 100 === 3))
      tenantRepositories(ops, tenant.id).operations.create({
        kind: 'shipOrders',
        businessKey: `ship:${order.id}`,
        state: 'succeeded',
      });
    await ops.flush();
  }
  return { tenantId: tenant.id, apiKey: plaintext, halfway };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? NaN;

async function benchDialect(dialect: Dialect): Promise<boolean> {
  const db = await openBenchStack(dialect, 'feeds', {
    RENKEI_API_KEY_RATE_PER_SECOND: '1000000',
  });
  // Server time: from the request's arrival to the end of its answer.
  let serverMs = 0;
  const outer = express();
  outer.use((_req, res, next) => {
    const start = performance.now();
    res.on('finish', () => (serverMs = performance.now() - start));
    next();
  });
  outer.use(createApp(db.deps));
  const server = outer.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const seedStart = performance.now();
    await seedTenant(db.orm, 'ほかの商店', OTHER_TENANT_ROWS);
    const seeded = await seedTenant(db.orm, 'ベンチ商店', ROWS);
    await forkEm(db.orm)
      .getConnection()
      .execute(dialect === 'postgresql' ? 'vacuum analyze' : 'analyze');
    const seedSeconds = (performance.now() - seedStart) / 1000;

    const get = async (path: string, query: Record<string, string>) => {
      const res = await fetch(`${base}${path}?${new URLSearchParams(query).toString()}`, {
        headers: { authorization: `Bearer ${seeded.apiKey}` },
      });
      const body = (await res.json()) as { nextCursor: string; hasMore: boolean } & Record<
        string,
        unknown[]
      >;
      if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
      return body;
    };
    /** Follows the feed from its start to its end; returns the cursors met on the way. */
    const cursorsOf = async (path: string, items: string, limit: number) => {
      const cursors: string[] = [];
      let seen = 0;
      let query: Record<string, string> = { limit: String(limit) };
      for (;;) {
        const page = await get(path, query);
        seen += page[items]!.length;
        cursors.push(page.nextCursor);
        if (!page.hasMore) break;
        query = { limit: String(limit), cursor: page.nextCursor };
      }
      if (seen !== ROWS) throw new Error(`${path}: the feed gave ${seen} of ${ROWS} rows`);
      return cursors;
    };

    const lines: string[] = [];
    let met = true;
    /** One scenario; `bounded` false: shown for information (the largest page a client may ask). */
    const scenario = async (
      name: string,
      read: (run: number) => Promise<unknown>,
      bounded = true,
    ) => {
      for (let i = 0; i < WARMUP; i++) await read(i);
      const server: number[] = [];
      const trip: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const start = performance.now();
        await read(WARMUP + i);
        trip.push(performance.now() - start);
        server.push(serverMs);
      }
      server.sort((x, y) => x - y);
      trip.sort((x, y) => x - y);
      const p95 = percentile(server, 0.95);
      const ok = p95 < BOUND_P95_MS;
      if (bounded) met &&= ok;
      const verdict = bounded ? (ok ? 'met' : 'NOT met') : 'not bounded';
      lines.push(
        `  ${name.padEnd(34)} server p50 ${percentile(server, 0.5).toFixed(1).padStart(6)} ms  p95 ${p95.toFixed(1).padStart(6)} ms  ${verdict}  (round trip p95 ${percentile(trip, 0.95).toFixed(1)} ms)`,
      );
    };

    for (const [path, items] of [
      ['/api/v1/orders', 'orders'],
      ['/api/v1/stock', 'products'],
    ] as const) {
      const walkStart = performance.now();
      const cursors = await cursorsOf(path, items, 500);
      const walkSeconds = (performance.now() - walkStart) / 1000;
      const middle = cursors[Math.floor(cursors.length / 2)]!;
      const nearEnd = cursors[cursors.length - 2]!;
      const since = seeded.halfway.toISOString();
      const feed = path === '/api/v1/orders' ? 'order feed' : 'stock feed';
      await scenario(`${feed}: first page`, () => get(path, {}));
      await scenario(`${feed}: middle page`, () => get(path, { cursor: middle }));
      await scenario(`${feed}: last page`, () => get(path, { cursor: nearEnd }));
      await scenario(`${feed}: walk from the start`, (run) =>
        get(path, run === 0 ? {} : { cursor: cursors[(run - 1) % cursors.length]! }),
      );
      await scenario(`${feed}: updatedSince (half)`, () => get(path, { updatedSince: since }));
      await scenario(
        `${feed}: middle page of 100`,
        () => get(path, { cursor: middle, limit: '100' }),
        false,
      );
      await scenario(
        `${feed}: middle page of 500`,
        () => get(path, { cursor: middle, limit: '500' }),
        false,
      );
      lines.push(`  (${feed}: the whole feed read in pages of 500 in ${walkSeconds.toFixed(1)} s)`);
    }
    console.log(
      [
        `change feeds on ${dialect}: ${ROWS.toLocaleString('en-US')} orders and ${ROWS.toLocaleString('en-US')} products (+${OTHER_TENANT_ROWS.toLocaleString('en-US')} each of another tenant, seeded in ${seedSeconds.toFixed(0)} s), ${RUNS} runs each, pages of ${FEED_LIMIT_DEFAULT} (the default) unless named, bound page p95 < ${BOUND_P95_MS} ms server time`,
        ...lines,
        `  bound ${met ? 'met' : 'NOT met'} by every scenario`,
      ].join('\n'),
    );
    return met;
  } finally {
    await new Promise((r) => server.close(r));
    await db.close();
  }
}

await benchDialects('change feeds', benchDialect);
