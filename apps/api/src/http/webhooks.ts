import {
  JOB_NAMES,
  TenantResolver,
  UniqueConstraintViolationException,
  forkEm,
  tenantRepositories,
} from '@renkei/persistence';
import { isSmaregiApiError, parseWebhookEvent, verifyWebhookSecret } from '@renkei/smaregi-client';
import express, { type Router } from 'express';
import type { AppDeps } from '../deps.js';

/** Webhook bodies carry IDs only; anything bigger is not from Smaregi. */
const WEBHOOK_BODY_LIMIT = '256kb';

/**
 * `POST /webhooks/smaregi`: secret header checked in constant time (the client's helper), the
 * contract mapped to its tenant (never a request field), duplicates dropped by the unique
 * (tenant, Smaregi-Event-Id), the event stored in the inbox with a job for the worker, and the
 * answer sent at once: the processing re-reads Smaregi later (docs/reliability.md item 8).
 */
export function webhookRouter(deps: AppDeps): Router {
  const router = express.Router();
  router.post(
    '/webhooks/smaregi',
    express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT }),
    async (req, res) => {
      const { webhookHeader, webhookSecret } = deps.config.smaregi;
      const count = (event: string, result: string) =>
        deps.metrics.webhooksReceived.inc({ event, result });
      if (!verifyWebhookSecret(req.headers, { headerName: webhookHeader, secret: webhookSecret })) {
        count('unknown', 'unauthorized');
        res.status(401).json({ error: 'invalid webhook secret' });
        return;
      }
      let event;
      try {
        event = parseWebhookEvent(
          req.headers,
          Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
        );
      } catch (error) {
        count('unknown', 'rejected');
        res
          .status(400)
          .json({ error: isSmaregiApiError(error) ? error.message : 'malformed webhook' });
        return;
      }
      const eventName = event.type === 'unknown' ? event.event : event.type;
      const em = forkEm(deps.orm);
      const connection = await new TenantResolver(em).connectionByContract(event.contractId);
      if (connection === null) {
        // Not (or no longer) connected: nothing to do for us, and Smaregi does not retry anyway.
        count(eventName, 'unknownContract');
        deps.logger.warn(
          { contractId: event.contractId, event: eventName },
          'webhook for an unknown contract',
        );
        res.status(202).json({ ignored: 'unknown contract' });
        return;
      }
      const repos = tenantRepositories(em, connection.tenant.id);
      try {
        {
          const { eventId, contractId, ...rest } = event;
          const stored = repos.webhookEvents.create({
            eventId,
            event: eventName,
            action: 'action' in rest && typeof rest.action === 'string' ? rest.action : null,
            contractId,
            body: rest,
            receivedAt: deps.now(),
          });
          await repos.jobs.enqueue(
            JOB_NAMES.processWebhook,
            { webhookEventId: stored.id },
            { priority: eventName === 'order-shipment:orders' ? 0 : 10 },
          );
          await em.flush(); // inbox row and job in one transaction
        }
      } catch (error) {
        if (error instanceof UniqueConstraintViolationException) {
          count(eventName, 'duplicate');
          res.status(200).json({ duplicate: true });
          return;
        }
        throw error;
      }
      count(eventName, 'stored');
      res.status(200).json({ received: true });
    },
  );
  return router;
}
