import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forkEm, Operation, Order, openDatabase, SyncEvent, type Orm } from '@renkei/persistence';
import { startSimulator, type RunningSimulator } from '@renkei/smaregi-simulator';
import {
  createOrder,
  remoteOrdersByCode,
  seedTenant,
  testClient,
  type TenantFixture,
} from './support/fixture.js';

/*
 * docs/reliability.md "Crash points": a worker child process is killed (SIGKILL) before the remote
 * call, after it before the local commit, and after the commit, again and again over a few
 * hundred orders. Every order must exist in Smaregi exactly once and none may be missing. SQLite
 * file (the single-worker mode), the simulator in this process so its state survives the kills.
 * The deaths are scheduled (point and pass count per run), so every point is hit every time.
 */
const ORDERS = 300;

describe('crash points (worker child process killed before, during and after the call)', () => {
  let dir: string;
  let orm: Orm;
  let sim: RunningSimulator;
  let t: TenantFixture;
  const codes: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'renkei-crash-'));
    orm = await openDatabase({ location: { dialect: 'sqlite', path: join(dir, 'renkei.sqlite') } });
    sim = await startSimulator({ rateLimits: false, seed: 11 });
    t = await seedTenant(orm, testClient(sim));
    for (let i = 0; i < ORDERS; i++) {
      const p = t.products[i % 40]!;
      const code = `CRASH-${String(i).padStart(4, '0')}`;
      codes.push(code);
      await createOrder(orm, t.tenantId, {
        orderNumber: code,
        shopId: i % 2 === 0 ? t.shops.included : t.shops.excluded,
        paymentMethodId: t.payments.card,
        statusId: t.statuses.received,
        lines: [
          {
            productCode: p.productCode,
            name: p.productName,
            unitPrice: Number(p.price),
            quantity: 1 + (i % 3),
          },
        ],
      });
    }
  }, 60_000);
  afterAll(async () => {
    await orm?.close(true);
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const registered = async () =>
    forkEm(orm).count(Order, { tenant: t.tenantId, syncState: 'registered' });

  it('registers every order exactly once however often the worker dies', async () => {
    const crashes: Record<string, number> = {};
    let runs = 0;
    const deadline = Date.now() + 240_000;
    // 12 scheduled deaths, 4 at each point, each after a different number of passes (so at
    // different orders and with different orders in flight), then a run left alone to finish.
    const points = ['beforeRemoteCall', 'afterRemoteCall', 'afterCommit'] as const;
    const schedule = Array.from({ length: 12 }, (_, i) => ({
      point: points[i % 3]!,
      after: 3 + ((i * 11) % 25),
    }));
    while ((await registered()) < ORDERS) {
      expect(Date.now()).toBeLessThan(deadline);
      runs++;
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', join(import.meta.dirname, 'support/crash-child.ts')],
        {
          cwd: join(import.meta.dirname, '..'),
          env: {
            ...process.env,
            CRASH_DB: join(dir, 'renkei.sqlite'),
            CRASH_ID_URL: sim.idBaseUrl,
            CRASH_API_URL: sim.apiBaseUrl,
            CRASH_POINT: schedule[runs - 1]?.point ?? '',
            CRASH_AFTER: String(schedule[runs - 1]?.after ?? 0),
          },
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      );
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      // Wait until the child dies by itself, or everything is registered (then stop it cleanly).
      for (;;) {
        const done = await Promise.race([
          exited.then(() => 'exit'),
          new Promise((r) => setTimeout(r, 200, 'poll')),
        ]);
        if (done === 'exit') break;
        if ((await registered()) >= ORDERS) {
          child.kill('SIGTERM');
          await exited;
          break;
        }
      }
      for (const m of stderr.matchAll(/CRASH (\w+)/g)) crashes[m[1]!] = (crashes[m[1]!] ?? 0) + 1;
      if (!stderr.includes('READY')) throw new Error(`worker child failed to start:\n${stderr}`);
    }
    const counts = remoteOrdersByCode(sim);
    const duplicates = [...counts.entries()].filter(([, n]) => n > 1);
    const missing = codes.filter((c) => !counts.has(c));
    console.log(
      `crash points: ${runs} worker runs, crashes ${JSON.stringify(crashes)}, ${counts.size} orders in Smaregi`,
    );
    expect(duplicates).toEqual([]);
    expect(missing).toEqual([]);
    // The test must really have crashed at each point, including the dangerous one.
    expect(crashes.beforeRemoteCall ?? 0).toBeGreaterThanOrEqual(3);
    expect(crashes.afterRemoteCall ?? 0).toBeGreaterThanOrEqual(3);
    expect(crashes.afterCommit ?? 0).toBeGreaterThanOrEqual(3);
    const applied = sim.control
      .journal({ method: 'POST' })
      .filter((e) => e.path.endsWith('/order-shipment/orders') && e.applied);
    expect(applied).toHaveLength(ORDERS);
    // Nothing was ever sent again blindly: no registration refused as a duplicate.
    const refused = sim.control
      .journal({ method: 'POST' })
      .filter((e) => e.path.endsWith('/order-shipment/orders') && e.status === 400);
    expect(refused).toHaveLength(0);
    const ops = await forkEm(orm).find(Operation, { tenant: t.tenantId, kind: 'registerOrder' });
    expect(ops.every((o) => o.state === 'succeeded')).toBe(true);
    // Orders whose worker died after the call were found by their order code, not sent again.
    const resolved = await forkEm(orm).find(SyncEvent, {
      tenant: t.tenantId,
      kind: 'order.registered',
    });
    const byLookup = resolved.filter((e) => e.detail?.resolvedByLookup === true).length;
    console.log(`crash points: ${byLookup} orders resolved by looking their code up in Smaregi`);
    expect(byLookup).toBeGreaterThanOrEqual(crashes.afterRemoteCall ?? 0);
  }, 300_000);
});
