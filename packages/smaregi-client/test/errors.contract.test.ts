/**
 * Failure behaviour against the simulator over HTTP: 401 refresh-once, 403 scope, 429 with
 * Retry-After, the simulator's sliding-window limiter, 5xx retry for reads only, timeouts,
 * dropped connections, and redaction of every token and secret in errors and log lines.
 */
import { DEMO_STORE_IDS } from '@renkei/smaregi-simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FetchLike, SmaregiApiError } from '../src/index.js';
import {
  caught,
  drivenTime,
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_CONTRACT_ID,
  exposedText,
  maxPerSecond,
  RecordingTokenStore,
  sharedFakeClock,
  startHarness,
  type Harness,
} from './helpers.js';

let h: Harness;
/** Every error seen in this file, checked for secrets at the end. */
const errors: SmaregiApiError[] = [];
const tokenStores: RecordingTokenStore[] = [];

beforeAll(async () => {
  h = await startHarness({ rateLimits: false });
  tokenStores.push(h.tokens);
});
afterAll(() => h.close());

function keep(error: SmaregiApiError): SmaregiApiError {
  errors.push(error);
  return error;
}

/** A client on a fake clock that clears the simulator's faults when the client starts waiting. */
function clientClearingFaultsOnWait(
  minWaitMs: number,
  extra: Parameters<Harness['client']>[0] = {},
) {
  const { clock } = sharedFakeClock((ms) => {
    if (ms >= minWaitMs) h.sim.control.clearFaults();
  });
  const client = h.client({
    clock,
    random: () => 0.5,
    rateLimits: { readsPerSecond: 1000, writesPerSecond: 1000 },
    ...extra,
  });
  return { clock, api: client.forContract(DEMO_CONTRACT_ID) };
}

describe('401: one new token, one replay', () => {
  it('recovers when the simulator expires every token', async () => {
    const api = h.client().forContract(DEMO_CONTRACT_ID);
    await api.pos.stores.list();
    const tokenCallsBefore = h.sim.control.journal({ host: 'id' }).length;
    const journalBefore = h.apiJournal().length;
    expect(h.sim.control.expireTokens()).toBeGreaterThan(0);
    await expect(api.pos.stores.list()).resolves.not.toHaveLength(0);
    expect(
      h
        .apiJournal()
        .slice(journalBefore)
        .map((e) => e.status),
    ).toEqual([401, 200]);
    expect(h.sim.control.journal({ host: 'id' }).slice(tokenCallsBefore)).toHaveLength(1);
  });

  it('reports unauthorized when the new token is refused too, after exactly one replay', async () => {
    // Every API request finds its token expired (as if revoked at that instant).
    const expiring: FetchLike = (input, init) => {
      if (input.toString().startsWith(h.sim.apiBaseUrl)) h.sim.control.expireTokens();
      return fetch(input, init);
    };
    const api = h.client({ fetch: expiring }).forContract(DEMO_CONTRACT_ID);
    const journalBefore = h.apiJournal().length;
    const error = keep(await caught(api.pos.stock.add('8000001', { storeId: 1, stockAmount: 1 })));
    expect(error).toMatchObject({ kind: 'unauthorized', status: 401, operation: 'pos.stock.add' });
    expect(error.problem).toMatchObject({ title: 'Unauthorized', status: 401 });
    expect(
      h
        .apiJournal()
        .slice(journalBefore)
        .map((e) => e.status),
    ).toEqual([401, 401]);
  });
});

describe('403 and 404', () => {
  it('a call outside the token scope is forbidden_scope', async () => {
    const tokenStore = new RecordingTokenStore();
    tokenStores.push(tokenStore);
    const api = h
      .client({ appScopes: ['pos.products:read'], tokenStore })
      .forContract(DEMO_CONTRACT_ID);
    await expect(api.pos.products.list({ limit: 1 })).resolves.toHaveLength(1);
    const error = keep(await caught(api.pos.stock.list()));
    expect(error).toMatchObject({
      kind: 'forbidden_scope',
      status: 403,
      operation: 'pos.stock.list',
    });
    expect(error.problem?.detail).toContain('pos.stock:read');
  });

  it('an unknown order is not_found', async () => {
    const api = h.client().forContract(DEMO_CONTRACT_ID);
    const error = keep(await caught(api.orderShipment.orders.get('987654321')));
    expect(error).toMatchObject({ kind: 'not_found', status: 404 });
  });
});

