import { FlushMode, type EventSubscriber, type FlushEventArgs } from '@mikro-orm/core';
import {
  outboundTypeOfSyncEvent,
  renderMessageBoth,
  type MessageRef,
  type OrderEventData,
  type OutboundEventType,
} from '@renkei/domain';
import type { Em } from '../config.js';
import { Order } from '../orders/order.entity.js';
import { SyncEvent } from '../sync/sync-event.entity.js';
import { storedMessage } from '../stored-message.js';
import { RECEIVING_ENDPOINT_STATES, WebhookEndpoint } from './webhook-endpoint.entity.js';
import { OutboundEventRepository } from './webhook-repositories.js';

/**
 * Order events of the outbound webhooks, written in the transaction of the change (docs/
 * webhooks.md). Every 連携ログ event is written through `SyncEventRepository.record`, which puts
 * it in the unit of work; before the flush writes it, this subscriber looks at the new events
 * whose kind means an outbound event (`outboundTypeOfSyncEvent`), reads the receiving endpoints
 * of the tenants that have any, and writes an `OutboundEvent` with one delivery and delivery job
 * per subscribed endpoint — all in the same flush, so the event exists exactly when the change
 * does.
 *
 * The path without endpoints stays cheap: a flush without such an event reads nothing, and one
 * with them reads one indexed row set (webhook_endpoints by tenant and state) for all its
 * tenants. That read is not cached across transactions: an endpoint registered by the API must
 * receive the next event, and no process-local cache can know of it without a read.
 */
export class OutboundEventFanout implements EventSubscriber {
  /** Events already fanned out (a flush that failed and is retried does not fan out twice). */
  readonly #done = new WeakSet<SyncEvent>();

  async beforeFlush({ em, uow }: FlushEventArgs): Promise<void> {
    const byTenant = new Map<string, { event: SyncEvent; type: OutboundEventType }[]>();
    for (const entity of [...uow.getPersistStack()]) {
      if (!(entity instanceof SyncEvent) || this.#done.has(entity)) continue;
      const type = outboundTypeOfSyncEvent(entity.kind);
      if (type === null || entity.subjectType !== 'order' || !entity.subjectId) continue;
      this.#done.add(entity);
      const tenantId = entity.tenant.id;
      byTenant.set(tenantId, [...(byTenant.get(tenantId) ?? []), { event: entity, type }]);
    }
    if (byTenant.size === 0) return;
    // One read for every tenant of the flush: the worker's group commit writes the orders of
    // many tenants in one transaction. Inside the flush no query may flush again
    // (FlushMode.COMMIT).
    const endpoints = await (em as Em).find(
      WebhookEndpoint,
      { tenant: { $in: [...byTenant.keys()] }, state: { $in: [...RECEIVING_ENDPOINT_STATES] } },
      { orderBy: { createdAt: 'asc', id: 'asc' }, flushMode: FlushMode.COMMIT },
    );
    for (const [tenantId, events] of byTenant) {
      const own = endpoints.filter((endpoint) => endpoint.tenant.id === tenantId);
      if (own.length > 0) await fanOut(em as Em, tenantId, own, events);
    }
  }
}

async function fanOut(
  em: Em,
  tenantId: string,
  endpoints: readonly WebhookEndpoint[],
  events: readonly { event: SyncEvent; type: OutboundEventType }[],
): Promise<void> {
  const outbound = new OutboundEventRepository(em, tenantId);
  for (const { event, type } of events) {
    const receivers = endpoints.filter((e) => e.eventTypes.includes(type));
    if (receivers.length === 0) continue;
    // The order is in the unit of work when the change was made through it (no query then).
    const order = await em.findOne(
      Order,
      { id: event.subjectId!, tenant: tenantId },
      { flushMode: FlushMode.COMMIT },
    );
    if (order === null) continue;
    outbound.emit(type, orderEventData(order, event), receivers, event.at);
  }
}

function orderEventData(order: Order, event: SyncEvent): OrderEventData {
  const message = storedMessage(event.messageCode, event.messageParams) as MessageRef;
  const text = renderMessageBoth(message);
  return {
    orderId: order.id,
    orderNumber: order.orderNumber,
    orderCode: order.orderCode,
    smaregiOrderId: order.smaregiOrderHeadId ?? null,
    logKind: event.kind,
    message: {
      code: event.messageCode,
      params: event.messageParams,
      ja: text.ja,
      en: text.en,
    },
    at: event.at.toISOString(),
  };
}
