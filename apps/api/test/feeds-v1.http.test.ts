import {
  forkEm,
  ListedProduct,
  Order,
  OrderLine,
  parseSettings,
  productStockFigures,
  Shop,
  StockLevel,
  Tenant,
  tenantRepositories,
} from '@renkei/persistence';
import { feedsCaughtUp, testDialects } from '@renkei/persistence/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  seedTenant,
  signedInCaller,
  validOrder,
  type SeededTenant,
  type TestApp,
} from './helpers.js';

/*
 * The change feeds of the REST API v1 through HTTP: `GET /api/v1/orders` (orders:read) and
 * `GET /api/v1/stock` / `GET /api/v1/stock/{productCode}` (stock:read). Paging while orders
 * change (through the repositories, raw updates and PATCH) loses nothing and repeats nothing but
 * what changed after its page; on PostgreSQL a transaction open across a page read still arrives
 * once it commits. Bad parameters are 400s naming the field, a key never reads another tenant's
 * orders or stock, a key without the scope is refused.
 */
describe.each(testDialects())('REST change feeds v1 (%s)', (dialect) => {
  let t: TestApp;
  let a: SeededTenant;
  let b: SeededTenant;
  let caller: Awaited<ReturnType<typeof signedInCaller>>['caller'];

  interface FeedOrder {
    id: string;
    orderNumber: string;
    version: string;
    syncState: string;
    shippingDate: string | null;
  }

  const create = async (tenant: SeededTenant, orderNumber: string) => {
    const res = await request(t.app)
      .post('/api/v1/orders')
      .set('Authorization', `Bearer ${tenant.apiKey}`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(validOrder(tenant, { orderNumber })));
    expect(res.status).toBe(201);
    return res.body.order as { id: string; orderNumber: string };
  };
  /**
   * One feed request. It waits first until the feed shows every change committed before it
   * (other test files' transactions on the same PostgreSQL server hold it back meanwhile), unless
   * `caughtUp` is false: the caller holds a transaction open itself.
   */
  const feed = async (
    path: '/api/v1/orders' | '/api/v1/stock',
    query: Record<string, string>,
    key = a.apiKey,
    lang?: string,
    caughtUp = true,
  ) => {
    if (caughtUp) await feedsCaughtUp(forkEm(t.deps.orm));
    const req = request(t.app).get(path).query(query).set('Authorization', `Bearer ${key}`);
    return lang === undefined ? req : req.set('Accept-Language', lang);
  };
  const getOrder = (orderNumber: string, key = a.apiKey) =>
    request(t.app)
      .get(`/api/v1/orders/${encodeURIComponent(orderNumber)}`)
      .set('Authorization', `Bearer ${key}`);
  const patch = async (orderNumber: string, body: unknown) => {
    const etag = (await getOrder(orderNumber)).headers.etag as string;
    const res = await request(t.app)
      .patch(`/api/v1/orders/${encodeURIComponent(orderNumber)}`)
      .set('Authorization', `Bearer ${a.apiKey}`)
      .set('Content-Type', 'application/json')
      .set('If-Match', etag)
      .send(JSON.stringify(body));
    expect(res.status).toBe(200);
  };
  /** Reads the order feed to its end from `cursor`; returns the pages and the cursor to keep. */
  const readToEnd = async (
    cursor: string | undefined,
    limit: number,
    key = a.apiKey,
    caughtUp = true,
  ) => {
    const pages: FeedOrder[][] = [];
    let next = cursor;
    for (;;) {
      const res = await feed(
        '/api/v1/orders',
        { limit: String(limit), ...(next === undefined ? {} : { cursor: next }) },
        key,
        undefined,
        caughtUp,
      );
      expect(res.status).toBe(200);
      pages.push(res.body.orders);
      next = res.body.nextCursor;
      if (!res.body.hasMore) return { pages, cursor: next! };
    }
  };
  const fields = (res: request.Response) =>
    (res.body.errors as { field: string }[]).map((e) => e.field);

  beforeAll(async () => {
    t = await createTestApp(dialect);
    a = await seedTenant(t.deps, 'A');
    b = await seedTenant(t.deps, 'B');
    ({ caller } = await signedInCaller(t.deps, a));
  });
  afterAll(() => t.close());

  it('pages through orders changing meanwhile: each order at its latest, again only after a change, never twice on a page', async () => {
    const numbers = Array.from({ length: 12 }, (_, i) => `FEED-${String(i + 1).padStart(2, '0')}`);
    const ids = new Map<string, string>();
    for (const n of numbers) ids.set(n, (await create(a, n)).id);
    await create(b, 'FEED-B-1');
    const start = await readToEnd(undefined, 500);
    // Whatever came before (other tests' orders) is read; from here on only this test's changes.
    let cursor = start.cursor;
    expect(start.pages.flat().map((o) => o.orderNumber)).toEqual(expect.arrayContaining(numbers));
    expect(start.pages.flat().some((o) => o.orderNumber === 'FEED-B-1')).toBe(false);

    // Every order changes once before paging starts, so each is in the feed from `cursor` on.
    for (const n of numbers)
      await forkEm(t.deps.orm).nativeUpdate(Order, { id: ids.get(n)! }, { slipNumber: `S-${n}` });

    const seen: { page: number; order: FeedOrder }[] = [];
    /** The pages after which each order was changed. */
    const changedAfter = new Map<string, number[]>(numbers.map((n) => [n, []]));
    const change = async (page: number, n: string, how: 'repo' | 'raw' | 'line' | 'patch') => {
      changedAfter.get(n)!.push(page);
      const id = ids.get(n)!;
      if (how === 'repo') {
        const em = forkEm(t.deps.orm);
        const order = await tenantRepositories(em, a.tenantId).orders.findById(id);
        order!.shipToName = `変更 ${page}`;
        await em.flush();
      } else if (how === 'raw') {
        await forkEm(t.deps.orm).nativeUpdate(Order, { id }, { syncState: 'registered' });
      } else if (how === 'line') {
        await forkEm(t.deps.orm).nativeUpdate(
          OrderLine,
          { order: id },
          { allocatedQuantity: page + 1 },
        );
      } else {
        await patch(n, { shippingDate: `2026-04-${String(page + 10).padStart(2, '0')}` });
      }
    };
    for (let page = 0; ; page++) {
      const res = await feed('/api/v1/orders', { limit: '3', cursor });
      expect(res.status).toBe(200);
      const orders = res.body.orders as FeedOrder[];
      expect(new Set(orders.map((o) => o.id)).size).toBe(orders.length);
      for (const order of orders) seen.push({ page, order });
      cursor = res.body.nextCursor;
      // Between page reads: orders already delivered and orders still ahead change, every way.
      if (page === 0) {
        await change(page, 'FEED-01', 'repo'); // delivered on this page
        await change(page, 'FEED-10', 'raw'); // still ahead
      } else if (page === 1) {
        await change(page, 'FEED-02', 'line');
        await change(page, 'FEED-11', 'patch');
        await change(page, 'FEED-04', 'patch'); // delivered on this page
      } else if (page === 2) {
        await change(page, 'FEED-01', 'patch'); // delivered twice already
        await change(page, 'FEED-12', 'line');
      }
      if (!res.body.hasMore) break;
      expect(page).toBeLessThan(30);
    }

    for (const n of numbers) {
      const appearances = seen.filter((s) => s.order.orderNumber === n);
      // Nothing skipped: the last appearance is the order as it is now.
      const now = (await getOrder(n)).body.order as FeedOrder;
      expect(appearances.at(-1)?.order.version, n).toBe(now.version);
      // Nothing repeated: a later appearance follows a change made after the previous one's page.
      for (let i = 1; i < appearances.length; i++) {
        const [prev, cur] = [appearances[i - 1]!.page, appearances[i]!.page];
        expect(
          changedAfter.get(n)!.some((c) => c >= prev && c < cur),
          `${n} again on page ${cur}`,
        ).toBe(true);
      }
    }
    const count = (n: string) => seen.filter((s) => s.order.orderNumber === n).length;
    // Changed while still ahead: delivered once, at its latest (FEED-01's second change came
    // while it was ahead again). Changed after delivery: once more.
    expect(Object.fromEntries(numbers.map((n) => [n, count(n)]))).toEqual({
      'FEED-01': 2,
      'FEED-02': 2,
      'FEED-03': 1,
      'FEED-04': 2,
      'FEED-05': 1,
      'FEED-06': 1,
      'FEED-07': 1,
      'FEED-08': 1,
      'FEED-09': 1,
      'FEED-10': 1,
      'FEED-11': 1,
      'FEED-12': 1,
    });
    expect(seen.some((s) => s.order.orderNumber === 'FEED-B-1')).toBe(false);

    // The end of the feed: the kept cursor gives nothing until something changes.
    const idle = await feed('/api/v1/orders', { cursor });
    expect(idle.body).toMatchObject({ orders: [], hasMore: false, nextCursor: cursor });
    await change(9, 'FEED-07', 'raw');
    const after = await feed('/api/v1/orders', { cursor });
    expect((after.body.orders as FeedOrder[]).map((o) => o.orderNumber)).toEqual(['FEED-07']);
    expect(after.body.orders[0]).toMatchObject({
      syncState: 'registered',
      version: expect.any(String),
    });
  });

  it.runIf(dialect === 'postgresql')(
    'a transaction open across page reads holds later changes back, and its change arrives once it commits',
    async () => {
      const early = await create(a, 'HOLD-1');
      const late = await create(a, 'HOLD-2');
      const { cursor } = await readToEnd(undefined, 500);

      const open = forkEm(t.deps.orm);
      await open.begin();
      try {
        await open.nativeUpdate(Order, { id: early.id }, { slipNumber: 'IN-FLIGHT' });
        // Committed meanwhile by someone else, after the open transaction began writing.
        await forkEm(t.deps.orm).nativeUpdate(Order, { id: late.id }, { slipNumber: 'DONE' });
        const held = await readToEnd(cursor, 2, a.apiKey, false);
        expect(held.pages.flat()).toEqual([]);
        expect(held.cursor).toBe(cursor);
        await open.commit();
      } catch (error) {
        await open.rollback();
        throw error;
      }
      const arrived = await readToEnd(cursor, 2);
      const orders = arrived.pages.flat() as (FeedOrder & {
        shipping: { slipNumber: string | null };
      })[];
      expect(orders.map((o) => [o.orderNumber, o.shipping.slipNumber])).toEqual([
        ['HOLD-1', 'IN-FLIGHT'],
        ['HOLD-2', 'DONE'],
      ]);
    },
  );

  it('updatedSince starts the feed at changes made at or after an instant, and the cursor keeps it', async () => {
    await create(a, 'SINCE-OLD');
    await new Promise((r) => setTimeout(r, 30));
    const since = new Date();
    await new Promise((r) => setTimeout(r, 30));
    await create(a, 'SINCE-1');
    await create(a, 'SINCE-2');
    await create(a, 'SINCE-3');
    const iso = since.toISOString().replace('Z', '+00:00');
    const first = await feed('/api/v1/orders', { updatedSince: iso, limit: '2' });
    expect(first.status).toBe(200);
    expect(first.body.orders.map((o: FeedOrder) => o.orderNumber)).toEqual(['SINCE-1', 'SINCE-2']);
    expect(first.body.hasMore).toBe(true);
    // The cursor alone carries updatedSince; sent again, it must be the same instant.
    const next = await feed('/api/v1/orders', { cursor: first.body.nextCursor });
    expect(next.body.orders.map((o: FeedOrder) => o.orderNumber)).toEqual(['SINCE-3']);
    const same = await feed('/api/v1/orders', {
      cursor: first.body.nextCursor,
      updatedSince: since.toISOString(),
    });
    expect(same.status).toBe(200);
    const other = await feed('/api/v1/orders', {
      cursor: first.body.nextCursor,
      updatedSince: '2020-01-01T00:00:00Z',
    });
    expect(other.status).toBe(400);
    expect(fields(other)).toEqual(['updatedSince']);
    // An order changed after the instant comes again, one changed before it does not.
    const old = (await getOrder('SINCE-OLD')).body.order as FeedOrder;
    expect(
      (await feed('/api/v1/orders', { updatedSince: iso, limit: '500' })).body.orders.some(
        (o: FeedOrder) => o.id === old.id,
      ),
    ).toBe(false);
  });

  it('refuses bad parameters with a 400 naming the field, in Japanese or English', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ updatedSince: 'yesterday' }, 'updatedSince'],
      [{ updatedSince: '2026-13-45T99:00:00Z' }, 'updatedSince'],
      [{ updatedSince: '2026-12-01' }, 'updatedSince'],
      [{ limit: '0' }, 'limit'],
      [{ limit: '501' }, 'limit'],
      [{ limit: '1.5' }, 'limit'],
      [{ cursor: 'not a cursor!' }, 'cursor'],
      [{ cursor: 'eyJmIjoib3JkZXJzIn0' }, 'cursor'],
    ];
    for (const [query, field] of cases) {
      const res = await feed('/api/v1/orders', query);
      expect([res.status, fields(res)], JSON.stringify(query)).toEqual([400, [field]]);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    const ja = await feed('/api/v1/orders', { limit: '0' });
    expect(ja.headers['content-language']).toBe('ja');
    expect(ja.body.errors[0].detail).toContain('1 から 500');
    const en = await feed('/api/v1/stock', { updatedSince: 'yesterday' }, a.apiKey, 'en');
    expect(en.headers['content-language']).toBe('en');
    expect(en.body.errors[0]).toMatchObject({ field: 'updatedSince' });
    expect(en.body.errors[0].detail).toMatch(/ISO 8601/);

    // A cursor edited by one character, or of the other feed, or of another tenant, is refused.
    await create(a, 'CURSOR-1');
    await create(a, 'CURSOR-2');
    const page = await feed('/api/v1/orders', { limit: '1' });
    const cursor = page.body.nextCursor as string;
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as { p: string };
    const moved = Buffer.from(
      JSON.stringify({ ...decoded, p: String(BigInt(decoded.p) + 1n) }),
    ).toString('base64url');
    expect(fields(await feed('/api/v1/orders', { cursor: moved }))).toEqual(['cursor']);
    expect(fields(await feed('/api/v1/stock', { cursor }))).toEqual(['cursor']);
    expect(fields(await feed('/api/v1/orders', { cursor }, b.apiKey))).toEqual(['cursor']);
    expect((await feed('/api/v1/orders', { cursor })).status).toBe(200);
  });

  it('a key without the scope is refused with 403; a key of another tenant never sees these orders or stock', async () => {
    const stockOnly = await caller.apiKeys.create({ name: 'stock only', scopes: ['stock:read'] });
    const ordersOnly = await caller.apiKeys.create({
      name: 'orders only',
      scopes: ['orders:read'],
    });
    const writeOnly = await caller.apiKeys.create({ name: 'write', scopes: ['orders:write'] });
    const refused = await feed('/api/v1/orders', {}, stockOnly.key);
    expect(refused.status).toBe(403);
    expect(refused.body.details.missingScope).toBe('orders:read');
    expect((await feed('/api/v1/orders', {}, writeOnly.key)).status).toBe(403);
    expect((await feed('/api/v1/stock', {}, ordersOnly.key)).status).toBe(403);
    const one = await request(t.app)
      .get('/api/v1/stock/ANY')
      .set('Authorization', `Bearer ${ordersOnly.key}`);
    expect([one.status, one.body.details.missingScope]).toEqual([403, 'stock:read']);
    expect((await feed('/api/v1/orders', {}, ordersOnly.key)).status).toBe(200);
    expect((await feed('/api/v1/stock', {}, stockOnly.key)).status).toBe(200);
    expect((await request(t.app).get('/api/v1/orders')).status).toBe(401);

    // Tenant B reads its own orders only, and none of A's stock.
    const em = forkEm(t.deps.orm);
    em.create(ListedProduct, {
      tenant: em.getReference(Tenant, a.tenantId),
      productCode: 'ONLY-A',
      productCodeKey: 'ONLY-A',
      name: 'A の商品',
      effectiveStock: 3,
    });
    await em.flush();
    const bOrders = (await readToEnd(undefined, 500, b.apiKey)).pages.flat();
    const bIds = new Set(bOrders.map((o) => o.id));
    const aIds = (await readToEnd(undefined, 500)).pages.flat().map((o) => o.id);
    expect(aIds.length).toBeGreaterThan(0);
    expect(aIds.some((id) => bIds.has(id))).toBe(false);
    expect(bOrders.every((o) => o.orderNumber.startsWith('FEED-B'))).toBe(true);
    const bStock = await feed('/api/v1/stock', { limit: '500' }, b.apiKey);
    expect(bStock.body.products).toEqual([]);
    const aStock = await feed('/api/v1/stock', { limit: '500' });
    expect(aStock.body.products.map((p: { productCode: string }) => p.productCode)).toContain(
      'ONLY-A',
    );
    const notB = await request(t.app)
      .get('/api/v1/stock/ONLY-A')
      .set('Authorization', `Bearer ${b.apiKey}`)
      .set('Accept-Language', 'en');
    expect(notB.status).toBe(404);
    expect(notB.body.errors.map((e: { field: string }) => e.field)).toEqual(['productCode']);
    expect(notB.body.detail).toContain('ONLY-A');
    // A "code" longer than any product code is refused as such, not echoed back in a 404.
    const huge = await request(t.app)
      .get(`/api/v1/stock/${'A'.repeat(5000)}`)
      .set('Authorization', `Bearer ${b.apiKey}`);
    expect(huge.status).toBe(400);
    expect(huge.body.errors.map((e: { field: string }) => e.field)).toEqual(['productCode']);
  });

  it('answers stock with the figures stock-figures.ts gives, and the feed moves a product when its figures change', async () => {
    const em = forkEm(t.deps.orm);
    await em.nativeUpdate(Shop, { id: a.shopId }, { orderStoreId: '10', warehouseStoreId: '1' });
    const tenant = em.getReference(Tenant, a.tenantId);
    const product = em.create(ListedProduct, {
      tenant,
      productCode: 'TS-001',
      productCodeKey: 'TS-001',
      name: 'Tシャツ',
      smaregiProductId: '8000001',
      effectiveStock: 7,
      stockAmount: 9,
      allocatedAmount: 2,
      stockUpdatedAt: new Date('2026-11-30T00:00:00Z'),
      syncState: 'synced',
    });
    const other = em.create(ListedProduct, {
      tenant,
      productCode: 'CAP-1',
      productCodeKey: 'CAP-1',
      name: 'キャップ',
      smaregiProductId: '8000002',
      effectiveStock: 1,
      syncState: 'synced',
    });
    for (const [store, amount, allocated] of [
      ['1', 9, 2],
      ['2', 4, 0],
    ] as const)
      em.create(StockLevel, {
        tenant,
        product,
        smaregiStoreId: store,
        stockAmount: amount,
        allocatedAmount: allocated,
        source: 'reconciliation',
      });
    await em.flush();

    const res = await request(t.app)
      .get('/api/v1/stock/%EF%BC%B4%EF%BC%B3-001') // full-width ＴＳ-001 matches TS-001
      .set('Authorization', `Bearer ${a.apiKey}`);
    expect(res.status).toBe(200);
    const repos = tenantRepositories(forkEm(t.deps.orm), a.tenantId);
    const settings = parseSettings(await repos.settings.get());
    const expected = await productStockFigures(
      repos,
      (await repos.products.findById(product.id))!,
      settings,
    );
    expect(res.body.figures).toEqual({
      stockBasis: expected.stockBasis,
      effectiveStockMode: expected.effectiveStockMode,
      warehouse: expected.warehouse,
      rows: expected.rows.map((r) => ({ ...r, readAt: r.readAt.toISOString() })),
      openOrderQuantity: expected.openOrderQuantity,
      computed: expected.computed,
      problem: expected.problem,
    });
    expect(res.body.figures.computed).not.toBeNull();
    expect(res.body.figures.warehouse).toMatchObject({ storeId: '1' });
    expect(res.body.product).toEqual({
      productCode: 'TS-001',
      name: 'Tシャツ',
      smaregiProductId: '8000001',
      effectiveStock: 7,
      stockAmount: 9,
      allocatedAmount: 2,
      recomputeDue: false,
      stockUpdatedAt: '2026-11-30T00:00:00.000Z',
      stores: [
        { smaregiStoreId: '1', stockAmount: 9, allocatedAmount: 2 },
        { smaregiStoreId: '2', stockAmount: 4, allocatedAmount: 0 },
      ],
    });

    // The feed carries the same item, the settings, and moves a product when its figures change.
    const all = await feed('/api/v1/stock', { limit: '500' });
    expect(all.body.settings).toEqual({
      stockBasis: settings.stockBasis,
      effectiveStockMode: settings.effectiveStockMode,
      warehouseStoreId: '1',
    });
    const items = all.body.products as { productCode: string }[];
    expect(items.find((p) => p.productCode === 'TS-001')).toEqual(res.body.product);
    // Both were written last (in one transaction: on PostgreSQL one position, by ID).
    expect(
      items
        .map((p) => p.productCode)
        .slice(-2)
        .sort(),
    ).toEqual(['CAP-1', 'TS-001']);
    const cursor = all.body.nextCursor as string;
    // A reconciliation that finds the same figures moves nothing.
    await forkEm(t.deps.orm).nativeUpdate(
      ListedProduct,
      { id: product.id },
      { stockUpdatedAt: new Date('2026-12-01T00:00:00Z') },
    );
    expect((await feed('/api/v1/stock', { cursor })).body.products).toEqual([]);
    // A store's stock, then a recompute mark, then the new figure: each brings the product again.
    await forkEm(t.deps.orm).nativeUpdate(
      StockLevel,
      { product: product.id, smaregiStoreId: '2' },
      { stockAmount: 3 },
    );
    await tenantRepositories(forkEm(t.deps.orm), a.tenantId).stockMarks.request(['8000002']);
    const moved = await feed('/api/v1/stock', { cursor });
    expect(
      moved.body.products.map((p: { productCode: string; recomputeDue: boolean }) => [
        p.productCode,
        p.recomputeDue,
      ]),
    ).toEqual([
      ['TS-001', false],
      ['CAP-1', true],
    ]);
    expect(moved.body.products[0].stores[1]).toEqual({
      smaregiStoreId: '2',
      stockAmount: 3,
      allocatedAmount: 0,
    });
    const w = forkEm(t.deps.orm);
    const cap = await w.findOneOrFail(ListedProduct, { id: other.id });
    cap.effectiveStock = 0;
    cap.stockRecomputeRequests = 0;
    await w.flush();
    const last = await feed('/api/v1/stock', { cursor: moved.body.nextCursor });
    expect(last.body.products).toMatchObject([
      { productCode: 'CAP-1', effectiveStock: 0, recomputeDue: false },
    ]);
  });
});
