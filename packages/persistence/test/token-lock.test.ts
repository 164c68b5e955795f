import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EncryptedTokenStore,
  forkEm,
  openDatabase,
  tenantRepositories,
  Tenant,
  TokenLockTimeoutError,
  TokenVault,
  type Orm,
} from '../src/index.js';
import { createTestDatabase, type TestDatabase } from '../src/testing.js';

const pgUrl = process.env.RENKEI_TEST_PG_URL ?? '';

/** A promise with its resolve function, to hold a lock exactly as long as a test needs. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

const pgSuite =
  pgUrl === ''
    ? 'EncryptedTokenStore.withLock on PostgreSQL (skipped: RENKEI_TEST_PG_URL is not set; start one with scripts/pg-throwaway.sh)'
    : 'EncryptedTokenStore.withLock on PostgreSQL';

describe.skipIf(pgUrl === '')(pgSuite, () => {
  let db: TestDatabase;
  let other: Orm;
  const vault = new TokenVault([{ id: 'k', key: randomBytes(32) }]);
  let first: EncryptedTokenStore;
  let second: EncryptedTokenStore;

  /** Advisory locks that some session is waiting for (not granted yet). */
  async function waitingLocks(): Promise<number> {
    const rows = await forkEm(db.orm).execute<{ n: string }[]>(
      "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted",
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** Polls the server until a session waits for an advisory lock (no sleeping on a guess). */
  async function untilSomeoneWaits(): Promise<void> {
    for (let i = 0; i < 500; i++) {
      if ((await waitingLocks()) > 0) return;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('nobody ever waited for the lock');
  }

  beforeAll(async () => {
    db = await createTestDatabase('postgresql');
    const url = db.orm.config.get('clientUrl');
    if (url === undefined) throw new Error('test database has no URL');
    // A second ORM instance on the same database stands for a second worker process.
    other = await openDatabase({ location: { dialect: 'postgresql', url }, poolMax: 2 });
    first = new EncryptedTokenStore(db.orm, vault);
    second = new EncryptedTokenStore(other, vault);
    const em = forkEm(db.orm);
    for (const contract of ['sb_a', 'sb_b']) {
      const tenant = em.create(Tenant, { name: contract });
      await em.flush();
      const conn = await tenantRepositories(em, tenant.id).connection.getOrCreate();
      conn.contractId = contract;
      await em.flush();
    }
  });

  afterAll(async () => {
    await other.close(true);
    await db.close();
  });

  it('serialises fn across ORM instances for the same contract, and the second sees the first token', async () => {
    const events: string[] = [];
    const hold = gate();
    const entered = gate();
    const a = first.withLock('sb_a', async () => {
      events.push('a:start');
      entered.open();
      await hold.promise;
      await first.set('sb_a', { accessToken: 'token-from-a', expiresAt: 2e12, scopes: [] });
      events.push('a:end');
      return 'a';
    });
    await entered.promise;
    const b = second.withLock('sb_a', async () => {
      events.push('b:start');
      const seen = await second.get('sb_a');
      events.push('b:end');
      return seen?.accessToken;
    });
    await untilSomeoneWaits();
    expect(events).toEqual(['a:start']);
    hold.open();
    expect(await a).toBe('a');
    expect(await b).toBe('token-from-a');
    expect(events).toEqual(['a:start', 'a:end', 'b:start', 'b:end']);
    expect(await waitingLocks()).toBe(0);
  });

  it('does not serialise different contracts', async () => {
    const hold = gate();
    const entered = gate();
    const a = first.withLock('sb_a', async () => {
      entered.open();
      await hold.promise;
    });
    await entered.promise;
    // Completes while sb_a is still held: otherwise this await would never return.
    expect(await second.withLock('sb_b', () => Promise.resolve('b done'))).toBe('b done');
    hold.open();
    await a;
  });

  it('releases the lock when fn throws, and passes the error on', async () => {
    await expect(
      first.withLock('sb_a', () => Promise.reject(new Error('token request failed'))),
    ).rejects.toThrow('token request failed');
    expect(await second.withLock('sb_a', () => Promise.resolve(1))).toBe(1);
  });

  it('gives up after lockWaitMs when another process holds the lock too long', async () => {
    const impatient = new EncryptedTokenStore(other, vault, { lockWaitMs: 200 });
    const hold = gate();
    const entered = gate();
    const a = first.withLock('sb_a', async () => {
      entered.open();
      await hold.promise;
    });
    await entered.promise;
    await expect(impatient.withLock('sb_a', () => Promise.resolve())).rejects.toBeInstanceOf(
      TokenLockTimeoutError,
    );
    hold.open();
    await a;
  });

  it('rejects a lock wait that is not a positive integer', () => {
    expect(() => new EncryptedTokenStore(other, vault, { lockWaitMs: 0 })).toThrow(/lockWaitMs/);
  });
});

describe('EncryptedTokenStore.withLock on SQLite', () => {
  it('runs fn directly (one worker process per SQLite database)', async () => {
    const db = await createTestDatabase('sqlite');
    try {
      const store = new EncryptedTokenStore(
        db.orm,
        new TokenVault([{ id: 'k', key: randomBytes(32) }]),
      );
      expect(await store.withLock('sb_x', () => Promise.resolve('ran'))).toBe('ran');
    } finally {
      await db.close();
    }
  });
});
