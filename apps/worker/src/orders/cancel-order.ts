import { CallPriority, decideCancellation, type OrderStatusCategory } from '@renkei/domain';
import {
  forkEm,
  lastSyncErrorColumns,
  syncReasonColumns,
  tenantRepositories,
  type LedgerClaim,
  type OperationLedger,
  type Order,
} from '@renkei/persistence';
import type { Order as SmaregiOrder } from '@renkei/smaregi-client';
import { stopRequested, type WorkerDeps } from '../deps.js';
import { createLedger, releaseAfterFailure } from '../smaregi/ledger.js';
import { classifyWriteFailure, smaregiReason } from '../smaregi/outcome.js';
import { gatedWrite, notSentAtShutdown } from '../smaregi/send-gate.js';
import type { ActiveTenant } from '../tenants/active-tenants.js';
import type { OrderEvents } from './order-events.js';
import { readSettings } from './order-view.js';
import { REGISTER_KIND, registerOrderKey } from './registration-plan.js';
import { registrationUnresolved, withdrawUnsent } from './withdraw-order.js';

export const CANCEL_KIND = 'cancelOrder' as const;
/** The same row as a cancel observed from Smaregi (`OrderEvents.canceled`): once, either way. */
export const cancelOrderKey = (orderId: string): string => `cancel:${orderId}`;

/** What became of an order's (OMS) cancel. */
export type CancelResult =
  /** Cancelled in Smaregi (now, or found so) and applied to the order. */
  | 'canceled'
  /** Not in Smaregi yet: withdrawn, never sent. */
  | 'withdrawn'
  /** A withdrawn order moved back to an open status: queued for registration again. */
  | 'reinstated'
  /** Smaregi refused (e.g. already shipped): the reason is on the order; not retried by itself. */
  | 'refused'
  /** Not done now: unknown outcome or a passing error (retried, Smaregi read first), busy. */
  | 'later'
  /** Nothing to do (see `decideCancellation`). */
  | 'nothing';

/**
 * キャンセル連携 (docs/flows.md §5): an order the merchant moves into a cancel status (the status
 * master's category `cancelled`, from the admin or the intake) is cancelled in Smaregi once,
 * through the operation ledger like registration, allocation and bulk shipping
 * (docs/reliability.md item 1): the row `cancel:<orderId>` is claimed in flight before
 * `POST /orders/{orderHeadId}/cancel`; an outcome that was lost (timeout, crash) is resolved by
 * reading the order from Smaregi before anything is sent again. The order's side (allocation
 * released, sync state canceled) is `OrderEvents.applyCanceled`, the same as for a cancel made in
 * Smaregi, and shares its ledger row, so a `canceled` webhook for this very cancel changes nothing
 * more. A refusal (already shipped) is shown on the order and the order stays registered.
 *
 * An order that is not in Smaregi yet is withdrawn instead: its registration row is claimed and
 * failed in one step with the order's sync state, so no registration can start after it.
 */
export class OrderCancellation {
  readonly ledger: OperationLedger;

  constructor(
    private readonly deps: WorkerDeps,
    private readonly orderEvents: OrderEvents,
  ) {
    this.ledger = createLedger(deps);
  }

  /**
   * The merchant (or the intake) moved the order. Moving it into a cancel status again is how a
   * merchant retries a cancel Smaregi refused (after checking Smaregi), so a failed row is opened
   * again.
   */
  async onStatusChanged(tenant: ActiveTenant, orderId: string, signal: AbortSignal) {
    const repos = tenantRepositories(forkEm(this.deps.orm), tenant.tenantId);
    const order = await repos.orders.findWithLines(orderId);
    if (order?.status.category === 'cancelled' && order.syncState === 'registered')
      await this.ledger.reopen(tenant.tenantId, CANCEL_KIND, cancelOrderKey(orderId));
    return this.apply(tenant, orderId, signal);
  }

