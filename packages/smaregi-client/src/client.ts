/**
 * `createSmaregiClient`: one `request()` core with layers around it (docs/conventions.md item 6):
 *
 *   app token (cached, single-flight)  →  rate budget (per contract, read / write)
 *     →  transport (fetch + timeout)  →  401: new token, replay once
 *     →  problem+json → SmaregiApiError  |  2xx → zod parse (loose)
 *   all inside the retry layer (429 Retry-After for every method, backoff for reads only).
 */
import type { z } from 'zod';
import {
  AppTokenManager,
  MemoryTokenStore,
  requireNonEmpty,
  SmaregiAuth,
  smaregiEnvironment,
  type SmaregiHosts,
  type TokenStore,
} from './auth.js';
import { systemClock, type Clock } from './clock.js';
import { SmaregiApiError } from './errors.js';
import { runWithRetry, type RetryContext } from './execute.js';
import {
  apiError,
  parseBody,
  send,
  silentLogger,
  type FetchLike,
  type HttpCall,
  type SmaregiLogger,
  type TransportConfig,
} from './http.js';
import {
  DEFAULT_RATE_LIMITS,
  MemoryBudgetStore,
  RateBudget,
  type BudgetObserver,
  type BudgetStore,
  type ContractLimits,
  type ContractRateLimits,
  type RateLimits,
} from './rate-budget.js';
import {
  createOrderShipmentResources,
  type OrderShipmentResources,
} from './resources/order-shipment-modeled.js';
import { createPosResources, type PosResources } from './resources/pos.js';
import { RENKEI_APP_SCOPES } from './scopes.js';
import {
  DEFAULT_RETRY_POLICY,
  isReadMethod,
  type HttpMethod,
  type RetryPolicyOptions,
} from './retry-policy.js';
import { ServedPageSizes } from './paginate.js';

export const CLIENT_VERSION = '0.1.0';

export interface SmaregiClientOptions {
  /**
   * `sandbox` (id/api.smaregi.dev, 10 reads / 4 writes per second), `production` (.jp, 50 / 20)
   * or explicit base URLs (the simulator; sandbox limits). `rateLimits` overrides the limits.
   */
  environment: 'sandbox' | 'production' | SmaregiHosts;
  clientId: string;
  clientSecret: string;
  /** Defaults to the global `fetch`. */
  fetch?: FetchLike;
  /** Defaults to the system clock. Tests pass `createFakeClock()` from `./testing`. */
  clock?: Clock;
  /** Pino-compatible structured logger; receives no secrets. Default: silent. */
  logger?: SmaregiLogger;
  /** Where app tokens are kept (default: in memory). */
  tokenStore?: TokenStore;
  /** Where rate permits are kept (default: in memory; PostgreSQL via `./budget-postgres`). */
  budgetStore?: BudgetStore;
  /** Told of permits the budget had to drop (the worker counts them on /metrics). */
  budgetObserver?: BudgetObserver;
  /**
   * Per contract: reads/s and writes/s of the environment (see `environment`), safety margin
   * 75 ms per window, late tolerance 20 ms.
   */
  rateLimits?: Partial<RateLimits>;
  /**
   * Contracts whose limits differ from `rateLimits`, by contract ID (e.g. the worker's
   * SMAREGI_CONTRACT_RATE_LIMITS): each such contract is held to its own figures.
   */
  contractRateLimits?: ContractRateLimits;
  /** Per attempt, until the whole body is read (default 30,000 ms). */
  requestTimeoutMs?: number;
  /** Retry policy (see `decideRetry`). */
  retry?: Partial<RetryPolicyOptions>;
  /** Random source for backoff jitter (default `Math.random`). */
  random?: () => number;
  /** App tokens are renewed this long before expiry (default 300,000 ms). */
  tokenExpirySkewMs?: number;
  /**
   * How long a token read from the token store is reused without reading the store again
   * (default 0). Worth setting with a database-backed store; see `AppTokenManagerOptions.memoMs`.
   */
  tokenMemoMs?: number;
  /**
   * Scopes of every app-token request, sent as `scope` (docs/smaregi-wire.md §2.1). Default
   * `RENKEI_APP_SCOPES`; an empty list is refused.
   */
  appScopes?: readonly string[];
  /** Sent as `User-Agent` (default `renkei-smaregi-client/<version>`). */
  userAgent?: string;
}

