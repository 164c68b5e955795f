import {
  BetterSqliteConnection,
  BetterSqliteKnexDialect,
  BetterSqlitePlatform,
} from '@mikro-orm/better-sqlite';
import type { Configuration } from '@mikro-orm/core';
import { AbstractSqlDriver } from '@mikro-orm/knex';

/*
 * Every transaction on SQLite starts with `BEGIN IMMEDIATE`, so it holds the write lock from its
 * first statement.
 *
 * The API and the worker are two processes on one SQLite file. A plain `BEGIN` starts a read
 * transaction that becomes a write one at its first write. When the other process has committed
 * in between (WAL mode), SQLite cannot move the reader's snapshot forward and fails the write at
 * once with SQLITE_BUSY ("database is locked"), without waiting for the busy timeout. A
 * read-then-write transaction (an API `PATCH` that checks the order's version first, a worker step
 * that reads its job before it records the outcome) then failed whenever the other process wrote
 * in that moment: a 500 for the OMS, a retry for the worker. `BEGIN IMMEDIATE` waits for the lock
 * (busy_timeout) instead, and what it read stays true until it commits. Readers outside
 * transactions are not held up: WAL lets them read while one process writes.
 *
 * knex has no option for it (its SQLite transaction always sends `BEGIN;`), so the dialect's
 * transaction is given its own `begin`. Savepoints of nested transactions are unchanged.
 */
interface KnexTransaction {
  query(conn: unknown, sql: string): Promise<unknown>;
  begin(conn: unknown): Promise<unknown>;
}

class ImmediateTransactionSqliteDialect extends BetterSqliteKnexDialect {
  transaction(...args: unknown[]): KnexTransaction {
    const transaction = (
      BetterSqliteKnexDialect.prototype as unknown as {
        transaction: (...a: unknown[]) => KnexTransaction;
      }
    ).transaction.apply(this, args);
    transaction.begin = (conn) => transaction.query(conn, 'BEGIN IMMEDIATE;');
    return transaction;
  }
}

class ImmediateTransactionSqliteConnection extends BetterSqliteConnection {
  override createKnex(): void {
    // createKnexClient is typed for a dialect name; knex takes a dialect class as well.
    this.client = this.createKnexClient(ImmediateTransactionSqliteDialect as unknown as string);
    this.connected = true;
  }
}

/** MikroORM's better-sqlite driver with `BEGIN IMMEDIATE` transactions (see above). */
export class RenkeiSqliteDriver extends AbstractSqlDriver<ImmediateTransactionSqliteConnection> {
  constructor(config: Configuration) {
    super(config, new BetterSqlitePlatform(), ImmediateTransactionSqliteConnection, [
      'knex',
      'better-sqlite3',
    ]);
  }
}
