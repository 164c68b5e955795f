/**
 * `pnpm smaregi:check`: probes every operation Renkei uses against a Smaregi environment and
 * reports which work as modeled, which answered differently, and which need a scope the app does
 * not have (docs/smaregi-wire.md §12).
 *
 * Nothing is changed in Smaregi. Reads are called with `limit=1`. Writes are probed with a request
 * Smaregi must refuse before doing anything: a body without the fields the official pages mark
 * required (400 expected), or an ID that cannot exist (404 expected). That tells whether the path
 * exists and the scope is granted without creating, allocating or shipping anything.
 */
import { z } from 'zod';
import type { SmaregiClient, SmaregiContract } from '../client.js';
import { isSmaregiApiError } from '../errors.js';
import { RENKEI_OPERATIONS, scopeOf, type SmaregiOperation } from '../scopes.js';

/** `works`: answered as Renkei's model expects. */
export type ProbeStatus = 'works' | 'differs' | 'needs_scope' | 'failed';

export interface ProbeResult {
  operation: SmaregiOperation;
  scope: string;
  /** `read`: called for real; `write`: a request Smaregi must refuse (see the module header). */
  probe: 'read' | 'write';
  status: ProbeStatus;
  detail: string;
}

export interface CheckReport {
  contractId: string;
  /** The app token: the scopes granted, or why there is none. */
  token: { ok: true; scopes: string[] } | { ok: false; error: string };
  results: ProbeResult[];
}

/** An ID no Smaregi resource has (15 digits, the longest ID the POS API allows). */
const NO_SUCH_ID = '999999999999999';

type Probe = (api: SmaregiContract, found: Found) => Promise<string>;

/** IDs learned from earlier probes, so later ones can read a real resource. */
interface Found {
  productId?: string;
  orderStoreId?: string;
  orderHeadId?: string;
}

/** A probe that should have been refused was not, or was refused for a missing path. */
class ExpectedRefusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function refused(
  api: SmaregiContract,
  operation: SmaregiOperation,
  method: 'GET' | 'POST' | 'PATCH',
  path: string,
  body: unknown,
  expected: 400 | 404,
): Promise<string> {
  try {
    await api.request({
      operation,
      method,
      path,
      ...(method === 'GET' ? {} : { body }),
      schema: z.unknown(),
    });
  } catch (error) {
    if (isSmaregiApiError(error) && error.status === expected) {
      const detail = error.problem?.detail ?? error.problem?.title ?? '';
      // A 404 for a missing path would look the same: Smaregi words the two differently.
      if (expected === 404 && /URL/i.test(detail))
        throw new ExpectedRefusal(404, `the path does not exist (${detail})`);
      return `refused as expected (${expected}${detail ? `: ${detail}` : ''})`;
    }
    throw error;
  }
  throw new ExpectedRefusal(
    200,
    `ACCEPTED a request that must be refused (${method} ${path}): check Smaregi for a change`,
  );
}

const PROBES: Record<(typeof RENKEI_OPERATIONS)[number], { kind: 'read' | 'write'; run: Probe }> = {
  'pos.products.list': {
    kind: 'read',
    run: async (api, found) => {
      const [product] = await api.pos.products.list({ limit: 1 });
      if (product) found.productId = product.productId;
      return product ? `product ${product.productId}` : 'no products (empty list)';
    },
  },
  'pos.products.get': {
    kind: 'read',
    run: async (api, found) => {
      if (!found.productId)
        return refused(api, 'pos.products.get', 'GET', `/pos/products/${NO_SUCH_ID}`, {}, 404);
      const product = await api.pos.products.get(found.productId);
      return `product ${product.productId} ${product.productCode}`;
    },
  },
  'pos.products.create': {
    kind: 'write',
    run: (api) => refused(api, 'pos.products.create', 'POST', '/pos/products', {}, 400),
  },
  'pos.products.update': {
    kind: 'write',
    run: (api) =>
      refused(api, 'pos.products.update', 'PATCH', `/pos/products/${NO_SUCH_ID}`, {}, 404),
  },
  'pos.categories.list': {
    kind: 'read',
    run: async (api) => `${(await api.pos.categories.list({ limit: 1 })).length} item(s)`,
  },
  'pos.stock.list': {
    kind: 'read',
    run: async (api) => `${(await api.pos.stock.list({ limit: 1 })).length} item(s)`,
  },
  'pos.stores.list': {
    kind: 'read',
    run: async (api) => `${(await api.pos.stores.list({ limit: 1 })).length} item(s)`,
  },
  'pos.paymentMethods.list': {
    kind: 'read',
    run: async (api) => `${(await api.pos.paymentMethods.list({ limit: 1 })).length} item(s)`,
  },
  'orderShipment.stores.list': {
    kind: 'read',
    run: async (api, found) => {
      const [store] = await api.orderShipment.stores.list({ limit: 1 });
      if (store) found.orderStoreId = store.storeId;
      return store ? `受注店舗 ${store.storeId} ${store.storeCode}` : 'no 受注店舗 (empty list)';
    },
  },
  'orderShipment.stores.get': {
    kind: 'read',
    run: async (api, found) => {
      if (!found.orderStoreId) return 'not read: no 受注店舗 to read (register one first)';
      const store = await api.orderShipment.stores.get(found.orderStoreId);
      const missing = ['sellDivision', 'stockStoreId', 'autoAllocation'].filter(
        (f) => (store as Record<string, unknown>)[f] == null,
      );
      return missing.length === 0
        ? `受注店舗 ${store.storeId}`
        : `受注店舗 ${store.storeId}; not provided by Smaregi: ${missing.join(', ')}`;
    },
  },
  'orderShipment.orders.register': {
    kind: 'write',
    run: (api) =>
      refused(api, 'orderShipment.orders.register', 'POST', '/order-shipment/orders', {}, 400),
  },
  'orderShipment.orders.list': {
    kind: 'read',
    run: async (api, found) => {
      const [order] = await api.orderShipment.orders.list({ limit: 1 });
      if (order) found.orderHeadId = order.orderHeadId;
      return order ? `order ${order.orderHeadId}` : 'no orders (empty list)';
    },
  },
  'orderShipment.orders.get': {
    kind: 'read',
    run: async (api, found) => {
      if (!found.orderHeadId) {
        return refused(
          api,
          'orderShipment.orders.get',
          'GET',
          `/order-shipment/orders/${NO_SUCH_ID}`,
          {},
          404,
        );
      }
      const order = await api.orderShipment.orders.get(found.orderHeadId);
      return `order ${order.orderHeadId} ${order.orderCode}`;
    },
  },
  'orderShipment.orders.allocate': {
    kind: 'write',
    run: (api) =>
      refused(
        api,
        'orderShipment.orders.allocate',
        'POST',
        `/order-shipment/orders/${NO_SUCH_ID}/allocation`,
        {},
        404,
      ),
  },
  'orderShipment.orders.bulkShip': {
    kind: 'write',
    run: (api) =>
      refused(
        api,
        'orderShipment.orders.bulkShip',
        'POST',
        '/order-shipment/orders/shipping/bulk',
        { orders: [] },
        400,
      ),
  },
  'orderShipment.stock.list': {
    kind: 'read',
    run: async (api) => `${(await api.orderShipment.stock.list({ limit: 1 })).length} item(s)`,
  },
};

