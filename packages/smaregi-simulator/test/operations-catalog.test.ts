import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CONTRACT_ID, OPERATIONS, type RunningSimulator } from '../src/index.js';
import { appToken, start } from './helpers.js';

describe('operation catalog (README table) matches the routes', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await start();
  });
  afterAll(() => sim.close());

  const concrete = (path: string): string =>
    path
      .replace('{contract_id}', DEMO_CONTRACT_ID)
      .replace('{product_id}', '8000001')
      .replace('{category_id}', '1')
      .replace('{store_id}', '5')
      .replace('{payment_method_id}', '1')
      .replace('{orderHeadId}', '1');

  it.each(
    OPERATIONS.filter((o) => o.host === 'api').map((o) => [o.method, o.path, o.scope] as const),
  )('API %s %s is routed and checks %s', async (method, path, scope) => {
    const url = `${sim.apiBaseUrl}/${DEMO_CONTRACT_ID}${concrete(path)}`;
    // Without a token: 401 (an unknown route would be 404).
    expect((await fetch(url, { method })).status).toBe(401);
    // With a token lacking the scope: 403 naming it.
    const other = scope === 'pos.stores:read' ? 'pos.products:read' : 'pos.stores:read';
    const narrow = await appToken(sim, other);
    const res = await fetch(url, { method, headers: { authorization: `Bearer ${narrow}` } });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { detail: string }).detail).toContain(scope);
  });

  it.each(OPERATIONS.filter((o) => o.host === 'id').map((o) => [o.method, o.path] as const))(
    'ID %s %s is routed',
    async (method, path) => {
      const res = await fetch(`${sim.idBaseUrl}${concrete(path)}`, { method, redirect: 'manual' });
      expect(res.status).not.toBe(404);
    },
  );

  it('the README Operations table is exactly the catalog: host, scope, basis and source per row', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Operations'));
    const rows = section
      .split('\n')
      .filter((line) => /^\| (ID|API) +\| `/.test(line))
      .map((line) =>
        line
          .split(/(?<!\\)\|/)
          .slice(1, -1)
          .map((cell) => cell.trim()),
      );
    expect(rows).toEqual(
      OPERATIONS.map((o) => [
        o.host === 'id' ? 'ID' : 'API',
        `\`${o.method} ${o.path}\``,
        o.scope ? `\`${o.scope}\`` : '—',
        o.basis,
        o.source,
      ]),
    );
  });

  it('every §11 operation of 受注管理 is marked modeled; only GET /stores/{id} there is confirmed', () => {
    const orderShipment = OPERATIONS.filter((o) => o.path.startsWith('/order-shipment/'));
    expect(
      orderShipment.filter((o) => o.basis === 'confirmed').map((o) => `${o.method} ${o.path}`),
    ).toEqual(['GET /order-shipment/stores/{store_id}']);
  });
});
