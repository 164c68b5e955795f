import { afterEach, describe, expect, it } from 'vitest';
import { testDialects } from '../src/testing.js';
import { schemaBefore, type SchemaBefore } from './support/schema-before.js';

/*
 * Migration20261203040000 keeps the language of an answer kept under an Idempotency-Key. A
 * database made by the previous schema must keep every kept answer (its language unknown: null),
 * and the `down` drops the column and keeps the rows.
 */
const MIGRATION = 'Migration20261203040000';

describe.each(testDialects())('idempotency answer language migration (%s)', (dialect) => {
  let before: SchemaBefore | undefined;
  afterEach(async () => {
    await before?.close();
    before = undefined;
  });

  it('keeps every kept answer and adds its language as unknown', async () => {
    before = await schemaBefore(dialect, MIGRATION);
    const { insert, at } = before;
    const t0 = at('2026-12-01T00:00:00Z');
    await insert('tenants', { id: 't-1', name: 'テスト商店', demo: false, created_at: t0 });
    await insert('api_idempotency_keys', {
      id: 'k-1',
      tenant_id: 't-1',
      idempotency_key: 'idem-0001',
      request_hash: 'a'.repeat(64),
      response_status: 200,
      response_body: JSON.stringify({ outcome: 'updated' }),
      response_etag: '"v1"',
      created_at: t0,
      expires_at: at('2026-12-02T00:00:00Z'),
    });
    expect(await before.columnsOf('api_idempotency_keys')).not.toContain('response_language');

    await before.migrateRest();
    expect(
      await before.select('api_idempotency_keys', ['id', 'response_etag', 'response_language']),
    ).toEqual([{ id: 'k-1', response_etag: '"v1"', response_language: null }]);

    await before.migrateBack();
    expect(await before.columnsOf('api_idempotency_keys')).not.toContain('response_language');
    expect(await before.select('api_idempotency_keys', ['id', 'idempotency_key'])).toEqual([
      { id: 'k-1', idempotency_key: 'idem-0001' },
    ]);
  });
});
