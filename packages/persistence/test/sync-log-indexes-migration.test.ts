import { afterEach, describe, expect, it } from 'vitest';
import { forkEm, tenantRepositories } from '../src/index.js';
import { testDialects } from '../src/testing.js';
import { schemaBefore, type SchemaBefore } from './support/schema-before.js';

/*
 * Migration20261202030000 gives the 連携ログ its indexes (kind, outcome and subject type, each
 * followed by the time). A database made by the previous schema must come out with every event
 * as it was, the indexes in place and the log answering each filter over those events, newest
 * first; its `down` must take the indexes away again and keep the events.
 */
const MIGRATION = 'Migration20261202030000';

const NEW_INDEXES = [
  'sync_events_tenant_kind_at_idx',
  'sync_events_tenant_outcome_at_idx',
  'sync_events_tenant_subject_type_at_idx',
];

describe.each(testDialects())('sync log indexes migration (%s)', (dialect) => {
  let before: SchemaBefore | undefined;
  afterEach(async () => {
    await before?.close();
    before = undefined;
  });

  async function indexesOf(db: SchemaBefore): Promise<string[]> {
    const sql =
      dialect === 'sqlite'
        ? `select name from sqlite_master where type = 'index' and tbl_name = 'sync_events'`
        : `select indexname as name from pg_indexes where tablename = 'sync_events'`;
    const rows = (await db.db.orm.em.getConnection().execute(sql)) as { name: string }[];
    return rows.map((r) => r.name);
  }

  it('keeps every event, adds the log indexes and filters by each', async () => {
    before = await schemaBefore(dialect, MIGRATION);
    const { insert, at } = before;
    for (const id of ['t-1', 't-2'])
      await insert('tenants', {
        id,
        name: id,
        demo: false,
        created_at: at('2026-11-01T00:00:00Z'),
      });
    const events = [
      // id, tenant, subject type, subject, kind, outcome, at
      ['e-1', 't-1', 'order', 'o-1', 'order.received', 'info', '2026-11-01T01:00:00Z'],
      ['e-2', 't-1', 'order', 'o-1', 'order.registered', 'success', '2026-11-01T02:00:00Z'],
      ['e-3', 't-1', 'order', 'o-2', 'order.received', 'info', '2026-11-02T01:00:00Z'],
      ['e-4', 't-1', 'order', 'o-2', 'order.registrationFailed', 'failure', '2026-11-02T02:00:00Z'],
      ['e-5', 't-1', 'stock', null, 'stock.reconciled', 'warning', '2026-11-03T01:00:00Z'],
      ['e-6', 't-2', 'order', 'o-9', 'order.received', 'info', '2026-11-03T02:00:00Z'],
    ] as const;
    for (const [id, tenant, subjectType, subjectId, kind, outcome, when] of events)
      await insert('sync_events', {
        id,
        tenant_id: tenant,
        subject_type: subjectType,
        subject_id: subjectId,
        kind,
        outcome,
        message_code: 'legacyText',
        message_params: JSON.stringify({ ja: id, en: id }),
        at: at(when),
      });

    await before.migrateRest();
    expect(await indexesOf(before)).toEqual(expect.arrayContaining(NEW_INDEXES));

    const repo = tenantRepositories(forkEm(before.db.orm), 't-1').syncEvents;
    const ids = async (filter: Parameters<typeof repo.page>[0]) => {
      const page = await repo.page(filter, 1, 50);
      expect(page.total).toBe(page.items.length);
      expect(page.totalCapped).toBe(false);
      return page.items.map((e) => e.id);
    };
    // Newest first; another tenant's events never show.
    expect(await ids({})).toEqual(['e-5', 'e-4', 'e-3', 'e-2', 'e-1']);
    expect(await ids({ kind: 'order.received' })).toEqual(['e-3', 'e-1']);
    expect(await ids({ outcome: 'failure' })).toEqual(['e-4']);
    expect(await ids({ subjectType: 'stock' })).toEqual(['e-5']);
    expect(await ids({ subjectType: 'order', subjectIds: ['o-1'] })).toEqual(['e-2', 'e-1']);
    expect(await ids({ subjectType: 'order', subjectIds: ['o-9'] })).toEqual([]);
    expect(await ids({ subjectType: 'order', subjectIds: [] })).toEqual([]);
    expect(
      await ids({
        from: new Date('2026-11-02T00:00:00Z'),
        before: new Date('2026-11-03T00:00:00Z'),
      }),
    ).toEqual(['e-4', 'e-3']);
    expect(await ids({ kind: 'order.received', outcome: 'failure' })).toEqual([]);

    await before.migrateBack();
    expect((await indexesOf(before)).filter((i) => NEW_INDEXES.includes(i))).toEqual([]);
    expect((await before.select('sync_events', ['id', 'kind'])).map((r) => r.kind)).toEqual(
      events.map((e) => e[4]),
    );
  });
});
