import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  forkEm,
  ListedProduct,
  openDatabase,
  ProductImportRun,
  SyncEvent,
  Tenant,
  tenantRepositories,
  type ImportRunMode,
  type Orm,
} from '@renkei/persistence';
import { createTestDatabase, testDialects } from '@renkei/persistence/testing';
import { startSimulator, type RunningSimulator } from '@renkei/smaregi-simulator';
import { Worker } from '../src/worker.js';
import { seedTenant, testClient, testDeps } from './support/fixture.js';

async function queueImport(
  orm: Orm,
  tenantId: string,
  mode: ImportRunMode = 'createAndUpdate',
): Promise<string> {
  const em = forkEm(orm);
  const run = em.create(ProductImportRun, { tenant: em.getReference(Tenant, tenantId), mode });
  await em.flush();
  return run.id;
}

/** How many product pages the worker has read from the simulator so far. */
const productReads = (sim: RunningSimulator) =>
  sim.control.journal({ method: 'GET' }).filter((e) => e.path.endsWith('/pos/products')).length;

/** Ticks the product loop until it has nothing more to do (at most `max` ticks). */
async function drain(worker: Worker, max = 20): Promise<void> {
  for (let i = 0; i < max; i++) if (!(await worker.loop('products').tickOnce())) break;
}

