import { forkEm, Order, OrderStatus } from '@renkei/persistence';
import { testDialects } from '@renkei/persistence/testing';
import { type TRPCError } from '@trpc/server';
import iconv from 'iconv-lite';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_INTAKE_KEY, DEMO_TENANT_ID, DEMO_USER } from '../src/demo/constants.js';
import { seedDemo } from '../src/demo/seed.js';
import {
  createTestApp,
  seedTenant,
  signedInCaller,
  type SeededTenant,
  type TestApp,
} from './helpers.js';

const HEADER =
  '店舗ID,受注番号,受注日時,支払方法ID,受注ステータスID,送料,お届け先氏名,商品番号,商品名,単価,数量,封入物';

function csv(t: SeededTenant, rows: string[]): string {
  return (
    [
      HEADER,
      ...rows.map((r) =>
        r
          .replaceAll('{shop}', t.shopId)
          .replaceAll('{pay}', t.paymentMethodId)
          .replaceAll('{status}', t.statusId),
      ),
    ].join('\r\n') + '\r\n'
  );
}

describe.each(testDialects())('CSV import, shipping CSV and the demo seed (%s)', (dialect) => {
  let t: TestApp;
  let a: SeededTenant;
  let caller: Awaited<ReturnType<typeof signedInCaller>>['caller'];
  let token = '';

  beforeAll(async () => {
    t = await createTestApp(dialect);
    a = await seedTenant(t.deps);
    ({ caller, token } = await signedInCaller(t.deps, a));
  });
  afterAll(() => t.close());

  const download = (query = '') =>
    request(t.app)
      .get(`/api/admin/shipping.csv${query}`)
      .set('Cookie', `renkei_session=${token}`)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });

  it('imports a Shift_JIS order CSV (Excel) with full-width numbers and half-width katakana', async () => {
    const text = csv(a, [
      '{shop},ＣＳＶ－１,2026-01-10T09:00:00+09:00,{pay},{status},５５０,ﾔﾏﾀﾞ ﾀﾛｳ,TS-001,Tシャツ 白,3300,２,0',
      '{shop},ＣＳＶ－１,2026-01-10T09:00:00+09:00,{pay},{status},５５０,ﾔﾏﾀﾞ ﾀﾛｳ,,同梱チラシ,0,1,○',
      '{shop},CSV-2,2026-01-10T10:00:00+09:00,{pay},{status},0,"佐藤, 花子",TS-002,"パーカー ""限定""",5500,1,',
    ]);
    const result = await caller.orders.importCsv({
      contentBase64: iconv.encode(text, 'Shift_JIS').toString('base64'),
      encoding: 'auto',
    });
    expect(result.encoding).toBe('shift_jis');
    expect(result.summary).toEqual({
      orders: 2,
      rows: 3,
      created: 2,
      updated: 0,
      unchanged: 0,
      refused: 0,
    });
    expect(result.results.map((r) => [r.orderNumber, r.rows, r.outcome])).toEqual([
      ['ＣＳＶ－１', [2, 3], 'created'],
      ['CSV-2', [4], 'created'],
    ]);
    const list = await caller.orders.list({ search: 'ＣＳＶ' });
    const detail = await caller.orders.get({ id: list.items[0]!.id });
    expect(detail.orderCode).toBe('CSV-1');
    expect(detail.shippingFee).toBe(550);
    expect(detail.shipTo.name).toBe('ﾔﾏﾀﾞ ﾀﾛｳ');
    expect(detail.lines.map((l) => [l.name, l.quantity, l.isEnclosure])).toEqual([
      ['Tシャツ 白', 2, false],
      ['同梱チラシ', 1, true],
    ]);
    // The same file again (now UTF-8 with BOM) is a repeat, not new orders.
    const again = await caller.orders.importCsv({
      contentBase64: Buffer.from('\ufeff' + text, 'utf8').toString('base64'),
      encoding: 'utf-8',
    });
    expect(again.encoding).toBe('utf-8');
    expect(again.summary).toMatchObject({ created: 0, unchanged: 2 });
  });

  it('takes the good orders of a file and refuses each bad row, naming its row and column', async () => {
    const before = await forkEm(t.deps.orm).count(Order, {});
    const text = csv(a, [
      '{shop},OK-1,2026-01-10T09:00:00+09:00,{pay},{status},0,山田,TS-001,Tシャツ,3300,1,',
      '{shop},受注１,2026-01-10T09:00:00+09:00,{pay},{status},0,山田,TS-001,Tシャツ,3300,1,',
      '{shop},BAD-2,2026-01-10T09:00:00+09:00,{pay},{status},0,山田,TS-001,Tシャツ,3300,-1,',
      '{shop},BAD-3,2026-01-10T09:00:00+09:00,{pay},{status},0,山田,TS-001,Tシャツ,3300,1,',
      '{shop},BAD-3,2026-01-10T09:00:00+09:00,{pay},{status},0,山田,TS-002,パーカー,5500,1.5,',
    ]);
    const report = await caller.orders.importCsv({
      contentBase64: Buffer.from(text).toString('base64'),
    });
    expect(report.summary).toMatchObject({ orders: 4, created: 1, refused: 3 });
    const where = report.results.map((r) => [
      r.orderNumber,
      r.outcome,
      r.errors.map((e) => `${e.row}:${e.column?.ja ?? ''}:${e.field}`),
    ]);
    expect(where).toEqual([
      ['OK-1', 'created', []],
      ['受注１', 'refused', ['3:受注番号:orderNumber']],
      ['BAD-2', 'refused', ['4:数量:lines.0.quantity']],
      // The second row of BAD-3 is wrong: the whole order is refused, its first line not taken.
      ['BAD-3', 'refused', ['6:数量:lines.1.quantity']],
    ]);
    expect(report.results[2]?.errors[0]?.column).toEqual({ ja: '数量', en: 'quantity' });
    expect(report.results[2]?.errors[0]?.message.ja).toContain('数量');
    // Only OK-1 was stored; a refused order stores nothing.
    expect(await forkEm(t.deps.orm).count(Order, {})).toBe(before + 1);
    expect((await caller.orders.list({ search: 'BAD-' })).total).toBe(0);
    const unknownColumn = (await caller.orders
      .importCsv({ contentBase64: Buffer.from('受注番号,色\r\nA,赤\r\n').toString('base64') })
      .catch((e: unknown) => e)) as TRPCError;
    expect(unknownColumn.message).toContain('Unknown columns in the header row: 色');
  });

  it('exports the shipping CSV in Shift_JIS honouring shippingCsvUnallocated', async () => {
    const excluded = await download();
    expect(excluded.status).toBe(200);
    expect(excluded.headers['content-type']).toContain('Shift_JIS');
    expect(excluded.headers['x-renkei-orders-included']).toBe('0'); // nothing is allocated yet
    await caller.settings.update({ shippingCsvUnallocated: 'include' });
    const included = await download();
    const text = iconv.decode(included.body as Buffer, 'Shift_JIS');
    expect(text.split('\r\n')[0]).toContain('受注番号');
    expect(text).toContain('ﾔﾏﾀﾞ ﾀﾛｳ');
    expect(text).toContain('"佐藤, 花子"');
    // The two orders of the first file and OK-1, the good order of the file with bad rows.
    expect(Number(included.headers['x-renkei-orders-included'])).toBe(3);
    expect((await request(t.app).get('/api/admin/shipping.csv')).status).toBe(401);
  });

  it('exports an order under the status it is in now, also after the worker moved it', async () => {
    // The worker moves statuses on the order row alone (e.g. to the allocated status).
    const em = forkEm(t.deps.orm);
    const moved = await em.findOneOrFail(Order, { tenant: a.tenantId, orderCode: 'CSV-2' });
    moved.status = em.getReference(OrderStatus, a.otherStatusId);
    await em.flush();
    const text = async (statusId: string) =>
      iconv.decode((await download(`?statusId=${statusId}`)).body as Buffer, 'Shift_JIS');
    const inMoved = await text(a.otherStatusId);
    expect(inMoved).toContain('CSV-2');
    expect(inMoved).not.toContain('ＣＳＶ－１');
    // 受注日時 as the OMS sent it: Japan time.
    expect(inMoved).toContain('2026-01-10T10:00:00+09:00');
    expect(await text(a.statusId)).not.toContain('CSV-2');
  });

  it('seeds the demo tenant once; the OpenAPI example is a valid order for it', async () => {
    const demo = await createTestApp(dialect, { RENKEI_DEMO: 'true' });
    try {
      await seedDemo(demo.deps);
      await seedDemo(demo.deps); // idempotent
      const { caller: demoCaller } = await signedInCaller(demo.deps, DEMO_USER);
      expect((await demoCaller.shops.list()).map((s) => s.mallKind).sort()).toEqual([
        'amazon',
        'ownSite',
        'rakuten',
        'yahoo',
      ]);
      expect((await demoCaller.orders.list({})).total).toBe(3);
      const doc = await request(demo.app).get('/api/v1/openapi.json');
      const example =
        doc.body.paths['/api/v1/orders'].post.requestBody.content['application/json'].example;
      const res = await request(demo.app)
        .post('/api/v1/orders')
        .set('Authorization', `Bearer ${DEMO_INTAKE_KEY}`)
        .send(example);
      expect(res.status).toBe(201);
      expect(res.body.order.shopId).toBe(example.shopId);
      expect(await forkEm(demo.deps.orm).count(Order, { tenant: DEMO_TENANT_ID })).toBe(4);
    } finally {
      await demo.close();
    }
  });
});
