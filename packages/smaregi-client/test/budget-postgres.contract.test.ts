/**
 * The PostgreSQL-shared rate budget: two clients (as two worker processes would be: separate
 * pools, separate store instances, one table) calling the simulator for one contract must
 * together stay within its limits. Needs RENKEI_TEST_PG_URL (CI sets it); without it the tests
 * are skipped locally and fail in CI.
 */
import { randomBytes } from 'node:crypto';
import { DEMO_STORE_IDS } from '@renkei/smaregi-simulator';
import pg from 'pg';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
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
  const table = `smaregi_rate_budget_test_${randomBytes(4).toString('hex')}`;
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

  it('hands out distinct slots one interval apart to two store instances', async () => {
    const [a, b] = [await store(), await store()];
    const now = Date.now();
    const key = `direct-${randomBytes(4).toString('hex')}`;
    const times = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).reserve({ key, intervalMs: 100, now })),
    );
    const sorted = [...times].sort((x, y) => x - y);
    for (let i = 1; i < sorted.length; i++)
      expect(sorted[i]! - sorted[i - 1]!).toBeGreaterThanOrEqual(100 - 10);
    expect(new Set(times.map((t) => Math.round(t / 100))).size).toBe(20);
  });

  it('books in one statement what the library’s own consume would: each sees the other’s slots as taken', async () => {
    const a = await store();
    // The table's own library, as a process of an earlier release booked with it.
    const library = new RateLimiterPostgres({
      storeClient: pools[0],
      storeType: 'pool',
      tableName: table,
      keyPrefix: 'smaregi',
      points: 1,
      duration: 120,
      tableCreated: true,
    });
    const key = `mixed-${randomBytes(4).toString('hex')}`;
    const intervalMs = 100;
    const now = Date.now();
    const first = Math.ceil((now - 10) / intervalMs);
    // More taken slots in a row than one booking statement looks at.
    for (let i = 0; i < 70; i++) await library.consume(`${key}:${first + i}`, 1);
    expect(await a.reserve({ key, intervalMs, now })).toBe((first + 70) * intervalMs);
    await expect(library.consume(`${key}:${first + 70}`, 1)).rejects.toBeInstanceOf(RateLimiterRes);
    await library.consume(`${key}:${first + 71}`, 1);
    expect(await a.reserve({ key, intervalMs, now })).toBe((first + 72) * intervalMs);
  });

  it('with a slow database, books a slot that has not started by the time the booking is back', async () => {
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
    const intervalMs = 200;
    const late: number[] = [];
    for (let i = 0; i < 4; i++) {
      // Just after a slot boundary, the moment a slot that has already started looks free.
      await new Promise((resolve) =>
        setTimeout(resolve, intervalMs - (Date.now() % intervalMs) + 3),
      );
      const key = `slow-${randomBytes(4).toString('hex')}`;
      const sendAt = await slow.reserve({ key, intervalMs, now: Date.now() });
      late.push(Date.now() - sendAt);
    }
    // The first booking knows nothing of the database yet; after it, none comes back later than
    // the caller's tolerance (20 ms), which would drop the slot and book another.
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
