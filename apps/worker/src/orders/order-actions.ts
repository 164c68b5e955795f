import {
  decideOrderActions,
  type OrderEvent,
  type OrderStatusCategory,
  type SmaregiAllocationStatus,
} from '@renkei/domain';
import {
  forkEm,
  type OrderStatus,
  tenantRepositories,
  type Em,
  type Order,
  type TenantRepositories,
} from '@renkei/persistence';
import type { Order as SmaregiOrder } from '@renkei/smaregi-client';
import type { WorkerDeps } from '../deps.js';
import { smaregiReason } from '../smaregi/outcome.js';
import type { ActiveTenant } from '../tenants/active-tenants.js';
import { planOmsAllocation } from '../stock/oms-allocation.js';
import { readSettings, sentLines } from './order-view.js';

/** Allocation calls go after order registration in the contract's budget. */
export const ALLOCATION_PRIORITY = 25;
const STORE_CACHE_MS = 300_000;

/**
 * Acts on the domain's status decisions (在庫引当自動照会, 引当済みステータス, 一括出荷の対象):
 * after registration, after a status change, after an allocation result. The rules live in
 * `decideOrderActions`; this class only gathers the facts and carries the actions out.
 */
export class OrderActions {
  readonly #stores = new Map<string, { autoAllocation: boolean; at: number }>();

  constructor(private readonly deps: WorkerDeps) {}

  /** omsPurchase tenants: orders registered since the last plan, evaluated by {@link flushPlans}. */
  readonly #toPlan = new Map<string, { tenant: ActiveTenant; orderIds: Set<string> }>();