/** Per-call options. */
export interface CallOptions {
  /** Aborts waiting for the budget, the request, and any retry wait. */
  signal?: AbortSignal;
  /**
   * Higher goes first when calls of one contract queue for the rate budget (docs/reliability.md
   * item 3: orders before stock, stock before products). Default 0.
   */
  priority?: number;
  /** Overrides the request timeout for this call. */
  timeoutMs?: number;
}

export type QueryValue = string | number | boolean | null | undefined;

/** A raw API request relative to `/{contract_id}` (the escape hatch under every resource). */
export interface ApiRequest<S extends z.ZodType> {
  /** Name used in errors and logs, e.g. `pos.products.get`. */
  operation: string;
  method: HttpMethod;
  /** Path after `/{contract_id}`, e.g. `/pos/products/8000001`. */
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  schema: S;
}

/** Calls for one contract (契約). */
export interface SmaregiContract {
  readonly contractId: string;
  /** POS API (`/{contract_id}/pos`). */
  readonly pos: PosResources;
  /** 受注管理 API (`/{contract_id}/order-shipment`); partly modeled, see the module. */
  readonly orderShipment: OrderShipmentResources;
  /** Sends any API request through all layers (budget, token, retry, parsing). */
  request<S extends z.ZodType>(request: ApiRequest<S>, options?: CallOptions): Promise<z.output<S>>;
}

export interface SmaregiClient {
  readonly hosts: SmaregiHosts;
  /** Merchant connection (authorize URL, code exchange, refresh, userinfo) and app tokens. */
  readonly auth: SmaregiAuth;
  /** The calls of one contract. Cheap: contracts share the client's token cache and budget. */
  forContract(contractId: string): SmaregiContract;
  /** Drops the cached app token of a contract (e.g. after uninstall). */
  forgetToken(contractId: string): Promise<void>;
  /**
   * Makes sure the contract has a valid app token (client credentials), e.g. right after the
   * merchant connected; returns its expiry and scopes, never the token.
   */
  ensureAppToken(contractId: string): Promise<{ expiresAt: number; scopes: string[] }>;
  /** The reads/s and writes/s the contract is held to (its own limits, else the default). */
  limitsOf(contractId: string): { readsPerSecond: number; writesPerSecond: number };
  /**
   * The largest page the server has served for a 受注管理 list (its `iterate` operation, e.g.
   * `orderShipment.stock.iterate`), 0 before any: at the page size, a short page ends that list
   * without the extra read (`ServedPageSize`), which callers estimating a read's cost count.
   */
  largestPageServed(operation: string): number;
}

function positive(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new SmaregiApiError(`createSmaregiClient: ${name} must be a positive number`, {
      kind: 'invalid_request',
      operation: 'createSmaregiClient',
      inputIssues: [{ path: name, message: 'must be a positive number' }],
    });
  }
  return value;
}

function resolveHosts(environment: SmaregiClientOptions['environment']): SmaregiHosts {
  if (environment === 'sandbox' || environment === 'production') {
    const { idBaseUrl, apiBaseUrl } = smaregiEnvironment(environment);
    return { idBaseUrl, apiBaseUrl };
  }
  if (environment && typeof environment === 'object') {
    for (const key of ['idBaseUrl', 'apiBaseUrl'] as const) {
      const value = environment[key];
      if (typeof value !== 'string' || !URL.canParse(value)) {
        throw new SmaregiApiError(`createSmaregiClient: environment.${key} must be a URL`, {
          kind: 'invalid_request',
          operation: 'createSmaregiClient',
          inputIssues: [{ path: `environment.${key}`, message: 'must be a URL' }],
        });
      }
    }
    return { idBaseUrl: environment.idBaseUrl, apiBaseUrl: environment.apiBaseUrl };
  }
  throw new SmaregiApiError(
    "createSmaregiClient: environment must be 'sandbox', 'production' or {idBaseUrl, apiBaseUrl}",
    {
      kind: 'invalid_request',
      operation: 'createSmaregiClient',
      inputIssues: [{ path: 'environment', message: 'invalid' }],
    },
  );
}

