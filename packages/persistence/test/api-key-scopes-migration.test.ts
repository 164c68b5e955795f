import { afterEach, describe, expect, it } from 'vitest';
import {
  ApiKey,
  forkEm,
  scopesColumn,
  scopesOf,
  Tenant,
  TenantResolver,
  tenantRepositories,
} from '../src/index.js';
import { testDialects } from '../src/testing.js';
import { schemaBefore, type SchemaBefore } from './support/schema-before.js';

/*
 * Migration20261202060000 gives API keys scopes and adds the table of Idempotency-Key answers. A
 * database made by the previous schema, with live and revoked keys in it, must come out with
 * every key intact and holding all three scopes (no integrator's key stops working), the keys
 * still found by their hash, and new keys taking the scopes they are given.
 */
describe.each(testDialects())('API key scopes migration (%s)', (dialect) => {
  let before: SchemaBefore | undefined;
  afterEach(async () => {
    await before?.close();
    before = undefined;
  });

  it('gives every existing key all three scopes and keeps it working', async () => {
    before = await schemaBefore(dialect, 'Migration20261202060000');
    expect(await before.columnsOf('api_keys')).not.toContain('scopes');
    const now = before.at('2026-11-20T00:00:00Z');
    await before.insert('tenants', { id: 't-1', name: 'テスト商店', demo: false, created_at: now });
    await before.insert('api_keys', {
      id: 'k-1',
      tenant_id: 't-1',
      name: 'OMS',
      key_hash: 'a'.repeat(64),
      key_prefix: 'rk_live1',
      created_at: now,
      last_used_at: now,
    });
    await before.insert('api_keys', {
      id: 'k-2',
      tenant_id: 't-1',
      name: '旧キー',
      key_hash: 'b'.repeat(64),
      key_prefix: 'rk_old12',
      created_at: now,
      revoked_at: now,
    });

    await before.migrateRest();
    expect(await before.columnsOf('api_keys')).toContain('scopes');

    const em = forkEm(before.db.orm);
    const keys = await em.find(ApiKey, { tenant: 't-1' }, { orderBy: { id: 'asc' } });
    expect(keys.map((k) => [k.id, k.name, k.keyPrefix, scopesOf(k), k.revokedAt != null])).toEqual([
      ['k-1', 'OMS', 'rk_live1', ['orders:write', 'orders:read', 'stock:read'], false],
      ['k-2', '旧キー', 'rk_old12', ['orders:write', 'orders:read', 'stock:read'], true],
    ]);
    // The intake still finds the live key by its hash, and only that one.
    const resolver = new TenantResolver(forkEm(before.db.orm));
    expect((await resolver.apiKeyByHash('a'.repeat(64)))?.id).toBe('k-1');
    expect(await resolver.apiKeyByHash('b'.repeat(64))).toBeNull();

    // A key made now holds what it is given; without a choice, all three.
    const em2 = forkEm(before.db.orm);
    const tenant = em2.getReference(Tenant, 't-1');
    em2.create(ApiKey, {
      id: 'k-3',
      tenant,
      name: '在庫ツール',
      keyHash: 'c'.repeat(64),
      keyPrefix: 'rk_stock',
      scopes: scopesColumn(['stock:read']),
    });
    em2.create(ApiKey, {
      id: 'k-4',
      tenant,
      name: '既定',
      keyHash: 'd'.repeat(64),
      keyPrefix: 'rk_defau',
    });
    await em2.flush();
    const repos = tenantRepositories(forkEm(before.db.orm), 't-1');
    expect(scopesOf((await repos.apiKeys.findById('k-3'))!)).toEqual(['stock:read']);
    expect(scopesOf((await repos.apiKeys.findById('k-4'))!)).toEqual([
      'orders:write',
      'orders:read',
      'stock:read',
    ]);

    // Idempotency-Key answers: kept per tenant, an expired one is not current and is deleted.
    const emK = forkEm(before.db.orm);
    const keysRepo = tenantRepositories(emK, 't-1').idempotencyKeys;
    keysRepo.create({
      idempotencyKey: 'idem-1',
      requestHash: 'e'.repeat(64),
      responseStatus: 200,
      responseBody: { order: { orderNumber: 'R-1' } },
      responseEtag: '"v1"',
      expiresAt: new Date('2026-11-21T00:00:00Z'),
    });
    keysRepo.create({
      idempotencyKey: 'idem-old',
      requestHash: 'f'.repeat(64),
      responseStatus: 200,
      responseBody: {},
      expiresAt: new Date('2026-11-19T00:00:00Z'),
    });
    await emK.flush();
    const at = new Date('2026-11-20T12:00:00Z');
    const fresh = tenantRepositories(forkEm(before.db.orm), 't-1').idempotencyKeys;
    expect((await fresh.current('idem-1', at))?.responseBody).toEqual({
      order: { orderNumber: 'R-1' },
    });
    expect(await fresh.current('idem-old', at)).toBeNull();
    expect(await fresh.deleteExpired(at)).toBe(1);
    expect(
      await tenantRepositories(forkEm(before.db.orm), 'other').idempotencyKeys.current(
        'idem-1',
        at,
      ),
    ).toBeNull();

    // And back: the previous schema again, every key still there.
    await before.migrateBack();
    expect(await before.columnsOf('api_keys')).not.toContain('scopes');
    expect((await before.select('api_keys', ['id'])).map((r) => r.id)).toEqual([
      'k-1',
      'k-2',
      'k-3',
      'k-4',
    ]);
  });
});
