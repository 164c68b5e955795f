import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forkEm, openDatabase, Order, type Orm } from '@renkei/persistence';
import { DEMO_CONTRACT_ID, startSimulator, type RunningSimulator } from '@renkei/smaregi-simulator';
import { Worker } from '../src/worker.js';
import { testClient, testDeps } from './support/fixture.js';

/*
 * The whole path of issue 6's "End to end", with the real API process: the demo tenant (seeded
 * and connected by apps/api), the OpenAPI example order posted to the REST intake, this worker,
 * the simulator's 受注 — once, even when posted again; then a cancel in Smaregi travels back as a
 * webhook through the API's receiver and the worker cancels the order in Renkei. A cancel made in
 * the admin and one made by the OMS through the REST API reach Smaregi the same way.
 */
const API_MAIN = join(import.meta.dirname, '../../api/src/main.ts');

function startApi(env: Record<string, string>): {
  child: ChildProcess;
  url: Promise<string>;
  connected: Promise<void>;
  output: () => string;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', API_MAIN], {
    cwd: join(import.meta.dirname, '../../api'),
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let onUrl: (url: string) => void = () => undefined;
  let onConnected: () => void = () => undefined;
  let onExit: (e: Error) => void = () => undefined;
  const url = new Promise<string>((resolve, reject) => {
    onUrl = resolve;
    onExit = reject;
  });
  const connected = new Promise<void>((resolve) => (onConnected = resolve));
  const read = (chunk: Buffer): void => {
    out += chunk.toString();
    const m = /"port":(\d+)[^\n]*Renkei API listening/.exec(out);
    if (m?.[1] !== undefined) onUrl(`http://127.0.0.1:${m[1]}`);
    if (out.includes('demo tenant connected to the simulator')) onConnected();
  };
  child.stdout?.on('data', read);
  child.stderr?.on('data', read);
  child.once('exit', (code) => onExit(new Error(`API exited (${code}):\n${out}`)));
  return { child, url, connected, output: () => out };
}

