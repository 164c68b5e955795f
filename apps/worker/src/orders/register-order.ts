import {
  forkEm,
  lastSyncErrorColumns,
  tenantRepositories,
  type LedgerClaim,
  type OperationLedger,
} from '@renkei/persistence';
import { CallPriority } from '@renkei/domain';
import { isSmaregiApiError, type OrderCodeLookup } from '@renkei/smaregi-client';
import { stopRequested, type WorkerDeps } from '../deps.js';
import { createLedger, releaseAfterFailure } from '../smaregi/ledger.js';
import { classifyWriteFailure, smaregiReason, type WriteFailure } from '../smaregi/outcome.js';
import { gatedWrite, notSentAtShutdown } from '../smaregi/send-gate.js';
import type { ActiveTenant } from '../tenants/active-tenants.js';
import { TransactionGroup } from '../util/transaction-group.js';
import { cancelledInOms, commitWithdrawn } from './withdraw-order.js';
import {
  commitCollision,
  commitNeedsCheck,
  commitRefused,
  commitRegistered,
  type RegisteredOrder,
} from './registration-commit.js';
import {
  fingerprintOf,
  markUnsendableById,
  planRegistration,
  REGISTER_KIND,
  sameOrder,
  sentNow,
  type RegisterResult,
  type RegistrationPayload,
  type RegistrationPlan,
} from './registration-plan.js';

export {
  fingerprintOf,
  registerOrderKey,
  type RegisterResult,
  type SentFingerprint,
} from './registration-plan.js';
export { applyLineAllocation } from './registration-commit.js';

const NOT_SENT = 'worker stopping: not sent';

/** The orderHeadId Smaregi gave a registration whose answer did not match our model. */
function registeredId(error: unknown): string | undefined {
  if (!isSmaregiApiError(error) || error.kind !== 'bad_response') return undefined;
  return error.remoteId === undefined || error.remoteId === '' ? undefined : error.remoteId;
}

/** True when another Renkei order is registered as `orderHeadId` (it is that order's, not ours). */
async function registeredAsAnother(
  deps: WorkerDeps,
  tenant: ActiveTenant,
  orderId: string,
  orderHeadId: string,
): Promise<boolean> {
  const repos = tenantRepositories(forkEm(deps.orm), tenant.tenantId);
  const holders = await repos.orders.find(
    { smaregiOrderHeadId: orderHeadId, id: { $ne: orderId } },
    { limit: 1 },
  );
  return holders.length > 0;
}

/**
 * 受注登録 through the operation ledger (docs/reliability.md item 1):
 *
 *   ledger row (tenant, registerOrder, order:<id>) → claimed in flight with a lease, committed
 *   BEFORE the call → POST /orders → committed as succeeded with the orderHeadId.
 *
 * A row found in flight with an expired lease, or unknown (timeout, reset, 5xx, abort), is resolved
 * by looking the order code up in its 受注店舗 before anything is sent again, so an order reaches
 * Smaregi once whatever point the previous attempt died at. Smaregi's "already registered" answer
 * is resolved the same way when this order's earlier attempt was lost; otherwise the code belongs
 * to another order (two shops with one 受注店舗 and the same order number) and the order is held
 * with that reason. A lookup that cannot decide leaves the order 要確認, never sent twice.
 */
export class OrderRegistrar {
  readonly ledger: OperationLedger;
  /** The registrations answered together are committed together (one transaction). */
  readonly #commits: TransactionGroup;

  constructor(private readonly deps: WorkerDeps) {
    this.ledger = createLedger(deps);
    this.#commits = new TransactionGroup(deps.orm);
  }

