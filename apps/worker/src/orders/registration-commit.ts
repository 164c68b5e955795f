import {
  CallPriority,
  type DetailSource,
  type EventMessageParams,
  type MessageRef,
} from '@renkei/domain';
import {
  forkEm,
  JOB_NAMES,
  lastSyncErrorColumns,
  sameMessage,
  syncReasonColumns,
  syncReasonOf,
  tenantRepositories,
  type LedgerClaim,
  type OperationLedger,
  type Order,
} from '@renkei/persistence';
import type { Order as SmaregiOrder } from '@renkei/smaregi-client';
import type { WorkerDeps } from '../deps.js';
import { markOrderStock } from '../stock/stock-marks.js';
import { readSettings } from './order-view.js';
import type { ActiveTenant } from '../tenants/active-tenants.js';
import type { TransactionGroup } from '../util/transaction-group.js';

/**
 * What Smaregi said about a registered order: the whole order, or — when its answer did not match
 * our model (`bad_response` with `remoteId`) and it could not be read back — only its ID.
 */
export type RegisteredOrder = Pick<SmaregiOrder, 'orderHeadId' | 'orderCode'> &
  Partial<Pick<SmaregiOrder, 'allocationStatus' | 'details'>>;

/**
 * The local commits of a registration, each in one transaction with its ledger transition:
 * registered (the orderHeadId, Smaregi's allocation, a sync event), refused (the reason on the
 * order, never sent again by itself), held by a code collision, or 要確認.
 *
 * A registration is the most frequent of them: it is written through `commits`, the process's
 * group commit, so the registrations answered together (of any tenant) share one transaction.
 */
export async function commitRegistered(
  deps: WorkerDeps,
  ledger: OperationLedger,
  commits: TransactionGroup,
  tenant: ActiveTenant,
  orderId: string,
  claim: LedgerClaim,
  remote: RegisteredOrder,
  detailSources: DetailSource[] | null,
): Promise<void> {
  // Before the transaction: on SQLite a read on another connection would wait for it.
  const settings = await readSettings(forkEm(deps.orm), tenant);
  // Everything below reads what it changes through `tx`, so it may run again alone should the
  // group's transaction fail (TransactionGroup).
  await commits.run(async (tx) => {
    const now = new Date(deps.clock.now());
    await ledger.succeed(tx, claim, remote.orderHeadId);
    const repos = tenantRepositories(tx, tenant.tenantId);
    const order = await repos.orders.findWithLines(orderId);
    if (order === null) return;
    order.syncState = 'registered';
    order.smaregiOrderHeadId = remote.orderHeadId;
    order.allocationStatus = remote.allocationStatus ?? order.allocationStatus ?? null;
    order.lastSyncedAt = now;
    Object.assign(order, lastSyncErrorColumns(null), syncReasonColumns(null));
    applyLineAllocation(order, remote, detailSources);
    // Registered (and maybe allocated at once): these products' figures moved in Smaregi.
    await markOrderStock(tx, tenant.tenantId, order.id, {
      lines: order.lines.getItems(),
      settings,
    });
    repos.syncEvents.record({
      subjectType: 'order',
      subjectId: order.id,
      kind: 'order.registered',
      outcome: 'success',
      message: {
        code: 'orderRegistered',
        params: {
          orderNumber: order.orderNumber,
          orderHeadId: remote.orderHeadId,
          orderCode: remote.orderCode,
        },
      },
      detail: {
        orderHeadId: remote.orderHeadId,
        allocationStatus: remote.allocationStatus ?? null,
        resolvedByLookup: claim.mustResolve,
      },
      operationId: claim.id,
    });
    // The status rules follow at once in this process; should it die first, this job runs them
    // once its time comes (OrderActions marks it done when it got there itself).
    await repos.jobs.enqueue(
      JOB_NAMES.orderRegistered,
      { orderId },
      {
        dedupKey: orderId,
        priority: CallPriority.allocation,
        runAt: new Date(now.getTime() + deps.settings.leaseMs),
      },
    );
  });
}

/** Smaregi refused the order (or its code belongs to another order): failed, with the reason. */
export async function commitRefused(
  deps: WorkerDeps,
  ledger: OperationLedger,
  tenant: ActiveTenant,
  orderId: string,
  claim: LedgerClaim,
  reason: string,
): Promise<void> {
  await forkEm(deps.orm).transactional(async (tx) => {
    await ledger.fail(tx, claim, reason);
    const repos = tenantRepositories(tx, tenant.tenantId);
    const order = await repos.orders.findById(orderId);
    if (order === null) return;
    const refused: MessageRef = {
      code: 'orderRegistrationRefused',
      params: { orderNumber: order.orderNumber, reason },
    };
    order.syncState = 'failed';
    Object.assign(order, lastSyncErrorColumns(refused), syncReasonColumns(null));
    repos.syncEvents.record({
      subjectType: 'order',
      subjectId: orderId,
      kind: 'order.registrationFailed',
      outcome: 'failure',
      message: refused,
      operationId: claim.id,
    });
    await tx.flush();
  });
}

