/**
 * An OMS wired to Renkei through its OpenAPI document alone: the types come from
 * `/api/v1/openapi.json` (openapi-typescript, `pnpm generate`), the calls go through openapi-fetch.
 * It registers an order, reads it back, moves its status and shipping date (出荷日) with If-Match
 * and an Idempotency-Key, shows that a retried PATCH is answered once, reads the order change
 * feed, and registers a webhook endpoint whose signed deliveries it verifies.
 *
 *   RENKEI_URL=http://127.0.0.1:3000 RENKEI_API_KEY=... pnpm start
 *
 * Without RENKEI_API_KEY it uses the demo tenant's public key and IDs (demo mode only).
 */
import { randomUUID } from 'node:crypto';
import createClient from 'openapi-fetch';
import { Webhook } from 'standardwebhooks';
import type { components, paths } from './generated/renkei-api.js';
import { verifyDelivery, webhookReceiver } from './webhook-receiver.js';

type Problem = components['schemas']['Problem'];

/** The demo tenant's public key and IDs (a real OMS takes them from the admin). */
const DEMO = {
  apiKey: 'renkei-demo-intake-key',
  shopId: '00000000-0000-4000-8000-000000000101',
  paymentMethodId: '00000000-0000-4000-8000-000000000201',
  receivedStatusId: '00000000-0000-4000-8000-000000000301',
  readyToShipStatusId: '00000000-0000-4000-8000-000000000303',
};

const env = (name: string, fallback: string) => process.env[name] ?? fallback;
const baseUrl = env('RENKEI_URL', 'http://127.0.0.1:3000');
const settings = {
  shopId: env('RENKEI_SHOP_ID', DEMO.shopId),
  paymentMethodId: env('RENKEI_PAYMENT_METHOD_ID', DEMO.paymentMethodId),
  receivedStatusId: env('RENKEI_STATUS_ID', DEMO.receivedStatusId),
  nextStatusId: env('RENKEI_NEXT_STATUS_ID', DEMO.readyToShipStatusId),
};

const client = createClient<paths>({
  baseUrl,
  headers: {
    Authorization: `Bearer ${env('RENKEI_API_KEY', DEMO.apiKey)}`,
    'Accept-Language': 'en',
  },
});

/** Stops with what the API said (problem+json names the field) when a call did not succeed. */
function check<T>(
  what: string,
  result: { data?: T; error?: unknown; response: Response },
  expected: number,
): T {
  if (result.response.status !== expected || result.data === undefined) {
    const problem = result.error as Problem | undefined;
    const fields = (problem?.errors ?? []).map((e) => `${e.field}: ${e.detail}`).join('; ');
    throw new Error(
      `${what}: HTTP ${result.response.status} (expected ${expected}) ${problem?.detail ?? ''} ${fields}`.trim(),
    );
  }
  const left = result.response.headers.get('RateLimit-Remaining');
  console.log(
    `${what}: ${result.response.status}${left === null ? '' : ` (requests left this second: ${left})`}`,
  );
  return result.data;
}

const orderNumber = `EX-${Date.now()}`;
const startedAt = new Date(Date.now() - 60_000).toISOString();

// 1. Register an order (201; the same order again would be 200 `unchanged`).
const created = check(
  'POST /api/v1/orders',
  await client.POST('/api/v1/orders', {
    body: {
      shopId: settings.shopId,
      orderNumber,
      orderedAt: new Date().toISOString(),
      paymentMethodId: settings.paymentMethodId,
      statusId: settings.receivedStatusId,
      lines: [
        { productCode: null, name: 'オーガニックコットンTシャツ', unitPrice: 3300, quantity: 2 },
      ],
      shippingFee: 550,
      shipTo: { name: '山田 太郎', postalCode: '150-0041', address: '東京都渋谷区神南1-1-1' },
    },
  }),
  201,
);
console.log(`  ${created.outcome}: ${created.order.orderNumber} (${created.order.syncState})`);

// 2. Read it as Renkei holds it; its version is the ETag to send back in If-Match.
const read = await client.GET('/api/v1/orders/{orderNumber}', {
  params: { path: { orderNumber } },
});
const { order } = check('GET /api/v1/orders/{orderNumber}', read, 200);
console.log(`  version ${order.version}, sync ${order.syncState}, ${order.lines.length} line(s)`);

// 3. Move it on: the next status and a shipping date, against that version, retry-safe.
const idempotencyKey = randomUUID();
const change = () =>
  client.PATCH('/api/v1/orders/{orderNumber}', {
    params: {
      path: { orderNumber },
      header: { 'If-Match': `"${order.version}"`, 'Idempotency-Key': idempotencyKey },
    },
    body: { statusId: settings.nextStatusId, shippingDate: '2026-01-07' },
  });