  async register(
    tenant: ActiveTenant,
    orderId: string,
    signal: AbortSignal,
  ): Promise<RegisterResult> {
    // After the stop request no registration begins; the ones in flight finish.
    if (stopRequested(this.deps)) return 'stopped';
    const plan = await planRegistration(this.deps, this.ledger, tenant, orderId);
    if (typeof plan === 'string') return plan;
    const claim = await this.ledger.claim(plan.entry, plan.sent);
    if (claim === null) return 'busy';
    await tenantRepositories(forkEm(this.deps.orm), tenant.tenantId).orders.update(
      { id: orderId },
      {
        syncState: 'pending',
        syncAttempts: plan.syncAttempts + 1,
        updatedAt: new Date(this.deps.clock.now()),
      },
    );
    if (stopRequested(this.deps)) {
      // The stop arrived while claiming and nothing was sent: hand the order back at once.
      await this.ledger.handBack(claim, NOT_SENT);
      return 'stopped';
    }
    const { hooks, metrics } = this.deps;
    await hooks?.beforeRemoteCall?.(REGISTER_KIND, claim.businessKey);
    metrics.inFlight.inc();
    try {
      const remote = await this.#resolveOrSend(tenant, plan, claim, signal);
      if (typeof remote === 'string') return remote;
      await hooks?.afterRemoteCall?.(REGISTER_KIND, claim.businessKey);
      // The sources of the body that went (found by a lookup: the earlier attempt's), so that
      // Smaregi's allocation lands on the lines it was sent for.
      const sent = (claim.payload as RegistrationPayload | null)?.sent;
      await commitRegistered(
        this.deps,
        this.ledger,
        this.#commits,
        tenant,
        orderId,
        claim,
        remote,
        sent?.detailSources ?? (plan.built.ok ? plan.built.detailSources : null),
      );
      await hooks?.afterCommit?.(REGISTER_KIND, claim.businessKey);
      return 'registered';
    } finally {
      metrics.inFlight.dec();
    }
  }