  /** Decides (`decideCancellation`) and acts for one order. */
  async apply(tenant: ActiveTenant, orderId: string, signal: AbortSignal): Promise<CancelResult> {
    const em = forkEm(this.deps.orm);
    const repos = tenantRepositories(em, tenant.tenantId);
    const order = await repos.orders.findWithLines(orderId);
    if (order === null) return 'nothing';
    const settings = await readSettings(em, tenant);
    const registered = order.smaregiOrderHeadId != null && order.smaregiOrderHeadId !== '';
    // The registration row matters only for an order that may have to be withdrawn.
    const registration =
      !registered && order.status.category === 'cancelled' && order.syncState !== 'canceled'
        ? await this.ledger.open(tenant.tenantId, REGISTER_KIND, registerOrderKey(orderId), {
            type: 'order',
            id: orderId,
          })
        : null;
    const decision = decideCancellation({
      integrationEnabled: settings.integrationEnabled,
      order: {
        statusCategory: order.status.category as OrderStatusCategory,
        smaregiOrderHeadId: order.smaregiOrderHeadId ?? null,
        smaregiStatus: order.syncState === 'canceled' ? 'canceled' : null,
      },
      registrationUnresolved: registration !== null && registrationUnresolved(registration),
    });
    switch (decision.kind) {
      case 'none':
        return 'nothing';
      case 'withdraw':
        return registration === null
          ? 'nothing'
          : withdrawUnsent(this.deps, this.ledger, tenant, orderId, registration);
      case 'reinstate':
        return this.#reinstate(tenant, order);
      case 'cancelInSmaregi':
        return this.#cancel(tenant, orderId, decision.orderHeadId, signal);
    }
  }

  /**
   * Cancels left to do (docs/reliability.md item 1): registered orders in a cancel status that
   * are not cancelled in Smaregi and whose cancel is neither refused nor waiting its turn — a
   * cancel made while the integration was stopped, one whose worker died, one whose answer was
   * lost, an order registered just as it was cancelled — and orders refused at registration
   * (not in the registration loop) that must be withdrawn.
   */
  async resume(tenant: ActiveTenant, signal: AbortSignal, limit = 50): Promise<void> {
    const repos = tenantRepositories(forkEm(this.deps.orm), tenant.tenantId);
    const refused = await repos.operations.find({ kind: CANCEL_KIND, state: 'failed' });
    const skip = [
      ...(await this.ledger.notDueSubjects(tenant.tenantId, CANCEL_KIND)),
      ...refused.flatMap((op) => (op.subjectId == null ? [] : [op.subjectId])),
    ];
    const due = await repos.orders.find(
      {
        status: { category: 'cancelled' },
        $or: [
          { syncState: 'registered', smaregiOrderHeadId: { $ne: null } },
          { syncState: 'failed', smaregiOrderHeadId: null },
        ],
        ...(skip.length > 0 ? { id: { $nin: skip } } : {}),
      },
      { orderBy: { updatedAt: 'asc', id: 'asc' }, limit },
    );
    for (const { id } of due) {
      if (stopRequested(this.deps, signal)) return;
      await this.apply(tenant, id, signal);
    }
  }

