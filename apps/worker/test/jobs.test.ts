import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forkEm, Job, Tenant, type Em } from '@renkei/persistence';
import { createTestDatabase, testDialects, type TestDatabase } from '@renkei/persistence/testing';
import { SmaregiApiError, systemClock } from '@renkei/smaregi-client';
import { startSimulator, type RunningSimulator } from '@renkei/smaregi-simulator';
import { TableJobQueue } from '../src/jobs/job-queue.js';
import { Worker } from '../src/worker.js';
import { seedTenant, testClient, testDeps, updateSettings } from './support/fixture.js';

/* The jobs table as a queue: claims are exclusive, outcomes are recorded, nothing is lost. */
describe.each(testDialects())('jobs (%s)', (dialect) => {
  let db: TestDatabase;
  let sim: RunningSimulator;
  let tenantId: string;

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    sim = await startSimulator({ rateLimits: false, seed: 29 });
    tenantId = (await seedTenant(db.orm, testClient(sim))).tenantId;
  }, 30_000);
  afterAll(async () => {
    await sim?.close();
    await db?.close();
  });

  const add = async (em: Em, name: string, payload: Record<string, unknown>) => {
    const job = em.create(Job, { tenant: em.getReference(Tenant, tenantId), name, payload });
    await em.flush();
    return job.id;
  };

  it('never hands one job to two claimers', async () => {
    const em = forkEm(db.orm);
    for (let i = 0; i < 40; i++) await add(em, 'test.claim', { i });
    const a = new TableJobQueue(systemClock, 'a', 60_000);
    const b = new TableJobQueue(systemClock, 'b', 60_000);
    const [x, y] = await Promise.all([
      a.claim(forkEm(db.orm), 40, ['test.claim']),
      b.claim(forkEm(db.orm), 40, ['test.claim']),
    ]);
    const ids = [...x, ...y].map((j) => j.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(40);
  });

  it('retries a job after a transient failure, fails it on a deterministic one, skips inactive tenants', async () => {
    const worker = new Worker(testDeps(db.orm, testClient(sim)));
    let calls = 0;
    worker.jobs.register('test.flaky', () => {
      calls++;
      return calls === 1
        ? Promise.reject(
            new SmaregiApiError('down', { kind: 'server', operation: 'x', status: 503 }),
          )
        : Promise.resolve();
    });
    worker.jobs.register('test.bad', () =>
      Promise.reject(
        new SmaregiApiError('bad', { kind: 'invalid_request', operation: 'x', status: 400 }),
      ),
    );
    const em = forkEm(db.orm);
    const flaky = await add(em, 'test.flaky', {});
    const bad = await add(em, 'test.bad', {});
    await worker.loop('jobs').tickOnce();
    const state = async (id: string) => (await forkEm(db.orm).findOneOrFail(Job, { id })).state;
    expect(await state(flaky)).toBe('queued');
    expect(await state(bad)).toBe('failed');
    expect((await forkEm(db.orm).findOneOrFail(Job, { id: bad })).lastError).toMatch(
      /HTTP 400|bad/,
    );
    const deadline = Date.now() + 5_000;
    while ((await state(flaky)) !== 'done') {
      expect(Date.now()).toBeLessThan(deadline);
      await worker.loop('jobs').tickOnce();
    }
    expect(calls).toBe(2);

    await updateSettings(db.orm, tenantId, { integrationEnabled: false });
    const skipped = await add(em, 'test.flaky', {});
    await worker.loop('jobs').tickOnce();
    expect(await state(skipped)).toBe('done');
    expect(calls).toBe(2);
    await updateSettings(db.orm, tenantId, { integrationEnabled: true });
  });

  it('single process: a job the previous run left running is run at the next start, not a lock later', async () => {
    const id = await add(forkEm(db.orm), 'test.leftRunning', {});
    // The previous run claimed it and died: its lock would hold the job for a minute.
    const [claimed] = await new TableJobQueue(systemClock, 'dead-run', 60_000).claim(
      forkEm(db.orm),
      1,
      ['test.leftRunning'],
    );
    expect(claimed?.id).toBe(id);
    const worker = new Worker(testDeps(db.orm, testClient(sim), { singleProcess: true }), {
      pollMs: 50,
      reconcileMs: 600_000,
      tokenUpkeepMs: 600_000,
    });
    let runs = 0;
    worker.jobs.register('test.leftRunning', () => {
      runs++;
      return Promise.resolve();
    });
    await worker.start();
    try {
      // Well within the test's timeout, and far less than the lock's minute.
      const deadline = Date.now() + 4_000;
      while ((await forkEm(db.orm).findOneOrFail(Job, { id })).state !== 'done') {
        expect(Date.now()).toBeLessThan(deadline);
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await worker.stop(2_000);
    }
    expect(runs).toBe(1);
  });
});
