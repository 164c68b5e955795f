import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forkEm, Tenant, type Em } from '@renkei/persistence';
import { createTestDatabase, testDialects, type TestDatabase } from '@renkei/persistence/testing';
import { TransactionGroup } from '../src/util/transaction-group.js';

/*
 * The worker's group commit (TransactionGroup): the local commits after Smaregi's answers that
 * arrive while one is being written share the next transaction, and each keeps its own outcome
 * — one that fails takes none of the others with it.
 */
describe.each(testDialects())('transaction group (%s)', (dialect) => {
  let db: TestDatabase;
  /** Flushes that wrote rows, since the last reset. */
  let writingFlushes = 0;

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    db.orm.em.getEventManager().registerSubscriber({
      afterFlush: ({ uow }) => {
        if (uow.getChangeSets().length > 0) writingFlushes++;
      },
    });
  });
  afterAll(async () => {
    await db.close();
  });

  const tenantNamed = (tx: Em, name: string) => tx.create(Tenant, { name });
  const stored = async (names: string[]) =>
    (await forkEm(db.orm).find(Tenant, { name: { $in: names } })).map((t) => t.name).sort();

  /** A first commit held open until `release()`, so that the next ones queue behind it. */
  function holdFirst(group: TransactionGroup, name: string) {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const done = group.run(async (tx) => {
      started();
      await held;
      tenantNamed(tx, name);
      return tx;
    });
    return { running, release, done };
  }

  it('writes a lone commit at once, and the commits queued meanwhile together in one flush', async () => {
    const group = new TransactionGroup(db.orm);
    writingFlushes = 0;
    const first = holdFirst(group, 'group-1');
    await first.running;
    const queued = ['group-2', 'group-3', 'group-4'].map((name) =>
      group.run(async (tx) => {
        // A read of the table the previous piece added to (it would flush it by default).
        await tx.count(Tenant, { name });
        tenantNamed(tx, name);
        return tx;
      }),
    );
    first.release();
    const [alone, ...together] = await Promise.all([first.done, ...queued]);
    expect(new Set(together).size).toBe(1);
    expect(together[0]).not.toBe(alone);
    // The three new rows in the group's one flush, however many pieces read before it.
    expect(writingFlushes).toBe(2);
    expect(await stored(['group-1', 'group-2', 'group-3', 'group-4'])).toEqual([
      'group-1',
      'group-2',
      'group-3',
      'group-4',
    ]);
  });

  it('fails only the commit that failed: the others of its group are written again alone', async () => {
    const group = new TransactionGroup(db.orm);
    const runs = new Map<string, number>();
    const commit = (name: string, fail = false) =>
      group.run(async (tx) => {
        runs.set(name, (runs.get(name) ?? 0) + 1);
        tenantNamed(tx, name);
        // Written before failing, so that the group's rollback must take it away.
        await tx.flush();
        if (fail) throw new Error(`${name} refused`);
        return name;
      });
    const first = holdFirst(group, 'alone-0');
    await first.running;
    const results = Promise.allSettled([
      commit('alone-1'),
      commit('alone-2', true),
      commit('alone-3'),
    ]);
    first.release();
    await first.done;
    const [a, b, c] = await results;
    expect(a).toEqual({ status: 'fulfilled', value: 'alone-1' });
    expect(b.status).toBe('rejected');
    expect((b as PromiseRejectedResult).reason).toMatchObject({ message: 'alone-2 refused' });
    expect(c).toEqual({ status: 'fulfilled', value: 'alone-3' });
    expect(await stored(['alone-1', 'alone-2', 'alone-3'])).toEqual(['alone-1', 'alone-3']);
    // The shared transaction ended at the failure; then each ran on its own.
    expect(Object.fromEntries(runs)).toEqual({ 'alone-1': 2, 'alone-2': 2, 'alone-3': 1 });
  });

  it('bounds a group: the commits beyond its size go in the next transaction', async () => {
    const group = new TransactionGroup(db.orm, 2);
    const first = holdFirst(group, 'bound-0');
    await first.running;
    const queued = ['bound-1', 'bound-2', 'bound-3'].map((name) =>
      group.run((tx) => {
        tenantNamed(tx, name);
        return Promise.resolve(tx);
      }),
    );
    first.release();
    const [, ...txs] = await Promise.all([first.done, ...queued]);
    expect(txs[0]).toBe(txs[1]);
    expect(txs[2]).not.toBe(txs[0]);
    expect(await stored(['bound-1', 'bound-2', 'bound-3'])).toHaveLength(3);
  });
});
