import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  forkEm,
  IntegrationSettings,
  IntegrationSettingsRepository,
  SmaregiConnection,
  Tenant,
  WorkerQueries,
} from '@renkei/persistence';
import { createTestDatabase, testDialects, type TestDatabase } from '@renkei/persistence/testing';
import { readSettings } from '../src/orders/order-view.js';

/*
 * The worker keeps a copy of each tenant's settings with the version of the row it read them at,
 * and uses it only for a tenant listed by the active-tenant query at that same version: a save
 * is seen by the next task or tick, exactly as a read would see it, without reading the row for
 * every step of every order.
 */
describe.each(testDialects())('settings copy of the worker (%s)', (dialect) => {
  let db: TestDatabase;
  let tenantId: string;
  const active = async () => {
    const tenant = await new WorkerQueries(forkEm(db.orm)).activeTenant(tenantId);
    if (tenant === null) throw new Error('tenant not active');
    return tenant;
  };
  const save = async (values: Record<string, unknown>, integrationEnabled = true) => {
    const em = forkEm(db.orm);
    const row = await em.findOneOrFail(IntegrationSettings, { tenant: tenantId });
    row.values = { ...row.values, ...values };
    row.integrationEnabled = integrationEnabled;
    await em.flush();
  };

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    const em = forkEm(db.orm);
    const tenant = em.create(Tenant, { name: '設定' });
    em.create(IntegrationSettings, { tenant, integrationEnabled: true, values: {} });
    em.create(SmaregiConnection, {
      tenant,
      scopes: [],
      status: 'active',
      contractId: 'sb_settings',
    });
    await em.flush();
    tenantId = tenant.id;
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  afterAll(async () => {
    await db?.close();
  });

  it('reads the row once per version, and sees a save at the next listing', async () => {
    const reads = vi.spyOn(IntegrationSettingsRepository.prototype, 'get');
    const em = forkEm(db.orm);
    const first = await active();
    expect((await readSettings(em, first)).syncEnclosures).toBe(false);
    expect((await readSettings(em, first)).syncEnclosures).toBe(false);
    expect((await readSettings(em, await active())).syncEnclosures).toBe(false);
    expect(reads).toHaveBeenCalledTimes(1);

    await save({ syncEnclosures: true });
    // A listing from before the save is of the old version: the copy no longer matches it
    // once the save is read, and a listing after it reads the new row.
    const second = await active();
    expect(second.settingsVersion).toBe((first.settingsVersion ?? 0) + 1);
    expect((await readSettings(em, second)).syncEnclosures).toBe(true);
    expect((await readSettings(em, second)).syncEnclosures).toBe(true);
    expect(reads).toHaveBeenCalledTimes(2);

    // By tenant ID alone (a caller checking the switch), always read.
    await readSettings(em, tenantId);
    expect(reads).toHaveBeenCalledTimes(3);
  });

  it('never hands an active tenant a copy that says its integration is off', async () => {
    await save({}, false);
    // Read while off (e.g. by tenant ID), then switched on without a save of the row's values.
    expect((await readSettings(forkEm(db.orm), tenantId)).integrationEnabled).toBe(false);
    const conn = forkEm(db.orm).getConnection();
    await conn.execute(
      dialect === 'sqlite'
        ? 'update `integration_settings` set `integration_enabled` = 1 where `tenant_id` = ?'
        : 'update "integration_settings" set "integration_enabled" = true where "tenant_id" = ?',
      [tenantId],
    );
    expect((await readSettings(forkEm(db.orm), await active())).integrationEnabled).toBe(true);
  });

  it('hands out a copy no caller can change', async () => {
    const settings = await readSettings(forkEm(db.orm), await active());
    expect(Object.isFrozen(settings)).toBe(true);
    expect(() => {
      (settings as { syncEnclosures: boolean }).syncEnclosures = false;
    }).toThrow(TypeError);
  });
});
