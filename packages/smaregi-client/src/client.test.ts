/**
 * The request core with an injected fetch: URL and headers, token cache and 401 replay, error
 * mapping, retries, timeouts and redaction. No network, no real waiting (auto-advancing clock).
 */
import { describe, expect, it } from 'vitest';
import type { AppToken, TokenStore } from './auth.js';
import { createSmaregiClient, toQueryName, type SmaregiClientOptions } from './client.js';
import { smaregiEnvironment } from './auth.js';
import { isSmaregiApiError, SmaregiApiError } from './errors.js';
import { orderRegistrationBody } from './resources/order-shipment-modeled.js';
import { RENKEI_APP_SCOPES, RENKEI_OPERATIONS, scopeOf } from './scopes.js';
import type { FetchLike, SmaregiLogger } from './http.js';
import { createFakeClock } from './testing.js';

const SECRET = 'client-secret-DO-NOT-LEAK-1234567890';
const CLIENT_ID = 'unit-client';

interface SeenRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: string | undefined;
}

type Handler = (request: SeenRequest) => Response | Promise<Response>;

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  const problem = status >= 400 && typeof body === 'object' && body !== null && 'title' in body;
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      'content-type': problem ? 'application/problem+json' : 'application/json',
      ...headers,
    },
  });
}

function problem(
  status: number,
  title: string,
  detail: string,
  headers: Record<string, string> = {},
) {
  return json(status, { type: 'about:blank', title, detail, status }, headers);
}

/** A fake Smaregi: issues numbered tokens and hands API requests to `api`. */
function fakeSmaregi(api: Handler) {
  const requests: SeenRequest[] = [];
  let tokenCount = 0;
  const fetch: FetchLike = async (input, init) => {
    const url = new URL(input.toString());
    const seen: SeenRequest = {
      method: init?.method ?? 'GET',
      url,
      headers: new Headers(init?.headers),
      body: typeof init?.body === 'string' ? init.body : undefined,
    };
    requests.push(seen);
    if (init?.signal?.aborted) throw init.signal.reason;
    if (url.host === 'id.test' && url.pathname.startsWith('/app/')) {
      tokenCount++;
      return json(200, {
        access_token: `token-${tokenCount}-SECRETVALUE`,
        token_type: 'Bearer',
        expires_in: 3600,
        scope: 'pos.products:read',
      });
    }
    return api(seen);
  };
  return {
    fetch,
    requests,
    apiRequests: () => requests.filter((r) => r.url.host === 'api.test'),
    tokenRequests: () => requests.filter((r) => r.url.host === 'id.test'),
  };
}

function captureLogger() {
  const lines: string[] = [];
  const logger: SmaregiLogger = {
    debug: (fields, message) => lines.push(JSON.stringify({ level: 'debug', message, ...fields })),
    warn: (fields, message) => lines.push(JSON.stringify({ level: 'warn', message, ...fields })),
  };
  return { logger, lines };
}

function makeClient(fetch: FetchLike, extra: Partial<SmaregiClientOptions> = {}) {
  const clock = createFakeClock({ autoAdvance: true });
  const { logger, lines } = captureLogger();
  const client = createSmaregiClient({
    environment: { idBaseUrl: 'https://id.test', apiBaseUrl: 'https://api.test' },
    clientId: CLIENT_ID,
    clientSecret: SECRET,
    fetch,
    clock,
    logger,
    random: () => 0.5,
    ...extra,
  });
  return { client, clock, lines, contract: client.forContract('sb_unit') };
}

const product = {
  productId: '8000001',
  categoryId: '1',
  productCode: '4900000000001',
  productName: 'Tシャツ 白 M',
  price: '2200',
};

async function caught(promise: Promise<unknown>): Promise<SmaregiApiError> {
  try {
    await promise;
  } catch (error) {
    if (isSmaregiApiError(error)) return error;
    throw error;
  }
  throw new Error('expected a SmaregiApiError');
}

/** Everything a caller might log or store about an error. */
function everything(error: SmaregiApiError, lines: string[]): string {
  return [
    error.message,
    String(error.stack),
    JSON.stringify(error),
    JSON.stringify(error.request),
    JSON.stringify(error.problem),
    error.rawBody ?? '',
    ...lines,
  ].join('\n');
}