function checkAppScopes(scopes: readonly string[]): readonly string[] {
  const list: unknown[] = typeof scopes === 'object' && scopes !== null ? [...scopes] : [];
  if (list.length === 0 || list.some((s) => typeof s !== 'string' || !/^\S+$/.test(s))) {
    throw new SmaregiApiError(
      'createSmaregiClient: appScopes must be a non-empty list of scope names',
      {
        kind: 'invalid_request',
        operation: 'createSmaregiClient',
        inputIssues: [{ path: 'appScopes', message: 'non-empty list of scope names required' }],
      },
    );
  }
  return Object.freeze(list as string[]);
}

function assertContractId(contractId: unknown, operation: string): asserts contractId is string {
  if (typeof contractId !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(contractId)) {
    throw new SmaregiApiError(`${operation}: contractId must be 1-64 characters [A-Za-z0-9_-]`, {
      kind: 'invalid_request',
      operation,
      inputIssues: [{ path: 'contractId', message: 'invalid contract ID' }],
    });
  }
}

/** camelCase input key → Smaregi query name (`updDateTimeFrom` → `upd_date_time-from`). */
export function toQueryName(key: string): string {
  const range = /^(.*)(From|To)$/.exec(key);
  const base = range ? range[1]! : key;
  const snake = base.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return range ? `${snake}-${range[2]!.toLowerCase()}` : snake;
}

/**
 * Creates a client for one Smaregi app. No environment variables are read: everything comes in
 * through `options`.
 */
