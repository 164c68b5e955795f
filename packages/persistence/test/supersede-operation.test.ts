import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  forkEm,
  Operation,
  OperationLedger,
  orderRegistrationKey,
  supersedeOperation,
  Tenant,
  type OperationState,
} from '../src/index.js';
import { createTestDatabase, testDialects, type TestDatabase } from '../src/testing.js';

/*
 * A corrected order replaces what its registration would send, but only while nothing can have
 * reached Smaregi: a worker that read the old version can no longer claim, and an operation that
 * may have had its effect is never replaced.
 */
describe.each(testDialects())('superseding an operation (%s)', (dialect) => {
  let db: TestDatabase;
  let tenantId: string;
  const now = Date.parse('2026-12-01T00:00:00Z');
  let seq = 0;
  const ledger = () =>
    new OperationLedger(db.orm, {
      clock: { now: () => now },
      leaseMs: 60_000,
      backoffMs: () => 1_000,
      holder: 'w',
    });
  const supersede = async (key: string) => {
    const tx = forkEm(db.orm);
    return tx.transactional((em) =>
      supersedeOperation(
        em,
        tenantId,
        'registerOrder',
        key,
        { type: 'order', id: key },
        new Date(now),
      ),
    );
  };
  const rowsOf = (key: string) =>
    forkEm(db.orm).find(Operation, { tenant: tenantId, kind: 'registerOrder', businessKey: key });

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    const em = forkEm(db.orm);
    const tenant = em.create(Tenant, { name: 'A' });
    await em.flush();
    tenantId = tenant.id;
  });
  afterAll(async () => {
    await db.close();
  });

  it('the order key is the one the worker registers under', () => {
    expect(orderRegistrationKey('o-1')).toBe('order:o-1');
  });

  it('a worker that read the old version cannot claim after the correction', async () => {
    const key = orderRegistrationKey(`o-${++seq}`);
    const seen = await ledger().open(tenantId, 'registerOrder', key, { type: 'order', id: key });
    expect(await supersede(key)).toEqual({ ok: true });
    expect(await ledger().claim(seen)).toBeNull();
    const rows = await rowsOf(key);
    expect(rows.map((r) => [r.state, r.attempts, r.id === seen.id])).toEqual([
      ['pending', 0, false],
    ]);
    // A worker opening now sees the new row and may claim it (it reads the new version).
    const fresh = await ledger().open(tenantId, 'registerOrder', key);
    expect(await ledger().claim(fresh)).not.toBeNull();
  });

  it('creates the row when there was none, so a later open sees it', async () => {
    const key = orderRegistrationKey(`o-${++seq}`);
    expect(await supersede(key)).toEqual({ ok: true });
    expect((await rowsOf(key)).map((r) => r.state)).toEqual(['pending']);
  });

  it.each<[OperationState, boolean]>([
    ['pending', true],
    ['failed', true],
    ['in_flight', false],
    ['unknown', false],
    ['succeeded', false],
  ])('a row %s is replaced: %s', async (state, replaced) => {
    const key = orderRegistrationKey(`o-${++seq}`);
    const entry = await ledger().open(tenantId, 'registerOrder', key);
    await forkEm(db.orm).nativeUpdate(Operation, { id: entry.id }, { state, attempts: 3 });
    const result = await supersede(key);
    expect(result).toEqual(replaced ? { ok: true } : { ok: false, state });
    const rows = await rowsOf(key);
    expect(rows.map((r) => [r.state, r.attempts])).toEqual([
      replaced ? ['pending', 0] : [state, 3],
    ]);
  });
});