const changed = check('PATCH /api/v1/orders/{orderNumber}', await change(), 200);
console.log(
  `  ${changed.outcome}: status ${changed.order.statusName}, shipping date ${changed.order.shipping.shippingDate}`,
);

// 4. The same PATCH again (a retry after a lost answer): the first answer, not a second change.
const retry = await change();
const replayed = check('PATCH again (same Idempotency-Key)', retry, 200);
if (retry.response.headers.get('Idempotent-Replayed') !== 'true' || replayed.outcome !== 'updated')
  throw new Error('the retried PATCH was not answered with the first answer');
console.log('  replayed the first answer (Idempotent-Replayed: true)');

// 5. A stale version is refused (412) with the current one in the ETag: read again, then decide.
const stale = await client.PATCH('/api/v1/orders/{orderNumber}', {
  params: { path: { orderNumber }, header: { 'If-Match': `"${order.version}"` } },
  body: { shippingDate: '2026-01-08' },
});
if (stale.response.status !== 412) throw new Error(`stale If-Match: HTTP ${stale.response.status}`);
console.log(
  `PATCH with the old version: 412, current version ${stale.response.headers.get('ETag')}`,
);

// 6. The order change feed: everything changed since a moment, page by page; keep the last
//    `nextCursor` to ask later what changed since.
let cursor: string | undefined;
let seen = false;
for (let page = 1; page <= 100; page += 1) {
  const feed = check(
    `GET /api/v1/orders (feed, page ${page})`,
    await client.GET('/api/v1/orders', {
      params: { query: cursor === undefined ? { updatedSince: startedAt, limit: 50 } : { cursor } },
    }),
    200,
  );
  seen ||= feed.orders.some((o) => o.orderNumber === orderNumber);
  cursor = feed.nextCursor;
  if (!feed.hasMore) break;
}
if (!seen) throw new Error(`the order feed did not list ${orderNumber}`);
console.log(`  the feed lists ${orderNumber}; next time read on from cursor ${cursor}`);

// 7. Webhooks: register an endpoint (the secret comes back once: keep it), then verify what
//    arrives with off-the-shelf Standard Webhooks code (src/webhook-receiver.ts). Deliveries are
//    made by Renkei's worker, which this example does not run; here a delivery is signed the
//    way the worker signs one (the same specification and package), then tampered with and
//    replayed late, which verification must refuse.
const registered = check(
  'POST /api/v1/webhook-endpoints',
  await client.POST('/api/v1/webhook-endpoints', {
    body: {
      url: 'https://oms.example.com/renkei-webhooks',
      description: 'example OMS',
      events: ['order.synced', 'order.shipped', 'stock.changed'],
    },
  }),
  201,
);
const { secret } = registered;
const body = JSON.stringify({
  type: 'order.synced',
  timestamp: new Date().toISOString(),
  data: { orderNumber },
});
const signed = (at: Date, payload = body) => {
  const id = `msg_example_${orderNumber}`;
  return {
    headers: {
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(id, at, payload),
    },
    payload,
  };
};
const fresh = signed(new Date());
const good = verifyDelivery(secret, fresh.headers, fresh.payload);
if (!good.ok || good.event.type !== 'order.synced')
  throw new Error(`a genuine delivery did not verify: ${good.ok ? good.event.type : good.reason}`);
const tampered = verifyDelivery(secret, fresh.headers, fresh.payload.replace(orderNumber, 'EX-0'));
const late = signed(new Date(Date.now() - 10 * 60_000));
const lateOne = verifyDelivery(secret, late.headers, late.payload);
if (tampered.ok || lateOne.ok)
  throw new Error('a tampered or replayed delivery was accepted by the receiver');
// The same through a listening receiver: a retry (same webhook-id) is handled once.
const handled: string[] = [];
const receiver = webhookReceiver(secret, (event) => handled.push(event.type));
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const address = receiver.address();
const receiverUrl = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/`;
const post = async (delivery: { headers: Record<string, string>; payload: string }) =>
  (
    await fetch(receiverUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...delivery.headers },
      body: delivery.payload,
    })
  ).status;
const statuses = [
  await post(fresh),
  await post(fresh),
  await post({ ...fresh, payload: fresh.payload.replace(orderNumber, 'EX-0') }),
  await post(late),
];
await new Promise((resolve) => receiver.close(resolve));
if (statuses.join() !== '204,204,400,400' || handled.join() !== 'order.synced')
  throw new Error(`receiver answered ${statuses.join()} and handled ${handled.join()}`);
console.log(
  `  verified a signed delivery; refused a tampered one (${tampered.reason}) and a replayed one (${lateOne.reason})`,
);
check(
  'DELETE /api/v1/webhook-endpoints/{id}',
  {
    ...(await client.DELETE('/api/v1/webhook-endpoints/{id}', {
      params: { path: { id: registered.endpoint.id } },
    })),
    data: {},
  },
  204,
);

console.log('OK: the OMS client ran against', baseUrl);
