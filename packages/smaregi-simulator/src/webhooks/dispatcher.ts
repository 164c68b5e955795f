import type { Prng } from '../lib/prng.js';

/** Where webhooks go (developer portal 環境設定 + Webhook tab, docs/smaregi-wire.md §6.1). */
export interface WebhookEndpoint {
  url: string;
  /** The app's custom verification header, e.g. `X-Renkei-Webhook-Secret`. */
  secretHeaderName: string;
  secretHeaderValue: string;
  /** Subscribed events (default: every event the simulator sends). */
  events?: string[];
}

/**
 * Delivery faults: real webhooks may come twice, late, out of order or never (docs/smaregi-wire.md
 * §6.2).
 */
export interface WebhookBehaviour {
  /** Probability that an event is delivered twice (same Smaregi-Event-Id, same body). */
  duplicateRate?: number;
  /** Real milliseconds to hold events before delivery. */
  delayMs?: number;
  /** Deliver each held batch in a random (seeded) order. */
  shuffle?: boolean;
  /** Probability that an event is never delivered. */
  dropRate?: number;
}

/** One delivery attempt, for tests and the control API. */
export interface WebhookDelivery {
  eventId: string;
  event: string;
  contractId: string;
  url: string | null;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  duplicate: boolean;
  dropped: boolean;
  /** HTTP status of the receiver; null if not sent or failed. */
  status: number | null;
  error: string | null;
  sentAt: string | null;
}

/**
 * The User-Agent of real deliveries, with "simulator" in place of "sandbox" (docs/smaregi-wire.md
 * §6.2 [CODE]).
 */
export const WEBHOOK_USER_AGENT = 'Smaregi-Platform-Api-Webhook/1.2.4(simulator)';
const SEND_TIMEOUT_MS = 10_000;

interface Pending {
  delivery: WebhookDelivery;
}

/**
 * Sends webhooks asynchronously after the change, once, without retries (the real service is
 * reported not to retry); failures are recorded in `deliveries()`.
 */
export class WebhookDispatcher {
  private endpoint: WebhookEndpoint | null = null;
  /** The app's 利用者契約通知先URL (docs/smaregi-wire.md §6.3), apart from the webhook endpoint. */
  private appSubscriptionUrl: string | null = null;
  private behaviour: WebhookBehaviour = {};
  private readonly records: WebhookDelivery[] = [];
  private pending: Pending[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly rng: Prng,
    private readonly now: () => Date,
    /** Receives one line per delivery (and per failure); silent by default. */
    private readonly log: (message: string) => void = () => undefined,
  ) {}

  setEndpoint(endpoint: WebhookEndpoint | null): void {
    this.endpoint = endpoint ? { ...endpoint } : null;
  }

  getEndpoint(): WebhookEndpoint | null {
    return this.endpoint ? { ...this.endpoint } : null;
  }

  setAppSubscriptionUrl(url: string | null): void {
    this.appSubscriptionUrl = url;
  }

  getAppSubscriptionUrl(): string | null {
    return this.appSubscriptionUrl;
  }

  setBehaviour(behaviour: WebhookBehaviour): void {
    for (const name of ['duplicateRate', 'dropRate'] as const) {
      const v = behaviour[name];
      if (v !== undefined && !(v >= 0 && v <= 1))
        throw new RangeError(`${name} must be within 0..1`);
    }
    this.behaviour = { ...behaviour };
  }

  getBehaviour(): WebhookBehaviour {
    return { ...this.behaviour };
  }

  deliveries(): WebhookDelivery[] {
    return this.records.map((d) => ({ ...d }));
  }

  clearDeliveries(): void {
    this.records.length = 0;
  }

  /**
   * Queues one event for the contract. `body` carries IDs only, like the real ones. App
   * subscription notices (`AppSubscription`) go to the 利用者契約通知先URL instead, without the
   * custom secret header and without `Smaregi-Event-Id`, as no source shows either there
   * (docs/smaregi-wire.md §6.3); their `eventId` is only the record's key here.
   */
  emit(contractId: string, event: string, body: Record<string, unknown>): void {
    const notice = event === 'AppSubscription';
    const endpoint = this.endpoint;
    if (!notice && endpoint?.events && !endpoint.events.includes(event)) return;
    const url = notice ? this.appSubscriptionUrl : (endpoint?.url ?? null);
    const eventId = this.rng.uuid();
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'smaregi-event': event,
      'smaregi-contract-id': contractId,
      'user-agent': WEBHOOK_USER_AGENT,
    };
    if (!notice) headers['smaregi-event-id'] = eventId;
    if (!notice && endpoint)
      headers[endpoint.secretHeaderName.toLowerCase()] = endpoint.secretHeaderValue;
    const base: WebhookDelivery = {
      eventId,
      event,
      contractId,
      url,
      headers,
      body,
      duplicate: false,
      dropped: false,
      status: null,
      error:
        url !== null
          ? null
          : notice
            ? '利用者契約通知先URLが設定されていません'
            : 'Webhook送信先が設定されていません',
      sentAt: null,
    };
    if (url === null) {
      this.records.push(base);
      return;
    }
    if (this.rng.chance(this.behaviour.dropRate ?? 0)) {
      this.records.push({ ...base, dropped: true });
      return;
    }
    this.pending.push({ delivery: base });
    if (this.rng.chance(this.behaviour.duplicateRate ?? 0)) {
      this.pending.push({ delivery: { ...base, duplicate: true } });
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.drain();
    }, this.behaviour.delayMs ?? 0);
  }

  private drain(): void {
    let batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    if (this.behaviour.shuffle) batch = this.rng.shuffle(batch);
    // Sequential sends make the arrival order at the receiver the order chosen here.
    const run = (async () => {
      for (const p of batch) await this.send(p.delivery);
    })();
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
  }

  private async send(delivery: WebhookDelivery): Promise<void> {
    const record = { ...delivery, sentAt: this.now().toISOString() };
    try {
      const res = await fetch(delivery.url ?? '', {
        method: 'POST',
        headers: delivery.headers,
        body: JSON.stringify(delivery.body),
        signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
      });
      await res.arrayBuffer();
      record.status = res.status;
      if (!res.ok) record.error = `受信側が${res.status}を返しました`;
    } catch (error) {
      record.error = (error as Error).message;
    }
    this.records.push(record);
    this.log(
      record.error
        ? `webhook ${record.event} ${record.eventId} → ${record.url}: 失敗 (${record.error})`
        : `webhook ${record.event} ${record.eventId} → ${record.url}: ${String(record.status)}`,
    );
  }

  /**
   * Resolves once every queued webhook has been attempted. With `now: true` held (delayed)
   * events are sent at once instead of waiting for `delayMs`.
   */
  async flush(options: { now?: boolean } = {}): Promise<void> {
    for (;;) {
      if (options.now && this.timer) {
        clearTimeout(this.timer);
        this.timer = null;
        this.drain();
      }
      if (this.inFlight.size > 0) {
        await Promise.all([...this.inFlight]);
        continue;
      }
      if (this.timer || this.pending.length > 0) {
        await new Promise((r) => setTimeout(r, 5));
        continue;
      }
      return;
    }
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending = [];
  }
}

/** Posts a JSON document (bulk-stock callbacks) and reports the status or the error. */
export async function postJson(
  url: string,
  body: unknown,
): Promise<{ status: number | null; error: string | null }> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json;charset=UTF-8',
        'user-agent': WEBHOOK_USER_AGENT,
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
    await res.arrayBuffer();
    return { status: res.status, error: null };
  } catch (error) {
    return { status: null, error: (error as Error).message };
  }
}