  async afterRegistration(
    tenant: ActiveTenant,
    orderId: string,
    signal: AbortSignal,
  ): Promise<void> {
    const settings = await readSettings(forkEm(this.deps.orm), tenant.tenantId);
    if (settings.effectiveStockMode === 'omsPurchase') {
      // Renkei's planner looks at every open order: plan once per batch, not once per order.
      const entry = this.#toPlan.get(tenant.tenantId) ?? { tenant, orderIds: new Set<string>() };
      entry.orderIds.add(orderId);
      this.#toPlan.set(tenant.tenantId, entry);
      return;
    }
    await this.evaluate(tenant, orderId, { kind: 'registered' }, signal);
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
        await readSettings(em, tenant.tenantId),
      );
      for (const orderId of orderIds) {
        await this.evaluate(tenant, orderId, { kind: 'allocationReported' }, signal, {
          planned: true,
        });
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
    const settings = await readSettings(em, tenant.tenantId);
    const repos = tenantRepositories(em, tenant.tenantId);
    const order = await repos.orders.findById(orderId);
    if (order !== null && settings.bulkShippingTriggerStatus === order.status.id) {
      const ship = await repos.operations.findByKey('shipOrders', `ship:${orderId}`);
      if (ship?.state === 'failed') {
        ship.state = 'pending';
        ship.nextAttemptAt = null;
        await em.flush();
      }
    }
    await this.evaluate(tenant, orderId, { kind: 'statusChanged', fromStatusId: null }, signal);
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
    const repos = tenantRepositories(em, tenant.tenantId);
    const order = await repos.orders.findWithLines(orderId);
    if (order === null) return;
    const settings = await readSettings(em, tenant.tenantId);
    const storeId = order.shop.orderStoreId ?? null;
    const orderStore = storeId === null ? null : await this.orderStore(tenant, storeId, signal);
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
      order: {
        orderNumber: order.orderNumber,
        statusId: order.status.id,
        statusCategory: order.status.category as OrderStatusCategory,
        shippingDate: order.shippingDate ?? null,
        smaregiOrderHeadId: order.smaregiOrderHeadId ?? null,
        smaregiStatus: order.syncState === 'canceled' ? 'canceled' : null,
        allocation: (order.allocationStatus ?? null) as SmaregiAllocationStatus | null,
        shortLineIndexes: shortLines(order, settings.syncEnclosures),
      },
      orderStore:
        settings.effectiveStockMode === 'omsPurchase' ? { autoAllocation: true } : orderStore,
      event:
        settings.effectiveStockMode === 'omsPurchase' && event.kind === 'registered'
          ? { kind: 'allocationReported' }
          : event,
    });
    for (const action of decision.actions) {
      if (action.kind === 'requestAllocation') {
        const allocated = await this.allocate(tenant, order, em, settings.syncEnclosures, signal);
        await em.flush();
        if (allocated) {
          await this.evaluate(tenant, orderId, { kind: 'allocationReported' }, signal);
          return;
        }
      } else if (action.kind === 'moveToStatus') {
        const status = await repos.orderStatuses.findById(action.statusId);
        if (status === null) continue;
        const from = order.status.name;
        order.status = status;
        repos.syncEvents.record({
          subjectType: 'order',
          subjectId: order.id,
          kind: 'order.allocatedStatus',
          outcome: 'success',
          message: `全明細が引当済みのため、ステータスを「${from}」から「${status.name}」に変更しました / Every line is allocated: status changed from ${from} to ${status.name}`,
        });
      } else {
        repos.syncEvents.record({
          subjectType: 'order',
          subjectId: order.id,
          kind: 'order.shippingQueued',
          outcome: 'info',
          message: `一括出荷の対象になりました(出荷日 ${action.shippingDate}) / Queued for bulk shipping (shipping date ${action.shippingDate})`,
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
    const short = attempted
      ? decision.skipped.find((s) => s.reason === 'notFullyAllocated')
      : undefined;
    if (short !== undefined && order.syncReason !== short.message.ja) {
      const lines = shortLines(order, settings.syncEnclosures).map((i) => i + 1);
      order.syncReason = short.message.ja;
      repos.syncEvents.record({
        subjectType: 'order',
        subjectId: order.id,
        kind: 'order.allocationShort',
        outcome: 'warning',
        message: `${short.message.ja}(${lines.join(', ')}行目) / ${short.message.en} (lines ${lines.join(', ')})`,
        detail: { shortLines: lines },
      });
    }
    await em.flush();
  }

  /** 在庫引当 in Smaregi; the result is copied onto the order. Returns true when it answered. */
  async allocate(
    tenant: ActiveTenant,
    order: Order,
    em: Em,
    syncEnclosures: boolean,
    signal: AbortSignal,
  ): Promise<boolean> {
    const headId = order.smaregiOrderHeadId;
    if (headId == null) return false;
    const repos = tenantRepositories(em, tenant.tenantId);
    const key = `allocate:${order.id}`;
    const op = await repos.operations.ensure('allocateOrder', key, { type: 'order', id: order.id });
    op.state = 'in_flight';
    op.attempts += 1;
    op.leaseUntil = new Date(this.deps.clock.now() + this.deps.settings.leaseMs);
    await em.flush();
    let remote: SmaregiOrder;
    try {
      // Allocation is idempotent in Smaregi (it takes what is still missing), so an unknown
      // outcome is settled by simply asking again on the next trigger.
      remote = await this.deps.smaregi
        .forContract(tenant.contractId)
        .orderShipment.orders.allocate(headId, { signal, priority: ALLOCATION_PRIORITY });
    } catch (error) {
      op.state = 'unknown';
      op.lastError = smaregiReason(error);
      op.leaseUntil = null;
      repos.syncEvents.record({
        subjectType: 'order',
        subjectId: order.id,
        kind: 'order.allocationFailed',
        outcome: 'warning',
        message: `在庫引当の照会に失敗しました: ${op.lastError} / Allocation inquiry failed: ${op.lastError}`,
        operationId: op.id,
      });
      return false;
    }
    op.state = 'succeeded';
    op.remoteId = remote.orderHeadId;
    op.leaseUntil = null;
    op.lastError = null;
    copyAllocation(order, remote, syncEnclosures);
    repos.syncEvents.record({
      subjectType: 'order',
      subjectId: order.id,
      kind: 'order.allocated',
      outcome: remote.allocationStatus === 'allocated' ? 'success' : 'warning',
      message: `在庫引当を照会しました: ${remote.allocationStatus} / Allocation inquiry: ${remote.allocationStatus}`,
      operationId: op.id,
    });
    return true;
  }

  /** The 受注店舗's automatic allocation, cached for a few minutes; null when it cannot be read. */
  async orderStore(
    tenant: ActiveTenant,
    storeId: string,
    signal: AbortSignal,
  ): Promise<{ autoAllocation: boolean } | null> {
    const key = `${tenant.contractId}:${storeId}`;
    const cached = this.#stores.get(key);
    const now = this.deps.clock.now();
    if (cached !== undefined && now - cached.at < STORE_CACHE_MS)
      return { autoAllocation: cached.autoAllocation };
    try {
      const store = await this.deps.smaregi
        .forContract(tenant.contractId)
        .orderShipment.stores.get(storeId, { signal, priority: ALLOCATION_PRIORITY });
      const autoAllocation = store.autoAllocation === true;
      this.#stores.set(key, { autoAllocation, at: now });
      return { autoAllocation };
    } catch (error) {
      this.deps.logger.warn(
        { tenantId: tenant.tenantId, storeId, err: smaregiReason(error) },
        'order store could not be read',
      );
      return null;
    }
  }
}

/**
 * Copies Smaregi's allocation onto the order. Details are in the order the lines were sent (the
 * payload builder keeps line order and appends the adjustment line), so detail i is sent line i.
 */
export function copyAllocation(order: Order, remote: SmaregiOrder, syncEnclosures: boolean): void {
  order.allocationStatus = remote.allocationStatus;
  sentLines(order, syncEnclosures).forEach((line, i) => {
    const detail = remote.details[i];
    if (detail !== undefined) line.allocatedQuantity = detail.allocatedQuantity;
  });
}

/** 0-based indexes (among all lines) of sent lines without their full quantity allocated. */
export function shortLines(order: Order, syncEnclosures: boolean): number[] {
  return [...order.lines.getItems()]
    .sort((a, b) => a.lineNo - b.lineNo)
    .flatMap((l, i) =>
      (syncEnclosures || !l.isEnclosure) && l.allocatedQuantity < l.quantity ? [i] : [],
    );
}

/** The first active status of a category (for shipped / cancelled moves), by sort order. */
export async function firstStatusOf(
  repos: TenantRepositories,
  category: OrderStatusCategory,
): Promise<OrderStatus | null> {
  const list = await repos.orderStatuses.find(
    { category, active: true },
    { orderBy: { sortOrder: 'asc', name: 'asc' }, limit: 1 },
  );
  return list[0] ?? null;
}
