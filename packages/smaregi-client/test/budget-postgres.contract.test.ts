/**
 * The PostgreSQL-shared rate budget: two clients (as two worker processes would be: separate
 * pools, separate store instances, one table) calling the simulator for one contract must
 * together stay within its limits. Needs RENKEI_TEST_PG_URL (CI sets it); without it the tests
 * are skipped locally and fail in CI.
 */
import { randomBytes } from 'node:crypto';
import { DEMO_STORE_IDS } from '@renkei/smaregi-simulator';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresBudgetStore } from '../src/budget-postgres.js';
import { MemoryBudgetStore, type BudgetStore } from '../src/index.js';
import { DEMO_CONTRACT_ID, maxPerSecond, startHarness, type Harness } from './helpers.js';

const url = process.env.RENKEI_TEST_PG_URL;
const inCi = Boolean(process.env.CI);

if (!url && !inCi) {
  console.warn(
    'budget-postgres tests skipped: set RENKEI_TEST_PG_URL to a PostgreSQL URL to run them',
  );
}

describe.runIf(!url && inCi)('PostgreSQL budget in CI', () => {
  it('has RENKEI_TEST_PG_URL', () => {
    expect(url, 'CI must provide RENKEI_TEST_PG_URL for the shared budget tests').toBeTruthy();
  });
});

describe.runIf(Boolean(url))('PostgresBudgetStore', () => {
  const table = `smaregi_rate_log_test_${randomBytes(4).toString('hex')}`;
  const pools: pg.Pool[] = [];
  let h: Harness;
  const limits = { readsPerSecond: 20, writesPerSecond: 8 };

  async function store(): Promise<PostgresBudgetStore> {
    const pool = new pg.Pool({ connectionString: url, max: 4 });
    pools.push(pool);
    return PostgresBudgetStore.create({ pool, tableName: table });
  }

  beforeAll(async () => {
    h = await startHarness({ rateLimits: limits });
  });
  afterAll(async () => {
    await h?.close();
    if (pools[0]) await pools[0].query(`DROP TABLE IF EXISTS "${table}"`);
    await Promise.all(pools.map((p) => p.end()));
  });

  it('two store instances taking at once: one permit, and everyone told when the next is due', async () => {
    const [a, b] = [await store(), await store()];
    const key = `direct-${randomBytes(4).toString('hex')}`;
    const window = { limit: 4, windowMs: 1000 };
    const now = Date.now();
    const takes = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).take({ key, ...window, now })),
    );
    // Four a second, at least 125 ms apart: of twenty at one moment, one.
    const granted = takes.flatMap((t) => (t.granted ? [t.at] : []));
    expect(granted).toHaveLength(1);
    for (const t of takes) if (!t.granted) expect(t.retryAt).toBeLessThanOrEqual(granted[0]! + 125);
    // Taking on at each due time: four in the window, the fifth a second after the first.
    const times = [granted[0]!];
    let due = granted[0]! + 125;
    while (times.length < 5) {
      const both = await Promise.all([a, b].map((s) => s.take({ key, ...window, now: due })));
      const got = both.flatMap((t) => (t.granted ? [t.at] : []));
      expect(got.length).toBeLessThanOrEqual(1);
      times.push(...got);
      due = Math.max(...both.map((t) => (t.granted ? t.at + 125 : t.retryAt)));
    }
    expect(times[4]! - times[0]!).toBeGreaterThanOrEqual(1000);
    for (let i = 1; i < 4; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(125);
  });

  it('keeps only the last N permits of a budget, and follows a changed limit', async () => {
    const a = await store();
    const key = `trim-${randomBytes(4).toString('hex')}`;
    const now = Date.now();
    // Ten a second, at least 50 ms apart (taken 100 ms apart: each take is recorded a little
    // ahead of its `now`, by about twice the recent statement time).
    for (let i = 0; i < 10; i++) {
      expect((await a.take({ key, limit: 10, windowMs: 1000, now: now + 100 * i })).granted).toBe(
        true,
      );
    }
    // The contract's limit is lowered to 3: the row is cut to the newest permits at the next take.
    expect((await a.take({ key, limit: 3, windowMs: 1000, now: now + 950 })).granted).toBe(false);
    expect((await a.take({ key, limit: 3, windowMs: 1000, now: now + 3000 })).granted).toBe(true);
    const { rows } = await pools
      .at(-1)!
      .query<{ n: number }>(`SELECT cardinality(sends) AS n FROM "${table}" WHERE key = $1`, [key]);
    expect(rows[0]?.n).toBe(3);
  });

  it('with a slow database, a permit is back within the caller’s tolerance of its time', async () => {
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    pools.push(pool);
    const slow = await PostgresBudgetStore.create({ pool, tableName: table });
    // Every statement from now on takes 40 ms more, as on a busy database.
    const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
    (pool as unknown as { query: (...args: unknown[]) => Promise<unknown> }).query = async (
      ...args: unknown[]
    ) => {
      await new Promise((resolve) => setTimeout(resolve, 40));
      return query(...args);
    };
    const late: number[] = [];
    for (let i = 0; i < 4; i++) {
      const key = `slow-${randomBytes(4).toString('hex')}`;
      const taken = await slow.take({ key, limit: 4, windowMs: 1000, now: Date.now() });
      if (!taken.granted) throw new Error('an empty budget refused a permit');
      late.push(Date.now() - taken.at);
    }
    // The first take knows nothing of the database yet; after it, none comes back later than
    // the caller's tolerance (20 ms), which would drop the permit.
    expect(late.slice(1).filter((ms) => ms > 20)).toEqual([]);
  });

  async function twoClientsRun(stores: [BudgetStore, BudgetStore]) {
    const since = h.sim.control.journal({ host: 'api' }).length;
    // A wider safety margin than the default: this runs in real time while CI runs every
    // package's tests at once, and what is under test here is the sharing, not the margin.
    const rateLimits = { ...limits, safetyMarginMs: 150 };
    const clients = stores.map((budgetStore) =>
      h.client({ budgetStore, rateLimits, tokenStore: undefined }).forContract(DEMO_CONTRACT_ID),
    );
    await Promise.all(
      clients.flatMap((api) => [
        ...Array.from({ length: 25 }, () => api.pos.products.list({ limit: 1 })),
        ...Array.from({ length: 8 }, () =>
          api.pos.stock.add('8000001', { storeId: DEMO_STORE_IDS.kichijoji, stockAmount: 1 }),
        ),
      ]),
    );
    return h.sim.control.journal({ host: 'api' }).slice(since);
  }

  it('two clients sharing the table stay within the limit together: 0 x 429', async () => {
    const journal = await twoClientsRun([await store(), await store()]);
    expect(journal.filter((e) => e.status === 429)).toHaveLength(0);
    expect(journal.filter((e) => e.status === 200)).toHaveLength(66);
    expect(
      maxPerSecond(journal.filter((e) => e.method === 'GET').map((e) => e.timeMs)),
    ).toBeLessThanOrEqual(20);
    expect(
      maxPerSecond(journal.filter((e) => e.method === 'POST').map((e) => e.timeMs)),
    ).toBeLessThanOrEqual(8);
  }, 30_000);

  it('(control) two clients with separate in-memory budgets exceed it and get 429s', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1100)); // empty the simulator's window
    const journal = await twoClientsRun([new MemoryBudgetStore(), new MemoryBudgetStore()]);
    expect(journal.filter((e) => e.status === 429).length).toBeGreaterThan(0);
    expect(journal.filter((e) => e.status === 200)).toHaveLength(66);
  }, 30_000);
});
