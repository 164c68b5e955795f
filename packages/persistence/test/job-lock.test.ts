import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forkEm, Job, Tenant, WorkerQueries } from '../src/index.js';
import { testDialects, type TestDatabase } from '../src/testing.js';
import { databaseWithTenant } from './support/tenant-database.js';

/*
 * A running job keeps its lock by extending it: only the claim that holds it can, so a process
 * whose lock had ended and whose job another process claimed cannot take it back.
 */
describe.each(testDialects())('extending a job lock (%s)', (dialect) => {
  let db: TestDatabase;
  let tenantId: string;
  const t0 = Date.parse('2026-12-01T00:00:00Z');
  const LOCK_MS = 10_000;
  const queries = () => new WorkerQueries(forkEm(db.orm));
  const at = (ms: number) => new Date(t0 + ms);

  beforeAll(async () => {
    ({ db, tenantId } = await databaseWithTenant(dialect));
  });
  afterAll(async () => {
    await db.close();
  });

  const addJob = async (): Promise<string> => {
    const em = forkEm(db.orm);
    const job = em.create(Job, {
      tenant: em.getReference(Tenant, tenantId),
      name: 'test.lock',
      payload: {},
      runAt: at(0),
    });
    await em.flush();
    return job.id;
  };

  it('keeps a running job from being due while its claim extends the lock', async () => {
    const id = await addJob();
    const claim = await queries().claimJob('a', id, at(0), LOCK_MS);
    expect(claim).toBeDefined();
    // Extended at 8 s, the lock now ends at 18 s: at 12 s the job is not due for anybody.
    expect(await queries().extendJobLock('a', claim!, at(8_000), LOCK_MS)).toBe(true);
    expect((await queries().dueJobs(at(12_000), 10, ['test.lock'])).map((j) => j.id)).not.toContain(
      id,
    );
    expect(await queries().claimJob('b', id, at(12_000), LOCK_MS)).toBeUndefined();
    const row = await forkEm(db.orm).findOneOrFail(Job, id);
    expect(row.lockedUntil?.getTime()).toBe(t0 + 18_000);
  });

  it('is refused to a claim that lost the job, and to another holder', async () => {
    const id = await addJob();
    const first = await queries().claimJob('a', id, at(0), LOCK_MS);
    expect(first).toBeDefined();
    // The lock ends (the process looked dead) and b claims the job.
    const second = await queries().claimJob('b', id, at(LOCK_MS + 1), LOCK_MS);
    expect(second?.attempts).toBe(2);
    expect(await queries().extendJobLock('a', first!, at(LOCK_MS + 2), LOCK_MS)).toBe(false);
    expect(await queries().extendJobLock('a', second!, at(LOCK_MS + 2), LOCK_MS)).toBe(false);
    expect(await queries().extendJobLock('b', second!, at(LOCK_MS + 2), LOCK_MS)).toBe(true);
    // Once finished, there is nothing left to extend.
    await queries().completeJob('b', id, at(LOCK_MS + 3));
    expect(await queries().extendJobLock('b', second!, at(LOCK_MS + 4), LOCK_MS)).toBe(false);
  });
});
