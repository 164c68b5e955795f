import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  forkEm,
  TenantResolver,
  UniqueConstraintViolationException,
  WebhookEvent,
  type Orm,
} from '@renkei/persistence';
import { parseWebhookEvent, verifyWebhookSecret } from '@renkei/smaregi-client';

export const WEBHOOK_SECRET_HEADER = 'X-Renkei-Webhook-Secret';
export const WEBHOOK_SECRET = 'worker-test-webhook-secret';

/**
 * The webhook receiver's storing half, as apps/api does it (secret checked, contract mapped to
 * its tenant, one inbox row per Smaregi-Event-Id), so the worker's tests get real deliveries from
 * the simulator into the real inbox table without the API process.
 */
export async function startInbox(orm: Orm): Promise<{
  url: string;
  /** The 利用者契約通知先URL: app subscription notices arrive there without the secret header. */
  appSubscriptionUrl: string;
  stored: () => number;
  duplicates: () => number;
  close(): Promise<void>;
}> {
  let stored = 0;
  let duplicates = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        if (
          req.url !== '/webhooks/smaregi/app-subscription' &&
          !verifyWebhookSecret(req.headers, {
            headerName: WEBHOOK_SECRET_HEADER,
            secret: WEBHOOK_SECRET,
          })
        ) {
          res.writeHead(401).end();
          return;
        }
        const body = Buffer.concat(chunks).toString('utf8');
        const event = parseWebhookEvent(req.headers, body);
        const em = forkEm(orm);
        const connection = await new TenantResolver(em).connectionByContract(event.contractId);
        if (connection === null) {
          res.writeHead(404).end();
          return;
        }
        const parsed = JSON.parse(body) as Record<string, unknown>;
        em.create(WebhookEvent, {
          tenant: connection.tenant,
          eventId: event.eventId,
          event: event.type === 'unknown' ? event.event : event.type,
          action: typeof parsed.action === 'string' ? parsed.action : null,
          contractId: event.contractId,
          body: parsed,
        });
        try {
          await em.flush();
          stored++;
        } catch (error) {
          if (!(error instanceof UniqueConstraintViolationException)) throw error;
          duplicates++;
        }
        res.writeHead(200).end();
      })().catch(() => res.writeHead(500).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/smaregi`,
    appSubscriptionUrl: `http://127.0.0.1:${port}/webhooks/smaregi/app-subscription`,
    stored: () => stored,
    duplicates: () => duplicates,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
