import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  forkEm,
  IntegrationSettings,
  Job,
  SmaregiConnection,
  Tenant,
  WorkerQueries,
  type ConnectionStatus,
} from '../src/index.js';
import { createTestDatabase, testDialects, type TestDatabase } from '../src/testing.js';

/*
 * The worker's cross-tenant questions, each one statement whatever the number of tenants: which
 * tenants may run (switch on AND connection active with a contract), and whether a lane has any
 * job due. The tenant-by-tenant work after them is tested through the worker.
 */
describe.each(testDialects())('the worker’s cross-tenant queries (%s)', (dialect) => {
  let db: TestDatabase;
  const queries = () => new WorkerQueries(forkEm(db.orm));
  const tenants: Record<string, string> = {};

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    const em = forkEm(db.orm);
    const created: [string, Tenant][] = [];
    const add = (
      name: string,
      enabled: boolean,
      connection: { status: ConnectionStatus; contractId: string | null } | null,
    ) => {
      const tenant = em.create(Tenant, { name });
      created.push([name, tenant]);
      em.create(IntegrationSettings, { tenant, integrationEnabled: enabled, values: {} });
      if (connection) em.create(SmaregiConnection, { tenant, scopes: [], ...connection });
    };
    add('running', true, { status: 'active', contractId: 'sb_running' });
    add('switched off', false, { status: 'active', contractId: 'sb_off' });
    add('needs re-authorisation', true, { status: 'reauthRequired', contractId: 'sb_reauth' });
    add('never connected', true, null);
    add('also running', true, { status: 'active', contractId: 'sb_also' });
    await em.flush();
    for (const [name, tenant] of created) tenants[name] = tenant.id;
  });
  afterAll(async () => {
    await db?.close();
  });

  it('names the tenants with the switch on and an active connection, by tenant ID, in one statement', async () => {
    const active = await queries().activeTenants();
    expect(active).toEqual(
      [
        { tenantId: tenants['running']!, contractId: 'sb_running' },
        { tenantId: tenants['also running']!, contractId: 'sb_also' },
      ].sort((a, b) => (a.tenantId < b.tenantId ? -1 : 1)),
    );
    expect(await queries().activeTenant(tenants['switched off']!)).toBeNull();
    expect(await queries().activeTenant(tenants['running']!)).toEqual(
      active.find((t) => t.contractId === 'sb_running'),
    );
  });

  it('says whether a job of the given names is due, without claiming it', async () => {
    const now = new Date('2026-12-01T00:00:00Z');
    const em = forkEm(db.orm);
    em.create(Job, {
      tenant: em.getReference(Tenant, tenants['running']!),
      name: 'lane.later',
      payload: {},
      runAt: new Date(now.getTime() + 60_000),
    });
    em.create(Job, {
      tenant: em.getReference(Tenant, tenants['running']!),
      name: 'lane.now',
      payload: {},
      runAt: now,
    });
    await em.flush();
    expect(await queries().hasDueJobs(['lane.later'], now)).toBe(false);
    expect(await queries().hasDueJobs(['lane.later', 'lane.now'], now)).toBe(true);
    expect(await queries().hasDueJobs(['lane.later'], new Date(now.getTime() + 60_000))).toBe(true);
    expect(await queries().hasDueJobs([], now)).toBe(false);
    // Nothing was claimed.
    expect(await forkEm(db.orm).count(Job, { state: 'queued' })).toBe(2);
  });
});
