/**
 * Test bootstrap for packages that use the database (apps/api, apps/worker): a fresh, migrated
 * database per call, on SQLite in memory and, when RENKEI_TEST_PG_URL is set, on a new PostgreSQL
 * database created on that server (dropped again by `close()`).
 *
 *   describe.each(testDialects())('orders (%s)', (dialect) => { ... createTestDatabase(dialect) ... })
 */
import { MikroORM } from '@mikro-orm/core';
import { PostgreSqlPlatform } from '@mikro-orm/postgresql';
import {
  openDatabase,
  ormOptions,
  type DatabaseOptions,
  type Dialect,
  type Em,
  type Orm,
} from './config.js';
import { createPostgresDatabase, dropPostgresDatabase } from './testing/postgres-admin.js';

export { createPostgresDatabase, dropPostgresDatabase } from './testing/postgres-admin.js';

export interface TestDatabase {
  dialect: Dialect;
  orm: Orm;
  /** Closes the connection and drops the PostgreSQL database. */
  close(): Promise<void>;
}

/**
 * The dialects to run database tests on: always SQLite; PostgreSQL when RENKEI_TEST_PG_URL is set.
 * In CI (CI set) a missing RENKEI_TEST_PG_URL is an error, so a green run always covered both.
 */
export function testDialects(env: NodeJS.ProcessEnv = process.env): Dialect[] {
  const pgUrl = env.RENKEI_TEST_PG_URL;
  if (
    (pgUrl === undefined || pgUrl === '') &&
    env.CI !== undefined &&
    env.CI !== '' &&
    env.CI !== 'false'
  ) {
    throw new Error(
      'CI is set but RENKEI_TEST_PG_URL is missing: the PostgreSQL tests would be skipped (start one with scripts/pg-throwaway.sh)',
    );
  }
  return pgUrl === undefined || pgUrl === '' ? ['sqlite'] : ['sqlite', 'postgresql'];
}

/**
 * A fresh database with every migration applied; with `migrated: false`, with none (a migration
 * test brings it to an older schema with `orm.getMigrator().up({ to })`, writes rows as that
 * schema had them, then migrates the rest).
 */
export async function createTestDatabase(
  dialect: Dialect,
  env: NodeJS.ProcessEnv = process.env,
  { migrated = true }: { migrated?: boolean } = {},
): Promise<TestDatabase> {
  const open = (options: DatabaseOptions) =>
    migrated ? openDatabase(options) : MikroORM.init(ormOptions(options));
  if (dialect === 'sqlite') {
    const orm = await open({ location: { dialect: 'sqlite', path: ':memory:' } });
    return { dialect, orm, close: () => orm.close(true) };
  }
  const serverUrl = env.RENKEI_TEST_PG_URL;
  if (serverUrl === undefined || serverUrl === '') throw new Error('RENKEI_TEST_PG_URL is not set');
  const db = await createPostgresDatabase(serverUrl, 'renkei_t');
  let orm: Orm;
  try {
    orm = await open({ location: { dialect: 'postgresql', url: db.url }, poolMax: 5 });
  } catch (error) {
    await dropPostgresDatabase(serverUrl, db.name);
    throw error;
  }
  return {
    dialect,
    orm,
    close: async () => {
      await orm.close(true);
      await dropPostgresDatabase(serverUrl, db.name);
    },
  };
}

/**
 * Waits until the change feeds show every change committed before the call (`changes/
 * change-feed.ts`). On PostgreSQL a feed reads only below the oldest transaction still running
 * on the whole server, and test files running at once on one server (each in its own database)
 * hold each other's feeds back for as long as one of their transactions is open: this takes a
 * transaction ID now and waits until no transaction older than it is running. Never call it
 * while the caller itself holds a transaction open. On SQLite the feed is current at once.
 */
export async function feedsCaughtUp(em: Em, timeoutMs = 10_000): Promise<void> {
  if (!(em.getPlatform() instanceof PostgreSqlPlatform)) return;
  const conn = em.getConnection();
  const [mark] = await conn.execute<{ x: string }[]>(`select pg_current_xact_id()::text as x`);
  const end = Date.now() + timeoutMs;
  for (;;) {
    const [now] = await conn.execute<{ m: string }[]>(
      `select pg_snapshot_xmin(pg_current_snapshot())::text as m`,
    );
    if (BigInt(now!.m) > BigInt(mark!.x)) return;
    if (Date.now() > end)
      throw new Error(`feedsCaughtUp: a transaction older than ${mark!.x} is still running`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
