import {
  decideOrderActions,
  shortLineIndexes,
  statusDecisionOrder,
  type IntegrationSettings,
  type OrderDecision,
  type OrderEvent,
  type StatusDecisionInput,
} from '@renkei/domain';
import {
  forkEm,
  JOB_NAMES,
  tenantRepositories,
  type Em,
  type Order,
  type OrderLine,
} from '@renkei/persistence';
import { stopRequested, type WorkerDeps } from '../deps.js';
import { createLedger } from '../smaregi/ledger.js';
import type { ActiveTenant } from '../tenants/active-tenants.js';
import { planOmsAllocation } from '../stock/oms-allocation.js';
import { markOrderStock } from '../stock/stock-marks.js';
import { allocationSettingFor } from '../stock/order-store-facts.js';
import { Allocation, type AllocationResult } from './allocation.js';
import { actionReasonOf, applyActionReason, clearShippingRefusal } from './order-reasons.js';
import { OrderCancellation } from './cancel-order.js';
import { OrderEvents } from './order-events.js';
import { readSettings } from './order-view.js';

/** A decision and the 受注店舗 setting it was made with. */
interface Decided {
  decision: OrderDecision;
  orderStore: Awaited<ReturnType<typeof allocationSettingFor>>;
}

/**
 * Acts on the domain's status decisions (在庫引当自動照会, 引当済みステータス, 一括出荷の対象):
 * after registration, after a status change, after an allocation result. The rules live in
 * `decideOrderActions`; this class only gathers the facts and carries the actions out.
 */
export class OrderActions {
  readonly allocation: Allocation;

  /** キャンセル連携: a cancel status sends the cancel to Smaregi (or withdraws an unsent order). */
  readonly cancellation: OrderCancellation;

  constructor(private readonly deps: WorkerDeps) {
    this.allocation = new Allocation(deps, createLedger(deps));
    this.cancellation = new OrderCancellation(deps, new OrderEvents(deps));
  }

  /** omsPurchase tenants: orders registered since the last plan, evaluated by {@link flushPlans}. */
  readonly #toPlan = new Map<string, { tenant: ActiveTenant; orderIds: Set<string> }>();

  async afterRegistration(
    tenant: ActiveTenant,
    orderId: string,
    signal: AbortSignal,
  ): Promise<void> {
    const settings = await readSettings(forkEm(this.deps.orm), tenant);
    if (settings.effectiveStockMode === 'omsPurchase') {
      // Renkei's planner looks at every open order: plan once per batch, not once per order.
      const entry = this.#toPlan.get(tenant.tenantId) ?? { tenant, orderIds: new Set<string>() };
      entry.orderIds.add(orderId);
      this.#toPlan.set(tenant.tenantId, entry);
      return;
    }
    await this.evaluate(tenant, orderId, { kind: 'registered' }, signal);
    await this.#followedUp(tenant, orderId);
  }