  /** Looks an earlier attempt up when its outcome is unknown, and sends only when it is absent. */
  async #resolveOrSend(
    tenant: ActiveTenant,
    plan: RegistrationPlan,
    claim: LedgerClaim,
    signal: AbortSignal,
  ): Promise<RegisteredOrder | RegisterResult> {
    const orders = this.deps.smaregi.forContract(tenant.contractId).orderShipment.orders;
    const options = { signal, priority: CallPriority.registerOrder };
    const sent = claim.payload as RegistrationPayload;
    if (claim.mustResolve) {
      const seen = await this.#lookUp(tenant, plan, claim, sent, options);
      if (seen !== 'absent') return seen;
      // Not in Smaregi, and cancelled in the OMS meanwhile: withdrawn, never sent.
      if (await cancelledInOms(this.deps, tenant, plan.orderId)) {
        await commitWithdrawn(this.deps, this.ledger, tenant, plan.orderId, claim);
        return 'skipped';
      }
    }
    if (!plan.built.ok) {
      // Resolved as never registered, and it cannot be sent as it is: back to waiting.
      await this.ledger.release(claim, 'pending', null, 0);
      return markUnsendableById(this.deps, tenant, plan.orderId, plan.built);
    }
    const payload = plan.built.payload;
    const now: RegistrationPayload = {
      storeId: payload.storeId,
      orderCode: payload.orderCode,
      fingerprint: fingerprintOf(payload),
      orderDateTime: payload.orderDateTime,
      // The body `register` puts on the wire for `payload` (the same function, the same bytes),
      // claimed with the in-flight mark — or recorded below, still in flight, before the call.
      sent: claim.mustResolve ? sentNow(this.deps, plan.built) : plan.sent.sent,
    };
    // Absent: what is sent now may differ from the earlier attempt (mapping changed meanwhile).
    if (claim.mustResolve) await this.ledger.remember(claim, now);
    try {
      return await gatedWrite(this.deps.stopping, () => orders.register(payload, options));
    } catch (error) {
      if (notSentAtShutdown(error)) {
        // The stop came while the call waited for its token or rate budget: nothing left.
        await this.ledger.handBack(claim, NOT_SENT);
        return 'stopped';
      }
      const registeredAs = registeredId(error);
      if (registeredAs !== undefined) {
        // Smaregi registered it and gave its ID, but the rest of the answer was not our model:
        // registered all the same (never sent again); read it back for the allocation if we can.
        const read = await orders.get(registeredAs, options).catch(() => undefined);
        return read ?? { orderHeadId: registeredAs, orderCode: payload.orderCode };
      }
      const failure = classifyWriteFailure(error);
      if (failure.kind !== 'duplicate') return this.#afterFailure(tenant, plan, claim, failure);
      if (!claim.mustResolve) {
        // Every earlier attempt of this order certainly had no effect (the ledger says so): the
        // order Smaregi already has under this code is another order's. Name it if we can.
        const other = await orders
          .lookupByOrderCode(
            payload.storeId,
            payload.orderCode,
            { orderDateTime: payload.orderDateTime },
            options,
          )
          .catch(() => undefined);
        await commitCollision(
          this.deps,
          this.ledger,
          tenant,
          plan.orderId,
          claim,
          now,
          other?.outcome === 'found' ? other.order.orderHeadId : null,
        );
        this.deps.metrics.operations.inc({ kind: REGISTER_KIND, result: 'collision' });
        return 'waiting';
      }
      // An earlier attempt of this order was lost, the lookup found nothing, and now Smaregi has
      // the code: perhaps that attempt landed meanwhile. Look again, under the same rules.
      const seen = await this.#lookUp(tenant, plan, claim, now, options);
      if (seen !== 'absent') return seen;
      await this.ledger.release(claim, 'unknown', failure.message);
      return 'retryLater';
    }
  }

  /**
   * Reads Smaregi for an earlier attempt of this order whose outcome is unknown. An order found
   * under the code is taken for this one only when it is provably what this order sent: the
   * ledger says this order sent that code to that store and its outcome was unknown (the caller
   * only looks when it is), the lines and total are those sent, and no other Renkei order is
   * registered as it. Anything else is a collision (held with its reason, never merged); a
   * lookup that cannot decide is 要確認 (never sent again by itself).
   */
  async #lookUp(
    tenant: ActiveTenant,
    plan: RegistrationPlan,
    claim: LedgerClaim,
    sent: RegistrationPayload,
    options: { signal: AbortSignal; priority: number },
  ): Promise<RegisteredOrder | RegisterResult | 'absent'> {
    const orders = this.deps.smaregi.forContract(tenant.contractId).orderShipment.orders;
    let seen: OrderCodeLookup;
    try {
      seen = await orders.lookupByOrderCode(
        sent.storeId,
        sent.orderCode,
        { orderDateTime: sent.orderDateTime, maxPages: this.deps.settings.orderLookupMaxPages },
        options,
      );
    } catch (error) {
      await this.ledger.release(claim, 'unknown', smaregiReason(error));
      return 'retryLater';
    }
    const count = (result: string) =>
      this.deps.metrics.operations.inc({ kind: REGISTER_KIND, result });
    switch (seen.outcome) {
      case 'absent':
        count('resolvedAbsent');
        return 'absent';
      case 'undecided':
        count('resolvedUndecided');
        await commitNeedsCheck(
          this.deps,
          this.ledger,
          tenant,
          plan.orderId,
          claim,
          sent,
          seen.reason,
        );
        return 'needsCheck';
      case 'found': {
        const found = seen.order;
        const ours =
          sameOrder(found, sent.fingerprint) &&
          !(await registeredAsAnother(this.deps, tenant, plan.orderId, found.orderHeadId));
        if (ours) {
          count('resolvedFound');
          return found;
        }
        count('collision');
        await commitCollision(
          this.deps,
          this.ledger,
          tenant,
          plan.orderId,
          claim,
          sent,
          found.orderHeadId,
        );
        return 'waiting';
      }
    }
  }

  async #afterFailure(
    tenant: ActiveTenant,
    plan: RegistrationPlan,
    claim: LedgerClaim,
    failure: WriteFailure,
  ): Promise<RegisterResult> {
    switch (failure.kind) {
      case 'unknown': {
        await releaseAfterFailure(this.deps, this.ledger, tenant, claim, failure);
        const em = forkEm(this.deps.orm);
        const order = await tenantRepositories(em, tenant.tenantId).orders.findById(plan.orderId);
        if (order !== null) {
          Object.assign(
            order,
            lastSyncErrorColumns({
              code: 'orderRetryLater',
              params: { orderNumber: order.orderNumber, reason: failure.message },
            }),
          );
          await em.flush();
        }
        return 'retryLater';
      }
      case 'noEffect':
        await releaseAfterFailure(this.deps, this.ledger, tenant, claim, failure);
        return 'retryLater';
      case 'reauth':
        await releaseAfterFailure(this.deps, this.ledger, tenant, claim, failure);
        return 'skipped';
      case 'rejected':
      case 'duplicate':
        return this.#refused(tenant, plan, claim, failure.message);
    }
  }

  async #refused(
    tenant: ActiveTenant,
    plan: RegistrationPlan,
    claim: LedgerClaim,
    reason: string,
  ): Promise<'failed'> {
    await commitRefused(this.deps, this.ledger, tenant, plan.orderId, claim, reason);
    return 'failed';
  }
}