/**
 * The order code is held by another order of the 受注店舗 (another shop's order with the same
 * order number, or one registered outside Renkei): nothing of this order reached Smaregi, so the
 * ledger row goes back to pending with the collision remembered, and the order waits — held with
 * the reason and the fix (a prefix on the shop) — until what it would send changes.
 */
export async function commitCollision(
  deps: WorkerDeps,
  ledger: OperationLedger,
  tenant: ActiveTenant,
  orderId: string,
  claim: LedgerClaim,
  sent: { storeId: string; orderCode: string },
  orderHeadId: string | null,
): Promise<void> {
  await ledger.remember(claim, {
    ...(claim.payload ?? {}),
    collision: { storeId: sent.storeId, orderCode: sent.orderCode, orderHeadId },
  });
  await forkEm(deps.orm).transactional(async (tx) => {
    const repos = tenantRepositories(tx, tenant.tenantId);
    const order = await repos.orders.findWithLines(orderId);
    if (order === null) return;
    const holder =
      orderHeadId === null
        ? null
        : ((
            await repos.orders.find(
              { smaregiOrderHeadId: orderHeadId, id: { $ne: orderId } },
              { populate: ['shop'], limit: 1 },
            )
          )[0] ?? null);
    const params: EventMessageParams['orderCodeCollision'] = {
      orderNumber: order.orderNumber,
      orderCode: sent.orderCode,
      shopName: order.shop.name,
      otherShopName: holder?.shop.name ?? null,
      orderHeadId,
    };
    const reason: MessageRef = { code: 'orderCodeCollision', params };
    if (order.syncState !== 'waiting' || !sameMessage(syncReasonOf(order), reason)) {
      repos.syncEvents.record({
        subjectType: 'order',
        subjectId: order.id,
        kind: 'order.codeCollision',
        outcome: 'warning',
        message: reason,
        detail: { storeId: sent.storeId, orderCode: sent.orderCode, orderHeadId },
        operationId: claim.id,
      });
    }
    order.syncState = 'waiting';
    Object.assign(order, syncReasonColumns(reason), lastSyncErrorColumns(null));
    await tx.flush();
  });
  // Nothing was created by this order: no effect, due again at once (the plan holds it).
  await ledger.release(
    claim,
    'pending',
    `order code ${sent.orderCode} is used by another order`,
    0,
  );
}

/**
 * 要確認: Smaregi could not tell whether this order's earlier attempt is there. The ledger row
 * stays unknown (any later attempt reads Smaregi first) and the order leaves the queue until the
 * merchant has checked (a retry sets it back to pending).
 */
export async function commitNeedsCheck(
  deps: WorkerDeps,
  ledger: OperationLedger,
  tenant: ActiveTenant,
  orderId: string,
  claim: LedgerClaim,
  sent: { orderCode: string },
  detail: string,
): Promise<void> {
  await forkEm(deps.orm).transactional(async (tx) => {
    const repos = tenantRepositories(tx, tenant.tenantId);
    const order = await repos.orders.findById(orderId);
    if (order === null) return;
    const params: EventMessageParams['orderNeedsCheck'] = {
      orderNumber: order.orderNumber,
      orderCode: sent.orderCode,
      cause: /several orders/.test(detail) ? 'severalOrders' : 'unreadable',
      detail,
    };
    repos.syncEvents.record({
      subjectType: 'order',
      subjectId: order.id,
      kind: 'order.needsCheck',
      outcome: 'warning',
      message: { code: 'orderNeedsCheck', params },
      detail: { orderCode: sent.orderCode, lookup: detail },
      operationId: claim.id,
    });
    order.syncState = 'needsCheck';
    Object.assign(
      order,
      syncReasonColumns({ code: 'orderNeedsCheck', params }),
      lastSyncErrorColumns(null),
    );
    await tx.flush();
  });
  await ledger.release(claim, 'unknown', detail);
}

/**
 * Copies Smaregi's allocated quantities onto the merchant's lines. `detailSources[i]` says which
 * OMS line detail i came from; without it (or when the shapes differ) nothing is copied.
 */
export function applyLineAllocation(
  order: Order,
  remote: Pick<RegisteredOrder, 'details'>,
  sources: DetailSource[] | null,
): void {
  const lines = [...order.lines.getItems()].sort((a, b) => a.lineNo - b.lineNo);
  if (remote.details === undefined) return;
  if (sources === null || sources.length !== remote.details.length) return;
  remote.details.forEach((detail, i) => {
    const source = sources[i];
    // Every source but the 調整額 line is one of the merchant's lines (封入物, ダミー商品 too).
    if (source === undefined || source.kind === 'adjustment') return;
    const line = lines[source.lineIndex];
    if (line !== undefined) line.allocatedQuantity = detail.allocatedQuantity;
  });
}