describe('429 and Retry-After', () => {
  it('waits the Retry-After the simulator sent (on the injected clock) and then succeeds', async () => {
    const { clock, api } = clientClearingFaultsOnWait(1000);
    h.sim.control.setFaults({
      errorRates: { 429: 1 },
      retryAfterSeconds: 3,
      pathIncludes: '/stores',
    });
    const journalBefore = h.apiJournal().length;
    await expect(api.pos.stores.list()).resolves.not.toHaveLength(0);
    expect(clock.sleeps).toContain(3000);
    expect(
      h
        .apiJournal()
        .slice(journalBefore)
        .map((e) => e.status),
    ).toEqual([429, 200]);
  });

  it('waits out a 429 for a write too (a 429 had no effect), without retrying it otherwise', async () => {
    const { clock, api } = clientClearingFaultsOnWait(1000, { retry: { maxAttempts: 1 } });
    h.sim.control.setFaults({ errorRates: { 429: 1 }, retryAfterSeconds: 2, pathIncludes: '/add' });
    const before = h.sim.control.stock(DEMO_STORE_IDS.shibuya, '8000002')?.stockAmount ?? 0;
    const result = await api.pos.stock.add('8000002', {
      storeId: DEMO_STORE_IDS.shibuya,
      stockAmount: 5,
    });
    expect(Number(result.stockAmount)).toBe(Number(before) + 5);
    expect(clock.sleeps).toContain(2000);
  });

  it('keeps a steady stream at the limit free of 429s in the simulator sliding window', async () => {
    const time = drivenTime();
    const sim = await startHarness({
      now: time.now,
      rateLimits: { readsPerSecond: 10, writesPerSecond: 4 },
    });
    try {
      const api = sim
        .client({ clock: time.clock, fetch: time.fetch })
        .forContract(DEMO_CONTRACT_ID);
      await time.run(() =>
        Promise.all([
          ...Array.from({ length: 40 }, () => api.pos.products.list({ limit: 1 })),
          ...Array.from({ length: 16 }, (_, i) =>
            api.pos.stock.add('8000003', { storeId: DEMO_STORE_IDS.umeda, stockAmount: i + 1 }),
          ),
        ]),
      );
      const journal = sim.apiJournal();
      expect(journal.filter((e) => e.status === 429)).toHaveLength(0);
      expect(maxPerSecond(journal.filter((e) => e.method === 'GET').map((e) => e.timeMs))).toBe(10);
      expect(maxPerSecond(journal.filter((e) => e.method !== 'GET').map((e) => e.timeMs))).toBe(4);
    } finally {
      await sim.close();
    }
  });

  it('a client set above the real limit gets 429s, waits them out and still completes every call', async () => {
    const time = drivenTime();
    const { clock } = time;
    const sim = await startHarness({
      now: time.now,
      rateLimits: { readsPerSecond: 10, writesPerSecond: 4 },
    });
    try {
      const api = sim
        .client({
          clock,
          fetch: time.fetch,
          rateLimits: { readsPerSecond: 30 },
          retry: { maxRateLimitRetries: 50 },
        })
        .forContract(DEMO_CONTRACT_ID);
      const results = await time.run(() =>
        Promise.all(Array.from({ length: 30 }, () => api.pos.products.list({ limit: 1 }))),
      );
      expect(results.every((r) => r.length === 1)).toBe(true);
      const journal = sim.apiJournal();
      expect(journal.filter((e) => e.status === 429).length).toBeGreaterThan(0);
      expect(journal.filter((e) => e.status === 200)).toHaveLength(30);
      expect(clock.sleeps.filter((ms) => ms >= 1000).length).toBeGreaterThan(0);
    } finally {
      await sim.close();
    }
  });
});