  /** The registration's follow-up ran here: its safety-net job (`order.registered`) is not needed. */
  async #followedUp(tenant: ActiveTenant, orderId: string): Promise<void> {
    const now = new Date(this.deps.clock.now());
    await tenantRepositories(forkEm(this.deps.orm), tenant.tenantId).jobs.update(
      { name: JOB_NAMES.orderRegistered, dedupKey: orderId, state: 'queued' },
      { state: 'done', finishedAt: now, updatedAt: now },
    );
  }

  /** Plans the allocation once per tenant with new registrations, then applies the status rules. */
  async flushPlans(signal: AbortSignal): Promise<void> {
    const batches = [...this.#toPlan.values()];
    this.#toPlan.clear();
    for (const { tenant, orderIds } of batches) {
      const em = forkEm(this.deps.orm);
      await planOmsAllocation(
        em,
        tenantRepositories(em, tenant.tenantId),
        await readSettings(em, tenant),
      );
      for (const orderId of orderIds) {
        await this.evaluate(tenant, orderId, { kind: 'allocationReported' }, signal, {
          planned: true,
        });
        await this.#followedUp(tenant, orderId);
      }
    }
  }

  /**
   * The merchant (or the intake) moved the order. Moving it into the bulk-shipping status again is
   * how a merchant retries a shipment Smaregi refused (after fixing the cause), so a failed
   * shipping row is opened again; allocation inquiry and the allocated status follow the rules.
   */
  async onStatusChanged(tenant: ActiveTenant, orderId: string, signal: AbortSignal): Promise<void> {
    const em = forkEm(this.deps.orm);
    const settings = await readSettings(em, tenant);
    const repos = tenantRepositories(em, tenant.tenantId);
    const order = await repos.orders.findById(orderId);
    if (order !== null && settings.bulkShippingTriggerStatus === order.status.id) {
      await this.allocation.ledger.reopen(tenant.tenantId, 'shipOrders', `ship:${orderId}`);
      // Asked again: the earlier refusal no longer stands (a new one is recorded if it comes).
      clearShippingRefusal(order);
      await em.flush();
    }
    // Entering or leaving an open status moves the open-order quantities of its products.
    await markOrderStock(em, tenant.tenantId, orderId, { settings });
    await this.evaluate(tenant, orderId, { kind: 'statusChanged', fromStatusId: null }, signal);
    await this.cancellation.onStatusChanged(tenant, orderId, signal);
  }

  /** Evaluates and applies the decisions for one order event (at most one allocation round). */
  async evaluate(
    tenant: ActiveTenant,
    orderId: string,
    event: OrderEvent,
    signal: AbortSignal,
    options: { planned?: boolean } = {},
  ): Promise<void> {
    const em = forkEm(this.deps.orm);
    const order = await tenantRepositories(em, tenant.tenantId).orders.findWithLines(orderId);
    if (order === null) return;
    const settings = await readSettings(em, tenant);
    const decided = await this.#decide(em, tenant, order, settings, event, options);
    if (decided.decision.actions.some((a) => a.kind === 'requestAllocation')) {
      const result = await this.#allocate(tenant, order, em, settings, signal);
      // The status rules acted on the answer (in its commit, or on the order read again).
      if (result === 'answered' || result === 'allocatedBefore') return;
    }
    await this.#carryOut(em, tenant, order, event, decided, settings);
    await em.flush();
  }

  /** The domain's decision for `order` (omsPurchase: planned by Renkei's allocation planner first). */
  async #decide(
    em: Em,
    tenant: ActiveTenant,
    order: Order,
    settings: IntegrationSettings,
    event: OrderEvent,
    options: { planned?: boolean },
  ): Promise<Decided> {
    const repos = tenantRepositories(em, tenant.tenantId);
    // Renkei's stored setting of the shop's 受注店舗, never Smaregi's store object (see there).
    const orderStore = await allocationSettingFor(repos, order, settings);
    if (
      settings.effectiveStockMode === 'omsPurchase' &&
      order.smaregiOrderHeadId != null &&
      options.planned !== true
    ) {
      // Renkei's own planner decides the allocation from its stock figures (docs/flows.md §4).
      await planOmsAllocation(em, repos, settings);
    }
    const decision = decideOrderActions({
      settings,
      order: decisionOrderOf(order, order.lines.getItems(), settings.syncEnclosures),
      orderStore:
        settings.effectiveStockMode === 'omsPurchase' ? { autoAllocation: true } : orderStore,
      event:
        settings.effectiveStockMode === 'omsPurchase' && event.kind === 'registered'
          ? { kind: 'allocationReported' }
          : event,
    });
    return { decision, orderStore };
  }

  /**
   * Carries out a decision's local actions on `em` (not flushed): the move to the allocated
   * status, the bulk-shipping note, and the reason the order waits. An allocation request is the
   * caller's: it calls Smaregi, which never happens here.
   */
  async #carryOut(
    em: Em,
    tenant: ActiveTenant,
    order: Order,
    event: OrderEvent,
    { decision, orderStore }: Decided,
    settings: IntegrationSettings,
  ): Promise<void> {
    const repos = tenantRepositories(em, tenant.tenantId);
    for (const action of decision.actions) {
      if (action.kind === 'moveToStatus') {
        const status = await repos.orderStatuses.findById(action.statusId);
        if (status === null) continue;
        const from = order.status.name;
        order.status = status;
        repos.syncEvents.record({
          subjectType: 'order',
          subjectId: order.id,
          kind: 'order.allocatedStatus',
          outcome: 'success',
          message: {
            code: 'orderAllocatedStatus',
            params: { orderNumber: order.orderNumber, from, to: status.name },
          },
        });
      } else if (action.kind === 'queueBulkShipping') {
        repos.syncEvents.record({
          subjectType: 'order',
          subjectId: order.id,
          kind: 'order.shippingQueued',
          outcome: 'info',
          message: {
            code: 'orderShippingQueued',
            params: { orderNumber: order.orderNumber, shippingDate: action.shippingDate },
          },
        });
      }
    }
    // "Lines lack stock" only when an allocation was actually attempted (an inquiry answered, the
    // store's own allocation at registration, or Renkei's planner): an order nobody asked to
    // allocate yet is not short of anything.
    const attempted =
      event.kind === 'allocationReported' ||
      (event.kind === 'registered' &&
        (orderStore?.autoAllocation === true || settings.effectiveStockMode === 'omsPurchase'));
    const shortLines = shortLineIndexes(order.lines.getItems(), settings.syncEnclosures).map(
      (i) => i + 1,
    );
    applyActionReason(repos, order, actionReasonOf(order, decision, shortLines, attempted));
  }

  /**
   * Asks for an allocation round and commits what came of it, with the status rules' answer to
   * it in the same transaction. An order found allocated by another path is evaluated as read
   * again.
   */
  async #allocate(
    tenant: ActiveTenant,
    order: Order,
    em: Em,
    settings: IntegrationSettings,
    signal: AbortSignal,
  ): Promise<AllocationResult> {
    const reported: OrderEvent = { kind: 'allocationReported' };
    const result = await this.allocation.allocate(
      tenant,
      order,
      em,
      settings,
      signal,
      async (tx) => {
        // Moved by the merchant while Smaregi answered: that move's own job evaluates the order,
        // on the allocation committed here, and its status is not overwritten from a stale read.
        const statusNow = await tenantRepositories(tx, tenant.tenantId).orders.statusIdOf(order.id);
        if (statusNow !== order.status.id) return;
        const decided = await this.#decide(tx, tenant, order, settings, reported, {});
        await this.#carryOut(tx, tenant, order, reported, decided, settings);
      },
    );
    await em.flush();
    if (result === 'allocatedBefore')
      await this.evaluate(tenant, order.id, { kind: 'allocationReported' }, signal);
    return result;
  }

  /**
   * Allocation rounds left unfinished (a crash, a lost answer, a hand-back at shutdown): resolved
   * by reading Smaregi, or asked again; the status rules act on the answer in its commit.
   */
  async resumeAllocations(tenant: ActiveTenant, signal: AbortSignal): Promise<void> {
    for (const orderId of await this.allocation.unfinished(tenant)) {
      if (stopRequested(this.deps, signal)) return;
      const em = forkEm(this.deps.orm);
      const order = await tenantRepositories(em, tenant.tenantId).orders.findWithLines(orderId);
      if (order === null) continue;
      const settings = await readSettings(em, tenant);
      await this.#allocate(tenant, order, em, settings, signal);
    }
  }
}

/** A stored order as the status decisions' input (`lines` null when they were not loaded). */
export function decisionOrderOf(
  order: Order,
  lines: readonly OrderLine[] | null,
  syncEnclosures: boolean,
): StatusDecisionInput['order'] {
  return statusDecisionOrder(
    { ...order, statusId: order.status.id, statusCategory: order.status.category, lines },
    syncEnclosures,
  );
}

export { firstStatusOf } from './order-view.js';
