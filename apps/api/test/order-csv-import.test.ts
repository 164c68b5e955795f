import { forkEm, Order } from '@renkei/persistence';
import { testDialects } from '@renkei/persistence/testing';
import { TRPCError } from '@trpc/server';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toPublicError } from '../src/trpc/errors.js';
import {
  createTestApp,
  seedTenant,
  signedInCaller,
  type SeededTenant,
  type TestApp,
} from './helpers.js';

/*
 * 受注CSV取込 as the admin's import screen calls it: each order stored or refused on its own,
 * with its rows, and a refusal naming the row and the column; a file that is not an order CSV is
 * refused whole, naming what is wrong with it.
 */

async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) return toPublicError(error);
    throw error;
  }
  throw new Error('expected a refusal');
}

const HEADER = '店舗ID,受注番号,受注日時,支払方法ID,受注ステータスID,商品番号,商品名,単価,数量';

describe.each(testDialects())('受注CSV取込 (%s)', (dialect) => {
  let t: TestApp;
  let a: SeededTenant;
  let caller: Awaited<ReturnType<typeof signedInCaller>>['caller'];

  beforeAll(async () => {
    t = await createTestApp(dialect);
    a = await seedTenant(t.deps);
    ({ caller } = await signedInCaller(t.deps, a));
  });
  afterAll(() => t.close());

  const row = (orderNumber: string, more = 'TS-001,Tシャツ,3300,1', statusId = a.statusId) =>
    `${a.shopId},${orderNumber},2026-01-10T09:00:00+09:00,${a.paymentMethodId},${statusId},${more}`;
  const file = (rows: string[], header = HEADER) => [header, ...rows].join('\r\n') + '\r\n';
  const importText = (text: string, encoding: 'auto' | 'utf-8' | 'shift_jis' = 'auto') =>
    caller.orders.importCsv({ contentBase64: Buffer.from(text).toString('base64'), encoding });
  const orderCount = () => forkEm(t.deps.orm).count(Order, { tenant: a.tenantId });

  it('reports created, updated and unchanged orders, each with its rows and ID', async () => {
    const first = await importText(file([row('U-1'), row('U-2'), row('U-2', ',同梱チラシ,0,1')]));
    expect(first.results.map((r) => [r.orderNumber, r.rows, r.outcome])).toEqual([
      ['U-1', [2], 'created'],
      ['U-2', [3, 4], 'created'],
    ]);
    const stored = await caller.orders.get({ id: first.results[1]!.orderId! });
    expect(stored.lines).toHaveLength(2);
    // U-1 again in another status (a documented update), U-2 the same: unchanged.
    const again = await importText(
      file([
        row('U-1', 'TS-001,Tシャツ,3300,1', a.otherStatusId),
        row('U-2'),
        row('U-2', ',同梱チラシ,0,1'),
      ]),
    );
    expect(again.results.map((r) => r.outcome)).toEqual(['updated', 'unchanged']);
    expect(again.summary).toEqual({
      orders: 2,
      rows: 3,
      created: 0,
      updated: 1,
      unchanged: 1,
      refused: 0,
    });
  });

  it('refuses a row whose cells do not match the header with its order, the rest go in', async () => {
    const before = await orderCount();
    const report = await importText(
      file([row('W-1'), row('W-2'), row('W-2', 'TS-002,パーカー,5500,1,余分'), 'ずれた行']),
    );
    expect(
      report.results.map((r) => [r.orderNumber, r.outcome, r.errors.map((e) => e.row)]),
    ).toEqual([
      ['W-1', 'created', []],
      ['W-2', 'refused', [4]],
      ['', 'refused', [5]],
    ]);
    expect(report.results[1]?.errors[0]?.message.ja).toContain('列の数が見出し行と違います');
    expect(await orderCount()).toBe(before + 1);
  });

  it('refuses an order number given twice in the file at its second appearance', async () => {
    const report = await importText(
      file([
        row('D-1'),
        `${a.shopId},other,2026-01-10T09:00:00+09:00,no-such-method,no-such-status,x,x,1,1`,
        row('Ｄ－１'),
      ]),
    );
    const dup = report.results.find((r) => r.orderNumber === 'Ｄ－１');
    expect(dup?.outcome).toBe('refused');
    expect(dup?.errors[0]).toMatchObject({ row: 4, field: 'orderNumber' });
    expect(dup?.errors[0]?.column).toEqual({ ja: '受注番号', en: 'orderNumber' });
    expect(dup?.errors[0]?.message.ja).toContain('2行目と同じ受注');
    // The row in between: each unknown reference named with its column.
    const bad = report.results.find((r) => r.orderNumber === 'other');
    expect(bad?.errors.map((e) => [e.row, e.column?.ja])).toEqual([
      [3, '支払方法ID'],
      [3, '受注ステータスID'],
    ]);
  });

  it('reads English headers and a Shift_JIS file detected by itself', async () => {
    const text = file(
      [row('E-1', 'TS-001,ﾃｨｰｼｬﾂ 髙島屋,3300,1')],
      'shopId,orderNumber,orderedAt,paymentMethodId,statusId,productCode,name,unitPrice,quantity',
    );
    const report = await caller.orders.importCsv({
      contentBase64: iconv.encode(text, 'Shift_JIS').toString('base64'),
    });
    expect(report.encoding).toBe('shift_jis');
    expect(report.results[0]?.outcome).toBe('created');
    const stored = await caller.orders.get({ id: report.results[0]!.orderId! });
    expect(stored.lines[0]?.name).toBe('ﾃｨｰｼｬﾂ 髙島屋');
  });

  it.each<[string, () => Buffer, string, RegExp]>([
    [
      'too big',
      () => Buffer.alloc(6_000_001, 0x41),
      'PAYLOAD_TOO_LARGE',
      /ファイルが大きすぎます\(6\.0 MB\)/,
    ],
    [
      'not a CSV (an Excel workbook)',
      () => Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]),
      'BAD_REQUEST',
      /CSVファイルではありません/,
    ],
    [
      'a header with an unknown column',
      () => Buffer.from(file([row('H-1') + ',赤'], HEADER + ',色')),
      'BAD_REQUEST',
      /見出し行に不明な列があります: 色/,
    ],
    [
      'a header without a required column',
      () => Buffer.from('受注番号,商品名\r\nH-2,Tシャツ\r\n'),
      'BAD_REQUEST',
      /見出し行に必要な列がありません: 店舗ID, 受注日時, 支払方法ID, 受注ステータスID, 単価, 数量/,
    ],
    ['no data rows', () => Buffer.from(HEADER + '\r\n\r\n'), 'BAD_REQUEST', /データ行が必要です/],
  ])('refuses a file that is %s as a whole, storing nothing', async (_, bytes, code, message) => {
    const before = await orderCount();
    const error = await refusal(
      caller.orders.importCsv({ contentBase64: bytes().toString('base64') }),
    );
    expect(error.code).toBe(code);
    expect(error.message.ja).toMatch(message);
    expect(error.fieldErrors.map((e) => e.path)).toEqual(['contentBase64']);
    expect(await orderCount()).toBe(before);
  });

  it('gives a template with the merchant’s IDs that imports as it is', async () => {
    const ja = await caller.orders.csvTemplate({ language: 'ja' });
    expect(ja.fileName).toBe('受注CSV見本.csv');
    expect(ja.content.startsWith('\ufeff店舗ID,受注番号,受注日時')).toBe(true);
    expect(ja.content).toContain(a.shopId);
    const report = await importText(ja.content);
    expect(report.summary).toMatchObject({ orders: 1, rows: 3 - 1, created: 1, refused: 0 });
    const en = await caller.orders.csvTemplate({ language: 'en' });
    expect(en.content.startsWith('\ufeffshopId,orderNumber')).toBe(true);
  });
});
