import { CallPriority, type IntegrationSettings } from '@renkei/domain';
import {
  forkEm,
  tenantRepositories,
  type Em,
  type LedgerClaim,
  type OperationLedger,
  type Order,
} from '@renkei/persistence';
import type { Order as SmaregiOrder } from '@renkei/smaregi-client';
import { stopRequested, type WorkerDeps } from '../deps.js';
import { releaseAfterFailure } from '../smaregi/ledger.js';
import { classifyWriteFailure, smaregiReason } from '../smaregi/outcome.js';
import { gatedWrite, notSentAtShutdown } from '../smaregi/send-gate.js';
import type { ActiveTenant } from '../tenants/active-tenants.js';
import { markOrderStock } from '../stock/stock-marks.js';
import { sentLines } from './order-view.js';

export const ALLOCATE_KIND = 'allocateOrder' as const;
export const allocateOrderKey = (orderId: string): string => `allocate:${orderId}`;

/** What became of an allocation request. */
export type AllocationResult =
  /**
   * Smaregi answered (or its order was read allocated): its allocation is on the order, committed
   * with what follows from it (`consequences`).
   */
  | 'answered'
  /**
   * Nothing was sent: the order was allocated meanwhile by another path (a resolved round, the
   * registration's follow-up). The order the caller holds does not show it: read it again.
   */
  | 'allocatedBefore'
  /** Nothing was sent: another process holds it, it backs off, or the worker is stopping. */
  | 'notNow'
  /** Smaregi refused it (reason on the order's history) or the outcome is unknown (retried). */
  | 'notAnswered';

/**
 * 在庫引当 (allocation inquiry) through the operation ledger, like registration (docs/reliability.md
 * item 1): the row `allocate:<orderId>` is claimed in flight before the call; an outcome that was
 * lost (timeout, crash) is resolved by reading the order from Smaregi before anything is sent
 * again. Each trigger (a status change into an allocation status, a registration) is one new
 * round on the same row: a succeeded or failed round may be claimed again, a round in flight or
 * backing off may not.
 */
export class Allocation {
  constructor(
    private readonly deps: WorkerDeps,
    readonly ledger: OperationLedger,
  ) {}

