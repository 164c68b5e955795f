import { renderMessageBoth } from '@renkei/domain';
import { afterEach, describe, expect, it } from 'vitest';
import { forkEm, syncEventMessage, tenantRepositories } from '../src/index.js';
import { testDialects } from '../src/testing.js';
import { schemaBefore, type SchemaBefore } from './support/schema-before.js';

/*
 * Migration20261130214000 replaces the stored "日本語 / English" text of sync events by a message
 * code with parameters. A database made by the previous schema, with events in it, must come out
 * with every event still saying what it said, in each language, and take new coded events.
 */
describe.each(testDialects())('sync event messages migration (%s)', (dialect) => {
  let before: SchemaBefore | undefined;
  afterEach(async () => {
    await before?.close();
    before = undefined;
  });

  const old = [
    ['e-1', '在庫照合を完了しました(差異 2 件) / Stock reconciliation finished (2 drifts)'],
    // A message quoting another bilingual text: the middle separator divides the halves.
    ['e-2', '拒否しました: 商品がありません / No product / Refused: 商品がありません / No product'],
    // No separator at all: the same words in both languages.
    ['e-3', 'order-shipment 404'],
  ] as const;

  it('keeps the words of existing events in both languages and takes coded ones', async () => {
    before = await schemaBefore(dialect, 'Migration20261130214000');
    const now = before.at('2026-11-30T00:00:00Z');
    await before.insert('tenants', { id: 't-1', name: 'テスト商店', demo: false, created_at: now });
    for (const [id, message] of old)
      await before.insert('sync_events', {
        id,
        tenant_id: 't-1',
        subject_type: 'stock',
        subject_id: null,
        kind: 'stock.reconciled',
        outcome: 'warning',
        message,
        detail: '{"drifts":2}',
        at: now,
      });

    await before.migrateRest();
    const orm = before.db.orm;
    const repos = tenantRepositories(forkEm(orm), 't-1');
    const events = await repos.syncEvents.find({}, { orderBy: { id: 'asc' } });
    expect(
      events.map((e) => [e.id, e.messageCode, renderMessageBoth(syncEventMessage(e))]),
    ).toEqual([
      [
        'e-1',
        'legacyText',
        { ja: '在庫照合を完了しました(差異 2 件)', en: 'Stock reconciliation finished (2 drifts)' },
      ],
      [
        'e-2',
        'legacyText',
        {
          ja: '拒否しました: 商品がありません / No product',
          en: 'Refused: 商品がありません / No product',
        },
      ],
      ['e-3', 'legacyText', { ja: 'order-shipment 404', en: 'order-shipment 404' }],
    ]);
    // The rest of each row is as it was.
    expect(events.map((e) => [e.kind, e.outcome, e.detail])).toEqual(
      old.map(() => ['stock.reconciled', 'warning', { drifts: 2 }]),
    );

    const em = forkEm(orm);
    tenantRepositories(em, 't-1').syncEvents.record({
      subjectType: 'order',
      subjectId: 'o-1',
      kind: 'order.statusChanged',
      outcome: 'info',
      message: { code: 'orderStatusChanged', params: { orderNumber: 'R-1', status: '出荷待ち' } },
    });
    await em.flush();
    const [changed] = await tenantRepositories(forkEm(orm), 't-1').syncEvents.history(
      'order',
      'o-1',
    );
    expect(renderMessageBoth(syncEventMessage(changed!))).toEqual({
      ja: '受注番号 R-1: ステータスを「出荷待ち」に変更しました',
      en: 'Order R-1: Status changed to 出荷待ち',
    });

    // Down again: the old single text comes back for every row.
    await before.migrateBack();
    const back = await before.select('sync_events', ['id', 'message']);
    expect(back.map((r) => r.message).sort()).toEqual(
      [
        ...old.map(([, message]) => message),
        '受注番号 R-1: ステータスを「出荷待ち」に変更しました / Order R-1: Status changed to 出荷待ち',
      ].sort(),
    );
  });
});
