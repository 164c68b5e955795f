import { CallPriority, decideOrderActions } from '@renkei/domain';
import {
  forkEm,
  lastSyncErrorColumns,
  tenantRepositories,
  type Em,
  type LedgerClaim,
  type OperationLedger,
} from '@renkei/persistence';
import { stopRequested, type WorkerDeps } from '../deps.js';
import { decisionOrderOf } from '../orders/order-actions.js';
import type { OrderEvents } from '../orders/order-events.js';
import {
  actionReasonOf,
  applyActionReason,
  clearShippingRefusal,
} from '../orders/order-reasons.js';
import { readSettings } from '../orders/order-view.js';
import { createLedger } from '../smaregi/ledger.js';
import { classifyWriteFailure, smaregiReason } from '../smaregi/outcome.js';
import { gatedWrite, notSentAtShutdown } from '../smaregi/send-gate.js';
import { activeTenants, type ActiveTenant } from '../tenants/active-tenants.js';
import { requireReauthorization } from '../tenants/reauth.js';

export const SHIP_KIND = 'shipOrders' as const;
export const shipOrderKey = (orderId: string): string => `ship:${orderId}`;
const NOT_SENT = 'worker stopping: not sent';

interface Candidate {
  orderId: string;
  claim: LedgerClaim;
  orderHeadId: string;
  shippingDate: string;
  slipNumber: string | null;
}

/**
 * 受注一括出荷連携: orders in `bulkShippingTriggerStatus` that the domain says may be shipped
 * (registered, fully allocated, with a shipping date, not closed) are shipped in Smaregi in
 * batches of at most 100, each order claimed on its own ledger row `ship:<orderId>` before the
 * call (docs/reliability.md item 1). A batch whose answer was lost is resolved order by order by
 * reading Smaregi (status shipped or not) before anything is sent again; per-order refusals are
 * recorded with Smaregi's reason and stay failed until the merchant moves the order again.
 */
export class BulkShipping {
  readonly ledger: OperationLedger;

  constructor(
    private readonly deps: WorkerDeps,
    private readonly orderEvents: OrderEvents,
  ) {
    this.ledger = createLedger(deps);
  }

  async tick({ signal, em }: { signal: AbortSignal; em: Em }): Promise<boolean> {
    let more = false;
    for (const tenant of await activeTenants(em)) {
      if (stopRequested(this.deps, signal)) break;
      const settings = await readSettings(em, tenant.tenantId);
      if (settings.bulkShippingTriggerStatus === null) continue;
      const { candidates, full } = await this.#candidates(tenant, settings);
      if (full) more = true;
      const size = Math.min(100, this.deps.settings.shippingBatchSize);
      for (let i = 0; i < candidates.length; i += size) {
        const batch = candidates.slice(i, i + size);
        if (stopRequested(this.deps, signal)) {
          // Claimed but not sent when the stop came: handed back at once, not left in flight.
          for (const c of batch) await this.ledger.handBack(c.claim, NOT_SENT);
          continue;
        }
        await this.#ship(tenant, batch, signal);
      }
    }
    return more;
  }

