import { afterEach, describe, expect, it } from 'vitest';
import { forkEm, tenantRepositories } from '../src/index.js';
import { testDialects } from '../src/testing.js';
import { schemaBefore, type SchemaBefore } from './support/schema-before.js';

/*
 * Migration20261202050000 reads an order's sync story (the order page) from an index of
 * (tenant, subject type, subject ID, time), which replaces (tenant, subject type, subject ID). A
 * database made by the previous schema must come out with every event as it was and each order's
 * story in time order, read by the new index; its `down` must bring the old index back.
 */
const MIGRATION = 'Migration20261202050000';
const NEW_INDEX = 'sync_events_tenant_subject_at_idx';
const OLD_INDEX = 'sync_events_tenant_subject_idx';

describe.each(testDialects())('order story index migration (%s)', (dialect) => {
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

  it('keeps every event and reads one order’s story by the new index, in time order', async () => {
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
      // id, tenant, subject, kind, at (written out of time order)
      ['e-1', 't-1', 'o-1', 'order.registered', '2026-11-01T02:00:00Z'],
      ['e-2', 't-1', 'o-2', 'order.received', '2026-11-01T01:30:00Z'],
      ['e-3', 't-1', 'o-1', 'order.received', '2026-11-01T01:00:00Z'],
      ['e-4', 't-1', 'o-1', 'order.statusChanged', '2026-11-02T09:00:00Z'],
      ['e-5', 't-2', 'o-1', 'order.received', '2026-11-01T00:30:00Z'],
    ] as const;
    for (const [id, tenant, subjectId, kind, when] of events)
      await insert('sync_events', {
        id,
        tenant_id: tenant,
        subject_type: 'order',
        subject_id: subjectId,
        kind,
        outcome: 'info',
        message_code: 'legacyText',
        message_params: JSON.stringify({ ja: id, en: id }),
        at: at(when),
      });

    await before.migrateRest();
    const indexes = await indexesOf(before);
    expect(indexes).toContain(NEW_INDEX);
    expect(indexes).not.toContain(OLD_INDEX);

    const repos = tenantRepositories(forkEm(before.db.orm), 't-1');
    expect((await repos.syncEvents.history('order', 'o-1')).map((e) => e.id)).toEqual([
      'e-3',
      'e-1',
      'e-4',
    ]);
    if (dialect === 'sqlite') {
      // The story is an index range on its order, not a scan of every order event of the tenant.
      const plan = (await before.db.orm.em
        .getConnection()
        .execute(
          "explain query plan select * from sync_events where tenant_id = 't-1' and subject_type = 'order' and subject_id = 'o-1' order by at asc, id asc",
        )) as { detail: string }[];
      expect(plan.map((p) => p.detail).join('\n')).toContain(
        `USING INDEX ${NEW_INDEX} (tenant_id=? AND subject_type=? AND subject_id=?)`,
      );
    }

    await before.migrateBack();
    const back = await indexesOf(before);
    expect(back).toContain(OLD_INDEX);
    expect(back).not.toContain(NEW_INDEX);
    expect((await before.select('sync_events', ['id', 'kind'])).map((r) => r.id)).toEqual([
      'e-1',
      'e-2',
      'e-3',
      'e-4',
      'e-5',
    ]);
  });
});
