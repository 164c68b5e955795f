import type { Dialect } from '../../src/index.js';
import { postgresqlMigrations } from '../../src/migrations/postgresql/index.js';
import { sqliteMigrations } from '../../src/migrations/sqlite/index.js';
import { createTestDatabase, type TestDatabase } from '../../src/testing.js';

/*
 * The harness of every migration test: a fresh database brought to the schema just before one
 * migration (whatever was added before it), rows written as that schema had them (plain SQL: the
 * entities already describe the new schema), then the rest migrated.
 */

export interface SchemaBefore {
  db: TestDatabase;
  /** Inserts one row by column name, as the old schema had it. */
  insert: (table: string, row: Record<string, unknown>) => Promise<void>;
  /** A timestamp as the dialect stores it (epoch ms on SQLite, ISO text on PostgreSQL). */
  at: (iso: string) => number | string;
  /** The column names of a table now. */
  columnsOf(table: string): Promise<string[]>;
  /** Applies every migration not yet applied, and checks none is left. */
  migrateRest(): Promise<void>;
  /** Migrates down again to the schema just before the migration (its `down`). */
  migrateBack(): Promise<void>;
  /** Reads columns of every row of a table, ordered by the first column. */
  select(table: string, columns: readonly string[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

export async function schemaBefore(dialect: Dialect, migration: string): Promise<SchemaBefore> {
  const list = dialect === 'sqlite' ? sqliteMigrations : postgresqlMigrations;
  const index = list.findIndex((m) => m.name === migration);
  if (index <= 0) throw new Error(`${migration} is not a later migration of ${dialect}`);
  const db = await createTestDatabase(dialect, process.env, { migrated: false });
  const migrator = db.orm.getMigrator();
  await migrator.up({ to: list[index - 1]!.name });
  const conn = db.orm.em.getConnection();
  const q = (name: string) => (dialect === 'sqlite' ? `\`${name}\`` : `"${name}"`);
  return {
    db,
    async insert(table, row) {
      const columns = Object.keys(row);
      await conn.execute(
        `insert into ${q(table)} (${columns.map(q).join(', ')}) values (${columns.map(() => '?').join(', ')})`,
        Object.values(row),
      );
    },
    at: (iso) => (dialect === 'sqlite' ? Date.parse(iso) : iso),
    async columnsOf(table) {
      const sql =
        dialect === 'sqlite'
          ? `pragma table_info('${table}')`
          : `select column_name as name from information_schema.columns where table_name = '${table}'`;
      const rows = (await conn.execute(sql)) as { name: string }[];
      return rows.map((r) => r.name);
    },
    async migrateRest() {
      await migrator.up();
      const pending = await migrator.getPendingMigrations();
      if (pending.length > 0)
        throw new Error(`migrations left: ${pending.map((m) => m.name).join(', ')}`);
    },
    async migrateBack() {
      await migrator.down({ to: list[index - 1]!.name });
    },
    async select(table, columns) {
      return (await conn.execute(
        `select ${columns.map(q).join(', ')} from ${q(table)} order by ${q(columns[0]!)}`,
      )) as Record<string, unknown>[];
    },
    close: () => db.close(),
  };
}
