import {
  decideOrderActions,
  type OrderStatusCategory,
  type SmaregiAllocationStatus,
} from '@renkei/domain';
import { forkEm, Operation, tenantRepositories, type Em } from '@renkei/persistence';
import { stopRequested, type WorkerDeps } from '../deps.js';
import type { OrderEvents } from '../orders/order-events.js';
import { readSettings } from '../orders/order-view.js';
import { backoffMs, classifyWriteFailure, smaregiReason } from '../smaregi/outcome.js';
import { gatedWrite, notSentAtShutdown } from '../smaregi/send-gate.js';
import { activeTenants, type ActiveTenant } from '../tenants/active-tenants.js';

export const SHIPPING_PRIORITY = 20;

interface Candidate {
  orderId: string;
  opId: string;
  attempts: number;
  orderHeadId: string;
  shippingDate: string;
  slipNumber: string | null;
  mustResolve: boolean;
}

/**
 * 受注一括出荷連携: orders in `bulkShippingTriggerStatus` that the domain says may be shipped
 * (registered, fully allocated, with a shipping date, not closed) are shipped in Smaregi in
 * batches of at most 100, each order with its own ledger row `ship:<orderId>`. A batch whose
 * answer was lost is resolved order by order by reading Smaregi (status shipped or not) before
 * anything is sent again; per-order refusals are recorded with Smaregi's reason.
 */
export class BulkShipping {
  constructor(
    private readonly deps: WorkerDeps,
    private readonly orderEvents: OrderEvents,
  ) {}

