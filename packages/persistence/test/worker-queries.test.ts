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
        {
          tenantId: tenants['running']!,
          contractId: 'sb_running',
          settingsVersion: 1,
          orderStoresReadAt: null,
        },
        {
          tenantId: tenants['also running']!,
          contractId: 'sb_also',
          settingsVersion: 1,
          orderStoresReadAt: null,
        },
      ].sort((a, b) => (a.tenantId < b.tenantId ? -1 : 1)),
    );
    expect(await queries().activeTenant(tenants['switched off']!)).toBeNull();
    expect(await queries().activeTenant(tenants['running']!)).toEqual(
      active.find((t) => t.contractId === 'sb_running'),
    );
    // A save of the settings raises the version the worker's copy of them is checked against.
    const em = forkEm(db.orm);
    const row = await em.findOneOrFail(IntegrationSettings, { tenant: tenants['running']! });
    row.values = { ...row.values, syncEnclosures: true };
    await em.flush();
    expect((await queries().activeTenant(tenants['running']!))?.settingsVersion).toBe(2);
  });

  it('lets one process at a time read a tenant’s 受注店舗, once per interval, and lists when it was read', async () => {
    const tenantId = tenants['also running']!;
    const t0 = new Date('2026-12-02T09:00:00Z');
    const later = (ms: number) => new Date(t0.getTime() + ms);
    const readAt = async () => (await queries().activeTenant(tenantId))?.orderStoresReadAt;
    // Two processes ask at once: one reads.
    expect(
      await Promise.all([
        queries().claimOrderStoresRead(tenantId, t0, 15_000),
        queries().claimOrderStoresRead(tenantId, t0, 15_000),
      ]),
    ).toEqual(expect.arrayContaining([true, false]));
    expect(await readAt()).toBeNull();
    await queries().orderStoresReadEnded(tenantId, later(300));
    expect((await readAt())?.toISOString()).toBe(later(300).toISOString());
    // Within the interval nobody reads again; after it, one does.
    expect(await queries().claimOrderStoresRead(tenantId, later(14_999), 15_000)).toBe(false);
    expect(await queries().claimOrderStoresRead(tenantId, later(15_000), 15_000)).toBe(true);
    // A read given up unfinished (the process stopped) frees the claim and keeps the last read.
    await queries().orderStoresReadEnded(tenantId, null);
    expect(await queries().claimOrderStoresRead(tenantId, later(15_001), 15_000)).toBe(true);
    expect((await readAt())?.toISOString()).toBe(later(300).toISOString());
    // Another tenant's claim is its own.
    expect(await queries().claimOrderStoresRead(tenants['running']!, later(15_001), 15_000)).toBe(
      true,
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

  it('names each tenant’s oldest orders due for registration, each to its own limit, in one statement', async () => {
    const conn = forkEm(db.orm).getConnection();
    const q = (name: string) => (dialect === 'sqlite' ? `\`${name}\`` : `"${name}"`);
    const at = (minute: number) => {
      const ms = Date.parse('2026-12-01T00:00:00Z') + minute * 60_000;
      return dialect === 'sqlite' ? ms : new Date(ms).toISOString();
    };
    const insert = async (table: string, row: Record<string, unknown>) => {
      const columns = Object.keys(row);
      await conn.execute(
        `insert into ${q(table)} (${columns.map(q).join(', ')}) values (${columns.map(() => '?').join(', ')})`,
        Object.values(row),
      );
    };
    const a = tenants['running']!;
    const b = tenants['also running']!;
    const short = (tenantId: string) => (tenantId === a ? 'a' : 'b');
    for (const tenantId of [a, b]) {
      const stamps = { created_at: at(0), updated_at: at(0) };
      const common = { tenant_id: tenantId, active: true, ...stamps };
      await insert('shops', {
        id: `s-${short(tenantId)}`,
        name: '店',
        mall_kind: 'rakuten',
        tax_mode: 'included',
        ...common,
      });
      await insert('payment_methods', { id: `pm-${short(tenantId)}`, name: 'カード', ...common });
      await insert('order_statuses', {
        id: `st-${short(tenantId)}`,
        name: '新規',
        category: 'open',
        ...common,
      });
    }
    /** An order of `tenantId` created at `minute`; its ID sorts against the others by `id`. */
    const order = (tenantId: string, id: string, minute: number, state: string, reason?: string) =>
      insert('orders', {
        id,
        tenant_id: tenantId,
        shop_id: `s-${short(tenantId)}`,
        order_number: id,
        order_code: id,
        status_id: `st-${short(tenantId)}`,
        ordered_at: at(minute),
        payment_method_id: `pm-${short(tenantId)}`,
        source: 'api',
        sync_state: state,
        sync_reason_code: reason ?? null,
        created_at: at(minute),
        updated_at: at(minute),
      });
    // Tenant A: pending orders created out of ID order, one of them excluded (backing off).
    await order(a, 'a-3', 1, 'pending');
    await order(a, 'a-1', 2, 'pending');
    await order(a, 'a-2', 3, 'pending');
    await order(a, 'a-0', 4, 'pending');
    await order(a, 'a-9', 5, 'registered');
    await order(a, 'a-held-2', 6, 'waiting', 'unknownProduct');
    await order(a, 'a-held-1', 7, 'waiting', 'unknownProduct');
    await order(a, 'a-fresh', 8, 'waiting');
    // Tenant B: one pending, one fresh.
    await order(b, 'b-1', 1, 'pending');
    await order(b, 'b-fresh', 2, 'waiting');

    const pending = await queries().ordersDue('pending', [
      { tenantId: a, limit: 2, excluding: ['a-1'] },
      { tenantId: b, limit: 5 },
      { tenantId: tenants['switched off']!, limit: 0 },
    ]);
    expect(Object.fromEntries(pending)).toEqual({ [a]: ['a-3', 'a-2'], [b]: ['b-1'] });
    const fresh = await queries().ordersDue('fresh', [
      { tenantId: a, limit: 1 },
      { tenantId: b, limit: 1 },
    ]);
    expect(Object.fromEntries(fresh)).toEqual({ [a]: ['a-fresh'], [b]: ['b-fresh'] });
    // The recheck pass reads held orders in ID order, continuing after where it stopped.
    expect((await queries().ordersDue('held', [{ tenantId: a, limit: 1 }])).get(a)).toEqual([
      'a-held-1',
    ]);
    expect(
      (await queries().ordersDue('held', [{ tenantId: a, limit: 5, after: 'a-held-1' }])).get(a),
    ).toEqual(['a-held-2']);
    expect(await queries().ordersDue('pending', [])).toEqual(new Map());

    // The shipping loop's fingerprint of a tenant's registered orders in its bulk-shipping
    // status: the same while nothing changes, different when one changes or another arrives.
    const shipping = async () => (await queries().shippingWork([a, b], [`st-a`, `st-b`])).ship;
    const first = await shipping();
    expect([...first.keys()]).toEqual([a]);
    expect(await shipping()).toEqual(first);
    await conn.execute(`update ${q('orders')} set ${q('updated_at')} = ? where ${q('id')} = ?`, [
      at(30),
      'a-9',
    ]);
    const changed = await shipping();
    expect(changed.get(a)).not.toBe(first.get(a));
    await order(a, 'a-10', 9, 'registered');
    expect((await shipping()).get(a)).not.toBe(changed.get(a));
  });
});
