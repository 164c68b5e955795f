import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  forkEm,
  IntegrationSettings,
  SmaregiConnection,
  Tenant,
  WorkerQueries,
} from '@renkei/persistence';
import { createTestDatabase, testDialects, type TestDatabase } from '@renkei/persistence/testing';
import { RecentActiveTenants } from '../src/tenants/active-tenants.js';

/*
 * A queued order task checks that its tenant is still active against a listing at most one
 * order-loop tick old, instead of a statement of its own: the tasks starting together share one
 * read, and a switch flipped off is seen by every task that starts once the listing has aged.
 */
describe.each(testDialects())('recent active tenants (%s)', (dialect) => {
  let db: TestDatabase;
  let tenantId: string;
  const switchTo = async (on: boolean) => {
    const em = forkEm(db.orm);
    const row = await em.findOneOrFail(IntegrationSettings, { tenant: tenantId });
    row.integrationEnabled = on;
    await em.flush();
  };

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    const em = forkEm(db.orm);
    const tenant = em.create(Tenant, { name: '最近' });
    em.create(IntegrationSettings, { tenant, integrationEnabled: true, values: {} });
    em.create(SmaregiConnection, { tenant, scopes: [], status: 'active', contractId: 'sb_recent' });
    await em.flush();
    tenantId = tenant.id;
  });
  afterAll(async () => {
    await db?.close();
  });

  it('shares one read among tasks starting together, and reads again once it is too old', async () => {
    let now = 1_000;
    const recent = new RecentActiveTenants(250, () => now);
    const reads = vi.spyOn(WorkerQueries.prototype, 'activeTenants');
    const em = forkEm(db.orm);
    const together = await Promise.all([1, 2, 3].map(() => recent.get(em, tenantId)));
    expect(together.map((t) => t?.contractId)).toEqual(['sb_recent', 'sb_recent', 'sb_recent']);
    expect(reads).toHaveBeenCalledTimes(1);

    await switchTo(false);
    // Within one tick of the listing: the listing answers (as the loop's own tick would).
    now += 250;
    expect(await recent.get(em, tenantId)).not.toBeNull();
    expect(reads).toHaveBeenCalledTimes(1);
    // Older than that: read again, and the switch is seen.
    now += 1;
    expect(await recent.get(em, tenantId)).toBeNull();
    expect(reads).toHaveBeenCalledTimes(2);
    await switchTo(true);
    reads.mockRestore();
  });

  it("takes the order loop's own listing, but never an older one over a newer", async () => {
    let now = 5_000;
    const recent = new RecentActiveTenants(250, () => now);
    const reads = vi.spyOn(WorkerQueries.prototype, 'activeTenants');
    recent.seen([], now);
    recent.seen([{ tenantId, contractId: 'sb_recent', settingsVersion: 1 }], now - 100);
    expect(await recent.get(forkEm(db.orm), tenantId)).toBeNull();
    now += 100;
    recent.seen([{ tenantId, contractId: 'sb_recent', settingsVersion: 1 }], now);
    expect((await recent.get(forkEm(db.orm), tenantId))?.contractId).toBe('sb_recent');
    expect(reads).not.toHaveBeenCalled();
    reads.mockRestore();
  });
});
