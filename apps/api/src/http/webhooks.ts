import { CallPriority } from '@renkei/domain';
import {
  JOB_NAMES,
  TenantResolver,
  UniqueConstraintViolationException,
  forkEm,
  tenantRepositories,
} from '@renkei/persistence';
import { isSmaregiApiError, parseWebhookEvent, verifyWebhookSecret } from '@renkei/smaregi-client';
import express, { type Request, type Response, type Router } from 'express';
import type { AppDeps } from '../deps.js';

/** Webhook bodies carry IDs only; anything bigger is not from Smaregi. */
const WEBHOOK_BODY_LIMIT = '256kb';

/**
 * Deliveries without `Smaregi-Event-Id` are deduplicated on a hash of their body within this
 * window: a duplicate arrives within seconds, while an identical body much later is a new event
 * (a contract subscribing again the same day; the same product edited again), which must not be
 * dropped as a duplicate forever (docs/smaregi-wire.md §6.2, §6.3).
 */
export const BODY_KEY_WINDOW_MS = 10 * 60_000;

type ParsedEvent = ReturnType<typeof parseWebhookEvent>;

/** The inbox key of an event: its Smaregi-Event-Id, or its body hash within the window. */
function inboxKey(event: ParsedEvent, receivedAt: Date): string {
  return event.eventIdFromBody
    ? `${event.eventId}@${Math.floor(receivedAt.getTime() / BODY_KEY_WINDOW_MS)}`
    : event.eventId;
}

/**
 * `POST /webhooks/smaregi`: secret header checked in constant time (the client's helper), the
 * contract mapped to its tenant (never a request field), duplicates dropped by the unique
 * (tenant, Smaregi-Event-Id — or the body hash when Smaregi sends no event ID), the event stored
 * in the inbox with a job for the worker, and the answer sent at once: the processing re-reads
 * Smaregi later (docs/reliability.md item 8).
 *
 * `POST /webhooks/smaregi/app-subscription`: the app's 利用者契約通知先URL (docs/smaregi-wire.md
 * §6.3). No secret header and no event ID are known there, so the notice must name our app
 * (`clientId`) and a contract we are connected to, and is deduplicated on its body.
 */
export function webhookRouter(deps: AppDeps): Router {
  const router = express.Router();
  const raw = express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT });
  const count = (event: string, result: string) =>
    deps.metrics.webhooksReceived.inc({ event, result });

  function parse(req: Request, res: Response): ParsedEvent | undefined {
    try {
      return parseWebhookEvent(req.headers, Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
    } catch (error) {
      count('unknown', 'rejected');
      res
        .status(400)
        .json({ error: isSmaregiApiError(error) ? error.message : 'malformed webhook' });
      return undefined;
    }
  }

  /** Maps the contract to its tenant and stores the event with its job (or answers why not). */
  async function store(event: ParsedEvent, res: Response): Promise<void> {
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
    const receivedAt = deps.now();
    try {
      const { eventId: _eventId, eventIdFromBody: _fromBody, contractId, ...rest } = event;
      const stored = repos.webhookEvents.create({
        eventId: inboxKey(event, receivedAt),
        event: eventName,
        action: 'action' in rest && typeof rest.action === 'string' ? rest.action : null,
        contractId,
        body: rest,
        receivedAt,
      });
      await repos.jobs.enqueue(
        JOB_NAMES.processWebhook,
        { webhookEventId: stored.id },
        {
          priority:
            eventName === 'order-shipment:orders' ? CallPriority.webhookReread : CallPriority.stock,
        },
      );
      await em.flush(); // inbox row and job in one transaction
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
  }

  router.post('/webhooks/smaregi', raw, async (req, res) => {
    const { webhookHeader, webhookSecret } = deps.config.smaregi;
    if (!verifyWebhookSecret(req.headers, { headerName: webhookHeader, secret: webhookSecret })) {
      count('unknown', 'unauthorized');
      res.status(401).json({ error: 'invalid webhook secret' });
      return;
    }
    const event = parse(req, res);
    if (event !== undefined) await store(event, res);
  });

  router.post('/webhooks/smaregi/app-subscription', raw, async (req, res) => {
    const event = parse(req, res);
    if (event === undefined) return;
    if (event.type !== 'AppSubscription') {
      count(event.type === 'unknown' ? event.event : event.type, 'rejected');
      res.status(400).json({ error: 'event: only AppSubscription notices are accepted here' });
      return;
    }
    // Our app's notice or none of ours: the client ID is the one check the body allows.
    if (event.clientId !== deps.config.smaregi.clientId) {
      count('AppSubscription', 'unauthorized');
      res.status(403).json({
        error:
          event.clientId === undefined
            ? 'clientId: missing'
            : 'clientId: not this app (check the app subscription URL in the developer portal)',
      });
      return;
    }
    await store(event, res);
  });
  return router;
}
