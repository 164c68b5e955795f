/**
 * The receiving side of Renkei's outbound webhooks (docs/webhooks.md in the Renkei repository):
 * every delivery is signed to the Standard Webhooks specification, so off-the-shelf code verifies
 * it. This is all a receiver needs: the endpoint's secret (shown once when the endpoint was
 * registered), the three `webhook-*` headers and the raw body, exactly as received.
 *
 * `Webhook.verify` refuses a body or header that was changed (the HMAC-SHA256 signature does not
 * match) and a delivery whose `webhook-timestamp` is more than five minutes away from now (a
 * replay of an old delivery). Keep the `webhook-id`s you have handled: Renkei delivers at least
 * once, and a retry carries the same id.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { Webhook } from 'standardwebhooks';

/** An event as Renkei sends it: `{ type, timestamp, data }`. */
export interface RenkeiEvent {
  type: string;
  timestamp: string;
  data: unknown;
}

/** The verified event, or why the delivery was refused. */
export type Verified = { ok: true; event: RenkeiEvent } | { ok: false; reason: string };

export function verifyDelivery(
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  rawBody: string,
): Verified {
  const header = (name: string) => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  try {
    const event = new Webhook(secret).verify(rawBody, {
      'webhook-id': header('webhook-id') ?? '',
      'webhook-timestamp': header('webhook-timestamp') ?? '',
      'webhook-signature': header('webhook-signature') ?? '',
    }) as RenkeiEvent;
    return { ok: true, event };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

const rawBodyOf = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

/**
 * A receiver: answers 204 to a delivery it verified and handled (once per `webhook-id`), 400 to
 * one it could not verify (Renkei then retries; a forged one keeps failing).
 */
export function webhookReceiver(secret: string, handle: (event: RenkeiEvent) => void): Server {
  const seen = new Set<string>();
  return createServer((req, res) => {
    void rawBodyOf(req).then((body) => {
      const verified = verifyDelivery(secret, req.headers, body);
      if (!verified.ok) {
        res.writeHead(400).end(verified.reason);
        return;
      }
      const id = String(req.headers['webhook-id']);
      if (!seen.has(id)) {
        seen.add(id);
        handle(verified.event);
      }
      res.writeHead(204).end();
    });
  });
}