describe('REST intake -> API -> worker -> simulator (demo tenant, real API process)', () => {
  let dir: string;
  let sim: RunningSimulator;
  let api: ReturnType<typeof startApi>;
  let orm: Orm;
  let worker: Worker | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'renkei-e2e-'));
    sim = await startSimulator({ rateLimits: false, seed: 1 });
    api = startApi({
      RENKEI_DATA_DIR: dir,
      PORT: '0',
      SMAREGI_ID_BASE_URL: sim.idBaseUrl,
      SMAREGI_API_BASE_URL: sim.apiBaseUrl,
      LOG_LEVEL: 'info',
    });
    await Promise.race([api.connected, api.url.then(() => api.connected)]);
    orm = await openDatabase({ location: { dialect: 'sqlite', path: join(dir, 'renkei.sqlite') } });
    const base = await api.url;
    // The simulator delivers webhooks to the API's receiver with the demo app's secret header.
    sim.control.setWebhookEndpoint({
      url: `${base}/webhooks/smaregi`,
      secretHeaderName: 'x-renkei-webhook-secret',
      secretHeaderValue: 'renkei-demo-webhook-secret',
    });
  }, 60_000);
  afterAll(async () => {
    await worker?.stop(2_000);
    api?.child.kill('SIGTERM');
    await orm?.close(true);
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('registers the OpenAPI example once and applies a cancel made in Smaregi', async () => {
    const base = await api.url;
    const openapi = await (await fetch(`${base}/api/v1/openapi.json`)).json();
    const example = findExample(openapi);
    expect(example?.orderNumber).toBeTypeOf('string');
    const post = () =>
      fetch(`${base}/api/v1/orders`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: 'Bearer renkei-demo-intake-key',
        },
        body: JSON.stringify(example),
      });
    const created = await post();
    expect(created.status, await created.clone().text()).toBeLessThan(300);

    const client = testClient(sim);
    // Every loop runs, as in the process: the demo's product import (queued by the API) brings
    // in the products, and the order, waiting for them, goes through by itself.
    worker = new Worker(testDeps(orm, client, { waitingRecheckMs: 500 }), {
      pollMs: 100,
      reconcileMs: 600_000,
      tokenUpkeepMs: 600_000,
    });
    await worker.start();
    const code = String(example?.orderNumber);
    const deadline = Date.now() + 45_000;
    const mine = async () => forkEm(orm).findOne(Order, { orderNumber: code });
    while ((await mine())?.syncState !== 'registered') {
      expect(Date.now(), JSON.stringify(await mine()) + api.output()).toBeLessThan(deadline);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await post()).status).toBeLessThan(300);
    await new Promise((r) => setTimeout(r, 500));
    const inSmaregi = sim.control.orders().filter((o) => o.orderCode === code);
    expect(inSmaregi).toHaveLength(1);

    await client
      .forContract(DEMO_CONTRACT_ID)
      .orderShipment.orders.cancel(inSmaregi[0]!.orderHeadId);
    await sim.control.flush({ now: true });
    while ((await mine())?.syncState !== 'canceled') {
      expect(Date.now(), api.output()).toBeLessThan(deadline + 20_000);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await worker.stop(5_000)).clean).toBe(true);
  }, 120_000);

  it('cancels the 受注 in Smaregi when the merchant sets キャンセル in the admin', async () => {
    const base = await api.url;
    const openapi = await (await fetch(`${base}/api/v1/openapi.json`)).json();
    const code = `${String(findExample(openapi)?.orderNumber)}-CANCEL`;
    const created = await fetch(`${base}/api/v1/orders`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: 'Bearer renkei-demo-intake-key',
      },
      body: JSON.stringify({ ...findExample(openapi), orderNumber: code }),
    });
    expect(created.status, await created.clone().text()).toBeLessThan(300);
    const client = testClient(sim);
    worker = new Worker(testDeps(orm, client, { waitingRecheckMs: 500 }), {
      pollMs: 100,
      reconcileMs: 600_000,
      tokenUpkeepMs: 600_000,
    });
    await worker.start();
    const deadline = Date.now() + 45_000;
    const mine = async () =>
      forkEm(orm).findOne(Order, { orderNumber: code }, { populate: ['status'] });
    while ((await mine())?.syncState !== 'registered') {
      expect(Date.now(), api.output()).toBeLessThan(deadline);
      await new Promise((r) => setTimeout(r, 100));
    }
    const headId = (await mine())!.smaregiOrderHeadId!;

    // The admin: signed in as the demo merchant, the order moved to the cancel status.
    const trpc = async (path: string, body?: unknown, cookie?: string) => {
      const res = await fetch(`${base}/api/trpc/${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: {
          'content-type': 'application/json',
          'x-renkei-csrf': '1',
          ...(cookie === undefined ? {} : { cookie }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      expect(res.status, await res.clone().text()).toBe(200);
      return res;
    };
    const login = await trpc('auth.login', { email: 'demo@renkei.local', password: 'renkei-demo' });
    const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
    const statuses = (await (await trpc('orderStatuses.list', undefined, cookie)).json()) as {
      result: { data: { id: string; category: string }[] };
    };
    const cancel = statuses.result.data.find((s) => s.category === 'cancelled');
    expect(cancel).toBeDefined();
    await trpc('orders.changeStatus', { id: (await mine())!.id, statusId: cancel!.id }, cookie);

    while ((await mine())?.syncState !== 'canceled') {
      expect(Date.now(), api.output()).toBeLessThan(deadline + 20_000);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(sim.control.order(headId)?.status).toBe('canceled');
    expect((await mine())?.status.id).toBe(cancel!.id);
    const calls = sim.control
      .journal({ method: 'POST' })
      .filter((e) => e.path.endsWith(`/orders/${headId}/cancel`));
    expect(calls.map((e) => e.status)).toEqual([200]);
    expect((await worker.stop(5_000)).clean).toBe(true);
  }, 120_000);

  it('asks Smaregi to allocate and then cancels the 受注 when the OMS moves the order through PATCH /api/v1/orders, as the admin does', async () => {
    const base = await api.url;
    const openapi = await (await fetch(`${base}/api/v1/openapi.json`)).json();
    const code = `${String(findExample(openapi)?.orderNumber)}-REST`;
    const key = { authorization: 'Bearer renkei-demo-intake-key' };
    const created = await fetch(`${base}/api/v1/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...key },
      body: JSON.stringify({ ...findExample(openapi), orderNumber: code }),
    });
    expect(created.status, await created.clone().text()).toBeLessThan(300);
    worker = new Worker(testDeps(orm, testClient(sim), { waitingRecheckMs: 500 }), {
      pollMs: 100,
      reconcileMs: 600_000,
      tokenUpkeepMs: 600_000,
    });
    await worker.start();
    const deadline = Date.now() + 45_000;
    const read = async () => {
      const res = await fetch(`${base}/api/v1/orders/${encodeURIComponent(code)}`, {
        headers: key,
      });
      expect(res.status, await res.clone().text()).toBe(200);
      return {
        etag: res.headers.get('etag')!,
        order: ((await res.json()) as { order: { syncState: string } }).order,
      };
    };
    while ((await read()).order.syncState !== 'registered') {
      expect(Date.now(), api.output()).toBeLessThan(deadline);
      await new Promise((r) => setTimeout(r, 100));
    }
    const headId = (await forkEm(orm).findOneOrFail(Order, { orderNumber: code }))
      .smaregiOrderHeadId!;

    // The OMS moves it to 引当待ち (the demo's 在庫引当自動照会 trigger): the worker asks
    // Smaregi to allocate, as it does when the merchant picks that status in the admin.
    const allocationCalls = () =>
      sim.control
        .journal({ method: 'POST' })
        .filter((e) => e.path.endsWith(`/orders/${headId}/allocation`)).length;
    const before = allocationCalls();
    const moved = await fetch(`${base}/api/v1/orders/${encodeURIComponent(code)}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', 'if-match': (await read()).etag, ...key },
      body: JSON.stringify({ statusId: '00000000-0000-4000-8000-000000000302' }),
    });
    expect(moved.status, await moved.clone().text()).toBe(200);
    while (allocationCalls() === before) {
      expect(Date.now(), api.output()).toBeLessThan(deadline);
      await new Promise((r) => setTimeout(r, 100));
    }

    // Then cancels it: against the version it read, retry-safe.
    const { etag } = await read();
    const patched = await fetch(`${base}/api/v1/orders/${encodeURIComponent(code)}`, {
      method: 'PATCH',
      headers: {
        'content-type': 'application/json',
        'if-match': etag,
        'idempotency-key': `cancel-${code}`,
        ...key,
      },
      body: JSON.stringify({ cancel: true }),
    });
    expect(patched.status, await patched.clone().text()).toBe(200);

    while ((await read()).order.syncState !== 'canceled') {
      expect(Date.now(), api.output()).toBeLessThan(deadline + 20_000);
      await new Promise((r) => setTimeout(r, 100));
    }
    // Exactly what the admin's cancel leaves in Smaregi: the 受注 cancelled by one call.
    expect(sim.control.order(headId)?.status).toBe('canceled');
    const calls = sim.control
      .journal({ method: 'POST' })
      .filter((e) => e.path.endsWith(`/orders/${headId}/cancel`));
    expect(calls.map((e) => e.status)).toEqual([200]);
    expect((await worker.stop(5_000)).clean).toBe(true);
  }, 120_000);
});

/** The request example of POST /api/v1/orders in the OpenAPI document. */
function findExample(doc: unknown): Record<string, unknown> | undefined {
  if (Array.isArray(doc)) {
    for (const v of doc) {
      const found = findExample(v);
      if (found) return found;
    }
    return undefined;
  }
  if (doc === null || typeof doc !== 'object') return undefined;
  const record = doc as Record<string, unknown>;
  const example = record.example;
  if (example !== null && typeof example === 'object' && 'orderNumber' in example) return example;
  for (const v of Object.values(record)) {
    const found = findExample(v);
    if (found) return found;
  }
  return undefined;
}
