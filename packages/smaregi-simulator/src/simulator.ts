import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { createApiHost } from './api-host/app.js';
import { DEFAULT_RATE_LIMITS, RateLimiter, type RateLimits } from './api-host/rate-limit.js';
import { DEFAULT_REDIRECT_URIS } from './constants.js';
import type { SimulatorContext } from './context.js';
import { SimulatorControl } from './control/control.js';
import { FaultInjector } from './control/faults.js';
import { Journal } from './control/journal.js';
import { createControlRouter } from './control/router.js';
import { seedDemo, seedShop } from './demo-data.js';
import { createIdHost } from './id-host/app.js';
import { TokenService } from './id-host/tokens.js';
import { Prng } from './lib/prng.js';
import { PlatformState } from './state/contract.js';
import { WebhookDispatcher, type WebhookEndpoint } from './webhooks/dispatcher.js';

/** Options of {@link startSimulator}. Every one has a default suited to tests. */
export interface SimulatorOptions {
  /** ID host port; 0 (default) picks a free port. */
  idPort?: number;
  /** API host port; 0 (default) picks a free port. */
  apiPort?: number;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Seed of demo data, IDs, faults and webhook shuffling (default 1). */
  seed?: number | string;
  /** The simulator clock (default the system clock). */
  now?: () => Date;
  /** Load the demo contract, app and shop (default true). */
  demo?: boolean;
  /** Per (app, contract) limits; `false` switches them off (default 10 reads/s, 4 writes/s). */
  rateLimits?: RateLimits | false;
  /** Access-token lifetime in seconds (default 3600). */
  tokenTtlSeconds?: number;
  /** Redirect URIs registered for the demo app (default `DEFAULT_REDIRECT_URIS`: the API on 3000, the admin dev server on 5173). */
  redirectUris?: string[];
  /** Webhook endpoint of the demo app (default none: webhooks are recorded but not sent). */
  webhook?: WebhookEndpoint;
  /**
   * The demo app's 利用者契約通知先URL, where `AppSubscription` notices go without the secret
   * header (default none: recorded but not sent).
   */
  appSubscriptionUrl?: string;
  /** Maximum journal entries kept (default 200,000; oldest dropped). */
  journalLimit?: number;
  /** Receives operational lines (webhook deliveries, bulk callbacks, failures). Default silent. */
  log?: (message: string) => void;
}

/** A started simulator. */
export interface RunningSimulator {
  /** e.g. `http://127.0.0.1:4011` (no trailing slash). */
  idBaseUrl: string;
  /** e.g. `http://127.0.0.1:4010` (no trailing slash). */
  apiBaseUrl: string;
  control: SimulatorControl;
  /** Stops both listeners and drops open connections. */
  close(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function baseUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * Starts the Smaregi simulator: an ID host and an API host on two listeners, in-process.
 *
 * @example
 * const sim = await startSimulator({ rateLimits: false });
 * // ... fetch(`${sim.idBaseUrl}/app/${DEMO_CONTRACT_ID}/token`, ...)
 * await sim.close();
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const host = options.host ?? '127.0.0.1';
  const seed = options.seed ?? 1;
  const now = options.now ?? (() => new Date());
  const ttl = options.tokenTtlSeconds ?? 3600;
  if (!Number.isInteger(ttl) || ttl < 1)
    throw new RangeError('tokenTtlSeconds must be a positive integer');
  const redirectUris = options.redirectUris ?? [...DEFAULT_REDIRECT_URIS];
  for (const uri of redirectUris) {
    if (!URL.canParse(uri)) throw new RangeError(`redirectUris: not a URL: ${uri}`);
  }

  const seedText = String(seed);
  const log = options.log ?? (() => undefined);
  const platform = new PlatformState();
  const tokens = new TokenService(now, ttl);
  await tokens.init();
  const rateLimiter = new RateLimiter(false);
  rateLimiter.setLimits(options.rateLimits ?? DEFAULT_RATE_LIMITS);
  const ctx: SimulatorContext = {
    platform,
    now,
    tokens,
    webhooks: new WebhookDispatcher(new Prng(`${seedText}:webhooks`), now, log),
    journal: new Journal(options.journalLimit ?? 200_000),
    faults: new FaultInjector(new Prng(`${seedText}:faults`)),
    rateLimiter,
    background: new Set(),
    callbacks: [],
    redirectUris,
    log,
    quirks: { ignoreOrderCodeFilter: false },
  };
  if (options.webhook) ctx.webhooks.setEndpoint(options.webhook);

  const dataRng = new Prng(`${seedText}:data`);
  if (options.demo ?? true) seedDemo(platform, dataRng, now(), redirectUris);
  const control = new SimulatorControl(
    ctx,
    (contract) => seedShop(contract, new Prng(`${seedText}:data:${contract.contractId}`), now()),
    new Prng(`${seedText}:activity`),
  );
  if (options.webhook) control.setWebhookEndpoint(options.webhook);
  if (options.appSubscriptionUrl) control.setAppSubscriptionUrl(options.appSubscriptionUrl);

  const idServer = createServer(createIdHost(ctx));
  const apiServer = createServer(createApiHost(ctx, createControlRouter(control)));
  // Keep-alive sockets must not hold close() hostage.
  idServer.keepAliveTimeout = 5_000;
  apiServer.keepAliveTimeout = 5_000;
  let idPort: number;
  let apiPort: number;
  try {
    idPort = await listen(idServer, options.idPort ?? 0, host);
    apiPort = await listen(apiServer, options.apiPort ?? 0, host);
  } catch (error) {
    await Promise.all([closeServer(idServer), closeServer(apiServer)]);
    throw error;
  }

  let closed = false;
  return {
    idBaseUrl: baseUrl(host, idPort),
    apiBaseUrl: baseUrl(host, apiPort),
    control,
    async close() {
      if (closed) return;
      closed = true;
      control.stopPosActivity();
      ctx.webhooks.close();
      await Promise.all([closeServer(idServer), closeServer(apiServer)]);
    },
  };
}