export function createSmaregiClient(options: SmaregiClientOptions): SmaregiClient {
  const clientId = requireNonEmpty(options.clientId, 'clientId');
  const clientSecret = requireNonEmpty(options.clientSecret, 'clientSecret');
  const hosts = resolveHosts(options.environment);
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const fetchImpl: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));

  const transport: TransportConfig = {
    fetch: fetchImpl,
    clock,
    logger,
    userAgent: options.userAgent ?? `renkei-smaregi-client/${CLIENT_VERSION}`,
    timeoutMs: positive(options.requestTimeoutMs, 'requestTimeoutMs', 30_000),
  };
  const retry: RetryPolicyOptions = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const retryContext: RetryContext = {
    clock,
    logger,
    retry,
    random: options.random ?? Math.random,
  };
  const environmentLimits =
    options.environment === 'sandbox' || options.environment === 'production'
      ? smaregiEnvironment(options.environment)
      : DEFAULT_RATE_LIMITS;
  const rateLimits: RateLimits = {
    ...DEFAULT_RATE_LIMITS,
    readsPerSecond: environmentLimits.readsPerSecond,
    writesPerSecond: environmentLimits.writesPerSecond,
    ...options.rateLimits,
  };
  const budget = new RateBudget(
    options.budgetStore ?? new MemoryBudgetStore(),
    clock,
    rateLimits,
    options.budgetObserver,
  );
  const contractLimits = checkContractRateLimits(options.contractRateLimits ?? {});
  const appScopes = checkAppScopes(options.appScopes ?? RENKEI_APP_SCOPES);
  const auth = new SmaregiAuth({
    transport,
    retryContext,
    hosts,
    clientId,
    clientSecret,
    appScopes,
    // Token requests count against the contract's limit [SEC]: budgeted as writes (POST).
    beforeAppToken: (contractId, signal) =>
      budget.acquire(
        `${clientId}:${contractId}`,
        'write',
        signal,
        Number.MAX_SAFE_INTEGER,
        contractLimits.get(contractId),
      ),
  });
  const tokens = new AppTokenManager(
    auth,
    options.tokenStore ?? new MemoryTokenStore(),
    () => clock.now(),
    {
      expirySkewMs: options.tokenExpirySkewMs ?? 300_000,
      ...(options.tokenMemoMs === undefined ? {} : { memoMs: options.tokenMemoMs }),
    },
  );
  const apiBase = hosts.apiBaseUrl.replace(/\/+$/, '');
  // The server's page sizes are the same for every contract: learned once per client.
  const servedPages = new ServedPageSizes();

  function forContract(contractId: string): SmaregiContract {
    assertContractId(contractId, 'forContract');
    const budgetId = `${clientId}:${contractId}`;
    const own = contractLimits.get(contractId);

    async function request<S extends z.ZodType>(
      req: ApiRequest<S>,
      callOptions: CallOptions = {},
    ): Promise<z.output<S>> {
      const url = new URL(`${apiBase}/${contractId}${req.path}`);
      for (const [key, value] of Object.entries(req.query ?? {})) {
        if (value !== undefined && value !== null)
          url.searchParams.set(toQueryName(key), String(value));
      }
      const kind = isReadMethod(req.method) ? 'read' : 'write';
      const { signal, priority, timeoutMs } = callOptions;
      return runWithRetry(
        retryContext,
        { operation: req.operation, method: req.method, signal },
        async () => {
          let replayed = false;
          for (;;) {
            // Token first, permit second: a token request (with its own write permit) between
            // the permit and the send would delay this request past its slot while later
            // permits keep their times, squeezing N+1 requests into one second.
            const token = await tokens.getAccessToken(contractId);
            await budget.acquire(budgetId, kind, signal, priority, own);
            const call: HttpCall = {
              operation: req.operation,
              method: req.method,
              url,
              headers: { authorization: `Bearer ${token}` },
              json: req.body,
              signal,
              timeoutMs,
            };
            const result = await send(transport, call);
            if (result.status === 401 && !replayed) {
              // The token expired early or was revoked: one new token, one replay (a 401'd request
              // had no effect, so replaying a write is safe). A second 401 is final.
              replayed = true;
              logger.warn(
                { operation: req.operation, contractId },
                'smaregi token refused (401): fetching a new token and replaying once',
              );
              await tokens.invalidate(contractId, token);
              continue;
            }
            if (result.status < 200 || result.status >= 300) {
              throw apiError(call, result, clock.now());
            }
            return parseBody(call, result, req.schema);
          }
        },
      );
    }

    const contract: SmaregiContract = {
      contractId,
      request,
      pos: createPosResources(request),
      orderShipment: createOrderShipmentResources(request, servedPages),
    };
    return contract;
  }

  return {
    hosts,
    auth,
    forContract,
    forgetToken: (contractId) => tokens.forget(contractId),
    limitsOf: (contractId) => {
      const own = contractLimits.get(contractId);
      return {
        readsPerSecond: own?.readsPerSecond ?? rateLimits.readsPerSecond,
        writesPerSecond: own?.writesPerSecond ?? rateLimits.writesPerSecond,
      };
    },
    largestPageServed: (operation) => servedPages.of(operation).largest,
    ensureAppToken: async (contractId) => {
      assertContractId(contractId, 'ensureAppToken');
      return tokens.ensureToken(contractId);
    },
  };
}

/** The per-contract limits, each figure checked like the default ones. */
function checkContractRateLimits(limits: ContractRateLimits): Map<string, ContractLimits> {
  const out = new Map<string, ContractLimits>();
  for (const [contractId, own] of Object.entries(limits)) {
    assertContractId(contractId, 'contractRateLimits');
    for (const [name, value] of Object.entries(own)) {
      if (value !== undefined && (!(value > 0) || !Number.isFinite(value)))
        throw new RangeError(
          `contractRateLimits.${contractId}.${name} must be a positive number, got ${String(value)}`,
        );
    }
    out.set(contractId, own);
  }
  return out;
}
