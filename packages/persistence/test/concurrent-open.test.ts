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

describe('a transaction that reads, then writes, while another process writes the file', () => {
  /*
   * The API checks an order's version and then changes it in one transaction while the worker
   * writes the same file. Begun as a read transaction, it was refused at its first write with
   * "database is locked" (at once, whatever the busy timeout) when the other process had
   * committed in between: a 500 for the OMS. It now holds the write lock from BEGIN, so the other
   * process waits for it, and both writes land.
   */
  it('keeps the write lock from its start, so the other process waits instead of failing it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'renkei-open-'));
    const path = join(dir, 'renkei.sqlite');
    const orm = await openDatabase({ location: { dialect: 'sqlite', path } });
    const em = orm.em.fork();
    let writer: ReturnType<typeof spawn> | undefined;
    try {
      const seeded = orm.em.fork();
      const tenant = seeded.create(Tenant, { name: 'before' });
      await seeded.flush();

      await em.begin();
      const ours = await em.findOneOrFail(Tenant, { id: tenant.id });
      writer = spawn(
        process.execPath,
        [
          '-e',
          `const db = new (require('better-sqlite3'))(${JSON.stringify(path)});
           db.pragma('busy_timeout = 5000');
           db.prepare('update tenants set name = ? where id = ?').run('other', ${JSON.stringify(tenant.id)});
           process.stdout.write('wrote\\n'); db.close();`,
        ],
        {
          cwd: dirname(
            require.resolve('better-sqlite3/package.json', { paths: [import.meta.dirname] }),
          ),
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let writerOutput = '';
      writer.stdout?.on('data', (chunk: Buffer) => (writerOutput += chunk.toString()));
      writer.stderr?.on('data', (chunk: Buffer) => (writerOutput += chunk.toString()));
      const writerExit = new Promise<number | null>((resolve) => writer!.once('exit', resolve));
      // Long enough for the other process to have written, had it not been made to wait.
      await Promise.race([writerExit, new Promise((r) => setTimeout(r, 1_000))]);
      expect(writerOutput).toBe('');

      ours.name = 'ours';
      await em.flush();
      await em.commit();

      expect(await writerExit, writerOutput).toBe(0);
      expect(writerOutput).toBe('wrote\n');
      // Ours committed first; the other process's write came after it, and neither was lost.
      expect((await orm.em.fork().findOneOrFail(Tenant, { id: tenant.id })).name).toBe('other');
    } finally {
      writer?.kill();
      // A failed assertion leaves the transaction open; the connection must be given back.
      if (em.isInTransaction()) await em.rollback();
      await orm.close(true);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
