import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, Tenant } from '../src/index.js';

const require = createRequire(import.meta.url);

describe('opening one SQLite file from two processes at once', () => {
  it('both end up on the migrated schema', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'renkei-open-'));
    const path = join(dir, 'renkei.sqlite');
    const [a, b] = await Promise.all([
      openDatabase({ location: { dialect: 'sqlite', path } }),
      openDatabase({ location: { dialect: 'sqlite', path } }),
    ]);
    try {
      const em = a.em.fork();
      em.create(Tenant, { name: 'x' });
      await em.flush();
      expect(await b.em.fork().count(Tenant, {})).toBe(1);
    } finally {
      await a.close(true);
      await b.close(true);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('opening a SQLite file another process is writing', () => {
  it('waits for its lock instead of failing with "database is locked"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'renkei-open-'));
    const path = join(dir, 'renkei.sqlite');
    // Another process (the API migrating at `pnpm start`) holds the write lock for a moment.
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const db = new (require('better-sqlite3'))(${JSON.stringify(path)});
         db.exec('create table t (x)'); db.exec('begin immediate'); db.exec('insert into t values (1)');
         process.stdout.write('locked\\n');
         setTimeout(() => { db.exec('commit'); db.close(); }, 700);`,
      ],
      {
        cwd: dirname(
          require.resolve('better-sqlite3/package.json', { paths: [import.meta.dirname] }),
        ),
      },
    );
    await new Promise<void>((resolve, reject) => {
      holder.stdout.on('data', () => resolve());
      holder.on('exit', (code) => reject(new Error(`lock holder exited with ${code}`)));
    });
    const orm = await openDatabase({ location: { dialect: 'sqlite', path } }, 1);
    try {
      expect(await orm.em.fork().count(Tenant, {})).toBe(0);
    } finally {
      await orm.close(true);
      holder.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
