/**
 * Benchmark: the simulator holds 100,000 products and serves a 1,000-item page over HTTP.
 * Bound (issue 3): under 50 ms per page. Prints median and p95 over 50 requests for a few pages
 * in the primary-key order (the listing Renkei's product import does) and one filtered listing.
 * Run once: `pnpm bench` (final figures are measured on a quiet machine).
 */
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_CONTRACT_ID,
  startSimulator,
} from '../src/index.js';

const PRODUCTS = 100_000;
const PAGE_SIZE = 1000;
const REQUESTS = 50;
const BOUND_MS = 50;

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)] ?? Number.NaN;
}

async function main(): Promise<void> {
  const sim = await startSimulator({ rateLimits: false, seed: 'bench' });
  try {
    const seedStart = performance.now();
    sim.control.seedProducts({ count: PRODUCTS - sim.control.summary().products! });
    const seedMs = performance.now() - seedStart;
    const total = sim.control.summary().products!;

    const tokenRes = await fetch(`${sim.idBaseUrl}/app/${DEMO_CONTRACT_ID}/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${DEMO_CLIENT_ID}:${DEMO_CLIENT_SECRET}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials&scope=pos.products:read',
    });
    const { access_token: token } = (await tokenRes.json()) as { access_token: string };

    const cases: [string, string][] = [
      ['page 1', `limit=${PAGE_SIZE}&page=1`],
      ['page 50 (middle)', `limit=${PAGE_SIZE}&page=50`],
      ['page 100 (last)', `limit=${PAGE_SIZE}&page=100`],
      ['productId:desc page 50', `limit=${PAGE_SIZE}&page=50&sort=productId:desc`],
      ['display_flag=1 page 50', `limit=${PAGE_SIZE}&page=50&display_flag=1`],
    ];
    console.log(
      `smaregi-simulator bench: ${total} products in memory (seeded in ${seedMs.toFixed(0)} ms), ${REQUESTS} requests per case, ${PAGE_SIZE}-item pages over HTTP`,
    );
    console.log(`heap used: ${(process.memoryUsage().heapUsed / 1024 / 1024).toFixed(0)} MB`);
    let worstP95 = 0;
    for (const [name, query] of cases) {
      const url = `${sim.apiBaseUrl}/${DEMO_CONTRACT_ID}/pos/products?${query}`;
      const headers = { authorization: `Bearer ${token}` };
      for (let i = 0; i < 5; i++) await (await fetch(url, { headers })).arrayBuffer();
      const times: number[] = [];
      let items = 0;
      for (let i = 0; i < REQUESTS; i++) {
        const t0 = performance.now();
        const res = await fetch(url, { headers });
        const body = (await res.json()) as unknown[];
        times.push(performance.now() - t0);
        if (res.status !== 200) throw new Error(`${name}: HTTP ${res.status}`);
        items = body.length;
      }
      times.sort((a, b) => a - b);
      const p95 = percentile(times, 95);
      worstP95 = Math.max(worstP95, p95);
      console.log(
        `${name.padEnd(26)} items=${String(items).padStart(4)}  median=${percentile(times, 50).toFixed(1).padStart(6)} ms  p95=${p95.toFixed(1).padStart(6)} ms  max=${(times.at(-1) ?? 0).toFixed(1).padStart(6)} ms`,
      );
    }
    const verdict = worstP95 < BOUND_MS ? 'PASS' : 'FAIL';
    console.log(
      `${verdict}: worst p95 ${worstP95.toFixed(1)} ms vs bound ${BOUND_MS} ms (time includes client-side JSON parsing)`,
    );
    if (verdict === 'FAIL') process.exitCode = 1;
  } finally {
    await sim.close();
  }
}

void main();