  /** The orders that may ship now, each claimed on its ledger row (or skipped: busy, backing off). */
  async #candidates(
    tenant: ActiveTenant,
    settings: Awaited<ReturnType<typeof readSettings>>,
  ): Promise<{ candidates: Candidate[]; full: boolean }> {
    const em = forkEm(this.deps.orm);
    const repos = tenantRepositories(em, tenant.tenantId);
    const limit = 500;
    const orders = await repos.orders.find(
      { status: settings.bulkShippingTriggerStatus ?? '', syncState: 'registered' },
      { populate: ['status'], orderBy: { orderedAt: 'asc', id: 'asc' }, limit },
    );
    const out: Candidate[] = [];
    for (const order of orders) {
      const decision = decideOrderActions({
        settings,
        order: decisionOrderOf(order, null, settings.syncEnclosures),
        orderStore: null,
        event: { kind: 'shippingDateSet' },
      });
      // Why it cannot ship yet (no 出荷日, not fully allocated) stays on the order until it can.
      applyActionReason(repos, order, actionReasonOf(order, decision, null, false));
      const ship = decision.actions.find((a) => a.kind === 'queueBulkShipping');
      if (ship?.kind !== 'queueBulkShipping') continue;
      const entry = await this.ledger.open(tenant.tenantId, SHIP_KIND, shipOrderKey(order.id), {
        type: 'order',
        id: order.id,
      });
      if (entry.verdict !== 'claimable') continue;
      const claim = await this.ledger.claim(entry, {
        orderHeadId: ship.orderHeadId,
        shippingDate: ship.shippingDate,
      });
      if (claim === null) continue;
      out.push({
        orderId: order.id,
        claim,
        orderHeadId: ship.orderHeadId,
        shippingDate: ship.shippingDate,
        slipNumber: order.slipNumber ?? null,
      });
    }
    await em.flush();
    return { candidates: out, full: orders.length >= limit };
  }

  async #ship(tenant: ActiveTenant, batch: Candidate[], signal: AbortSignal): Promise<void> {
    const orders = this.deps.smaregi.forContract(tenant.contractId).orderShipment.orders;
    const options = { signal, priority: CallPriority.shipping };
    const { hooks } = this.deps;
    const keys = batch.map((c) => c.claim.businessKey).join(',');
    await hooks?.beforeRemoteCall?.(SHIP_KIND, keys);
    // Resolve earlier unknown outcomes first: an order Smaregi already shows as shipped is done.
    const toSend: Candidate[] = [];
    for (const c of batch) {
      if (!c.claim.mustResolve) {
        toSend.push(c);
        continue;
      }
      try {
        const remote = await orders.get(c.orderHeadId, options);
        if (remote.status === 'shipped') await this.#done(tenant, c, remote);
        else toSend.push(c);
      } catch (error) {
        await this.ledger.release(c.claim, 'unknown', smaregiReason(error));
      }
    }
    if (toSend.length === 0) return;
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
        for (const c of toSend) await this.ledger.handBack(c.claim, NOT_SENT);
        return;
      }
      const failure = classifyWriteFailure(error);
      for (const c of toSend) {
        if (failure.kind === 'rejected' || failure.kind === 'duplicate')
          await this.#fail(tenant, c, failure.message);
        else if (failure.kind === 'noEffect')
          await this.ledger.release(c.claim, 'pending', failure.message, failure.retryAfterMs);
        else if (failure.kind === 'reauth')
          await this.ledger.release(c.claim, 'pending', failure.message);
        else await this.ledger.release(c.claim, 'unknown', failure.message);
      }
      if (failure.kind === 'reauth')
        await requireReauthorization(this.deps, tenant, {
          reason: 'unauthorized',
          lastError: failure.message,
          destroyTokens: false,
        });
      return;
    }
    await hooks?.afterRemoteCall?.(SHIP_KIND, keys);
    const byHead = new Map(results.map((r) => [r.orderHeadId, r]));
    for (const c of toSend) {
      const r = byHead.get(c.orderHeadId);
      if (r?.result === 'shipped')
        await this.#done(tenant, c, { shippingDate: c.shippingDate, slipNumber: c.slipNumber });
      else if (r === undefined)
        await this.ledger.release(c.claim, 'unknown', 'no result for this order in the answer');
      else await this.#fail(tenant, c, r.detail ?? r.result);
    }
    await hooks?.afterCommit?.(SHIP_KIND, keys);
  }

  async #done(
    tenant: ActiveTenant,
    c: Candidate,
    remote: { shippingDate?: string | null; slipNumber?: string | null },
  ): Promise<void> {
    await forkEm(this.deps.orm).transactional(async (tx) => {
      // Once: a webhook may have recorded the shipment meanwhile.
      if (!(await this.ledger.succeed(tx, c.claim, c.orderHeadId))) return;
      await this.orderEvents.applyShipped(tx, tenant, c.orderId, c.claim.id, {
        shippingDate: remote.shippingDate ?? null,
        slipNumber: remote.slipNumber ?? null,
      });
      const order = await tenantRepositories(tx, tenant.tenantId).orders.findById(c.orderId);
      if (order !== null) clearShippingRefusal(order);
    });
  }

  async #fail(tenant: ActiveTenant, c: Candidate, reason: string): Promise<void> {
    await forkEm(this.deps.orm).transactional(async (tx) => {
      await this.ledger.fail(tx, c.claim, reason);
      const repos = tenantRepositories(tx, tenant.tenantId);
      const order = await repos.orders.findById(c.orderId);
      if (order === null) return;
      const refused = {
        code: 'orderShippingRefused',
        params: { orderNumber: order.orderNumber, reason },
      } as const;
      // Shown on the order itself (its last refusal) until it ships or is moved here again.
      Object.assign(order, lastSyncErrorColumns(refused));
      repos.syncEvents.record({
        subjectType: 'order',
        subjectId: c.orderId,
        kind: 'order.shippingFailed',
        outcome: 'failure',
        message: refused,
        operationId: c.claim.id,
      });
    });
  }
}