describe('request core', () => {
  it('sends GET /{contract}/pos/products/{id} with a bearer app token and parses the product', async () => {
    const smaregi = fakeSmaregi(() => json(200, { ...product, futureField: 'kept' }));
    const { contract } = makeClient(smaregi.fetch);
    const result = await contract.pos.products.get('8000001');
    expect(result).toMatchObject(product);
    expect(result.futureField).toBe('kept');
    const [tokenRequest] = smaregi.tokenRequests();
    expect(tokenRequest?.url.pathname).toBe('/app/sb_unit/token');
    expect(tokenRequest?.headers.get('authorization')).toBe(
      `Basic ${Buffer.from(`${CLIENT_ID}:${SECRET}`).toString('base64')}`,
    );
    expect(tokenRequest?.body).toBe(
      new URLSearchParams({
        grant_type: 'client_credentials',
        scope: RENKEI_APP_SCOPES.join(' '),
      }).toString(),
    );
    const [apiRequest] = smaregi.apiRequests();
    expect(apiRequest?.url.toString()).toBe('https://api.test/sb_unit/pos/products/8000001');
    expect(apiRequest?.headers.get('authorization')).toBe('Bearer token-1-SECRETVALUE');
    expect(apiRequest?.headers.get('user-agent')).toMatch(/^renkei-smaregi-client\//);
  });

  it('maps list filters to Smaregi query names', async () => {
    const smaregi = fakeSmaregi(() => json(200, [product]));
    const { contract } = makeClient(smaregi.fetch);
    await contract.pos.products.list({
      productCode: '4900000000001',
      categoryId: 3,
      updDateTimeFrom: '2026-01-01T00:00:00+09:00',
      updDateTimeTo: '2026-01-20T00:00:00+09:00',
      sort: 'productId:desc',
      limit: 50,
      page: 2,
    });
    const url = smaregi.apiRequests()[0]!.url;
    expect(Object.fromEntries(url.searchParams)).toEqual({
      product_code: '4900000000001',
      category_id: '3',
      'upd_date_time-from': '2026-01-01T00:00:00+09:00',
      'upd_date_time-to': '2026-01-20T00:00:00+09:00',
      sort: 'productId:desc',
      limit: '50',
      page: '2',
    });
    expect(toQueryName('paymentMethodCode')).toBe('payment_method_code');
  });

  it('reuses the cached token and shares one token request between concurrent callers', async () => {
    const smaregi = fakeSmaregi(() => json(200, product));
    const { contract } = makeClient(smaregi.fetch, {
      rateLimits: { readsPerSecond: 1000 },
    });
    await Promise.all(Array.from({ length: 8 }, () => contract.pos.products.get(1)));
    await contract.pos.products.get(1);
    expect(smaregi.tokenRequests()).toHaveLength(1);
    expect(smaregi.apiRequests()).toHaveLength(9);
  });

  it.each([
    [3600, 3_300_000 - 1, 3_300_000 + 1], // renewed 5 minutes before expiry
    [60, 30_000 - 1, 30_000 + 1], // a short-lived token is renewed at half-life
  ])('renews a %i s token after the skew, not before', async (expiresIn, stillCached, renewed) => {
    let issued = 0;
    const fetch: FetchLike = (input) =>
      Promise.resolve(
        input.toString().includes('/token')
          ? json(200, { access_token: `t${++issued}`, token_type: 'Bearer', expires_in: expiresIn })
          : json(200, product),
      );
    const clock = createFakeClock({ start: 0, autoAdvance: true });
    const api = createSmaregiClient({
      environment: { idBaseUrl: 'https://id.test', apiBaseUrl: 'https://api.test' },
      clientId: CLIENT_ID,
      clientSecret: SECRET,
      fetch,
      clock,
    }).forContract('sb_unit');
    await api.pos.products.get(1);
    await clock.setNow(stillCached);
    await api.pos.products.get(1);
    expect(issued).toBe(1);
    await clock.setNow(renewed);
    await api.pos.products.get(1);
    expect(issued).toBe(2);
  });

  it('with a shared TokenStore lock, two processes that both miss the token make one request', async () => {
    // Two clients stand for two worker processes sharing one database-backed store and lock.
    const shared = new Map<string, AppToken>();
    let lockChain: Promise<unknown> = Promise.resolve();
    const sharedStore: TokenStore = {
      get: (id) => Promise.resolve(shared.get(id)),
      set: (id, token) => Promise.resolve(void shared.set(id, token)),
      delete: (id) => Promise.resolve(void shared.delete(id)),
      withLock: <T>(_id: string, fn: () => Promise<T>): Promise<T> => {
        const run = lockChain.then(fn, fn);
        lockChain = run.catch(() => undefined);
        return run;
      },
    };
    const smaregi = fakeSmaregi(() => json(200, product));
    const first = makeClient(smaregi.fetch, { tokenStore: sharedStore }).contract;
    const second = makeClient(smaregi.fetch, { tokenStore: sharedStore }).contract;
    await Promise.all([first.pos.products.get(1), second.pos.products.get(1)]);
    expect(smaregi.tokenRequests()).toHaveLength(1);

    // Without the lock each process asks once (the single flight is per process).
    const unlocked = fakeSmaregi(() => json(200, product));
    const plain = new Map<string, AppToken>();
    const plainStore: TokenStore = {
      get: (id) => Promise.resolve(plain.get(id)),
      set: (id, token) => Promise.resolve(void plain.set(id, token)),
      delete: (id) => Promise.resolve(void plain.delete(id)),
    };
    await Promise.all([
      makeClient(unlocked.fetch, { tokenStore: plainStore }).contract.pos.products.get(1),
      makeClient(unlocked.fetch, { tokenStore: plainStore }).contract.pos.products.get(1),
    ]);
    expect(unlocked.tokenRequests()).toHaveLength(2);
  });

  it('ensureAppToken gets a token and tells its expiry and scopes, not the token', async () => {
    const smaregi = fakeSmaregi(() => json(200, product));
    const { client, clock } = makeClient(smaregi.fetch);
    const info = await client.ensureAppToken('sb_unit');
    expect(info).toEqual({ expiresAt: clock.now() + 3_600_000, scopes: ['pos.products:read'] });
    expect(JSON.stringify(info)).not.toContain('SECRETVALUE');
    await expect(client.ensureAppToken('bad/id')).rejects.toThrow(/contractId/);
  });

  it('on 401: drops the token, gets one new token, replays once, then reports unauthorized', async () => {
    let calls = 0;
    const smaregi = fakeSmaregi(() => {
      calls++;
      return calls === 1 ? problem(401, 'Unauthorized', 'トークンが無効です') : json(200, product);
    });
    const { contract, lines } = makeClient(smaregi.fetch);
    await expect(contract.pos.products.get(1)).resolves.toMatchObject(product);
    expect(smaregi.tokenRequests()).toHaveLength(2);
    expect(smaregi.apiRequests().map((r) => r.headers.get('authorization'))).toEqual([
      'Bearer token-1-SECRETVALUE',
      'Bearer token-2-SECRETVALUE',
    ]);

    const always401 = fakeSmaregi(() => problem(401, 'Unauthorized', 'トークンが無効です'));
    const second = makeClient(always401.fetch);
    const error = await caught(second.contract.pos.stock.add(1, { storeId: 1, stockAmount: 1 }));
    expect(error.kind).toBe('unauthorized');
    expect(error.status).toBe(401);
    expect(always401.apiRequests()).toHaveLength(2);
    expect(always401.tokenRequests()).toHaveLength(2);
    expect(everything(error, [...lines, ...second.lines])).not.toMatch(/SECRETVALUE|DO-NOT-LEAK/);
  });

  it.each([
    [400, 'Bad Request', 'invalid_request'],
    [403, 'Forbidden', 'forbidden_scope'],
    [404, 'NotFound', 'not_found'],
    [409, 'Conflict', 'conflict'],
    [422, 'Unprocessable', 'invalid_request'],
    [500, 'Internal Server Error', 'server'],
    [503, 'Service Unavailable', 'server'],
  ] as const)(
    'maps %i to %s with the problem body and a redacted request',
    async (status, title, kind) => {
      const smaregi = fakeSmaregi(() =>
        problem(status, title, '指定されたIDのリソースが見つかりません'),
      );
      const { contract, lines } = makeClient(smaregi.fetch, { retry: { maxAttempts: 1 } });
      const error = await caught(
        contract.pos.stock.set(8000001, { storeId: '1', stockAmount: 10 }),
      );
      expect(error).toBeInstanceOf(SmaregiApiError);
      expect(error.kind).toBe(kind);
      expect(error.status).toBe(status);
      expect(error.operation).toBe('pos.stock.set');
      expect(error.problem).toMatchObject({
        title,
        detail: '指定されたIDのリソースが見つかりません',
      });
      expect(error.message).toContain('指定されたIDのリソースが見つかりません');
      expect(error.request).toEqual({
        method: 'PATCH',
        url: 'https://api.test/sb_unit/pos/stock/8000001',
        headers: { authorization: '[REDACTED]' },
        body: { storeId: '1', stockAmount: '10' },
      });
      expect(everything(error, lines)).not.toMatch(/SECRETVALUE|DO-NOT-LEAK/);
    },
  );

  it('turns a body that does not match the schema into bad_response with the raw body', async () => {
    const smaregi = fakeSmaregi(() => json(200, { productId: 8000001, productName: null }));
    const { contract } = makeClient(smaregi.fetch);
    const error = await caught(contract.pos.products.get(8000001));
    expect(error.kind).toBe('bad_response');
    expect(error.rawBody).toBe('{"productId":8000001,"productName":null}');
    expect(error.message).toMatch(/productId/);

    const empty = fakeSmaregi(() => new Response(null, { status: 204 }));
    const emptyError = await caught(makeClient(empty.fetch).contract.pos.products.get(1));
    expect(emptyError.kind).toBe('bad_response');
    expect(emptyError.rawBody).toBe('');

    const html = fakeSmaregi(() => new Response('<html>maintenance</html>', { status: 200 }));
    const second = makeClient(html.fetch);
    const notJson = await caught(second.contract.pos.products.list());
    expect(notJson.kind).toBe('bad_response');
    expect(notJson.rawBody).toBe('<html>maintenance</html>');
  });

  it('retries a read after 503 and a network error with backoff, on the injected clock', async () => {
    let calls = 0;
    const smaregi = fakeSmaregi(() => {
      calls++;
      if (calls === 1) return problem(503, 'Service Unavailable', '');
      if (calls === 2) throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
      return json(200, [product]);
    });
    const { contract, clock, lines } = makeClient(smaregi.fetch);
    await expect(contract.pos.products.list()).resolves.toHaveLength(1);
    expect(smaregi.apiRequests()).toHaveLength(3);
    // random 0.5: half of 300 ms, then half of 600 ms (the budget's own waits are 0 here).
    expect(clock.sleeps.filter((ms) => ms > 0)).toEqual([150, 300]);
    expect(lines.filter((l) => l.includes('smaregi retry'))).toHaveLength(2);
  });

  it('gives up on a read after maxAttempts and reports the last error', async () => {
    const smaregi = fakeSmaregi(() => problem(500, 'Internal Server Error', '内部エラー'));
    const { contract } = makeClient(smaregi.fetch, { retry: { maxAttempts: 3 } });
    const error = await caught(contract.pos.products.list());
    expect(error.kind).toBe('server');
    expect(smaregi.apiRequests()).toHaveLength(3);
  });

  it('never retries a write after 5xx or a network error', async () => {
    const smaregi = fakeSmaregi(() => problem(500, 'Internal Server Error', '内部エラー'));
    const { contract } = makeClient(smaregi.fetch);
    expect((await caught(contract.pos.stock.add(1, { storeId: 1, stockAmount: 2 }))).kind).toBe(
      'server',
    );
    expect(smaregi.apiRequests()).toHaveLength(1);

    const broken = fakeSmaregi(() => {
      throw new TypeError('fetch failed');
    });
    const second = makeClient(broken.fetch);
    const error = await caught(second.contract.pos.stock.add(1, { storeId: 1, stockAmount: 2 }));
    expect(error.kind).toBe('network');
    expect(broken.apiRequests()).toHaveLength(1);
  });

  it('waits Retry-After on 429 for a write too, without spending an attempt', async () => {
    let calls = 0;
    const smaregi = fakeSmaregi(() => {
      calls++;
      return calls <= 2
        ? problem(429, 'Too Many Requests', 'リクエスト過多', { 'retry-after': '2' })
        : json(200, { productId: '1', storeId: '1', stockAmount: '3' });
    });
    const { contract, clock } = makeClient(smaregi.fetch, { retry: { maxAttempts: 1 } });
    await expect(contract.pos.stock.add(1, { storeId: 1, stockAmount: 3 })).resolves.toMatchObject({
      stockAmount: '3',
    });
    expect(clock.sleeps.filter((ms) => ms >= 1000)).toEqual([2000, 2000]);
  });

  it('reports rate_limited with retryAfterMs when 429s last too long', async () => {
    const smaregi = fakeSmaregi(() =>
      problem(429, 'Too Many Requests', 'リクエスト過多', { 'retry-after': '1' }),
    );
    const { contract } = makeClient(smaregi.fetch, { retry: { maxRateLimitRetries: 2 } });
    const error = await caught(contract.pos.products.list());
    expect(error.kind).toBe('rate_limited');
    expect(error.retryAfterMs).toBe(1000);
    expect(smaregi.apiRequests()).toHaveLength(3);
  });

  it('times out a request that gets no answer and retries it only if it is a read', async () => {
    const hang: FetchLike = (input, init) =>
      input.toString().includes('/token')
        ? Promise.resolve(
            json(200, { access_token: 'tok-SECRETVALUE', token_type: 'Bearer', expires_in: 3600 }),
          )
        : new Promise((_resolve, reject) => {
            init?.signal?.addEventListener('abort', () => reject(init.signal!.reason as Error));
          });
    const { contract } = makeClient(hang, { requestTimeoutMs: 20, retry: { maxAttempts: 2 } });
    const error = await caught(contract.pos.stock.add(1, { storeId: 1, stockAmount: 1 }));
    expect(error.kind).toBe('timeout');
    expect(error.message).toContain('20 ms');
  });

  it('passes the caller abort through as an AbortError, not a SmaregiApiError', async () => {
    const smaregi = fakeSmaregi(() => json(200, product));
    const { contract } = makeClient(smaregi.fetch);
    const controller = new AbortController();
    controller.abort();
    await expect(contract.pos.products.get(1, { signal: controller.signal })).rejects.toMatchObject(
      {
        name: 'AbortError',
      },
    );
    expect(smaregi.apiRequests()).toHaveLength(0);
  });

  it('checks input before sending and names the field', async () => {
    const smaregi = fakeSmaregi(() => json(200, []));
    const { contract } = makeClient(smaregi.fetch);
    const tooMany = Array.from({ length: 101 }, (_, i) => ({
      orderHeadId: String(i + 1),
      shippingDate: '2026-01-05',
    }));
    const error = await caught(contract.orderShipment.orders.bulkShip({ orders: tooMany }));
    expect(error.kind).toBe('invalid_request');
    expect(error.status).toBeUndefined();
    expect(error.inputIssues).toEqual([
      { path: 'orders', message: 'orders は100件以下で指定してください' },
    ]);

    const badTotal = await caught(
      contract.orderShipment.orders.register({
        storeId: '23',
        orderCode: 'R-1001',
        orderDateTime: '2026-01-05T10:00:00+09:00',
        carriage: 500,
        total: 2000,
        details: [{ productId: '8000001', salesPrice: 1000, quantity: 2 }],
      }),
    );
    expect(badTotal.inputIssues).toEqual([
      { path: 'total', message: 'total が計算値と一致しません (計算値: 2500, 指定値: 2000)' },
    ]);

    const badCode = await caught(
      contract.pos.products.create({
        categoryId: '1',
        productCode: 'ＡＢＣ',
        productName: 'x',
        price: 100,
      }),
    );
    expect(badCode.inputIssues?.[0]?.path).toBe('productCode');
    const unknownField = await caught(
      contract.pos.stock.set(1, { storeId: 1, stockAmount: 1, stok: 1 } as never),
    );
    expect(unknownField.inputIssues?.[0]?.message).toMatch(/stok/);
    const longRange = await caught(
      contract.pos.stock.list({
        updDateTimeFrom: '2026-01-01T00:00:00+09:00',
        updDateTimeTo: '2026-02-05T00:00:00+09:00',
      }),
    );
    expect(longRange.inputIssues).toEqual([
      { path: 'updDateTimeTo', message: '更新日時の範囲は31日以内で指定してください' },
    ]);
    const noOffset = await caught(
      contract.orderShipment.orders.list({ updDateTimeFrom: '2026-01-01T00:00:00' }),
    );
    expect(noOffset.inputIssues?.[0]?.path).toBe('updDateTimeFrom');
    const badId = await caught(contract.pos.products.get('../admin'));
    expect(badId.inputIssues).toEqual([
      { path: 'productId', message: 'must be a numeric ID (1-15 digits)' },
    ]);
    expect(smaregi.requests).toHaveLength(0);
  });

  it('rejects bad options with the option name, never echoing the secret', () => {
    expect(() =>
      createSmaregiClient({ environment: 'sandbox', clientId: '', clientSecret: SECRET }),
    ).toThrow(/clientId is required/);
    expect(() =>
      createSmaregiClient({
        environment: { idBaseUrl: 'nope', apiBaseUrl: 'https://api.test' },
        clientId: 'a',
        clientSecret: SECRET,
      }),
    ).toThrow(/environment.idBaseUrl/);
    expect(() =>
      createSmaregiClient({
        environment: 'sandbox',
        clientId: 'a',
        clientSecret: SECRET,
        requestTimeoutMs: -1,
      }),
    ).toThrow(/requestTimeoutMs/);
    const client = createSmaregiClient({
      environment: 'production',
      clientId: 'a',
      clientSecret: SECRET,
    });
    expect(client.hosts.apiBaseUrl).toBe('https://api.smaregi.jp');
    expect(() => client.forContract('sb/../x')).toThrow(/contractId/);
  });
});

describe('ID host', () => {
  it('maps invalid_grant on refresh to unauthorized + needsReauthorization, redacting the refresh token', async () => {
    const fetch: FetchLike = () =>
      Promise.resolve(
        json(400, { error: 'invalid_grant', error_description: 'refresh token expired' }),
      );
    const { client, lines } = makeClient(fetch);
    const error = await caught(client.auth.refreshUserToken('refresh-SECRETVALUE-abc'));
    expect(error.kind).toBe('unauthorized');
    expect(error.oauthError).toBe('invalid_grant');
    expect(error.needsReauthorization).toBe(true);
    expect(error.request?.body).toEqual({
      grant_type: 'refresh_token',
      refresh_token: '[REDACTED]',
    });
    expect(everything(error, lines)).not.toMatch(/SECRETVALUE|DO-NOT-LEAK/);
  });

  it('exchanges a code with the verifier and returns the tokens', async () => {
    let seen: URLSearchParams | undefined;
    const fetch: FetchLike = (_input, init) => {
      seen = new URLSearchParams(init?.body as string);
      return Promise.resolve(
        json(200, {
          access_token: 'user-access',
          refresh_token: 'user-refresh',
          id_token: 'id.token.x',
          token_type: 'Bearer',
          expires_in: 3600,
          scope: 'openid offline_access pos.products:read',
        }),
      );
    };
    const { client, clock } = makeClient(fetch);
    const tokens = await client.auth.exchangeCode({
      code: 'the-code',
      redirectUri: 'http://127.0.0.1/callback',
      codeVerifier: 'verifier',
    });
    expect(Object.fromEntries(seen!)).toEqual({
      grant_type: 'authorization_code',
      code: 'the-code',
      redirect_uri: 'http://127.0.0.1/callback',
      code_verifier: 'verifier',
    });
    expect(tokens).toEqual({
      accessToken: 'user-access',
      refreshToken: 'user-refresh',
      idToken: 'id.token.x',
      expiresAt: clock.now() + 3_600_000,
      scopes: ['openid', 'offline_access', 'pos.products:read'],
    });
  });

  it('maps invalid_client and invalid_scope on the app token request', async () => {
    for (const [error, status, kind] of [
      ['invalid_client', 401, 'unauthorized'],
      ['invalid_scope', 400, 'forbidden_scope'],
    ] as const) {
      const fetch: FetchLike = () => Promise.resolve(json(status, { error }));
      const { contract, lines } = makeClient(fetch);
      const failure = await caught(contract.pos.products.list());
      expect(failure.kind).toBe(kind);
      expect(failure.operation).toBe('auth.appToken');
      expect(failure.request?.headers.authorization).toBe('[REDACTED]');
      expect(everything(failure, lines)).not.toContain(
        Buffer.from(`${CLIENT_ID}:${SECRET}`).toString('base64'),
      );
    }
  });

  it('builds the authorize URL with PKCE S256 and the scopes', () => {
    const { client } = makeClient(() => Promise.reject(new Error('no network')));
    const url = new URL(
      client.auth.buildAuthorizeUrl({
        redirectUri: 'http://127.0.0.1:3000/callback',
        scopes: ['openid', 'offline_access', 'pos.products:read'],
        state: 'st',
        codeChallenge: 'ch',
      }),
    );
    expect(url.origin + url.pathname).toBe('https://id.test/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: CLIENT_ID,
      scope: 'openid offline_access pos.products:read',
      state: 'st',
      redirect_uri: 'http://127.0.0.1:3000/callback',
      code_challenge: 'ch',
      code_challenge_method: 'S256',
    });
    expect(url.toString()).not.toContain(SECRET);
  });
});

