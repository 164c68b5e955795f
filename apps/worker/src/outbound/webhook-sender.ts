import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { request as httpRequest, Agent as HttpAgent, type IncomingMessage } from 'node:http';
import { request as httpsRequest, Agent as HttpsAgent } from 'node:https';
import type { LookupFunction } from 'node:net';
import {
  webhookAddressRefusal,
  webhookUrlRefusal,
  type WebhookUrlPolicy,
  type WebhookUrlRefusal,
} from '@renkei/domain';
import { RESPONSE_SNIPPET_LENGTH } from '@renkei/persistence';
import { Webhook } from 'standardwebhooks';

/*
 * One HTTP attempt of an outbound webhook (docs/webhooks.md): the body signed to the Standard
 * Webhooks specification with the endpoint's secret, POSTed with a timeout, every address the
 * host resolves to checked against the URL policy before connecting (so a name that resolves to
 * a private address, at registration or later, is refused: DNS rebinding), no redirect followed.
 */

export interface SignedRequest {
  url: string;
  /** The `webhook-id`: the event's ID, the same on every attempt. */
  id: string;
  /** The JSON body, exactly as signed. */
  body: string;
  /** `whsec_…` */
  secret: string;
  /** The attempt's time (`webhook-timestamp`). */
  at: Date;
}

export interface AttemptResult {
  /** 2xx. */
  ok: boolean;
  /** HTTP status; null when no answer came. */
  status: number | null;
  latencyMs: number;
  /** The start of the response body (at most RESPONSE_SNIPPET_LENGTH characters). */
  snippet: string | null;
  /** Why it failed: `HTTP 500`, `ECONNREFUSED`, `timeout after 10000 ms`, `URL refused: …`. */
  error: string | null;
}

/** The URL or one of its addresses is refused by the policy: no request was sent. */
export class UrlRefused extends Error {
  constructor(
    readonly reason: WebhookUrlRefusal,
    address: string,
  ) {
    super(`URL refused: ${reason} (${address})`);
  }
}

/** The Standard Webhooks headers of a request (`webhook-signature` is `v1,<base64 HMAC>`). */
export function signedHeaders(req: Omit<SignedRequest, 'url'>): Record<string, string> {
  return {
    'webhook-id': req.id,
    'webhook-timestamp': String(Math.floor(req.at.getTime() / 1000)),
    'webhook-signature': new Webhook(req.secret).sign(req.id, req.at, req.body),
  };
}

/** Bytes of a response body read at most (the rest is dropped with the connection). */
const MAX_BODY_BYTES = 16 * 1024;

/**
 * Sends webhook requests. Keep-alive connections per origin, at most `maxSocketsPerOrigin` open
 * to one (the endpoint's concurrency), so a receiver answering in 200 ms is fed over warm
 * connections.
 */
export class WebhookSender {
  readonly #http: HttpAgent;
  readonly #https: HttpsAgent;
  readonly #lookup: LookupFunction;

  constructor(
    private readonly policy: WebhookUrlPolicy,
    private readonly timeoutMs: number,
    maxSocketsPerOrigin: number,
  ) {
    const options = { keepAlive: true, maxSockets: maxSocketsPerOrigin, timeout: timeoutMs };
    this.#http = new HttpAgent(options);
    this.#https = new HttpsAgent(options);
    this.#lookup = guardedLookup(policy);
  }

  async send(req: SignedRequest): Promise<AttemptResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const refusal = webhookUrlRefusal(req.url, this.policy);
    if (refusal !== null)
      return failure(null, elapsed(), new UrlRefused(refusal, new URL(req.url).hostname));
    try {
      const response = await this.#post(req);
      const ok = response.status >= 200 && response.status < 300;
      return {
        ok,
        status: response.status,
        latencyMs: elapsed(),
        snippet: response.snippet,
        error: ok ? null : `HTTP ${response.status}`,
      };
    } catch (error) {
      return failure(null, elapsed(), error);
    }
  }

  #post(req: SignedRequest): Promise<{ status: number; snippet: string | null }> {
    const url = new URL(req.url);
    const https = url.protocol === 'https:';
    const body = Buffer.from(req.body, 'utf8');
    return new Promise((resolve, reject) => {
      const request = (https ? httpsRequest : httpRequest)(
        url,
        {
          method: 'POST',
          agent: https ? this.#https : this.#http,
          lookup: this.#lookup,
          headers: {
            'content-type': 'application/json',
            'content-length': String(body.length),
            'user-agent': 'Renkei-Webhooks/1.0',
            ...signedHeaders(req),
          },
          signal: AbortSignal.timeout(this.timeoutMs),
        },
        (response) => {
          readSnippet(response).then(
            (snippet) => resolve({ status: response.statusCode ?? 0, snippet }),
            reject,
          );
        },
      );
      request.on('error', (error: Error & { code?: string }) => {
        reject(
          error.name === 'AbortError' || error.name === 'TimeoutError'
            ? new Error(`timeout after ${this.timeoutMs} ms`)
            : error,
        );
      });
      request.end(body);
    });
  }

  close(): void {
    this.#http.destroy();
    this.#https.destroy();
  }
}

function failure(status: number | null, latencyMs: number, error: unknown): AttemptResult {
  return { ok: false, status, latencyMs, snippet: null, error: describe(error) };
}

function describe(error: unknown): string {
  if (error instanceof UrlRefused) return error.message;
  const e = error as { code?: unknown; message?: unknown };
  if (typeof e.code === 'string' && e.code !== 'ABORT_ERR') return e.code;
  return typeof e.message === 'string' ? e.message : String(error);
}

/** The first RESPONSE_SNIPPET_LENGTH characters of a body, reading at most MAX_BODY_BYTES. */
async function readSnippet(response: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response) {
    const buffer = chunk as Buffer;
    chunks.push(buffer);
    size += buffer.length;
    if (size >= MAX_BODY_BYTES) {
      response.destroy();
      break;
    }
  }
  if (size === 0) return null;
  return Buffer.concat(chunks).toString('utf8').slice(0, RESPONSE_SNIPPET_LENGTH);
}

/** DNS lookup that fails when any address of the name is refused by the policy. */
function guardedLookup(policy: WebhookUrlPolicy): LookupFunction {
  const lookup = (
    hostname: string,
    options: LookupOptions,
    callback: (
      err: NodeJS.ErrnoException | null,
      address: string | LookupAddress[],
      family?: number,
    ) => void,
  ) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error !== null) return callback(error, '');
      for (const { address } of addresses) {
        const refusal = webhookAddressRefusal(address, policy);
        if (refusal !== null) return callback(new UrlRefused(refusal, address), '');
      }
      if (options.all === true) return callback(null, addresses);
      const first = addresses[0]!;
      return callback(null, first.address, first.family);
    });
  };
  return lookup;
}