describe.each(testDialects())('product import (%s)', (dialect) => {
  it('creates new products, links known ones by code, updates by Smaregi ID, and reports progress', async () => {
    const db = await createTestDatabase(dialect);
    const sim = await startSimulator({ rateLimits: false, seed: 9 });
    try {
      const client = testClient(sim);
      const t = await seedTenant(db.orm, client);
      const em = forkEm(db.orm);
      // A product the merchant typed by hand (full-width code, no Smaregi ID yet).
      const created = sim.control.addProduct({
        categoryId: t.products[0]!.categoryId,
        productCode: 'HAND-01',
        productName: '手入力商品',
        price: '990',
      });
      em.create(ListedProduct, {
        tenant: t.tenantId,
        productCode: 'ＨＡＮＤ－０１',
        productCodeKey: 'HAND-01',
        name: '古い名前',
      });
      sim.control.seedProducts({ count: 2_500, codePrefix: 'IMP' });
      await em.flush();
      const before = await forkEm(db.orm).count(ListedProduct, { tenant: t.tenantId });
      const runId = await queueImport(db.orm, t.tenantId);
      const worker = new Worker(testDeps(db.orm, client));
      for (let i = 0; i < 10; i++) if (!(await worker.loop('products').tickOnce())) break;
      const run = await forkEm(db.orm).findOneOrFail(ProductImportRun, { id: runId });
      const total = sim.control.summary().products!;
      expect(run.state).toBe('succeeded');
      expect(run.processed).toBe(total);
      expect(run.pagesDone).toBe(Math.ceil((total + 1) / 1000));
      expect(run.created).toBe(total - before);
      const hand = await forkEm(db.orm).findOneOrFail(ListedProduct, {
        tenant: t.tenantId,
        productCodeKey: 'HAND-01',
      });
      expect(hand.smaregiProductId).toBe(created.productId);
      expect(hand.name).toBe('手入力商品');
      expect(await forkEm(db.orm).count(ListedProduct, { tenant: t.tenantId })).toBe(total);
    } finally {
      await sim.close();
      await db.close();
    }
  }, 60_000);

  it('[スマレジから新規商品情報一括取得] creates only new products; 一括更新 also updates known ones; a taken code counts as failed', async () => {
    const db = await createTestDatabase(dialect);
    const sim = await startSimulator({ rateLimits: false, seed: 11 });
    try {
      const client = testClient(sim);
      const t = await seedTenant(db.orm, client);
      const categoryId = t.products[0]!.categoryId;
      // Typed by hand in the OMS (no Smaregi ID yet), and a product linked to a Smaregi product
      // that has since been replaced by another one with the same code.
      const hand = sim.control.addProduct({
        categoryId,
        productCode: 'HAND-02',
        productName: 'スマレジの名前',
        price: '1200',
      });
      sim.control.addProduct({
        categoryId,
        productCode: 'DUP-01',
        productName: '重複',
        price: '500',
      });
      const em = forkEm(db.orm);
      em.create(ListedProduct, {
        tenant: t.tenantId,
        productCode: 'HAND-02',
        productCodeKey: 'HAND-02',
        name: '手入力の名前',
      });
      em.create(ListedProduct, {
        tenant: t.tenantId,
        productCode: 'DUP-01',
        productCodeKey: 'DUP-01',
        name: '古いスマレジ商品',
        smaregiProductId: '99999999',
        syncState: 'synced',
      });
      await em.flush();
      sim.control.seedProducts({ count: 30, codePrefix: 'NEW' });
      const total = sim.control.summary().products!;
      const known = await forkEm(db.orm).count(ListedProduct, { tenant: t.tenantId });
      const worker = new Worker(testDeps(db.orm, client));

      const createNew = await queueImport(db.orm, t.tenantId, 'createNew');
      await drain(worker);
      const first = await forkEm(db.orm).findOneOrFail(ProductImportRun, { id: createNew });
      expect(first).toMatchObject({
        state: 'succeeded',
        processed: total,
        created: 30,
        updated: 0,
        failed: 1,
        skipped: total - 30 - 1,
      });
      const handAfterNew = await forkEm(db.orm).findOneOrFail(ListedProduct, {
        tenant: t.tenantId,
        productCodeKey: 'HAND-02',
      });
      // Known to Renkei: left as it is.
      expect([handAfterNew.name, handAfterNew.smaregiProductId ?? null]).toEqual([
        '手入力の名前',
        null,
      ]);
      const dup = await forkEm(db.orm).findOneOrFail(ListedProduct, {
        tenant: t.tenantId,
        productCodeKey: 'DUP-01',
      });
      expect([dup.syncState, dup.lastErrorCode]).toEqual(['failed', 'productCodeTaken']);
      expect(await forkEm(db.orm).count(ListedProduct, { tenant: t.tenantId })).toBe(known + 30);

      const update = await queueImport(db.orm, t.tenantId, 'createAndUpdate');
      await drain(worker);
      const second = await forkEm(db.orm).findOneOrFail(ProductImportRun, { id: update });
      expect(second).toMatchObject({
        state: 'succeeded',
        processed: total,
        created: 0,
        updated: total - 1,
        failed: 1,
        skipped: 0,
      });
      const handAfterUpdate = await forkEm(db.orm).findOneOrFail(ListedProduct, {
        tenant: t.tenantId,
        productCodeKey: 'HAND-02',
      });
      expect([handAfterUpdate.name, handAfterUpdate.smaregiProductId]).toEqual([
        'スマレジの名前',
        hand.productId,
      ]);
    } finally {
      await sim.close();
      await db.close();
    }
  }, 60_000);

  /*
   * [中止] while the worker imports: the run is cancelled through the repository the API uses.
   * Between pages (after page 2's commit) the counters stay at page 2. During page 2's write
   * (its products written, its commit not yet made): on PostgreSQL the cancel lands first and
   * page 2 rolls back, the counters stay at page 1; SQLite has one writer, so there the cancel
   * waits for page 2's commit and the counters stay at page 2. Either way no page after the one
   * already asked for (page 3, read ahead while page 2 was written) is read, and the run stays
   * cancelled however often the worker looks again.
   */
  it.each([
    ['between pages', 'afterCommit'],
    ['during a page write', 'afterRemoteCall'],
  ] as const)(
    'a cancel %s stops the run at its last committed page',
    async (_when, hook) => {
      const db = await createTestDatabase(dialect);
      const sim = await startSimulator({ rateLimits: false, seed: 12 });
      try {
        const client = testClient(sim);
        const t = await seedTenant(db.orm, client);
        sim.control.seedProducts({ count: 5_500, codePrefix: 'CAN' });
        const runId = await queueImport(db.orm, t.tenantId, 'createNew');
        const cancel = () =>
          tenantRepositories(forkEm(db.orm), t.tenantId).importRuns.cancel(
            runId,
            'owner@example.jp',
            new Date(),
          );
        let canceled: Promise<boolean> | undefined;
        const readsBefore = productReads(sim);
        const worker = new Worker(
          testDeps(
            db.orm,
            client,
            {},
            {
              [hook]: async (kind: string, key: string) => {
                if (kind !== 'importProducts' || key !== `${runId}:2`) return;
                canceled = cancel();
                // Inside SQLite's only write transaction the cancel can only wait for its commit.
                if (hook === 'afterCommit' || dialect === 'postgresql') await canceled;
              },
            },
          ),
        );
        await drain(worker);
        expect(await canceled).toBe(true);
        await drain(worker);
        const run = await forkEm(db.orm).findOneOrFail(ProductImportRun, { id: runId });
        const pages = hook === 'afterRemoteCall' && dialect === 'postgresql' ? 1 : 2;
        expect(run).toMatchObject({
          state: 'canceled',
          canceledBy: 'owner@example.jp',
          pagesDone: pages,
          processed: pages * 1000,
          cursor: String(pages + 1),
        });
        const imported = await forkEm(db.orm).count(ListedProduct, {
          tenant: t.tenantId,
          productCode: { $like: 'CAN%' },
        });
        expect(imported).toBe(run.created);
        expect(productReads(sim) - readsBefore).toBe(3);
      } finally {
        await sim.close();
        await db.close();
      }
    },
    60_000,
  );

  it('商品連携設定 [連携しない]: a queued import is cancelled with the reason, and no product is touched', async () => {
    const db = await createTestDatabase(dialect);
    const sim = await startSimulator({ rateLimits: false, seed: 10 });
    try {
      const client = testClient(sim);
      const t = await seedTenant(db.orm, client, { productSyncEnabled: false });
      sim.control.seedProducts({ count: 20, codePrefix: 'OFF' });
      const before = await forkEm(db.orm).count(ListedProduct, { tenant: t.tenantId });
      const runId = await queueImport(db.orm, t.tenantId);
      const worker = new Worker(testDeps(db.orm, client));
      const reads = () =>
        sim.control.journal({ method: 'GET' }).filter((e) => e.path.includes('/pos/products'))
          .length;
      const readsBefore = reads();
      await worker.loop('products').tickOnce();
      const run = await forkEm(db.orm).findOneOrFail(ProductImportRun, { id: runId });
      expect(run.state).toBe('canceled');
      expect(run.lastError).toMatch(/商品連携設定/);
      expect(reads()).toBe(readsBefore);
      expect(await forkEm(db.orm).count(ListedProduct, { tenant: t.tenantId })).toBe(before);
      const events = await forkEm(db.orm).find(SyncEvent, {
        tenant: t.tenantId,
        subjectId: runId,
      });
      expect(events.map((e) => [e.kind, e.outcome, e.messageCode])).toEqual([
        ['product.importCanceled', 'warning', 'productImportSyncOff'],
      ]);
    } finally {
      await sim.close();
      await db.close();
    }
  }, 60_000);
});

