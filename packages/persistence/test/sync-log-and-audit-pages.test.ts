import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuditEntry,
  forkEm,
  SYNC_LOG_COUNT_LIMIT,
  Tenant,
  tenantRepositories,
} from '../src/index.js';
import { createTestDatabase, testDialects, type TestDatabase } from '../src/testing.js';

/*
 * The 連携ログ counts its matches only up to a limit (a tenant's million events are narrowed by
 * filter or date, not paged to the end), and says when there are more; the 操作履歴 pages the
 * tenant's entries newest first, by action and date.
 */
describe.each(testDialects())('sync log and audit pages (%s)', (dialect) => {
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
  afterAll(() => db.close());

  it('counts the log up to the limit and says when more events match', async () => {
    const em = forkEm(db.orm);
    const repo = tenantRepositories(em, tenantA).syncEvents;
    const first = Date.parse('2026-11-01T00:00:00Z');
    const drafts = Array.from({ length: SYNC_LOG_COUNT_LIMIT + 3 }, (_, i) => {
      const event = repo.draftEvent({
        subjectType: 'stock',
        kind: i % 2 === 0 ? 'stock.reconciled' : 'stock.recomputed',
        outcome: 'success',
        message: { code: 'legacyText', params: { ja: `${i}`, en: `${i}` } },
      });
      event.at = new Date(first + i * 1000);
      return event;
    });
    await em.begin();
    for (let i = 0; i < drafts.length; i += 500) await repo.insertAll(drafts.slice(i, i + 500));
    await em.commit();

    const read = tenantRepositories(forkEm(db.orm), tenantA).syncEvents;
    const all = await read.page({}, 1, 50);
    expect(all).toMatchObject({ total: SYNC_LOG_COUNT_LIMIT, totalCapped: true });
    expect(all.items[0]!.messageParams).toEqual({
      ja: `${SYNC_LOG_COUNT_LIMIT + 2}`,
      en: `${SYNC_LOG_COUNT_LIMIT + 2}`,
    });
    // Under the limit the count is exact.
    const recomputed = await read.page({ kind: 'stock.recomputed' }, 1, 50);
    expect(recomputed).toMatchObject({
      total: (SYNC_LOG_COUNT_LIMIT + 2) / 2,
      totalCapped: false,
    });
    const lastHour = await read.page(
      { from: new Date(first + (SYNC_LOG_COUNT_LIMIT - 1) * 1000) },
      1,
      50,
    );
    expect(lastHour).toMatchObject({ total: 4, totalCapped: false });
    // Another tenant sees none of them.
    expect(await tenantRepositories(forkEm(db.orm), tenantB).syncEvents.page({}, 1, 50)).toEqual(
      expect.objectContaining({ total: 0, items: [] }),
    );
  });

  it('pages the audit entries newest first, by action and date, for the tenant only', async () => {
    const em = forkEm(db.orm);
    const entry = (tenant: string, action: string, at: string) =>
      em.create(AuditEntry, {
        tenant: em.getReference(Tenant, tenant),
        actorLabel: 'owner@example.com',
        action,
        entityType: 'shop',
        at: new Date(at),
      });
    entry(tenantA, 'shop.create', '2026-11-01T01:00:00Z');
    entry(tenantA, 'shop.update', '2026-11-02T01:00:00Z');
    entry(tenantA, 'shop.update', '2026-11-03T01:00:00Z');
    entry(tenantB, 'shop.update', '2026-11-03T02:00:00Z');
    await em.flush();

    const repo = tenantRepositories(forkEm(db.orm), tenantA).audit;
    const actions = async (filter: Parameters<typeof repo.page>[0], page = 1, size = 50) => {
      const result = await repo.page(filter, page, size);
      return { total: result.total, at: result.items.map((e) => e.at.toISOString().slice(0, 10)) };
    };
    expect(await actions({})).toEqual({
      total: 3,
      at: ['2026-11-03', '2026-11-02', '2026-11-01'],
    });
    expect(await actions({}, 2, 2)).toEqual({ total: 3, at: ['2026-11-01'] });
    expect(await actions({ action: 'shop.update' })).toEqual({
      total: 2,
      at: ['2026-11-03', '2026-11-02'],
    });
    expect(
      await actions({
        from: new Date('2026-11-02T00:00:00Z'),
        before: new Date('2026-11-03T00:00:00Z'),
      }),
    ).toEqual({ total: 1, at: ['2026-11-02'] });
  });
});
