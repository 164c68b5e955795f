import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forkEm, Order, openDatabase, SmaregiToken, type Orm } from '@renkei/persistence';
import { startSimulator, type RunningSimulator } from '@renkei/smaregi-simulator';
import { createOrder, seedTenant, testClient } from './support/fixture.js';
import { startWorkerProcess } from './support/processes.js';

/*
 * The process itself (src/main.ts) in its default, demo configuration: SQLite file under
 * RENKEI_DATA_DIR, the simulator's demo app. It serves /healthz, /readyz and /metrics, registers an order,
 * and on SIGTERM stops within its deadline with exit code 0.
 */
describe('worker process (src/main.ts, SQLite demo mode)', () => {
  let dir: string;
  let orm: Orm;
  let sim: RunningSimulator;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'renkei-proc-'));
    orm = await openDatabase({ location: { dialect: 'sqlite', path: join(dir, 'renkei.sqlite') } });
    sim = await startSimulator({ seed: 4 });
  }, 30_000);
  afterAll(async () => {
    await orm?.close(true);
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves health and metrics, syncs, and stops cleanly on SIGTERM', async () => {
    const t = await seedTenant(orm, testClient(sim));
    const p = t.products[0]!;
    const id = await createOrder(orm, t.tenantId, {
      orderNumber: 'PROC-1',
      shopId: t.shops.included,
      paymentMethodId: t.payments.card,
      statusId: t.statuses.received,
      lines: [
        {
          productCode: p.productCode,
          name: p.productName,
          unitPrice: Number(p.price),
          quantity: 1,
        },
      ],
    });
    const worker = startWorkerProcess({
      RENKEI_DATA_DIR: dir,
      SMAREGI_ID_BASE_URL: sim.idBaseUrl,
      SMAREGI_API_BASE_URL: sim.apiBaseUrl,
      WORKER_PORT: '0',
      WORKER_SHUTDOWN_DEADLINE_MS: '3000',
    });
    try {
      const url = await worker.ready;
      const deadline = Date.now() + 20_000;
      while ((await forkEm(orm).findOneOrFail(Order, { id })).syncState !== 'registered') {
        expect(Date.now(), worker.output()).toBeLessThan(deadline);
        await new Promise((r) => setTimeout(r, 100));
      }
      const health = await fetch(`${url}/healthz`);
      expect(health.status).toBe(200);
      expect(
        ((await health.json()) as { loops: { name: string }[] }).loops.map((l) => l.name),
      ).toContain('orders');
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(metrics).toMatch(
        /renkei_worker_operations_total\{kind="registerOrder",result="succeeded"\} 1/,
      );
      // Ready: its database answers (no queue with SQLite).
      const ready = await fetch(`${url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ ok: true, checks: { database: { ok: true } } });
      expect((await fetch(`${url}/nope`)).status).toBe(404);
      // The app token is kept encrypted in the database, shared with the API (not in plaintext).
      const token = await forkEm(orm).findOneOrFail(SmaregiToken, {
        tenant: t.tenantId,
        kind: 'appAccess',
      });
      expect(token.ciphertext).not.toMatch(/^eyJ/);
      expect(token.keyId).toMatch(/^demo-/);
      const stopAsked = Date.now();
      worker.child.kill('SIGTERM');
      expect(await worker.exited).toBe(0);
      expect(Date.now() - stopAsked).toBeLessThan(4_000);
      expect(worker.output()).toMatch(/stopped cleanly/);
    } finally {
      if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
    }
  }, 40_000);
});
