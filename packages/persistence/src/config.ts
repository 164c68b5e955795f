import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { MikroORM, type Options } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { ENTITY_SCHEMAS } from './entities.js';
import { OutboundEventFanout } from './webhooks/outbound-fanout.js';
import { RenkeiSqliteDriver } from './sqlite-driver.js';
import { postgresqlMigrations } from './migrations/postgresql/index.js';
import { sqliteMigrations } from './migrations/sqlite/index.js';

export type Dialect = 'sqlite' | 'postgresql';

/** Where the database is. Exactly one of the two is used. */
export type DatabaseLocation =
  | { dialect: 'sqlite'; /** file path, or `:memory:` */ path: string }
  | { dialect: 'postgresql'; url: string };

export interface DatabaseOptions {
  location: DatabaseLocation;
  /** Log SQL (development only). */
  debug?: boolean;
  /** Connection pool size for PostgreSQL (default 10). */
  poolMax?: number;
}

/** The entity manager type every repository works with (SQL driver, either dialect). */
export type Em = SqlEntityManager;
export type Orm = MikroORM;

/** Default SQLite file: `./data/renkei.sqlite` relative to the working directory. */
export const DEFAULT_SQLITE_PATH = './data/renkei.sqlite';

/**
 * Picks the database from configuration: PostgreSQL when a URL is given, otherwise the SQLite file.
 * Apps call this with their validated env (libraries never read process.env).
 */
export function databaseLocation(
  databaseUrl: string | undefined,
  sqlitePath = DEFAULT_SQLITE_PATH,
): DatabaseLocation {
  if (databaseUrl !== undefined && databaseUrl !== '')
    return { dialect: 'postgresql', url: databaseUrl };
  return { dialect: 'sqlite', path: sqlitePath };
}

/** The MikroORM options for a location (exported for the migration generator and for tools). */
export function ormOptions(options: DatabaseOptions): Options {
  const common = {
    entities: ENTITY_SCHEMAS,
    debug: options.debug ?? false,
    // Entities are EntitySchema definitions: no reflection, no decorator metadata needed (tsx and
    // esbuild do not emit it), and no folder discovery at run time.
    discovery: { warnWhenNoEntities: true, requireEntitiesArray: true },
    extensions: [Migrator],
    // Outbound webhook events of 連携ログ events, written in the same flush (webhooks/).
    subscribers: [new OutboundEventFanout()],
    // Transactions are explicit (em.transactional) wherever several rows must change together.
    implicitTransactions: true,
    forceUtcTimezone: true,
    allowGlobalContext: false,
  } satisfies Options;
  const { location } = options;
  if (location.dialect === 'sqlite') {
    return {
      ...common,
      driver: RenkeiSqliteDriver,
      dbName: location.path,
      migrations: {
        migrationsList: sqliteMigrations,
        path: 'src/migrations/sqlite',
        tableName: 'mikro_orm_migrations',
        transactional: true,
        allOrNothing: true,
        snapshot: false,
        emit: 'ts',
        silent: true,
      },
      pool: { afterCreate: sqlitePragmas },
      // The change feeds' position counters, written only by triggers (Migration20261203010000).
      schemaGenerator: { skipTables: ['change_counters'] },
    };
  }
  return {
    ...common,
    driver: PostgreSqlDriver,
    clientUrl: location.url,
    pool: { min: 0, max: options.poolMax ?? 10 },
    migrations: {
      migrationsList: postgresqlMigrations,
      path: 'src/migrations/postgresql',
      tableName: 'mikro_orm_migrations',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      emit: 'ts',
      silent: true,
    },
  };
}

/**
 * How long a SQLite connection waits for another process's lock (busy handler and WAL alike).
 * Every transaction holds the write lock from its start (sqlite-driver.ts), its reads included,
 * so the other process may wait for a whole product-import page: an answer a few seconds late
 * is better than a refused write.
 */
const SQLITE_BUSY_TIMEOUT_MS = 15_000;

/**
 * WAL lets the worker read while the API writes; foreign keys are off by default in SQLite;
 * busy_timeout makes a second process wait for the write lock instead of failing at once.
 * Switching a new file to WAL needs the file to itself and SQLite answers "database is locked"
 * at once, without waiting, when another process holds a lock: `pnpm start` on a fresh clone
 * once failed so, the worker asking for WAL while the API was migrating. It is asked again
 * every 50 ms for up to the busy timeout.
 */
function sqlitePragmas(
  conn: { pragma?: (sql: string) => unknown },
  done: (err: Error | null, conn: unknown) => void,
): void {
  const giveUpAt = Date.now() + SQLITE_BUSY_TIMEOUT_MS;
  const walThenRest = (): void => {
    try {
      conn.pragma?.('journal_mode = WAL');
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_BUSY' && Date.now() < giveUpAt) {
        setTimeout(walThenRest, 50);
        return;
      }
      done(error as Error, conn);
      return;
    }
    try {
      conn.pragma?.('foreign_keys = ON');
      conn.pragma?.('synchronous = NORMAL');
      done(null, conn);
    } catch (error) {
      done(error as Error, conn);
    }
  };
  try {
    conn.pragma?.(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  } catch (error) {
    done(error as Error, conn);
    return;
  }
  walThenRest();
}

/**
 * Opens the database and brings its schema up to date (migrations run at start). The SQLite
 * file's folder is created on first start. When two processes (API and worker) start on one
 * database at once, the one that loses the migration race fails on tables the other just
 * created; it opens again, and then finds nothing pending.
 */
export async function openDatabase(options: DatabaseOptions, attempts = 4): Promise<Orm> {
  const { location } = options;
  if (location.dialect === 'sqlite' && location.path !== ':memory:') {
    mkdirSync(dirname(resolve(location.path)), { recursive: true });
  }
  for (let attempt = 1; ; attempt++) {
    const orm = await MikroORM.init(ormOptions(options));
    try {
      await orm.getMigrator().up();
      return orm;
    } catch (error) {
      await orm.close(true);
      if (attempt >= attempts) throw error;
      await new Promise((r) => setTimeout(r, 250 * attempt));
    }
  }
}

/** A fresh entity manager for one unit of work (one request, one worker tick). */
export function forkEm(orm: Orm): Em {
  return orm.em.fork() as Em;
}
