import type { Journal } from './control/journal.js';
import type { FaultInjector } from './control/faults.js';
import type { RateLimiter } from './api-host/rate-limit.js';
import type { TokenService } from './id-host/tokens.js';
import type { PlatformState } from './state/contract.js';
import type { WebhookDispatcher } from './webhooks/dispatcher.js';

/** A bulk-stock callback the simulator POSTed (or tried to). */
export interface CallbackDelivery {
  requestId: number;
  url: string;
  /** An array, as the official page shows (docs/smaregi-wire.md §4.2). */
  body: Record<string, unknown>[];
  status: number | null;
  error: string | null;
}

/**
 * Switches that make the simulator behave in ways the sources leave open, so that Renkei can be
 * tested against them (docs/smaregi-wire.md §8).
 */
export interface SimulatorQuirks {
  /** `GET /order-shipment/orders` ignores `order_code` (the filter is modeled, §11). */
  ignoreOrderCodeFilter: boolean;
}

/** Everything the hosts and the control API share. One per running simulator. */
export interface SimulatorContext {
  platform: PlatformState;
  /** The simulator clock (injectable). */
  now: () => Date;
  tokens: TokenService;
  webhooks: WebhookDispatcher;
  journal: Journal;
  faults: FaultInjector;
  rateLimiter: RateLimiter;
  /** Asynchronous work started by requests (bulk stock), awaited by `control.flush()`. */
  background: Set<Promise<void>>;
  callbacks: CallbackDelivery[];
  /** Redirect URIs of the demo app, kept in sync with its registration. */
  redirectUris: readonly string[];
  /** Operational log lines (webhook deliveries, callbacks, failures); silent by default. */
  log: (message: string) => void;
  quirks: SimulatorQuirks;
}

/** Runs `work` in the background and remembers it so that flush() can wait for it. */
export function runInBackground(ctx: SimulatorContext, work: () => Promise<void>): void {
  const p = new Promise<void>((resolve) => setImmediate(resolve))
    .then(work)
    .catch((error: unknown) => {
      ctx.log(`background task failed: ${(error as Error).stack ?? String(error)}`);
    });
  ctx.background.add(p);
  void p.finally(() => ctx.background.delete(p));
}
