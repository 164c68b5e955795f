import { testDialects } from '@renkei/persistence/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  seedTenant,
  validOrder,
  type SeededTenant,
  type TestApp,
} from './helpers.js';

/*
 * REST errors speak the reader's language: Japanese (the merchant's) unless the integrator asks
 * for English with Accept-Language. The messages come from the domain's catalog by code.
 */
describe.each(testDialects())('REST error language (%s)', (dialect) => {
  let t: TestApp;
  let a: SeededTenant;
  const post = (body: unknown, language?: string) => {
    const req = request(t.app)
      .post('/api/v1/orders')
      .set('Authorization', `Bearer ${a.apiKey}`)
      .set('Content-Type', 'application/json');
    if (language !== undefined) req.set('Accept-Language', language);
    return req.send(JSON.stringify(body));
  };
  // A quantity of 0: the schema's own, labelled message for the field.
  const badOrder = () => {
    const order = validOrder(a) as { lines: { quantity: number }[] };
    order.lines[0]!.quantity = 0;
    return order;
  };

  beforeAll(async () => {
    t = await createTestApp(dialect);
    a = await seedTenant(t.deps, 'A');
  });
  afterAll(() => t.close());

  it('is Japanese by default', async () => {
    const res = await post(badOrder());
    expect(res.status).toBe(400);
    expect(res.headers['content-language']).toBe('ja');
    expect(res.body.detail).toBe('入力内容に誤りがあります: 数量は1以上で指定してください');
    expect(res.body.errors).toEqual([
      {
        field: 'lines.0.quantity',
        detail: '数量は1以上で指定してください',
        message: {
          ja: '数量は1以上で指定してください',
          en: 'Quantity (quantity) must be at least 1',
        },
      },
    ]);
  });

  it('is English with Accept-Language: en', async () => {
    for (const language of ['en', 'en-US,en;q=0.9,ja;q=0.5']) {
      const res = await post(badOrder(), language);
      expect(res.status).toBe(400);
      expect(res.headers['content-language']).toBe('en');
      expect(res.body.detail).toBe('Invalid input: Quantity (quantity) must be at least 1');
      expect(res.body.errors.map((e: { detail: string }) => e.detail)).toEqual([
        'Quantity (quantity) must be at least 1',
      ]);
    }
  });

  it('prefers Japanese when the client ranks it first, and for languages it does not speak', async () => {
    for (const language of ['ja,en;q=0.8', 'fr']) {
      const res = await post(badOrder(), language);
      expect(res.headers['content-language']).toBe('ja');
      expect(res.body.detail).toContain('数量は1以上で指定してください');
    }
  });

  it('answers other failures in the same language (an unknown key, a missing API key)', async () => {
    const unknown = await post({ ...validOrder(a), colour: 'red' }, 'en');
    expect(unknown.body.errors).toContainEqual(
      expect.objectContaining({ field: 'colour', detail: 'Unknown field: colour' }),
    );
    const anonymous = await request(t.app)
      .post('/api/v1/orders')
      .set('Accept-Language', 'en')
      .send({});
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.detail).toBe('Missing or invalid API key');
  });
});
