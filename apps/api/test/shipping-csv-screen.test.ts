import { forkEm, Order, OrderStatus, Shop, Tenant } from '@renkei/persistence';
import { testDialects } from '@renkei/persistence/testing';
import { TRPCError } from '@trpc/server';
import iconv from 'iconv-lite';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shippingCsvFileName } from '../src/services/shipping-csv.js';
import { toPublicError } from '../src/trpc/errors.js';
import {
  createTestApp,
  seedTenant,
  signedInCaller,
  validOrder,
  type SeededTenant,
  type TestApp,
} from './helpers.js';

/*
 * The 送り状・出荷CSV screen's two calls: the preview (tRPC orders.shippingCsvReport: how many
 * orders go out, which ones ■送り状・出荷CSV出力制御 holds back and why) and the download (a plain
 * GET the browser saves), under the same filters: shop, statuses, 出荷日 range.
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

describe.each(testDialects())('送り状・出荷CSV screen (%s)', (dialect) => {
  let t: TestApp;
  let a: SeededTenant;
  let caller: Awaited<ReturnType<typeof signedInCaller>>['caller'];
  let token = '';
  let otherShopId = '';
  let shippedStatusId = '';
  const ids = new Map<string, string>();

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
  const orderNumbersIn = (body: unknown) =>
    iconv
      .decode(body as Buffer, 'Shift_JIS')
      .split('\r\n')
      .slice(1)
      .filter((l) => l !== '')
      .map((l) => l.split(',')[0]!.replaceAll('"', ''));

  beforeAll(async () => {
    t = await createTestApp(dialect);
    a = await seedTenant(t.deps);
    ({ caller, token } = await signedInCaller(t.deps, a));
    const em = forkEm(t.deps.orm);
    const tenant = em.getReference(Tenant, a.tenantId);
    const shop = em.create(Shop, {
      tenant,
      name: 'Yahoo!店',
      mallKind: 'yahoo',
      taxMode: 'included',
    });
    const shipped = em.create(OrderStatus, {
      tenant,
      name: '出荷済み',
      category: 'shipped',
      sortOrder: 9,
    });
    await em.flush();
    otherShopId = shop.id;
    shippedStatusId = shipped.id;
    const orders: [string, Record<string, unknown>, string | null][] = [
      ['A-1', { shippingDate: '2026-02-01' }, 'allocated'],
      ['A-2', { shippingDate: '2026-02-03', statusId: a.otherStatusId }, 'allocated'],
      ['P-1', { shippingDate: '2026-02-01' }, 'partial'],
      ['U-1', {}, 'unallocated'],
      ['N-1', {}, null],
      ['B-1', { shippingDate: '2026-02-02', shopId: otherShopId }, 'allocated'],
      ['S-1', { shippingDate: '2026-02-01', statusId: shippedStatusId }, 'allocated'],
      [
        'J-1',
        {
          shippingDate: '2026-02-05',
          shipTo: { name: '髙橋 ①子 😀', address: '東京都渋谷区神南1〜2', phone: '03-0000-0000' },
        },
        'allocated',
      ],
    ];
    for (const [orderNumber, over] of orders) {
      const res = await request(t.app)
        .post('/api/v1/orders')
        .set('Authorization', `Bearer ${a.apiKey}`)
        .send(validOrder(a, { orderNumber, ...over }));
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      ids.set(orderNumber, res.body.order.id as string);
    }
    // Allocation as the worker records it from Smaregi's answers.
    for (const [orderNumber, , allocationStatus] of orders)
      await forkEm(t.deps.orm).nativeUpdate(
        Order,
        { id: ids.get(orderNumber)! },
        { allocationStatus },
      );
  });
  afterAll(() => t.close());

  it('counts what goes out and lists each held order with why and its ID', async () => {
    const report = await caller.orders.shippingCsvReport({});
    expect(report.setting).toBe('exclude');
    expect(report.included).toEqual(['A-1', 'B-1', 'A-2', 'J-1']);
    expect(report.includedCount).toBe(4);
    expect(report.rowCount).toBe(4); // one line each
    expect(report.heldCount).toBe(3);
    expect(report.held.map((h) => [h.orderNumber, h.orderId, h.allocation])).toEqual([
      ['P-1', ids.get('P-1'), 'partial'],
      ['U-1', ids.get('U-1'), 'unallocated'],
      ['N-1', ids.get('N-1'), null],
    ]);
    expect(report.held[0]?.message.ja).toContain('引当未完了');
    expect(report.held[2]?.message.ja).toContain('引当状態が不明');
    // The shipped order is never a candidate, nor counted as held.
    expect(report.excluded.map((e) => e.orderNumber)).not.toContain('S-1');
  });

  it('takes the held orders in when the setting says 出力する', async () => {
    await caller.settings.update({ shippingCsvUnallocated: 'include' });
    try {
      const report = await caller.orders.shippingCsvReport({});
      expect(report.setting).toBe('include');
      expect(report.heldCount).toBe(0);
      expect(report.includedCount).toBe(7);
    } finally {
      await caller.settings.update({ shippingCsvUnallocated: 'exclude' });
    }
  });

  type Filter = { input: Record<string, unknown>; query: string };
  it.each<[string, () => Filter, string[], string[]]>([
    [
      'one shop',
      () => ({ input: { shopId: otherShopId }, query: `shopId=${otherShopId}` }),
      ['B-1'],
      [],
    ],
    [
      'statuses',
      () => ({ input: { statusIds: [a.otherStatusId] }, query: `statusId=${a.otherStatusId}` }),
      ['A-2'],
      [],
    ],
    [
      'a 出荷日 range (orders without one are outside it)',
      () => ({
        input: { shippingDateFrom: '2026-02-01', shippingDateTo: '2026-02-02' },
        query: 'shippingDateFrom=2026-02-01&shippingDateTo=2026-02-02',
      }),
      ['A-1', 'B-1'],
      ['P-1'],
    ],
    [
      'a shipped status asked for (never output)',
      () => ({ input: { statusIds: [shippedStatusId] }, query: `statusId=${shippedStatusId}` }),
      [],
      [],
    ],
  ])('filters by %s, in the preview and the download alike', async (_, filter, out, held) => {
    const { input, query } = filter();
    const report = await caller.orders.shippingCsvReport(input);
    expect(report.included).toEqual(out);
    expect(report.held.map((h) => h.orderNumber)).toEqual(held);
    const res = await download(`?${query}`);
    expect(res.status).toBe(200);
    expect(orderNumbersIn(res.body)).toEqual(out);
    expect(res.headers['x-renkei-orders-included']).toBe(String(out.length));
    expect(res.headers['x-renkei-orders-excluded']).toBe(String(held.length));
  });

  it('names a bad filter: a range ending before it starts, a date that is not one', async () => {
    const range = await refusal(
      caller.orders.shippingCsvReport({
        shippingDateFrom: '2026-02-03',
        shippingDateTo: '2026-02-01',
      }),
    );
    expect(range.fieldErrors.map((e) => e.path)).toEqual(['shippingDateTo']);
    const res = await request(t.app)
      .get('/api/admin/shipping.csv?shippingDateFrom=2026-13-01')
      .set('Cookie', `renkei_session=${token}`);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['shippingDateFrom']);
    const backwards = await request(t.app)
      .get('/api/admin/shipping.csv?shippingDateFrom=2026-02-03&shippingDateTo=2026-02-01')
      .set('Cookie', `renkei_session=${token}`);
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors[0].field).toBe('shippingDateTo');
  });

  it('saves as 送り状_YYYYMMDD_HHmm.csv (Japan time), the Japanese name in filename*', async () => {
    expect(shippingCsvFileName(new Date('2026-11-30T23:05:00Z'))).toBe('送り状_20261201_0805.csv');
    const res = await download();
    const disposition = res.headers['content-disposition'] as string;
    expect(disposition).toMatch(/^attachment; filename="shipping_\d{8}_\d{4}\.csv"; /);
    const star = /filename\*=UTF-8''(.+)$/.exec(disposition)?.[1];
    expect(decodeURIComponent(star ?? '')).toMatch(/^送り状_\d{8}_\d{4}\.csv$/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['content-type']).toBe('text/csv; charset=Shift_JIS');
  });

  it('keeps 髙 and ①, folds 〜, writes an emoji as 〓 and reports it', async () => {
    const res = await download('?shippingDateFrom=2026-02-05');
    const text = iconv.decode(res.body as Buffer, 'Shift_JIS');
    expect(text).toContain('"髙橋 ①子 〓"');
    expect(text).toContain('"東京都渋谷区神南1～2"');
    expect(res.headers['x-renkei-characters-unencodable']).toBe('1');
    const report = await caller.orders.shippingCsvReport({ shippingDateFrom: '2026-02-05' });
    expect(report.encoding.losses).toMatchObject([
      { orderNumber: 'J-1', column: 'お届け先氏名', character: '😀', codePoint: 'U+1F600' },
    ]);
    expect(report.encoding.folded).toEqual([{ character: '〜', replacement: '～', count: 1 }]);
  });

  it('needs a session', async () => {
    expect((await request(t.app).get('/api/admin/shipping.csv')).status).toBe(401);
  });
});