  async tick({ signal, em }: { signal: AbortSignal; em: Em }): Promise<boolean> {
    let more = false;
    for (const tenant of await activeTenants(em)) {
      if (stopRequested(this.deps, signal)) break;
      const settings = await readSettings(em, tenant.tenantId);
      if (settings.bulkShippingTriggerStatus === null) continue;
      const candidates = await this.#candidates(tenant, settings);
      const size = Math.min(100, this.deps.settings.shippingBatchSize);
      for (let i = 0; i < candidates.length; i += size) {
        const batch = candidates.slice(i, i + size);
        if (stopRequested(this.deps, signal)) {
          // Claimed but not sent when the stop came: handed back at once, not left in flight.
          for (const c of batch)
            await this.#release(
              tenant,
              c,
              c.mustResolve ? 'unknown' : 'pending',
              'worker stopping: not sent',
              0,
            );
          continue;
        }
        await this.#ship(tenant, batch, signal);
      }
      if (candidates.length >= 500) more = true;
    }
    return more;
  }

  async #candidates(
    tenant: ActiveTenant,
    settings: Awaited<ReturnType<typeof readSettings>>,
  ): Promise<Candidate[]> {
    const em = forkEm(this.deps.orm);
    const repos = tenantRepositories(em, tenant.tenantId);
    const orders = await repos.orders.find(
      { status: settings.bulkShippingTriggerStatus ?? '', syncState: 'registered' },
      { populate: ['status'], orderBy: { orderedAt: 'asc', id: 'asc' }, limit: 500 },
    );
    const now = this.deps.clock.now();
    const out: Candidate[] = [];
    for (const order of orders) {
      const decision = decideOrderActions({
        settings,
        order: {
          orderNumber: order.orderNumber,
          statusId: order.status.id,
          statusCategory: order.status.category as OrderStatusCategory,
          shippingDate: order.shippingDate ?? null,
          smaregiOrderHeadId: order.smaregiOrderHeadId ?? null,
          smaregiStatus: null,
          allocation: (order.allocationStatus ?? null) as SmaregiAllocationStatus | null,
        },
        orderStore: null,
        event: { kind: 'shippingDateSet' },
      });
      const ship = decision.actions.find((a) => a.kind === 'queueBulkShipping');
      if (ship === undefined || ship.kind !== 'queueBulkShipping') continue;
      const op = await repos.operations.ensure('shipOrders', `ship:${order.id}`, {
        type: 'order',
        id: order.id,
      });
      if (op.state === 'succeeded' || op.state === 'failed') continue;
      if (op.state === 'in_flight' && op.leaseUntil != null && op.leaseUntil.getTime() > now)
        continue;
      if (op.nextAttemptAt != null && op.nextAttemptAt.getTime() > now) continue;
      await em.flush();
      const claimed = await em.nativeUpdate(
        Operation,
        { id: op.id, tenant: tenant.tenantId, state: op.state, attempts: op.attempts },
        {
          state: 'in_flight',
          attempts: op.attempts + 1,
          leaseUntil: new Date(now + this.deps.settings.leaseMs),
          updatedAt: new Date(now),
        },
      );
      if (claimed !== 1) continue;
      out.push({
        orderId: order.id,
        opId: op.id,
        attempts: op.attempts + 1,
        orderHeadId: ship.orderHeadId,
        shippingDate: ship.shippingDate,
        slipNumber: order.slipNumber ?? null,
        mustResolve: op.state === 'unknown' || op.state === 'in_flight',
      });
    }
    return out;
  }

  async #ship(tenant: ActiveTenant, batch: Candidate[], signal: AbortSignal): Promise<void> {
    const orders = this.deps.smaregi.forContract(tenant.contractId).orderShipment.orders;
    const options = { signal, priority: SHIPPING_PRIORITY };
    // Resolve earlier unknown outcomes first: an order Smaregi already shows as shipped is done.
    const toSend: Candidate[] = [];
    for (const c of batch) {
      if (!c.mustResolve) {
        toSend.push(c);
        continue;
      }
      try {
        const remote = await orders.get(c.orderHeadId, options);
        if (remote.status === 'shipped') await this.#done(tenant, c, remote);
        else toSend.push(c);
      } catch (error) {
        await this.#release(tenant, c, 'unknown', smaregiReason(error));
      }
    }
    if (toSend.length === 0) return;
    await this.deps.hooks?.beforeRemoteCall?.('shipOrders', toSend.map((c) => c.orderId).join(','));
    let results;
    try {
      results = await gatedWrite(this.deps.stopping, () =>
        orders.bulkShip(
          {
            orders: toSend.map((c) => ({
              orderHeadId: c.orderHeadId,
              shippingDate: c.shippingDate,
              ...(c.slipNumber ? { slipNumber: c.slipNumber } : {}),
            })),
          },
          options,
        ),
      );
    } catch (error) {
      if (notSentAtShutdown(error)) {
        // Held back at shutdown before anything was sent: handed back at once.
        for (const c of toSend)
          await this.#release(
            tenant,
            c,
            c.mustResolve ? 'unknown' : 'pending',
            'worker stopping: not sent',
            0,
          );
        return;
      }
      const failure = classifyWriteFailure(error);
      for (const c of toSend) {
        if (failure.kind === 'rejected') await this.#fail(tenant, c, failure.message);
        else
          await this.#release(
            tenant,
            c,
            failure.kind === 'unknown' ? 'unknown' : 'pending',
            failure.message,
          );
      }
      return;
    }
    await this.deps.hooks?.afterRemoteCall?.('shipOrders', toSend.map((c) => c.orderId).join(','));
    const byHead = new Map(results.map((r) => [r.orderHeadId, r]));
    for (const c of toSend) {
      const r = byHead.get(c.orderHeadId);
      if (r?.result === 'shipped')
        await this.#done(tenant, c, { shippingDate: c.shippingDate, slipNumber: c.slipNumber });
      else if (r === undefined)
        await this.#release(tenant, c, 'unknown', 'no result for this order in the answer');
      else await this.#fail(tenant, c, r.detail ?? r.result);
    }
  }

  async #done(
    tenant: ActiveTenant,
    c: Candidate,
    remote: { shippingDate?: string | null; slipNumber?: string | null },
  ): Promise<void> {
    const em = forkEm(this.deps.orm);
    await em.transactional(async (tx) => {
      await this.orderEvents.shipped(tx, tenant, c.orderId, {
        shippingDate: remote.shippingDate ?? null,
        slipNumber: remote.slipNumber ?? null,
      });
    });
  }

  async #fail(tenant: ActiveTenant, c: Candidate, reason: string): Promise<void> {
    const em = forkEm(this.deps.orm);
    await em.transactional(async (tx) => {
      const now = new Date(this.deps.clock.now());
      await tx.nativeUpdate(
        Operation,
        { id: c.opId, tenant: tenant.tenantId },
        { state: 'failed', leaseUntil: null, lastError: reason, updatedAt: now },
      );
      tenantRepositories(tx, tenant.tenantId).syncEvents.record({
        subjectType: 'order',
        subjectId: c.orderId,
        kind: 'order.shippingFailed',
        outcome: 'failure',
        message: `スマレジが一括出荷を受け付けませんでした: ${reason} / Smaregi refused the shipment: ${reason}`,
        operationId: c.opId,
      });
    });
  }

  async #release(
    tenant: ActiveTenant,
    c: Candidate,
    state: 'unknown' | 'pending',
    reason: string,
    delayMs?: number,
  ): Promise<void> {
    const em = forkEm(this.deps.orm);
    const now = this.deps.clock.now();
    const { retryBaseMs, retryMaxMs } = this.deps.settings;
    const wait =
      delayMs ?? backoffMs(c.attempts, retryBaseMs, retryMaxMs, this.deps.random ?? Math.random);
    await em.nativeUpdate(
      Operation,
      { id: c.opId, tenant: tenant.tenantId, attempts: c.attempts },
      {
        state,
        leaseUntil: null,
        lastError: reason,
        nextAttemptAt: new Date(now + wait),
        updatedAt: new Date(now),
      },
    );
  }
}