function classify(error: unknown, scope: string): { status: ProbeStatus; detail: string } {
  if (error instanceof ExpectedRefusal) return { status: 'differs', detail: error.message };
  if (!isSmaregiApiError(error))
    return { status: 'failed', detail: error instanceof Error ? error.message : String(error) };
  const said = error.problem?.detail ?? error.message;
  switch (error.kind) {
    case 'forbidden_scope':
      return { status: 'needs_scope', detail: `needs ${scope}: ${said}` };
    case 'bad_response':
      return {
        status: 'differs',
        detail: `answer does not match Renkei's model: ${error.message}`,
      };
    case 'not_found':
      return { status: 'differs', detail: `404: the path may differ (${said})` };
    case 'invalid_request':
      return { status: 'differs', detail: `refused a request of Renkei's model: ${said}` };
    default:
      return { status: 'failed', detail: `${error.kind}: ${said}` };
  }
}

/**
 * Runs every probe, one after the other (they share the contract's rate budget), and reports.
 * Never throws for a Smaregi failure: each one becomes a result.
 */
export async function runSmaregiCheck(input: {
  client: SmaregiClient;
  contractId: string;
  operations?: readonly (typeof RENKEI_OPERATIONS)[number][];
}): Promise<CheckReport> {
  const { client, contractId } = input;
  let token: CheckReport['token'];
  try {
    const { scopes } = await client.ensureAppToken(contractId);
    token = { ok: true, scopes };
  } catch (error) {
    const message = isSmaregiApiError(error)
      ? `${error.kind}${error.oauthError ? ` (${error.oauthError})` : ''}: ${error.message}`
      : String(error);
    return {
      contractId,
      token: { ok: false, error: message },
      results: (input.operations ?? RENKEI_OPERATIONS).map((operation) => ({
        operation,
        scope: scopeOf(operation),
        probe: PROBES[operation].kind,
        status: 'failed' as const,
        detail: 'no app token',
      })),
    };
  }
  const api = client.forContract(contractId);
  const found: Found = {};
  const results: ProbeResult[] = [];
  for (const operation of input.operations ?? RENKEI_OPERATIONS) {
    const scope = scopeOf(operation);
    const probe = PROBES[operation];
    const lacking = token.scopes.includes(scope) ? '' : ` (the token lacks ${scope})`;
    try {
      const detail = await probe.run(api, found);
      results.push({
        operation,
        scope,
        probe: probe.kind,
        status: 'works',
        detail: detail + lacking,
      });
    } catch (error) {
      const { status, detail } = classify(error, scope);
      results.push({ operation, scope, probe: probe.kind, status, detail });
    }
  }
  return { contractId, token, results };
}

const LABELS: Record<ProbeStatus, string> = {
  works: 'works',
  differs: 'DIFFERS from the model',
  needs_scope: 'NEEDS SCOPE',
  failed: 'FAILED',
};

/** The report as text for a terminal. */
export function formatCheckReport(report: CheckReport): string {
  const lines = [`Smaregi check for contract ${report.contractId}`];
  lines.push(
    report.token.ok
      ? `app token: granted scopes ${report.token.scopes.join(' ') || '(none)'}`
      : `app token: FAILED ${report.token.error}`,
  );
  const width = Math.max(...report.results.map((r) => r.operation.length));
  for (const r of report.results) {
    lines.push(
      `${r.operation.padEnd(width)}  ${r.probe.padEnd(5)}  ${LABELS[r.status].padEnd(22)}  ${r.detail}`,
    );
  }
  const count = (s: ProbeStatus) => report.results.filter((r) => r.status === s).length;
  lines.push(
    `${count('works')} work, ${count('differs')} differ, ${count('needs_scope')} need scopes, ${count('failed')} failed`,
  );
  return lines.join('\n');
}

/** True when every operation works. */
export function checkPassed(report: CheckReport): boolean {
  return report.token.ok && report.results.every((r) => r.status === 'works');
}
