import { forkEm, Order, OrderLine, Shop } from '@renkei/persistence';
import { testDialects } from '@renkei/persistence/testing';
import iconv from 'iconv-lite';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSRF_HEADER } from '../src/http/csrf.js';
import {
  createTestApp,
  seedTenant,
  validOrder,
  type SeededTenant,
  type TestApp,
} from './helpers.js';

/*
 * Request bodies as integrators and the admin send them (issue 12, items 5 and 6): bytes that are
 * not valid in the body's charset are refused naming the field, Shift_JIS (Windows-31J) is
 * decoded when declared, and unknown keys are named as fields.
 */

type Problem = {
  detail: string;
  detail_en: string;
  errors: { field: string; detail: string; message: { ja: string; en: string } }[];
};

/** Sends the bytes as they are (superagent would JSON-encode a Buffer under a JSON type). */
const asIs = (body: unknown) => body as string;

/** The JSON text of `body` with the string `marker` replaced by raw `bytes` (inside its quotes). */
function withRawBytes(body: unknown, marker: string, bytes: Buffer, encoding = 'utf8'): Buffer {
  const [before, after] = JSON.stringify(body).split(marker) as [string, string];
  return Buffer.concat([iconv.encode(before, encoding), bytes, iconv.encode(after, encoding)]);
}

