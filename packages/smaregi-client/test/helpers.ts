/**
 * Contract-test bootstrap: a real simulator on free loopback ports and clients wired to it, with
 * a capturing logger and a recording token store so that tests can assert that no secret leaks.
 */
import {
  DEMO_APP_SCOPES,
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_CONTRACT_ID,
  OIDC_SCOPES,
  startSimulator,
  type JournalEntry,
  type RunningSimulator,
  type SimulatorOptions,
} from '@renkei/smaregi-simulator';
import {
  createSmaregiClient,
  isSmaregiApiError,
  MemoryTokenStore,
  type AppToken,
  type FetchLike,
  type SmaregiApiError,
  type SmaregiClientOptions,
  type SmaregiLogger,
} from '../src/index.js';
import { createFakeClock, type FakeClock } from '../src/testing.js';

export { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_CONTRACT_ID };

/**
 * Every scope of the demo app an app token can carry: the contract tests call operations Renkei
 * itself does not (stock writes), beyond the default `RENKEI_APP_SCOPES`.
 */
export const ALL_DEMO_APP_SCOPES = DEMO_APP_SCOPES.filter(
  (s) => !(OIDC_SCOPES as readonly string[]).includes(s),
);

/** A token store that remembers every token it ever held (to search logs and errors for them). */
export class RecordingTokenStore extends MemoryTokenStore {
  readonly seen: string[] = [];
  override set(contractId: string, token: AppToken): Promise<void> {
    this.seen.push(token.accessToken);
    return super.set(contractId, token);
  }
}

export interface Harness {
  sim: RunningSimulator;
  /** Every line the client logged, as JSON. */
  logLines: string[];
  logger: SmaregiLogger;
  tokens: RecordingTokenStore;
  client(extra?: Partial<SmaregiClientOptions>): ReturnType<typeof createSmaregiClient>;
  /** Journal of API-host calls to the demo contract. */
  apiJournal(pathPrefix?: string): JournalEntry[];
  close(): Promise<void>;
}

/** Starts the simulator and returns a harness around it. */
export async function startHarness(options: SimulatorOptions = {}): Promise<Harness> {
  const sim = await startSimulator(options);
  const logLines: string[] = [];
  const logger: SmaregiLogger = {
    debug: (fields, message) =>
      logLines.push(JSON.stringify({ level: 'debug', message, ...fields })),
    warn: (fields, message) => logLines.push(JSON.stringify({ level: 'warn', message, ...fields })),
  };
  const tokens = new RecordingTokenStore();
  return {
    sim,
    logLines,
    logger,
    tokens,
    client: (extra = {}) =>
      createSmaregiClient({
        environment: { idBaseUrl: sim.idBaseUrl, apiBaseUrl: sim.apiBaseUrl },
        clientId: DEMO_CLIENT_ID,
        clientSecret: DEMO_CLIENT_SECRET,
        logger,
        tokenStore: tokens,
        appScopes: ALL_DEMO_APP_SCOPES,
        ...extra,
      }),
    apiJournal: (pathPrefix) =>
      sim.control.journal({
        host: 'api',
        contractId: DEMO_CONTRACT_ID,
        ...(pathPrefix ? { pathPrefix: `/${DEMO_CONTRACT_ID}${pathPrefix}` } : {}),
      }),
    close: () => sim.close(),
  };
}

/**
 * A fake clock shared by the client and the simulator (`startSimulator({ now })`): waits the
 * client makes (budget, Retry-After, backoff) move the simulator's time too, so rate windows
 * and token expiry behave as in real time, without real waiting. `onSleep` runs at every sleep.
 */
export function sharedFakeClock(onSleep?: (ms: number) => void): {
  clock: FakeClock;
  now: () => Date;
} {
  const base = createFakeClock({ start: Date.now(), autoAdvance: true });
  const clock: FakeClock = {
    ...base,
    sleeps: base.sleeps,
    now: () => base.now(),
    sleep: (ms, signal) => {
      onSleep?.(ms);
      return base.sleep(ms, signal);
    },
  };
  return { clock, now: () => new Date(base.now()) };
}

/**
 * Discrete-event time for client and simulator together: a manual fake clock that stands still
 * while any HTTP exchange is in flight and otherwise jumps to the next waiting timer. Arrival
 * times in the simulator are then exactly the send times the client chose, with no real waiting.
 */
export function drivenTime(): {
  clock: FakeClock;
  now: () => Date;
  fetch: FetchLike;
  run<T>(work: () => Promise<T>): Promise<T>;
} {
  const clock = createFakeClock({ start: Date.now() });
  let inFlight = 0;
  const countingFetch: FetchLike = async (input, init) => {
    inFlight++;
    try {
      const response = await fetch(input, init);
      // Read the body inside the count, so time stands still until the exchange is over.
      const body = await response.arrayBuffer();
      return new Response(body, { status: response.status, headers: response.headers });
    } finally {
      inFlight--;
    }
  };
  return {
    clock,
    now: () => new Date(clock.now()),
    fetch: countingFetch,
    async run<T>(work: () => Promise<T>): Promise<T> {
      let settled = false;
      const result = work().finally(() => {
        settled = true;
      });
      result.catch(() => undefined);
      while (!settled) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        const due = clock.nextDueAt();
        if (inFlight === 0 && due !== undefined) await clock.setNow(due);
      }
      return result;
    },
  };
}

/** Awaits a promise that must fail with a SmaregiApiError and returns the error. */
export async function caught(promise: Promise<unknown>): Promise<SmaregiApiError> {
  try {
    await promise;
  } catch (error) {
    if (isSmaregiApiError(error)) return error;
    throw error;
  }
  throw new Error('expected a SmaregiApiError');
}

/** Everything a caller could log or store about errors, plus the client's own log lines. */
export function exposedText(errors: SmaregiApiError[], logLines: string[]): string {
  return [
    ...errors.flatMap((e) => [
      e.message,
      String(e.stack),
      JSON.stringify(e),
      JSON.stringify(e.request),
      JSON.stringify(e.problem),
      e.rawBody ?? '',
      String((e.cause as Error | undefined)?.message ?? ''),
    ]),
    ...logLines,
  ].join('\n');
}

/** Largest number of entries whose arrival falls in one half-open 1 s window. */
export function maxPerSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= 1000) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}