describe('app token scope (docs/smaregi-wire.md §2.1)', () => {
  it('always sends grant_type and the space separated scopes, RENKEI_APP_SCOPES by default', async () => {
    const smaregi = fakeSmaregi(() => json(200, product));
    await makeClient(smaregi.fetch).contract.pos.products.get(1);
    const form = new URLSearchParams(smaregi.tokenRequests()[0]?.body ?? '');
    expect(form.get('grant_type')).toBe('client_credentials');
    expect(form.get('scope')).toBe(RENKEI_APP_SCOPES.join(' '));
    expect(RENKEI_APP_SCOPES).toEqual([...new Set(RENKEI_OPERATIONS.map(scopeOf))]);
    expect(RENKEI_APP_SCOPES).toContain('order-shipment.orders:write');
  });

  it('sends the configured appScopes, also when the API asks auth.requestAppToken directly', async () => {
    const smaregi = fakeSmaregi(() => json(200, product));
    const { client } = makeClient(smaregi.fetch, {
      appScopes: ['pos.products:read', 'pos.stock:read'],
    });
    await client.auth.requestAppToken('sb_unit');
    expect(new URLSearchParams(smaregi.tokenRequests()[0]?.body ?? '').get('scope')).toBe(
      'pos.products:read pos.stock:read',
    );
  });

  it('refuses an empty scope list, naming appScopes', () => {
    expect(() =>
      createSmaregiClient({
        environment: 'sandbox',
        clientId: 'a',
        clientSecret: SECRET,
        appScopes: [],
      }),
    ).toThrow(/appScopes/);
  });

  it('budgets the token request as a write of the contract (token requests count)', async () => {
    const smaregi = fakeSmaregi(() => json(200, product));
    const { contract, clock } = makeClient(smaregi.fetch, {
      rateLimits: { writesPerSecond: 1, readsPerSecond: 100 },
    });
    const started = clock.now();
    await contract.pos.products.get(1); // token: write permit 1
    await contract.orderShipment.orders.cancel(1).catch(() => undefined); // write permit 2
    // Two writes at 1/s: the second waited for the first permit's second to pass.
    expect(clock.now() - started).toBeGreaterThanOrEqual(1000);
  });
});