  async #cancel(
    tenant: ActiveTenant,
    orderId: string,
    headId: string,
    signal: AbortSignal,
  ): Promise<CancelResult> {
    if (stopRequested(this.deps)) return 'later';
    const entry = await this.ledger.open(tenant.tenantId, CANCEL_KIND, cancelOrderKey(orderId), {
      type: 'order',
      id: orderId,
    });
    // Succeeded: applied already (a webhook, or another process); failed: refused until reopened.
    if (entry.verdict === 'succeeded') return 'canceled';
    if (entry.verdict === 'failed') return 'refused';
    if (entry.verdict !== 'claimable') return 'later';
    const claim = await this.ledger.claim(entry, { orderHeadId: headId });
    if (claim === null) return 'later';
    const { hooks } = this.deps;
    await hooks?.beforeRemoteCall?.(CANCEL_KIND, claim.businessKey);
    const orders = this.deps.smaregi.forContract(tenant.contractId).orderShipment.orders;
    // A merchant's cancel frees stock for other orders: as urgent as an allocation inquiry.
    const options = { signal, priority: CallPriority.allocation };
    let remote: SmaregiOrder | undefined;
    if (claim.mustResolve) {
      // An earlier attempt's answer was lost: Smaregi's order says whether it took effect.
      try {
        const current = await orders.get(headId, options);
        if (current.status === 'canceled') remote = current;
        else if (current.status === 'shipped') {
          // Shipped meanwhile (Smaregi cancels no shipped order): refused, in Smaregi's terms.
          await this.#refused(tenant, orderId, claim, `status: ${current.status}`);
          return 'refused';
        }
      } catch (error) {
        await this.ledger.release(claim, 'unknown', smaregiReason(error));
        return 'later';
      }
    }
    if (remote === undefined) {
      try {
        remote = await gatedWrite(this.deps.stopping, () => orders.cancel(headId, options));
      } catch (error) {
        if (notSentAtShutdown(error)) {
          await this.ledger.handBack(claim, 'worker stopping: not sent');
          return 'later';
        }
        const outcome = await this.#failed(tenant, orderId, headId, claim, error, options);
        if (outcome !== 'alreadyCanceled') return outcome;
      }
    }
    await hooks?.afterRemoteCall?.(CANCEL_KIND, claim.businessKey);
    await forkEm(this.deps.orm).transactional(async (tx) => {
      // Once: the `canceled` webhook of this very cancel may have been applied meanwhile.
      if (await this.ledger.succeed(tx, claim, headId))
        await this.orderEvents.applyCanceled(tx, tenant, orderId, claim.id, 'oms');
    });
    await hooks?.afterCommit?.(CANCEL_KIND, claim.businessKey);
    return 'canceled';
  }

  /**
   * A cancel that failed. A refusal is read back first: Smaregi refuses to cancel an order that
   * is cancelled already (by someone in Smaregi, whose webhook has not been applied yet), and
   * that is the effect we wanted.
   */
  async #failed(
    tenant: ActiveTenant,
    orderId: string,
    headId: string,
    claim: LedgerClaim,
    error: unknown,
    options: { signal: AbortSignal; priority: number },
  ): Promise<CancelResult | 'alreadyCanceled'> {
    const failure = classifyWriteFailure(error);
    switch (failure.kind) {
      case 'rejected':
      case 'duplicate': {
        const orders = this.deps.smaregi.forContract(tenant.contractId).orderShipment.orders;
        const current = await orders.get(headId, options).catch(() => undefined);
        if (current === undefined) {
          // Refused, but whether it is cancelled cannot be read now: nothing changed; later.
          await this.ledger.release(claim, 'pending', failure.message);
          return 'later';
        }
        if (current.status === 'canceled') return 'alreadyCanceled';
        await this.#refused(tenant, orderId, claim, failure.message);
        return 'refused';
      }
      case 'unknown': {
        const em = forkEm(this.deps.orm);
        const repos = tenantRepositories(em, tenant.tenantId);
        const order = await repos.orders.findById(orderId);
        repos.syncEvents.record({
          subjectType: 'order',
          subjectId: orderId,
          kind: 'order.cancelRetry',
          outcome: 'warning',
          message: {
            code: 'orderCancelRetry',
            params: { orderNumber: order?.orderNumber ?? '', reason: failure.message },
          },
          operationId: claim.id,
        });
        await em.flush();
        await releaseAfterFailure(this.deps, this.ledger, tenant, claim, failure);
        return 'later';
      }
      case 'noEffect':
      case 'reauth':
        await releaseAfterFailure(this.deps, this.ledger, tenant, claim, failure);
        return 'later';
    }
  }

  /** Smaregi refused: failed (until the merchant asks again), shown on the order and the log. */
  async #refused(
    tenant: ActiveTenant,
    orderId: string,
    claim: LedgerClaim,
    reason: string,
  ): Promise<void> {
    await forkEm(this.deps.orm).transactional(async (tx) => {
      await this.ledger.fail(tx, claim, reason);
      const repos = tenantRepositories(tx, tenant.tenantId);
      const order = await repos.orders.findById(orderId);
      if (order === null) return;
      const message = {
        code: 'orderCancelRefused',
        params: { orderNumber: order.orderNumber, reason },
      } as const;
      // The order stays registered (Smaregi did not cancel it): its error says why.
      Object.assign(order, lastSyncErrorColumns(message));
      repos.syncEvents.record({
        subjectType: 'order',
        subjectId: orderId,
        kind: 'order.cancelRefused',
        outcome: 'failure',
        message,
        operationId: claim.id,
      });
    });
  }

  async #reinstate(tenant: ActiveTenant, order: Order): Promise<CancelResult> {
    const em = forkEm(this.deps.orm);
    const repos = tenantRepositories(em, tenant.tenantId);
    // Only if still withdrawn (compare-and-set on the sync state): then queued like a new order.
    const n = await repos.orders.update(
      { id: order.id, syncState: 'canceled', smaregiOrderHeadId: null },
      { syncState: 'pending', ...syncReasonColumns(null), ...lastSyncErrorColumns(null) },
    );
    if (n !== 1) return 'nothing';
    await this.ledger.reopen(tenant.tenantId, REGISTER_KIND, registerOrderKey(order.id));
    repos.syncEvents.record({
      subjectType: 'order',
      subjectId: order.id,
      kind: 'order.reinstated',
      outcome: 'info',
      message: {
        code: 'orderReinstated',
        params: { orderNumber: order.orderNumber, status: order.status.name },
      },
    });
    await em.flush();
    return 'reinstated';
  }
}
