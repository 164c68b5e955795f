import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EncryptedTokenStore,
  forkEm,
  SmaregiToken,
  TokenVault,
  Job,
  JOB_NAMES,
  newId,
  Order,
  OrderLine,
  OrderStatus,
  PaymentMethod,
  Shop,
  Tenant,
  TenantResolver,
  tenantRepositories,
  UniqueConstraintViolationException,
  WebhookEvent,
} from '../src/index.js';
import { createTestDatabase, testDialects, type TestDatabase } from '../src/testing.js';

describe.each(testDialects())('persistence on %s', (dialect) => {
  let db: TestDatabase;
  let tenantA: string;
  let tenantB: string;

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    const em = forkEm(db.orm);
    const a = em.create(Tenant, { name: 'A' });
    const b = em.create(Tenant, { name: 'B' });
    await em.flush();
    tenantA = a.id;
    tenantB = b.id;
  });
  afterAll(async () => {
    await db.close();
  });

  it('applies every migration: the schema matches the entities', async () => {
    const diff = await db.orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false });
    expect(diff.trim()).toBe('');
  });

  it('scopes every repository query to its tenant', async () => {
    const em = forkEm(db.orm);
    const a = tenantRepositories(em, tenantA);
    const shop = a.shops.create({
      name: '楽天市場店',
      mallKind: 'rakuten',
      taxMode: 'included',
    });
    await em.flush();

    const em2 = forkEm(db.orm);
    const b = tenantRepositories(em2, tenantB);
    expect(await b.shops.findById(shop.id)).toBeNull();
    expect(await b.shops.list()).toEqual([]);
    expect((await tenantRepositories(em2, tenantA).shops.findById(shop.id))?.name).toBe(
      '楽天市場店',
    );
  });

  it('keeps (shop, order code) unique and stores lines with the order', async () => {
    const em = forkEm(db.orm);
    const a = tenantRepositories(em, tenantA);
    const shop = a.shops.create({
      name: 'Amazon',
      mallKind: 'amazon',
      taxMode: 'included',
    });
    const status = a.orderStatuses.create({ name: '新規受付', category: 'open' });
    const payment = a.paymentMethods.create({ name: 'クレジットカード' });
    const order = a.orders.create({
      shop,
      orderNumber: 'A-1',
      orderCode: 'A-1',
      status,
      paymentMethod: payment,
      orderedAt: new Date('2026-11-01T10:00:00Z'),
      total: 1100,
      source: 'api',
    });
    order.lines.add(
      em.create(OrderLine, {
        tenant: order.tenant,
        order,
        lineNo: 1,
        name: 'Tシャツ',
        unitPrice: 1100,
        quantity: 1,
      }),
    );
    await em.flush();
    const found = await tenantRepositories(forkEm(db.orm), tenantA).orders.findByShopAndCode(
      shop.id,
      'A-1',
    );
    expect(found?.lines.getItems().map((l) => l.name)).toEqual(['Tシャツ']);

    const em2 = forkEm(db.orm);
    em2.create(Order, {
      tenant: em2.getReference(Tenant, tenantA),
      shop: em2.getReference(Shop, shop.id),
      orderNumber: 'A-1',
      orderCode: 'A-1',
      status: em2.getReference(OrderStatus, status.id),
      paymentMethod: em2.getReference(PaymentMethod, payment.id),
      orderedAt: new Date(),
      total: 1,
      source: 'api',
    });
    await expect(em2.flush()).rejects.toBeInstanceOf(UniqueConstraintViolationException);
  });

  it('finds orders by many (shop, order code) keys: exact pairs, this tenant only, in chunks', async () => {
    const em = forkEm(db.orm);
    const a = tenantRepositories(em, tenantA);
    const b = tenantRepositories(em, tenantB);
    const status = a.orderStatuses.create({ name: '新規受付', category: 'open' });
    const payment = a.paymentMethods.create({ name: '代金引換' });
    const [s1, s2] = ['楽天', 'Yahoo'].map((name) =>
      a.shops.create({ name, mallKind: 'other', taxMode: 'included' }),
    );
    const foreignShop = b.shops.create({ name: 'B店', mallKind: 'other', taxMode: 'included' });
    const order = (shop: Shop, code: string, repos = a) =>
      repos.orders.create({
        shop,
        orderNumber: code,
        orderCode: code,
        status,
        paymentMethod: payment,
        orderedAt: new Date('2026-11-01T10:00:00Z'),
        source: 'api',
      });
    if (s1 === undefined || s2 === undefined) throw new Error('shops not created');
    // 600 orders of shop 1 (more than one chunk of keys), one of shop 2, one of tenant B.
    for (let i = 0; i < 600; i++) order(s1, `K-${i}`);
    order(s2, 'K-X');
    order(foreignShop, 'K-1', b);
    await em.flush();

    const repos = tenantRepositories(forkEm(db.orm), tenantA);
    const keys = [
      ...Array.from({ length: 600 }, (_, i) => ({ shopId: s1.id, orderCode: `K-${i}` })),
      { shopId: s2.id, orderCode: 'K-X' },
      { shopId: s2.id, orderCode: 'K-0' }, // code of shop 1 asked for shop 2: not a match
      { shopId: s1.id, orderCode: 'K-X' }, // and the other way round
      { shopId: foreignShop.id, orderCode: 'K-1' }, // another tenant's order
    ];
    const found = await repos.orders.findByShopAndCodes(keys);
    expect(found).toHaveLength(601);
    expect(new Set(found.map((o) => `${o.shop.id}/${o.orderCode}`)).size).toBe(601);
    expect(found.filter((o) => o.shop.id === s2.id).map((o) => o.orderCode)).toEqual(['K-X']);
    expect(await repos.orders.findByShopAndCodes([])).toEqual([]);
  });

  it('inserts untracked drafts in the current transaction, only for the own tenant', async () => {
    const em = forkEm(db.orm);
    const a = tenantRepositories(em, tenantA);
    const b = tenantRepositories(em, tenantB);
    const job = (repos: typeof a, key: string) =>
      repos.jobs.draft({ name: JOB_NAMES.registerOrder, payload: { orderId: key }, dedupKey: key });
    await em.begin();
    await a.jobs.insertAll([job(a, 'draft-1'), job(a, 'draft-2')]);
    await em.rollback();
    await em.begin();
    await a.jobs.insertAll([job(a, 'draft-3')]);
    await em.commit();
    const stored = await tenantRepositories(forkEm(db.orm), tenantA).jobs.find({
      dedupKey: { $like: 'draft-%' },
    });
    expect(stored.map((j) => [j.dedupKey, j.state, j.payload])).toEqual([
      ['draft-3', 'queued', { orderId: 'draft-3' }],
    ]);
    await expect(a.jobs.insertAll([job(b, 'draft-4')])).rejects.toThrow(/another tenant/);
    await forkEm(db.orm).nativeDelete(Job, { dedupKey: 'draft-3' }); // the next test counts jobs
  });

  it('creates IDs that sort in creation order (UUID v7), for index locality', () => {
    const ids = Array.from({ length: 1000 }, () => newId());
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(1000);
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('deduplicates queued jobs by key and webhook events by event ID', async () => {
    const em = forkEm(db.orm);
    const a = tenantRepositories(em, tenantA);
    const first = await a.jobs.enqueue(
      JOB_NAMES.registerOrder,
      { orderId: 'o1' },
      { dedupKey: 'o1' },
    );
    await em.flush();
    expect(first.payload).toEqual({ orderId: 'o1' });
    expect(first.id).toMatch(/^[0-9a-f-]{36}$/);
    const second = await a.jobs.enqueue(
      JOB_NAMES.registerOrder,
      { orderId: 'o1' },
      { dedupKey: 'o1' },
    );
    await em.flush();
    expect(second.id).toBe(first.id);
    expect(await a.jobs.count()).toBe(1);

    a.webhookEvents.create({ eventId: 'e-1', event: 'pos:stock', contractId: 'c', body: {} });
    await em.flush();
    const em2 = forkEm(db.orm);
    em2.create(WebhookEvent, {
      tenant: em2.getReference(Tenant, tenantA),
      eventId: 'e-1',
      event: 'pos:stock',
      contractId: 'c',
      body: {},
    });
    await expect(em2.flush()).rejects.toBeInstanceOf(UniqueConstraintViolationException);
    // Another tenant may receive the same event ID (IDs are per delivery, tenants are separate).
    const em3 = forkEm(db.orm);
    tenantRepositories(em3, tenantB).webhookEvents.create({
      eventId: 'e-1',
      event: 'pos:stock',
      contractId: 'd',
      body: {},
    });
    await em3.flush();
  });

  it('gives new rows their ID at creation, so a job in the same flush can name them', async () => {
    const em = forkEm(db.orm);
    const a = tenantRepositories(em, tenantA);
    const run = a.importRuns.create({});
    expect(run.id).toMatch(/^[0-9a-f-]{36}$/);
    const job = await a.jobs.enqueue(
      JOB_NAMES.importProducts,
      { runId: run.id },
      { dedupKey: run.id },
    );
    await em.flush();
    const stored = await tenantRepositories(forkEm(db.orm), tenantA).jobs.findById(job.id);
    expect(stored?.payload).toEqual({ runId: run.id });
  });

  it('queues a finished job of the same key again instead of adding a second row', async () => {
    const em = forkEm(db.orm);
    const a = tenantRepositories(em, tenantA);
    const job = await a.jobs.enqueue(
      JOB_NAMES.registerOrder,
      { orderId: 'o2' },
      { dedupKey: 'o2' },
    );
    await em.flush();
    job.state = 'done';
    job.attempts = 3;
    await em.flush();
    const again = await a.jobs.enqueue(
      JOB_NAMES.registerOrder,
      { orderId: 'o2' },
      { dedupKey: 'o2' },
    );
    await em.flush();
    expect(again.id).toBe(job.id);
    expect(again.state).toBe('queued');
    expect(again.attempts).toBe(0);
    expect(await a.jobs.count({ dedupKey: 'o2' })).toBe(1);
  });

  it('keeps operation ledger keys unique per tenant and kind', async () => {
    const em = forkEm(db.orm);
    const a = tenantRepositories(em, tenantA);
    const op = await a.operations.ensure('registerOrder', 'order:1', { type: 'order', id: '1' });
    await em.flush();
    const again = await tenantRepositories(forkEm(db.orm), tenantA).operations.ensure(
      'registerOrder',
      'order:1',
    );
    expect(again.id).toBe(op.id);
    expect(again.state).toBe('pending');
  });

  it('keeps app tokens encrypted per tenant behind the client TokenStore interface', async () => {
    const vault = new TokenVault([{ id: 'k', key: randomBytes(32) }]);
    const store = new EncryptedTokenStore(db.orm, vault);
    const em = forkEm(db.orm);
    const conn = await tenantRepositories(em, tenantA).connection.getOrCreate();
    conn.contractId = 'sb_a';
    await em.flush();
    await store.set('sb_a', {
      accessToken: 'app-token-1',
      expiresAt: 1_900_000_000_000,
      scopes: ['pos.stock:read'],
    });
    expect(await store.get('sb_a')).toEqual({
      accessToken: 'app-token-1',
      expiresAt: 1_900_000_000_000,
      scopes: ['pos.stock:read'],
    });
    const row = await forkEm(db.orm).findOneOrFail(SmaregiToken, {
      tenant: tenantA,
      kind: 'appAccess',
    });
    expect(row.ciphertext).not.toContain('app-token-1');
    await store.set('sb_unknown', { accessToken: 'x', expiresAt: 0, scopes: [] });
    expect(await store.get('sb_unknown')).toBeUndefined();
    await store.delete('sb_a');
    expect(await store.get('sb_a')).toBeUndefined();
  });

  it('resolves a tenant only from a presented secret or unique value', async () => {
    const em = forkEm(db.orm);
    const resolver = new TenantResolver(em);
    expect(await resolver.connectionByContract('nope')).toBeNull();
    const conn = await tenantRepositories(em, tenantB).connection.getOrCreate();
    conn.contractId = 'sb_b';
    await em.flush();
    expect((await new TenantResolver(forkEm(db.orm)).connectionByContract('sb_b'))?.tenant.id).toBe(
      tenantB,
    );
  });
});
