/**
 * Generates the next migration for both dialects from the difference between the entity schemas
 * and a database migrated to the current head (SQLite in memory; a throwaway PostgreSQL database
 * on the server named by RENKEI_TEST_PG_URL), and registers it in each dialect's index.ts.
 *
 *   RENKEI_TEST_PG_URL=postgresql://... pnpm migration:create
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { MikroORM } from '@mikro-orm/core';
import { ormOptions, type DatabaseLocation } from '../src/config.js';
import { createPostgresDatabase, dropPostgresDatabase } from '../src/testing/postgres-admin.js';

async function generate(location: DatabaseLocation, folder: string): Promise<void> {
  const orm = await MikroORM.init(ormOptions({ location }));
  try {
    const migrator = orm.getMigrator();
    await migrator.up();
    const result = await migrator.createMigration(folder);
    if (result.fileName === '') {
      console.log(`${location.dialect}: no changes`);
      return;
    }
    const file = basename(result.fileName, '.ts');
    const className = /export class (\w+)/.exec(result.code)?.[1];
    if (className === undefined) throw new Error(`cannot find the class in ${result.fileName}`);
    const indexPath = `${folder}/index.ts`;
    let index = readFileSync(indexPath, 'utf8');
    index = index.replace(
      /^(import type \{ MigrationObject \} from '@mikro-orm\/core';\n)/m,
      `$1import { ${className} } from './${file}.js';\n`,
    );
    // The list ends the file: `... = [\n  { name, class },\n];`
    const close = index.lastIndexOf('];');
    index = `${index.slice(0, close)}  { name: '${file}', class: ${className} },\n${index.slice(close)}`;
    writeFileSync(indexPath, index);
    console.log(`${location.dialect}: ${result.fileName}`);
  } finally {
    await orm.close(true);
  }
}

await generate({ dialect: 'sqlite', path: ':memory:' }, 'src/migrations/sqlite');
const pgUrl = process.env.RENKEI_TEST_PG_URL;
if (pgUrl === undefined) {
  throw new Error('RENKEI_TEST_PG_URL is required to generate the PostgreSQL migration');
}
const db = await createPostgresDatabase(pgUrl, 'renkei_migration_gen');
try {
  await generate({ dialect: 'postgresql', url: db.url }, 'src/migrations/postgresql');
} finally {
  await dropPostgresDatabase(pgUrl, db.name);
}