describe('product import of 10,000 products killed mid-way (worker child process)', () => {
  let dir: string;
  let orm: Orm;
  let sim: RunningSimulator;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'renkei-import-'));
    orm = await openDatabase({ location: { dialect: 'sqlite', path: join(dir, 'renkei.sqlite') } });
    sim = await startSimulator({ rateLimits: false, seed: 13 });
  }, 30_000);
  afterAll(async () => {
    await orm?.close(true);
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('resumes from its cursor and ends with every product once and true counters', async () => {
    const t = await seedTenant(orm, testClient(sim), { integrationEnabled: false });
    sim.control.seedProducts({ count: 10_000, codePrefix: 'BIG' });
    const runId = await queueImport(orm, t.tenantId);
    const total = sim.control.summary().products!;
    let runs = 0;
    let kills = 0;
    const progress: number[] = [];
    const deadline = Date.now() + 180_000;
    for (;;) {
      const run = await forkEm(orm).findOneOrFail(ProductImportRun, { id: runId });
      progress.push(run.pagesDone);
      if (run.state === 'succeeded') break;
      expect(run.state).not.toBe('failed');
      expect(Date.now()).toBeLessThan(deadline);
      runs++;
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', join(import.meta.dirname, 'support/crash-child.ts')],
        {
          cwd: join(import.meta.dirname, '..'),
          env: {
            ...process.env,
            CRASH_DB: join(dir, 'renkei.sqlite'),
            CRASH_ID_URL: sim.idBaseUrl,
            CRASH_API_URL: sim.apiBaseUrl,
            CRASH_SEED: String(runs),
            CRASH_PROBABILITY: '0',
            // The first runs die at a random moment (often in the middle of a page); the last one is left alone.
            CRASH_KILL_AFTER_MS: runs <= 4 ? String(200 + ((runs * 379) % 500)) : '0',
          },
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      );
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      for (;;) {
        const r = await Promise.race([
          exited.then(() => 'exit'),
          new Promise((res) => setTimeout(res, 200, 'poll')),
        ]);
        if (r === 'exit') break;
        const now = await forkEm(orm).findOneOrFail(ProductImportRun, { id: runId });
        if (now.state === 'succeeded') {
          child.kill('SIGTERM');
          await exited;
          break;
        }
      }
      if (stderr.includes('CRASH')) kills++;
      if (!stderr.includes('READY')) throw new Error(`worker child failed to start:\n${stderr}`);
    }
    const run = await forkEm(orm).findOneOrFail(ProductImportRun, { id: runId });
    console.log(
      `product import: ${total} products, ${runs} worker runs, ${kills} killed, pages done by run start: ${progress.join(' → ')}`,
    );
    expect(kills).toBeGreaterThan(0);
    expect(run.processed).toBe(total);
    expect(run.pagesDone).toBe(Math.ceil((total + 1) / 1000));
    expect(await forkEm(orm).count(ListedProduct, { tenant: t.tenantId })).toBe(total);
    expect(
      await forkEm(orm).count(ListedProduct, { tenant: t.tenantId, smaregiProductId: null }),
    ).toBe(0);
  }, 240_000);
});