describe.each(testDialects())('request bodies: encodings and unknown keys (%s)', (dialect) => {
  let t: TestApp;
  let a: SeededTenant;
  let cookie: string;
  const ORIGIN = 'http://localhost:3000';

  const postRaw = (body: Buffer | string, contentType = 'application/json') =>
    request(t.app)
      .post('/api/v1/orders')
      .set('Authorization', `Bearer ${a.apiKey}`)
      .set('Content-Type', contentType)
      .serialize(asIs)
      .send(body);
  const orderCount = () => forkEm(t.deps.orm).count(Order, {});
  const fields = (res: request.Response) =>
    ((res.body as Problem).errors ?? []).map((e) => e.field);
  const adminRaw = (path: string, body: Buffer | string, contentType = 'application/json') =>
    request(t.app)
      .post(`/api/trpc/${path}`)
      .set('Cookie', cookie)
      .set('Origin', ORIGIN)
      .set(CSRF_HEADER, '1')
      .set('Content-Type', contentType)
      .serialize(asIs)
      .send(body);

  beforeAll(async () => {
    t = await createTestApp(dialect);
    a = await seedTenant(t.deps);
    const res = await request(t.app)
      .post('/api/trpc/auth.login')
      .set('Origin', ORIGIN)
      .set(CSRF_HEADER, '1')
      .set('Content-Type', 'application/json')
      .send({ email: a.email, password: a.password });
    expect(res.status).toBe(200);
    cookie = (res.headers['set-cookie'] as unknown as string[])[0]!.split(';')[0]!;
  });
  afterAll(() => t.close());

  it.each(['shift_jis', 'Shift_JIS', 'windows-31j', 'sjis', 'cp932'])(
    'accepts a Shift_JIS body declared as charset=%s, decoded as Windows-31J (～ － ① 髙)',
    async (charset) => {
      const name = '髙橋 ～①－';
      const order = validOrder(a, {
        orderNumber: `SJIS-${charset}`,
        lines: [{ productCode: 'TS-001', name: 'Tシャツ～白', unitPrice: 3300, quantity: 2 }],
        shipTo: { name, address: '東京都渋谷区神南1－1－1' },
      });
      const res = await postRaw(
        iconv.encode(JSON.stringify(order), 'cp932'),
        `application/json; charset=${charset}`,
      );
      expect(res.status).toBe(201);
      // U+FF5E FULLWIDTH TILDE and U+FF0D FULLWIDTH HYPHEN-MINUS, as Windows writes them.
      expect(res.body.order.shipTo.name).toBe('髙橋 \uFF5E①\uFF0D');
      const em = forkEm(t.deps.orm);
      const line = await em.findOneOrFail(OrderLine, { order: res.body.order.id });
      expect(line.name).toBe('Tシャツ\uFF5E白');
    },
  );

  it('refuses invalid UTF-8 bytes (0xff 0xfe) with 400 naming the encoding and the field, storing nothing', async () => {
    const before = await orderCount();
    const body = withRawBytes(
      validOrder(a, { orderNumber: 'BAD-UTF8', shipTo: { name: '@@' } }),
      '@@',
      Buffer.from([0x59, 0x61, 0xff, 0xfe, 0x6d, 0x61]),
    );
    const res = await postRaw(body);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const problem = res.body as Problem;
    expect(problem.detail).toContain('UTF-8');
    expect(problem.detail_en).toContain('not valid UTF-8');
    expect(problem.errors).toEqual([
      {
        field: 'shipTo.name',
        // In the language asked for (Japanese by default), and in both.
        detail: expect.stringContaining('UTF-8') as string,
        message: {
          ja: expect.stringContaining('UTF-8') as string,
          en: expect.stringContaining('not valid UTF-8') as string,
        },
      },
    ]);
    expect(await orderCount()).toBe(before);
  });

  it('refuses Shift_JIS bytes sent as UTF-8 (no charset), naming every garbled field', async () => {
    const before = await orderCount();
    const order = validOrder(a, {
      orderNumber: 'SJIS-AS-UTF8',
      lines: [{ productCode: 'TS-001', name: 'Tシャツ', unitPrice: 3300, quantity: 2 }],
      shipTo: { name: '山田 太郎', postalCode: '150-0041' },
    });
    const res = await postRaw(iconv.encode(JSON.stringify(order), 'cp932'));
    expect(res.status).toBe(400);
    expect(fields(res).sort()).toEqual(['lines.0.name', 'shipTo.name']);
    expect((res.body as Problem).detail).toContain('charset=shift_jis');
    expect(await orderCount()).toBe(before);
  });

  it('refuses bytes that are not Shift_JIS in a body declared as Shift_JIS', async () => {
    const body = withRawBytes(
      validOrder(a, { orderNumber: 'BAD-SJIS', shipTo: { name: '@@' } }),
      '@@',
      Buffer.from([0x82, 0xa0, 0xff, 0x82]),
      'cp932',
    );
    const res = await postRaw(body, 'application/json; charset=shift_jis');
    expect(res.status).toBe(400);
    expect(fields(res)).toEqual(['shipTo.name']);
    expect((res.body as Problem).detail_en).toContain('Shift_JIS');
  });

  it('refuses a charset it cannot decode, saying which ones it can', async () => {
    const res = await postRaw(
      JSON.stringify(validOrder(a, { orderNumber: 'EUC-1' })),
      'application/json; charset=euc-jp',
    );
    expect(res.status).toBe(400);
    expect((res.body as Problem).detail_en).toContain('euc-jp');
    expect((res.body as Problem).detail_en).toContain('charset=shift_jis');
  });

  it('still checks the API key first: a bad key with bad bytes is 401', async () => {
    const res = await request(t.app)
      .post('/api/v1/orders')
      .set('Authorization', 'Bearer rk_wrong')
      .set('Content-Type', 'application/json')
      .serialize(asIs)
      .send(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]));
    expect(res.status).toBe(401);
  });

  it('refuses invalid bytes on the admin tRPC endpoint as a tRPC error naming the field (batch too)', async () => {
    const before = await forkEm(t.deps.orm).count(Shop, {});
    const single = await adminRaw(
      'shops.create',
      withRawBytes(
        { name: '@@', mallKind: 'rakuten', taxMode: 'included' },
        '@@',
        Buffer.from([0xff, 0xfe]),
      ),
    );
    expect(single.status).toBe(400);
    expect(single.body.error.data.code).toBe('BAD_REQUEST');
    expect(single.body.error.data.messages.ja).toContain('UTF-8');
    expect(single.body.error.data.fieldErrors.map((f: { path: string }) => f.path)).toEqual([
      'name',
    ]);
    // The admin's client batches calls: {"0": input}; the field is still `name`.
    const batch = await adminRaw(
      'shops.create?batch=1',
      withRawBytes(
        { 0: { name: '@@', mallKind: 'rakuten', taxMode: 'included' } },
        '@@',
        iconv.encode('楽天市場店', 'cp932'),
      ),
    );
    expect(batch.status).toBe(400);
    const [call] = batch.body as { error: { data: { fieldErrors: { path: string }[] } } }[];
    expect(call!.error.data.fieldErrors.map((f) => f.path)).toEqual(['name']);
    expect(await forkEm(t.deps.orm).count(Shop, {})).toBe(before);
  });

  it('accepts a Shift_JIS body on the admin tRPC endpoint when declared', async () => {
    const res = await adminRaw(
      'shops.create',
      iconv.encode(
        JSON.stringify({ name: '髙島屋～店', mallKind: 'ownSite', taxMode: 'included' }),
        'cp932',
      ),
      'application/json; charset=windows-31j',
    );
    expect(res.status).toBe(200);
    expect(res.body.result.data.name).toBe('髙島屋\uFF5E店');
  });

  it.each([
    ['a misspelt key', '"shipping_fee":550,', ['shipping_fee']],
    [
      '__proto__ and constructor',
      '"__proto__":{"admin":true},"constructor":1,',
      ['__proto__', 'constructor'],
    ],
    ['a nested unknown key', null, ['shipTo.fax']],
  ] as const)(
    'names %s as the field of an unknown-key error (REST intake)',
    async (_label, extra, expected) => {
      const before = await orderCount();
      const order = validOrder(a, {
        orderNumber: 'UNKNOWN-KEY',
        ...(extra === null ? { shipTo: { name: '山田', fax: '03' } } : {}),
      });
      const text = JSON.stringify(order).replace(/^\{/, `{${extra ?? ''}`);
      const res = await postRaw(text);
      expect(res.status).toBe(400);
      const problem = res.body as Problem;
      expect(problem.errors).toEqual(
        expected.map((field) => ({
          field,
          detail: `不明な項目です: ${field}`,
          message: { ja: `不明な項目です: ${field}`, en: `Unknown field: ${field}` },
        })),
      );
      expect(problem.detail).toContain(`不明な項目です: ${expected[0]}`);
      expect(await orderCount()).toBe(before);
    },
  );

  it('names an unknown key of a tRPC input as the field', async () => {
    const res = await adminRaw(
      'shops.create',
      '{"name":"新店舗","mallKind":"ownSite","taxMode":"included","__proto__":{"x":1},"colour":"red"}',
    );
    expect(res.status).toBe(400);
    expect(res.body.error.data.fieldErrors).toEqual([
      {
        path: '__proto__',
        message: { ja: '不明な項目です: __proto__', en: 'Unknown field: __proto__' },
      },
      { path: 'colour', message: { ja: '不明な項目です: colour', en: 'Unknown field: colour' } },
    ]);
  });
});
