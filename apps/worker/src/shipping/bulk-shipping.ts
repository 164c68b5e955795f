import { CallPriority, decideOrderActions, type IntegrationSettings } from '@renkei/domain';
import {
  forkEm,
  lastSyncErrorColumns,
  tenantRepositories,
  WorkerQueries,
  type Em,
  type LedgerClaim,
  type LedgerEntry,
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
import { readSettingsOf } from '../orders/order-view.js';
import { createLedger } from '../smaregi/ledger.js';
import { classifyWriteFailure, smaregiReason } from '../smaregi/outcome.js';
import { gatedWrite, notSentAtShutdown } from '../smaregi/send-gate.js';
import { activeTenants, type ActiveTenant } from '../tenants/active-tenants.js';
import { requireReauthorization } from '../tenants/reauth.js';

export const SHIP_KIND = 'shipOrders' as const;
export const shipOrderKey = (orderId: string): string => `ship:${orderId}`;
const NOT_SENT = 'worker stopping: not sent';

/** The shipping loop's view of every active tenant, read once per tick (see {@link shippingPlan}). */
export interface ShippingPlan {
  tenants: ActiveTenant[];
  settings: Map<string, IntegrationSettings>;
  work: Awaited<ReturnType<WorkerQueries['shippingWork']>>;
}

/**
 * The active tenants, their settings and which of them have shipping-loop work (orders in the
 * bulk-shipping status, allocation rounds to resume, cancels to send): a handful of statements
 * for every tenant together, so an idle tick costs the same with 1 tenant or 500.
 */
export async function shippingPlan(em: Em): Promise<ShippingPlan> {
  const tenants = await activeTenants(em);
  const settings = await readSettingsOf(
    em,
    tenants.map((t) => t.tenantId),
  );
  const statuses = [...settings.values()].flatMap((s) =>
    s.bulkShippingTriggerStatus === null ? [] : [s.bulkShippingTriggerStatus],
  );
  const work = await new WorkerQueries(em).shippingWork(
    tenants.map((t) => t.tenantId),
    statuses,
  );
  return { tenants, settings, work };
}

/** What the shipping loop knows of one tenant's waiting orders (see `BulkShipping.#waits`). */
interface TenantWait {
  /** {@link WorkerQueries.shippingWork}'s fingerprint at the last read of the orders. */
  fingerprint: string;
  /** Until when the same fingerprint means nothing to do. */
  until: number;
  /** When each order that may ship was first seen so. */
  readySince: Map<string, number>;
}

/** A candidate Smaregi shows shipped, with the date and slip number it shipped with. */
interface Shipped {
  c: Candidate;
  remote: { shippingDate?: string | null; slipNumber?: string | null };
}

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

  /**
   * Ships, per tenant with orders in its bulk-shipping status, what may ship: full calls of
   * `shippingBatchSize` (at most 100) at once, and the rest once its oldest order has waited
   * `shippingMaxWaitMs` for a fuller call. Each call takes a write from the contract's budget,
   * the same as a registration: shipping orders as they come (a few per call) made shipping cost
   * more than a tenth of a write per order (`pnpm bench:scale`); waiting brings it to 1/100 at
   * volume, and bounds how long a lone order waits.
   */
  async tick(
    { signal, em }: { signal: AbortSignal; em: Em },
    plan?: ShippingPlan,
  ): Promise<boolean> {
    let more = false;
    const { tenants, settings, work } = plan ?? (await shippingPlan(em));
    const waits = new Map<string, TenantWait>();
    for (const tenant of tenants) {
      if (stopRequested(this.deps, signal)) break;
      const tenantSettings = settings.get(tenant.tenantId);
      const fingerprint = work.ship.get(tenant.tenantId);
      if (fingerprint === undefined || tenantSettings === undefined) continue;
      const last = this.#waits.get(tenant.tenantId);
      if (
        last !== undefined &&
        last.fingerprint === fingerprint &&
        this.deps.clock.now() < last.until
      ) {
        // Nothing came, left or changed since the last read, and nobody's wait is over.
        waits.set(tenant.tenantId, last);
        continue;
      }
      const readySince = new Map<string, number>();
      const { candidates, full, until } = await this.#candidates(
        tenant,
        tenantSettings,
        { before: last?.readySince, now: readySince },
        signal,
      );
      if (full) more = true;
      // After a call the orders have moved: read again on the next tick.
      waits.set(tenant.tenantId, {
        fingerprint,
        until: candidates.length > 0 ? 0 : until,
        readySince,
      });
      const size = Math.min(100, this.deps.settings.shippingBatchSize);
      for (let i = 0; i < candidates.length; i += size) {
        const batch = candidates.slice(i, i + size);
        if (stopRequested(this.deps, signal)) {
          // Claimed but not sent when the stop came: handed back at once, not left in flight.
          for (const c of batch) await this.ledger.handBack(c.claim, NOT_SENT);
          continue;
        }
        await this.#ship(tenant, tenantSettings, batch, signal);
      }
    }
    // Orders no longer waiting (shipped, moved, another tenant's turn) are forgotten.
    if (!signal.aborted) this.#waits = waits;
    // Stopping: what was seen is kept, and every tenant is read again on the next tick.
    else for (const [id, wait] of waits) this.#waits.set(id, { ...wait, until: 0 });
    return more;
  }

  /**
   * Per tenant, what its last read of orders saw and when each order that may ship was first seen
   * so (this process; the shipping loop runs in one process at a time, and a process taking it
   * over starts the wait again). Reading every waiting order and its ledger row on every tick,
   * while a call fills up for `shippingMaxWaitMs`, cost more statements than the orders'
   * registrations.
   */
  #waits = new Map<string, TenantWait>();

  /**
   * The orders to ship now, each claimed on its ledger row (or skipped: busy, backing off): those
   * that may ship, in full calls, plus the remainder when its oldest has waited long enough.
   * `until`: the tenant needs no new read before then while its orders stay as they are.
   */
  async #candidates(
    tenant: ActiveTenant,
    settings: IntegrationSettings,
    ready: { before: ReadonlyMap<string, number> | undefined; now: Map<string, number> },
    signal: AbortSignal,
  ): Promise<{ candidates: Candidate[]; full: boolean; until: number }> {
    const em = forkEm(this.deps.orm);
    const repos = tenantRepositories(em, tenant.tenantId);
    const limit = 500;
    const orders = await repos.orders.find(
      { status: settings.bulkShippingTriggerStatus ?? '', syncState: 'registered' },
      { populate: ['status'], orderBy: { orderedAt: 'asc', id: 'asc' }, limit },
    );
    const now = this.deps.clock.now();
    const maxWait = this.deps.settings.shippingMaxWaitMs ?? 0;
    const may: { order: (typeof orders)[number]; orderHeadId: string; shippingDate: string }[] = [];
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
      may.push({ order, orderHeadId: ship.orderHeadId, shippingDate: ship.shippingDate });
    }
    const entries = await this.ledger.openMany(
      tenant.tenantId,
      SHIP_KIND,
      may.map(({ order }) => ({
        businessKey: shipOrderKey(order.id),
        subject: { type: 'order', id: order.id },
      })),
    );
    // Read again at the latest after one wait, whatever the fingerprint says: a change it
    // cannot see (an order line's allocation alone) is noticed within the wait it would cost.
    let until = now + maxWait;
    const shippable: {
      order: (typeof orders)[number];
      entry: LedgerEntry;
      orderHeadId: string;
      shippingDate: string;
      since: number;
    }[] = [];
    for (const { order, orderHeadId, shippingDate } of may) {
      const entry = entries.get(shipOrderKey(order.id));
      // Only orders that can be claimed count towards a call: one Smaregi refused (until the
      // merchant moves it again) or one in flight elsewhere must not make every call a small one.
      if (entry === undefined || entry.verdict !== 'claimable') {
        // A backoff or a lease ends without any order changing: look again on every tick.
        if (entry?.verdict === 'busy' || entry?.verdict === 'deferred') until = now;
        continue;
      }
      const since = ready.before?.get(order.id) ?? now;
      ready.now.set(order.id, since);
      shippable.push({ order, entry, orderHeadId, shippingDate, since });
    }
    const size = Math.min(100, this.deps.settings.shippingBatchSize);
    // Full calls now; the remainder when its oldest has waited (or the worker stops: then it is
    // left for the next run, not shipped early).
    let take = shippable.length - (shippable.length % size);
    const rest = shippable.slice(take);
    if (rest.length > 0) {
      const oldest = Math.min(...rest.map((r) => r.since));
      if (now - oldest >= maxWait && !signal.aborted) take = shippable.length;
      else until = Math.min(until, oldest + maxWait);
    }
    const out: Candidate[] = [];
    for (const { order, entry, orderHeadId, shippingDate } of shippable.slice(0, take)) {
      const claim = await this.ledger.claim(entry, { orderHeadId, shippingDate });
      if (claim === null) continue;
      out.push({
        orderId: order.id,
        claim,
        orderHeadId,
        shippingDate,
        slipNumber: order.slipNumber ?? null,
      });
    }
    await em.flush();
    const full = orders.length >= limit;
    return { candidates: out, full, until: full ? now : until };
  }

  async #ship(
    tenant: ActiveTenant,
    settings: IntegrationSettings,
    batch: Candidate[],
    signal: AbortSignal,
  ): Promise<void> {
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
        if (remote.status === 'shipped') await this.#done(tenant, settings, [{ c, remote }]);
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
    const shipped: Shipped[] = [];
    for (const c of toSend) {
      const r = byHead.get(c.orderHeadId);
      if (r?.result === 'shipped')
        shipped.push({ c, remote: { shippingDate: c.shippingDate, slipNumber: c.slipNumber } });
      else if (r === undefined)
        await this.ledger.release(c.claim, 'unknown', 'no result for this order in the answer');
      else await this.#fail(tenant, c, r.detail ?? r.result);
    }
    await this.#done(tenant, settings, shipped);
    await hooks?.afterCommit?.(SHIP_KIND, keys);
  }

  /**
   * The shipped orders of one call, in one transaction: each ledger row succeeds once (a webhook
   * may have recorded the shipment meanwhile: that order is left as the webhook made it), and the
   * others are marked shipped together. Should the transaction fail, every row stays in flight
   * and is resolved by reading Smaregi once its lease ends, like an answer that was lost.
   */
  async #done(tenant: ActiveTenant, settings: IntegrationSettings, shipped: Shipped[]) {
    if (shipped.length === 0) return;
    await forkEm(this.deps.orm).transactional(async (tx) => {
      const succeeded = await this.ledger.succeedMany(
        tx,
        shipped.map((s) => ({ claim: s.c.claim, remoteId: s.c.orderHeadId })),
      );
      const first = shipped.filter((s) => succeeded.has(s.c.claim.id));
      const orders = await this.orderEvents.applyShippedMany(
        tx,
        tenant,
        first.map(({ c, remote }) => ({
          orderId: c.orderId,
          operationId: c.claim.id,
          remote: {
            shippingDate: remote.shippingDate ?? null,
            slipNumber: remote.slipNumber ?? null,
          },
        })),
        settings,
      );
      for (const order of orders) clearShippingRefusal(order);
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