describe('5xx, timeouts and dropped connections', () => {
  it('retries a read after 503 with backoff', async () => {
    const { clock, api } = clientClearingFaultsOnWait(100);
    h.sim.control.setFaults({ errorRates: { 503: 1 }, pathIncludes: '/categories' });
    const journalBefore = h.apiJournal().length;
    await expect(api.pos.categories.list()).resolves.not.toHaveLength(0);
    expect(
      h
        .apiJournal()
        .slice(journalBefore)
        .map((e) => e.status),
    ).toEqual([503, 200]);
    expect(clock.sleeps).toContain(150); // 0.5 × 300 ms, the first backoff step
  });

  it('never retries a write after 500, even when the simulator applied it', async () => {
    const api = h.client().forContract(DEMO_CONTRACT_ID);
    h.sim.control.setFaults({ errorRates: { 500: 1 }, methods: ['POST'], pathIncludes: '/add' });
    let journalBefore = h.apiJournal().length;
    const plain = keep(
      await caught(
        api.pos.stock.add('8000004', { storeId: DEMO_STORE_IDS.shibuya, stockAmount: 1 }),
      ),
    );
    expect(plain).toMatchObject({ kind: 'server', status: 500 });
    expect(h.apiJournal().slice(journalBefore)).toHaveLength(1);

    h.sim.control.setFaults({ failAfterApplyRate: 1, pathIncludes: '/add' });
    const before = Number(h.sim.control.stock(DEMO_STORE_IDS.shibuya, '8000004')?.stockAmount ?? 0);
    journalBefore = h.apiJournal().length;
    const applied = keep(
      await caught(
        api.pos.stock.add('8000004', { storeId: DEMO_STORE_IDS.shibuya, stockAmount: 1 }),
      ),
    );
    h.sim.control.clearFaults();
    expect(applied).toMatchObject({ kind: 'server', status: 500 });
    const calls = h.apiJournal().slice(journalBefore);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ applied: true, fault: 'fail-after-apply' });
    expect(Number(h.sim.control.stock(DEMO_STORE_IDS.shibuya, '8000004')?.stockAmount)).toBe(
      before + 1,
    );
  });

  it('times out: reads are retried, writes are not', async () => {
    const api = h
      .client({ requestTimeoutMs: 100, retry: { maxAttempts: 2, baseDelayMs: 1 } })
      .forContract(DEMO_CONTRACT_ID);
    h.sim.control.setFaults({ latencyMs: 400 });
    try {
      let journalBefore = h.apiJournal('/pos/stores').length;
      const read = keep(await caught(api.pos.stores.list()));
      expect(read).toMatchObject({ kind: 'timeout', operation: 'pos.stores.list' });
      expect(read.status).toBeUndefined();
      journalBefore = h.apiJournal('/pos/stock').length;
      const write = keep(
        await caught(
          api.pos.stock.add('8000005', { storeId: DEMO_STORE_IDS.shibuya, stockAmount: 1 }),
        ),
      );
      expect(write.kind).toBe('timeout');
      // The simulator journals a request when it answers; wait for the slow answers to land.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(h.apiJournal('/pos/stock').slice(journalBefore)).toHaveLength(1);
      expect(h.apiJournal('/pos/stores').length).toBeGreaterThanOrEqual(2);
    } finally {
      h.sim.control.clearFaults();
    }
  });

  it('a dropped connection is a network error; reads are retried first', async () => {
    const api = h
      .client({ retry: { maxAttempts: 3, baseDelayMs: 1 } })
      .forContract(DEMO_CONTRACT_ID);
    h.sim.control.setFaults({ dropRate: 1, pathIncludes: '/payment_methods' });
    try {
      const journalBefore = h.apiJournal('/pos/payment_methods').length;
      const error = keep(await caught(api.pos.paymentMethods.list()));
      expect(error.kind).toBe('network');
      expect(h.apiJournal('/pos/payment_methods').slice(journalBefore)).toHaveLength(3);
    } finally {
      h.sim.control.clearFaults();
    }
  });
});

describe('redaction', () => {
  it('no token or secret appears in any error or log line of this file', () => {
    expect(errors.length).toBeGreaterThanOrEqual(8);
    const tokens = tokenStores.flatMap((store) => store.seen);
    expect(tokens.length).toBeGreaterThan(1);
    const text = exposedText(errors, h.logLines);
    expect(text.length).toBeGreaterThan(1000);
    for (const secret of [
      ...tokens,
      DEMO_CLIENT_SECRET,
      Buffer.from(`${DEMO_CLIENT_ID}:${DEMO_CLIENT_SECRET}`).toString('base64'),
    ]) {
      expect(text).not.toContain(secret);
    }
    // The log does say what happened, without the secrets.
    expect(text).toContain('smaregi retry');
    expect(text).toContain('[REDACTED]');
  });
});