describe('SMAREGI_ENV (docs/smaregi-wire.md §1, §5.2)', () => {
  it('gives hosts and the reported limits of each environment', () => {
    expect(smaregiEnvironment('sandbox')).toEqual({
      name: 'sandbox',
      idBaseUrl: 'https://id.smaregi.dev',
      apiBaseUrl: 'https://api.smaregi.dev',
      readsPerSecond: 10,
      writesPerSecond: 4,
    });
    expect(smaregiEnvironment('production')).toMatchObject({
      idBaseUrl: 'https://id.smaregi.jp',
      apiBaseUrl: 'https://api.smaregi.jp',
      readsPerSecond: 50,
      writesPerSecond: 20,
    });
    expect(() => smaregiEnvironment('staging' as 'sandbox')).toThrow(/SMAREGI_ENV/);
  });

  it('spaces reads at the production limit when the client is for production', async () => {
    const seen: number[] = [];
    const clock = createFakeClock({ autoAdvance: true });
    const fetch: FetchLike = (input) => {
      const url = new URL(input.toString());
      if (url.pathname.includes('/token'))
        return Promise.resolve(
          json(200, { access_token: 't', token_type: 'Bearer', expires_in: 3600 }),
        );
      seen.push(clock.now());
      return Promise.resolve(json(200, product));
    };
    const client = createSmaregiClient({
      environment: 'production',
      clientId: 'a',
      clientSecret: SECRET,
      fetch,
      clock,
    });
    const contract = client.forContract('sb_unit');
    for (let i = 0; i < 51; i++) await contract.pos.products.get(1);
    // 51 reads at 50/s span just over one second; at the sandbox's 10/s they would take 5 s.
    const span = seen[50]! - seen[0]!;
    expect(span).toBeGreaterThanOrEqual(1000);
    expect(span).toBeLessThan(1200);
  });
});

