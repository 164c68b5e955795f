import { testDialects } from '@renkei/persistence/testing';
import iconv from 'iconv-lite';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  seedTenant,
  signedInCaller,
  validOrder,
  type SeededTenant,
  type TestApp,
} from './helpers.js';

/*
 * The shipping CSV is Shift_JIS: characters customers type that Shift_JIS lacks are folded to
 * their customary equivalent or written as 〓 and reported by order, record and column, never
 * written as a silent `?` (issue 11, item 11).
 */

describe.each(testDialects())('shipping CSV: Shift_JIS without silent loss (%s)', (dialect) => {
  let t: TestApp;
  let a: SeededTenant;
  let caller: Awaited<ReturnType<typeof signedInCaller>>['caller'];
  let token = '';

  beforeAll(async () => {
    t = await createTestApp(dialect);
    a = await seedTenant(t.deps);
    ({ caller, token } = await signedInCaller(t.deps, a));
    await caller.settings.update({ shippingCsvUnallocated: 'include' });
    const send = (order: Record<string, unknown>) =>
      request(t.app)
        .post('/api/v1/orders')
        .set('Authorization', `Bearer ${a.apiKey}`)
        .send(order)
        .expect((res) => expect(res.status).toBeLessThan(300));
    await send(
      validOrder(a, {
        orderNumber: 'SJ-1',
        orderedAt: '2026-01-05T10:00:00+09:00',
        shipTo: {
          name: '𠮷田 髙子',
          postalCode: '150-0041',
          address: '東京都渋谷区神南1〜2−3 ①ビル',
          phone: '03-0000-0000',
        },
      }),
    );
    await send(
      validOrder(a, {
        orderNumber: 'SJ-2',
        orderedAt: '2026-01-05T11:00:00+09:00',
        lines: [{ productCode: 'TS-001', name: '𩸽の開き♥', unitPrice: 1000, quantity: 1 }],
        shippingFee: 0,
      }),
    );
  });
  afterAll(() => t.close());

  it('folds 〜 − 𠮷, keeps 髙 and ①, writes 〓 for 𩸽 and ♥ and counts both in the headers', async () => {
    const res = await request(t.app)
      .get('/api/admin/shipping.csv')
      .set('Cookie', `renkei_session=${token}`)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    const bytes = res.body as Buffer;
    expect(bytes.includes(0x3f)).toBe(false); // no `?` at all: none was typed
    const text = iconv.decode(bytes, 'Shift_JIS');
    expect(text).toContain('"東京都渋谷区神南1～2－3 ①ビル"');
    expect(text).toContain('"吉田 髙子"');
    expect(text).toContain('"〓の開き〓"');
    expect(text.endsWith('\r\n')).toBe(true);
    expect(res.headers['x-renkei-characters-folded']).toBe('3');
    expect(res.headers['x-renkei-characters-unencodable']).toBe('2');
  });

  it('reports each lost character with its order, record and column through tRPC', async () => {
    const report = await caller.orders.shippingCsvReport({});
    expect(report.included).toEqual(['SJ-1', 'SJ-2']);
    expect(report.encoding.losses).toEqual([
      {
        orderNumber: 'SJ-2',
        line: 3,
        rowIndex: 1,
        column: '商品名',
        character: '𩸽',
        codePoint: 'U+29E3D',
      },
      {
        orderNumber: 'SJ-2',
        line: 3,
        rowIndex: 1,
        column: '商品名',
        character: '♥',
        codePoint: 'U+2665',
      },
    ]);
    expect(report.encoding.folded).toEqual([
      { character: '𠮷', replacement: '吉', count: 1 },
      { character: '〜', replacement: '～', count: 1 },
      { character: '−', replacement: '－', count: 1 },
    ]);
    const english = await caller.orders.shippingCsvReport({ language: 'en' });
    expect(english.encoding.losses[0]?.column).toBe('Product name');
  });
});
