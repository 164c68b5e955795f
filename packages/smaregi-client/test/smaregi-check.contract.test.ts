/**
 * `pnpm smaregi:check` against the simulator: every operation Renkei uses is probed and, against
 * a simulator that implements Renkei's model, reported as working. A contract that approved
 * fewer scopes shows which operations need which scope; missing configuration is named.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheckCommand } from '../src/check/cli.js';
import { checkPassed, formatCheckReport, runSmaregiCheck } from '../src/check/run-check.js';
import { RENKEI_OPERATIONS } from '../src/index.js';
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_CONTRACT_ID,
  startHarness,
  type Harness,
} from './helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('smaregi:check', () => {
  it('reports every operation Renkei uses as working against the simulator, changing nothing', async () => {
    const before = h.sim.control.summary();
    const report = await runSmaregiCheck({ client: h.client(), contractId: DEMO_CONTRACT_ID });
    expect(report.token).toMatchObject({ ok: true });
    expect(report.results.map((r) => r.operation)).toEqual([...RENKEI_OPERATIONS]);
    for (const r of report.results) expect(r, r.operation).toMatchObject({ status: 'works' });
    expect(checkPassed(report)).toBe(true);
    expect(h.sim.control.summary()).toEqual(before);
    const text = formatCheckReport(report);
    expect(text).toContain(`${RENKEI_OPERATIONS.length} work, 0 differ, 0 need scopes, 0 failed`);
  });

  it('names the scope an operation needs when the contract has not approved it', async () => {
    h.sim.control.addContract({
      contractId: 'sb_check_limited',
      scopes: ['pos.products:read', 'pos.stock:read', 'order-shipment.stores:read'],
      withDemoShop: true,
    });
    const report = await runSmaregiCheck({ client: h.client(), contractId: 'sb_check_limited' });
    expect(report.token).toEqual({
      ok: true,
      scopes: ['pos.products:read', 'pos.stock:read', 'order-shipment.stores:read'],
    });
    const byOp = Object.fromEntries(report.results.map((r) => [r.operation, r]));
    expect(byOp['pos.products.list']?.status).toBe('works');
    expect(byOp['orderShipment.stores.get']?.status).toBe('works');
    expect(byOp['orderShipment.orders.register']).toMatchObject({
      status: 'needs_scope',
      detail: expect.stringContaining('order-shipment.orders:write') as unknown,
    });
    expect(byOp['pos.paymentMethods.list']).toMatchObject({ status: 'needs_scope' });
    expect(checkPassed(report)).toBe(false);
  });

  it('says which operations answer differently from the model, and which fail', async () => {
    // A Smaregi whose stock answer has other fields than modeled, and whose stores are down.
    const client = h.client({
      retry: { maxAttempts: 1 },
      fetch: async (input, init) => {
        const url = new URL(input.toString());
        if (url.pathname.endsWith('/order-shipment/stock'))
          return new Response(JSON.stringify([{ product_id: '1', amount: 3 }]), {
            headers: { 'content-type': 'application/json' },
          });
        if (url.pathname.endsWith('/pos/stores'))
          return new Response('{"type":"about:blank","title":"Service Unavailable"}', {
            status: 503,
            headers: { 'content-type': 'application/problem+json' },
          });
        return fetch(input, init);
      },
    });
    const report = await runSmaregiCheck({
      client,
      contractId: DEMO_CONTRACT_ID,
      operations: ['orderShipment.stock.list', 'pos.stores.list', 'pos.stock.list'],
    });
    expect(report.results.map((r) => [r.operation, r.status])).toEqual([
      ['orderShipment.stock.list', 'differs'],
      ['pos.stores.list', 'failed'],
      ['pos.stock.list', 'works'],
    ]);
    expect(report.results[0]?.detail).toContain("does not match Renkei's model");
    expect(formatCheckReport(report)).toContain('DIFFERS from the model');
  });

  it('reads its configuration from the environment and names what is missing', async () => {
    const lines: string[] = [];
    const incomplete = await runCheckCommand({
      env: { SMAREGI_CLIENT_ID: 'x' },
      out: (t) => lines.push(t),
    });
    expect(incomplete).toBe(2);
    expect(lines.join('\n')).toMatch(/SMAREGI_CLIENT_SECRET[\s\S]*SMAREGI_CONTRACT_ID/);
    const bad = await runCheckCommand({
      env: {
        SMAREGI_ENV: 'staging',
        SMAREGI_CLIENT_ID: 'x',
        SMAREGI_CLIENT_SECRET: 'y',
        SMAREGI_CONTRACT_ID: 'sb_x',
      },
      out: (t) => lines.push(t),
    });
    expect(bad).toBe(2);
    expect(lines.at(-1)).toContain('SMAREGI_ENV');
  });

  it('runs as a command (scripts/smaregi-check.ts) and exits 0 when everything works', async () => {
    const bin = fileURLToPath(new URL('../scripts/smaregi-check.ts', import.meta.url));
    const tsx = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url));
    const { stdout } = await promisify(execFile)(tsx, [bin], {
      env: {
        ...process.env,
        SMAREGI_ENV: 'sandbox',
        SMAREGI_CLIENT_ID: DEMO_CLIENT_ID,
        SMAREGI_CLIENT_SECRET: DEMO_CLIENT_SECRET,
        SMAREGI_CONTRACT_ID: DEMO_CONTRACT_ID,
        SMAREGI_ID_BASE_URL: h.sim.idBaseUrl,
        SMAREGI_API_BASE_URL: h.sim.apiBaseUrl,
      },
    });
    expect(stdout).toContain(`environment sandbox: ${h.sim.idBaseUrl}`);
    expect(stdout).toContain(`${RENKEI_OPERATIONS.length} work, 0 differ`);
    expect(stdout).not.toContain(DEMO_CLIENT_SECRET);
  }, 30_000);
});