describe('受注登録 answer (docs/smaregi-wire.md §11)', () => {
  const input = {
    storeId: '5',
    orderCode: 'RKT-1',
    orderDateTime: '2026-11-28T10:15:00+09:00',
    total: 1000,
    details: [{ productId: '8000001', salesPrice: 1000, quantity: 1 }],
  };

  it('keeps the orderHeadId when the answer is not the modeled order (remoteId)', async () => {
    const smaregi = fakeSmaregi(() => json(200, { orderHeadId: 77, message: 'OK' }));
    const failure = await caught(
      makeClient(smaregi.fetch).contract.orderShipment.orders.register(input),
    );
    expect(failure.kind).toBe('bad_response');
    expect(failure.remoteId).toBe('77');
    expect(failure.message).toContain('orderHeadId 77');
  });

  it('sends exactly orderRegistrationBody(input): what the worker keeps as sent', async () => {
    const smaregi = fakeSmaregi(() => json(200, { orderHeadId: 79, message: 'OK' }));
    // IDs given as numbers go out as strings; the header amounts left out go out as 0.
    const given = { ...input, storeId: 5, details: [{ ...input.details[0]!, productId: 8000001 }] };
    await caught(makeClient(smaregi.fetch).contract.orderShipment.orders.register(given));
    const wire = smaregi.apiRequests()[0]?.body;
    expect(wire).toBe(JSON.stringify(orderRegistrationBody(given)));
    expect(JSON.parse(wire ?? '{}')).toMatchObject({ storeId: '5', carriage: 0, total: 1000 });
    // Checking the body again changes nothing: sending the kept body sends the same bytes.
    expect(orderRegistrationBody(orderRegistrationBody(given))).toEqual(
      orderRegistrationBody(given),
    );
  });

  it('reads an answer without the optional header amounts as the order', async () => {
    const smaregi = fakeSmaregi(() =>
      json(200, {
        orderHeadId: '78',
        orderCode: 'RKT-1',
        storeId: '5',
        status: 'received',
        allocationStatus: 'unallocated',
        orderDateTime: input.orderDateTime,
        total: 1000,
        details: [
          {
            orderDetailId: '1',
            productId: '8000001',
            salesPrice: 1000,
            quantity: 1,
            allocatedQuantity: 0,
          },
        ],
      }),
    );
    const order = await makeClient(smaregi.fetch).contract.orderShipment.orders.register(input);
    expect(order.orderHeadId).toBe('78');
    expect(order.carriage).toBeUndefined();
  });

  it('reads a 受注店舗 without sellDivision (only storeCode and storeName are required)', async () => {
    const smaregi = fakeSmaregi(() =>
      json(200, { storeId: '5', storeCode: 'EC1', storeName: 'EC' }),
    );
    const store = await makeClient(smaregi.fetch).contract.orderShipment.stores.get(5);
    expect(store.sellDivision).toBeUndefined();
  });

  it('reads past a short 受注管理 page until the server has served a full one, then not for any contract', async () => {
    // 150 stock rows in the warehouse; 3 rows of one product (one per store).
    const rows = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        productId: String(8000001 + i),
        storeId: '4',
        stockAmount: '5',
        allocatedAmount: '1',
      }));
    const stores = [
      { storeId: '5', storeCode: 'EC1', storeName: 'EC' },
      { storeId: '6', storeCode: 'EC2', storeName: 'EC 2' },
    ];
    const smaregi = fakeSmaregi((req) => {
      const page = Number(req.url.searchParams.get('page'));
      if (req.url.pathname.endsWith('/stores')) return json(200, page === 1 ? stores : []);
      const all = req.url.searchParams.has('product_id') ? rows(3) : rows(150);
      return json(200, all.slice((page - 1) * 100, page * 100));
    });
    const { client } = makeClient(smaregi.fetch);
    const read = async (contractId: string, filter: { productId?: string }) => {
      const before = smaregi.apiRequests().length;
      let items = 0;
      for await (const _ of client.forContract(contractId).orderShipment.stock.iterate(filter))
        items++;
      return [items, smaregi.apiRequests().length - before];
    };
    // Nothing learned: a short first page may be a full one cut at an unpublished maximum.
    expect(await read('sb_unit', { productId: '8000001' })).toEqual([3, 2]);
    expect(client.largestPageServed('orderShipment.stock.iterate')).toBe(3);
    // A page of 100 served: the maximum is at least 100 ...
    expect(await read('sb_unit', {})).toEqual([150, 2]);
    expect(client.largestPageServed('orderShipment.stock.iterate')).toBe(100);
    // ... so a short page is the last one, for every contract of this client.
    expect(await read('sb_unit', { productId: '8000001' })).toEqual([3, 1]);
    expect(await read('sb_other', { productId: '8000001' })).toEqual([3, 1]);
    // Other lists learn for themselves (their maximum may differ).
    const before = smaregi.apiRequests().length;
    for await (const _ of client.forContract('sb_unit').orderShipment.stores.iterate()) void _;
    expect(smaregi.apiRequests().length - before).toBe(2);
  });

  it('asks 受注管理 lists for at most 100 per page and refuses a larger explicit limit', async () => {
    const smaregi = fakeSmaregi(() => json(200, []));
    const { contract } = makeClient(smaregi.fetch);
    for await (const _ of contract.orderShipment.stock.iterate({}, { limit: 1000 })) void _;
    expect(smaregi.apiRequests()[0]?.url.searchParams.get('limit')).toBe('100');
    const failure = await caught(contract.orderShipment.orders.list({ limit: 1000 }));
    expect(failure.inputIssues?.[0]?.path).toBe('limit');
  });
});
