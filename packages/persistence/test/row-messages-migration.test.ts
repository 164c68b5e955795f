import { renderMessageBoth, type MessageRef } from '@renkei/domain';
import { afterEach, describe, expect, it } from 'vitest';
import {
  driftNoteOf,
  forkEm,
  lastSyncErrorOf,
  ListedProduct,
  Order,
  productErrorOf,
  StockDrift,
  syncReasonColumns,
  syncReasonOf,
} from '../src/index.js';
import { testDialects } from '../src/testing.js';
import { schemaBefore, type SchemaBefore } from './support/schema-before.js';

/*
 * Migration20261201010000 replaces the texts kept on rows (an order's reason and last refusal, a
 * product's last error, a drift's note; "日本語 / English" or Japanese only) by a message code
 * with parameters. A database made by the previous schema must come out with every text still
 * saying what it said in each language, take coded messages, and go back down to the old texts.
 */
const MIGRATION = 'Migration20261201010000';

const both = (ref: MessageRef | null) => (ref === null ? null : renderMessageBoth(ref));

describe.each(testDialects())('row messages migration (%s)', (dialect) => {
  let before: SchemaBefore | undefined;
  afterEach(async () => {
    await before?.close();
    before = undefined;
  });

  it('keeps the words of existing rows in both languages and takes coded ones', async () => {
    before = await schemaBefore(dialect, MIGRATION);
    const { insert, at } = before;
    const now = at('2026-11-30T00:00:00Z');
    const stamps = { created_at: now, updated_at: now };
    await insert('tenants', { id: 't-1', name: 'テスト商店', demo: false, created_at: now });
    await insert('shops', {
      id: 's-1',
      tenant_id: 't-1',
      name: '楽天市場店',
      mall_kind: 'rakuten',
      tax_mode: 'included',
      active: true,
      ...stamps,
    });
    await insert('payment_methods', {
      id: 'pm-1',
      tenant_id: 't-1',
      name: 'カード',
      active: true,
      ...stamps,
    });
    await insert('order_statuses', {
      id: 'st-1',
      tenant_id: 't-1',
      name: '新規受付',
      category: 'open',
      active: true,
      ...stamps,
    });
    const order = (id: string, columns: Record<string, unknown>) =>
      insert('orders', {
        id,
        tenant_id: 't-1',
        shop_id: 's-1',
        order_number: id.toUpperCase(),
        order_code: id.toUpperCase(),
        status_id: 'st-1',
        ordered_at: now,
        payment_method_id: 'pm-1',
        source: 'api',
        ...columns,
        ...stamps,
      });
    // Held and refused: both languages in one text, on the reason and on the refusal.
    await order('o-1', {
      sync_state: 'failed',
      sync_reason: '受注明細がありません。 / The order has no lines.',
      last_sync_error: '受注明細がありません。 / The order has no lines.',
    });
    // Japanese only (the short-stock reason was stored so).
    await order('o-2', {
      sync_state: 'registered',
      sync_reason: '在庫が不足している明細が1行あります。',
    });
    // Nothing in the way.
    await order('o-3', { sync_state: 'registered' });
    await insert('listed_products', {
      id: 'p-1',
      tenant_id: 't-1',
      product_code: 'A-1',
      product_code_key: 'A-1',
      name: 'Tシャツ',
      smaregi_product_id: '8001',
      sync_state: 'failed',
      last_error:
        '商品コード A-1 はスマレジ商品 8001 と 8002 の両方に使われています / Code A-1 is used by two Smaregi products',
      ...stamps,
    });
    await insert('listed_products', {
      id: 'p-2',
      tenant_id: 't-1',
      product_code: 'B-1',
      product_code_key: 'B-1',
      name: '靴下',
      sync_state: 'synced',
      ...stamps,
    });
    await insert('stock_drifts', {
      id: 'd-1',
      tenant_id: 't-1',
      product_id: 'p-1',
      smaregi_store_id: '1',
      renkei_amount: 5,
      smaregi_amount: 3,
      detected_at: now,
      note: "照合でスマレジとの差異を検出し、スマレジの在庫数に合わせました(webhook由来の 5 → 3) / Reconciliation found a difference and took Smaregi's figure",
    });

    await before.migrateRest();
    const em = forkEm(before.db.orm);
    const orders = await em.find(Order, { tenant: 't-1' }, { orderBy: { id: 'asc' } });
    expect(orders.map((o) => [o.id, o.syncReasonCode, both(syncReasonOf(o))])).toEqual([
      ['o-1', 'legacyText', { ja: '受注明細がありません。', en: 'The order has no lines.' }],
      [
        'o-2',
        'legacyText',
        {
          ja: '在庫が不足している明細が1行あります。',
          en: '在庫が不足している明細が1行あります。',
        },
      ],
      ['o-3', null, null],
    ]);
    expect(orders.map((o) => both(lastSyncErrorOf(o)))).toEqual([
      { ja: '受注明細がありません。', en: 'The order has no lines.' },
      null,
      null,
    ]);
    // The rest of each order is as it was.
    expect(orders.map((o) => [o.orderNumber, o.syncState])).toEqual([
      ['O-1', 'failed'],
      ['O-2', 'registered'],
      ['O-3', 'registered'],
    ]);
    const products = await em.find(ListedProduct, { tenant: 't-1' }, { orderBy: { id: 'asc' } });
    expect(products.map((p) => [p.name, p.syncState, both(productErrorOf(p))])).toEqual([
      [
        'Tシャツ',
        'failed',
        {
          ja: '商品コード A-1 はスマレジ商品 8001 と 8002 の両方に使われています',
          en: 'Code A-1 is used by two Smaregi products',
        },
      ],
      ['靴下', 'synced', null],
    ]);
    const [drift] = await em.find(StockDrift, { tenant: 't-1' });
    expect([drift!.renkeiAmount, drift!.smaregiAmount, both(driftNoteOf(drift!))]).toEqual([
      5,
      3,
      {
        ja: '照合でスマレジとの差異を検出し、スマレジの在庫数に合わせました(webhook由来の 5 → 3)',
        en: "Reconciliation found a difference and took Smaregi's figure",
      },
    ]);

    // A coded reason is stored as code and parameters and rendered in each language.
    Object.assign(
      orders[2]!,
      syncReasonColumns({
        code: 'orderAllocationShort',
        params: { orderNumber: 'O-3', lines: [2] },
      }),
    );
    await em.flush();
    const coded = await forkEm(before.db.orm).findOneOrFail(Order, { id: 'o-3' });
    expect(coded.syncReasonCode).toBe('orderAllocationShort');
    expect(both(syncReasonOf(coded))?.ja).toContain('2行目');

    // Down again: the old single texts come back.
    await before.migrateBack();
    expect(await before.select('orders', ['id', 'sync_reason', 'last_sync_error'])).toEqual([
      {
        id: 'o-1',
        sync_reason: '受注明細がありません。 / The order has no lines.',
        last_sync_error: '受注明細がありません。 / The order has no lines.',
      },
      { id: 'o-2', sync_reason: '在庫が不足している明細が1行あります。', last_sync_error: null },
      {
        id: 'o-3',
        sync_reason: renderText(both(syncReasonOf(coded))!),
        last_sync_error: null,
      },
    ]);
    expect((await before.select('listed_products', ['id', 'last_error']))[0]!.last_error).toBe(
      '商品コード A-1 はスマレジ商品 8001 と 8002 の両方に使われています / Code A-1 is used by two Smaregi products',
    );
    expect(await before.columnsOf('stock_drifts')).not.toContain('note_code');
  });
});

const renderText = (m: { ja: string; en: string }) => `${m.ja} / ${m.en}`;