  /**
   * Asks Smaregi to allocate `order` (loaded with lines on `em`, flushed by the caller).
   * `consequences` applies, on the order as answered, what follows from the answer (the status
   * rules) in the transaction that records it: committed together, a worker that dies right after
   * cannot leave the order allocated but short of its 引当済みステータス, since nothing would
   * evaluate it again. It must not call Smaregi.
   */
  async allocate(
    tenant: ActiveTenant,
    order: Order,
    em: Em,
    settings: IntegrationSettings,
    signal: AbortSignal,
    consequences?: (tx: Em) => Promise<void>,
  ): Promise<AllocationResult> {
    const headId = order.smaregiOrderHeadId;
    if (headId == null || stopRequested(this.deps)) return 'notNow';
    const key = allocateOrderKey(order.id);
    const subject = { type: 'order', id: order.id };
    // A round of an order never allocated before (each newly registered order's): its row is
    // created in flight in one statement. Otherwise the row says whether a round may start.
    let claim = await this.ledger.claimNew(tenant.tenantId, ALLOCATE_KIND, key, subject, {
      orderHeadId: headId,
    });
    if (claim === null) {
      const entry = await this.ledger.open(tenant.tenantId, ALLOCATE_KIND, key, subject);
      if (entry.verdict === 'busy' || entry.verdict === 'deferred') return 'notNow';
      if (entry.verdict === 'succeeded' || entry.verdict === 'failed') {
        // A new round, decided on the order as the caller read it. Another path (a resolved
        // round, the registration's follow-up job) may have allocated it since: never ask twice.
        const now = await tenantRepositories(
          forkEm(this.deps.orm),
          tenant.tenantId,
        ).orders.findById(order.id);
        if (now?.allocationStatus === 'allocated') return 'allocatedBefore';
      }
      claim = await this.ledger.claim(entry, { orderHeadId: headId });
      if (claim === null) return 'notNow';
    }
    const { hooks } = this.deps;
    await hooks?.beforeRemoteCall?.(ALLOCATE_KIND, claim.businessKey);
    const orders = this.deps.smaregi.forContract(tenant.contractId).orderShipment.orders;
    const options = { signal, priority: CallPriority.allocation };
    let remote: SmaregiOrder | undefined;
    if (claim.mustResolve) {
      // An earlier round's answer was lost: Smaregi's order says whether it took effect.
      try {
        const current = await orders.get(headId, options);
        if (current.allocationStatus === 'allocated') remote = current;
      } catch (error) {
        await this.ledger.release(claim, 'unknown', smaregiReason(error));
        return 'notAnswered';
      }
    }
    if (remote === undefined) {
      try {
        remote = await gatedWrite(this.deps.stopping, () => orders.allocate(headId, options));
      } catch (error) {
        if (notSentAtShutdown(error)) {
          await this.ledger.handBack(claim, 'worker stopping: not sent');
          return 'notNow';
        }
        await this.#failed(tenant, order, em, claim, error);
        return 'notAnswered';
      }
    }
    await hooks?.afterRemoteCall?.(ALLOCATE_KIND, claim.businessKey);
    await em.transactional(async (tx) => {
      await this.ledger.succeed(tx, claim, remote.orderHeadId);
      copyAllocation(order, remote, settings.syncEnclosures);
      // Smaregi's allocated amounts of these products moved (no pos:stock is sent for that).
      await markOrderStock(tx, tenant.tenantId, order.id, {
        lines: order.lines.getItems(),
        settings,
      });
      tenantRepositories(tx, tenant.tenantId).syncEvents.record({
        subjectType: 'order',
        subjectId: order.id,
        kind: 'order.allocated',
        outcome: remote.allocationStatus === 'allocated' ? 'success' : 'warning',
        message: {
          code: 'orderAllocationInquired',
          params: { orderNumber: order.orderNumber, allocationStatus: remote.allocationStatus },
        },
        operationId: claim.id,
      });
      await consequences?.(tx);
    });
    await hooks?.afterCommit?.(ALLOCATE_KIND, claim.businessKey);
    return 'answered';
  }

  async #failed(
    tenant: ActiveTenant,
    order: Order,
    em: Em,
    claim: LedgerClaim,
    error: unknown,
  ): Promise<void> {
    const failure = classifyWriteFailure(error);
    const record = (tx: Em) =>
      tenantRepositories(tx, tenant.tenantId).syncEvents.record({
        subjectType: 'order',
        subjectId: order.id,
        kind: 'order.allocationFailed',
        outcome: failure.kind === 'rejected' ? 'failure' : 'warning',
        message: {
          code: 'orderAllocationInquiryFailed',
          params: { orderNumber: order.orderNumber, reason: failure.message },
        },
        operationId: claim.id,
      });
    switch (failure.kind) {
      case 'rejected':
      case 'duplicate':
        await em.transactional(async (tx) => {
          await this.ledger.fail(tx, claim, failure.message);
          record(tx);
        });
        return;
      case 'unknown':
        record(em);
        return releaseAfterFailure(this.deps, this.ledger, tenant, claim, failure);
      case 'noEffect':
      case 'reauth':
        return releaseAfterFailure(this.deps, this.ledger, tenant, claim, failure);
    }
  }

  /**
   * Rounds left unfinished (a crash, a lost answer, a hand-back at shutdown) once they are due:
   * the orders whose allocation must be resolved or asked again (nothing else triggers them).
   */
  async unfinished(tenant: ActiveTenant, limit = 50): Promise<string[]> {
    const entries = await this.ledger.dueUnfinished(tenant.tenantId, ALLOCATE_KIND, limit);
    return entries.flatMap((e) => (e.subjectId === null ? [] : [e.subjectId]));
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
