import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, Tenant } from '../src/index.js';

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
