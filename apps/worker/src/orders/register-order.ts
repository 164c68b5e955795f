import {
  buildSmaregiOrderPayload,
  type DetailSource,
  type OrderPayloadResult,
  type SmaregiOrderPayload,
} from '@renkei/domain';
import {
  forkEm,
  Operation,
  Order,
  SmaregiConnection,
  tenantRepositories,
  UniqueConstraintViolationException,
  type Em,
} from '@renkei/persistence';
import type { Order as SmaregiOrder } from '@renkei/smaregi-client';
import { stopRequested, type WorkerDeps } from '../deps.js';
import { backoffMs, classifyWriteFailure, smaregiReason } from '../smaregi/outcome.js';
import { gatedWrite, notSentAtShutdown } from '../smaregi/send-gate.js';
import type { ActiveTenant } from '../tenants/active-tenants.js';
import { FIXABLE_ELSEWHERE, readSettings, payloadContextFor, toOmsOrder } from './order-view.js';

/** Call priority of order registration in the contract's rate budget (orders first). */
export const ORDER_PRIORITY = 30;

export type RegisterResult =
  /** Registered by this call (or found registered while resolving an unknown outcome). */
  | 'registered'
  /** Already registered before: nothing sent. */
  | 'alreadyRegistered'
  /** Waits for a fix elsewhere (mapping, product, setting); the reason is on the order. */
  | 'waiting'
  /** Smaregi refused it, or the order itself is wrong; the reason is on the order. */
  | 'failed'
  /** Outcome unknown or rate limited: tried again after a backoff (read first when unknown). */
  | 'retryLater'
  /** Another worker holds the in-flight lease. */
  | 'busy'
  /** Nothing to do (order gone, integration off, connection refused). */
  | 'skipped'
  /** The worker is stopping: not started (or handed back before anything was sent). */
  | 'stopped';

const OP_KIND = 'registerOrder' as const;
export const registerOrderKey = (orderId: string): string => `order:${orderId}`;

/**
 * What was sent, kept on the ledger row: an order found by its code is only taken for ours when
 * it carries the same lines and total. Two shops mapped to one 受注店舗 can use the same order
 * number; their orders must never be confused.
 */
export interface SentFingerprint {
  total: number;
  /** `productId×quantity` per detail, in order. */
  lines: string;
}

export function fingerprintOf(order: {
  total: number;
  details: readonly { productId: string; quantity: number }[];
}): SentFingerprint {
  return {
    total: order.total,
    lines: order.details.map((d) => `${d.productId}x${d.quantity}`).join(','),
  };
}

function sameOrder(remote: SmaregiOrder, sent: SentFingerprint | null): boolean {
  if (sent === null) return true;
  const found = fingerprintOf(remote);
  return found.total === sent.total && found.lines === sent.lines;
}

interface Claim {
  opId: string;
  attempts: number;
  /** What the remote order must look like to be ours (null: unknown, accept the code match). */
  fingerprint: SentFingerprint | null;
  storeId: string;
  orderCode: string;
  /** The outcome of an earlier call is unknown: look the order up before sending. */
  mustResolve: boolean;
  built: OrderPayloadResult;
}

/**
 * 受注登録 through the operation ledger (docs/reliability.md item 1):
 *
 *   ledger row (tenant, registerOrder, order:<id>) → in_flight with a lease, committed BEFORE the
 *   call → POST /orders → committed as succeeded with the orderHeadId.
 *
 * A row found in_flight with an expired lease, or unknown (timeout, reset, 5xx, abort), is resolved
 * by looking the order code up in its 受注店舗 before anything is sent again, so an order reaches
 * Smaregi once whatever point the previous attempt died at. The claim is a compare-and-set on
 * (state, attempts), so two workers never send the same order at the same time.
 */
export class OrderRegistrar {
  constructor(private readonly deps: WorkerDeps) {}

  async register(
    tenant: ActiveTenant,
    orderId: string,
    signal: AbortSignal,
  ): Promise<RegisterResult> {
    // After the stop request no registration begins; the ones in flight finish.
    if (stopRequested(this.deps)) return 'stopped';
    const claim = await this.#claim(tenant, orderId);
    if (typeof claim === 'string') return claim;
    if (stopRequested(this.deps)) {
      // The stop arrived while claiming and nothing was sent: hand the order back at once
      // (`unknown` keeps the rule that an earlier attempt is looked up before any resend).
      await this.#release(
        tenant,
        claim,
        claim.mustResolve ? 'unknown' : 'pending',
        'worker stopping: not sent',
        0,
      );
      return 'stopped';
    }
    const { hooks, smaregi, metrics } = this.deps;
    const key = registerOrderKey(orderId);
    await hooks?.beforeRemoteCall?.(OP_KIND, key);
    const orders = smaregi.forContract(tenant.contractId).orderShipment.orders;
    const callOptions = { signal, priority: ORDER_PRIORITY };
    metrics.inFlight.inc();
    try {
      let remote: SmaregiOrder | undefined;
      if (claim.mustResolve) {
        try {
          remote = await orders.findByOrderCode(claim.storeId, claim.orderCode, callOptions);
        } catch (error) {
          await this.#release(tenant, claim, 'unknown', smaregiReason(error));
          return 'retryLater';
        }
        metrics.operations.inc({
          kind: OP_KIND,
          result: remote ? 'resolvedFound' : 'resolvedAbsent',
        });
        if (remote !== undefined && !sameOrder(remote, claim.fingerprint)) {
          return await this.#fail(tenant, orderId, claim, collision(claim, remote));
        }
      }
      if (remote === undefined) {
        if (!claim.built.ok) {
          // Resolved as never registered, and it cannot be sent as it is: back to waiting.
          await this.#release(tenant, claim, 'pending', null);
          return this.#markProblems(tenant, orderId, claim.built);
        }
        if (claim.mustResolve) await this.#remember(tenant, claim, claim.built.payload);
        const payload = claim.built.payload;
        try {
          remote = await gatedWrite(this.deps.stopping, () =>
            orders.register(payload, callOptions),
          );
        } catch (error) {
          if (notSentAtShutdown(error)) {
            // The stop came while the call waited for its token or rate budget: nothing left.
            await this.#release(
              tenant,
              claim,
              claim.mustResolve ? 'unknown' : 'pending',
              'worker stopping: not sent',
              0,
            );
            return 'stopped';
          }
          const failure = classifyWriteFailure(error);
          if (failure.kind === 'duplicate') {
            // Smaregi already has this order code: an earlier attempt reached it.
            try {
              remote = await orders.findByOrderCode(claim.storeId, claim.orderCode, callOptions);
            } catch {
              remote = undefined;
            }
            if (remote === undefined) {
              await this.#release(tenant, claim, 'unknown', failure.message);
              return 'retryLater';
            }
            if (!sameOrder(remote, fingerprintOf(claim.built.payload))) {
              return await this.#fail(tenant, orderId, claim, collision(claim, remote));
            }
          } else {
            return await this.#fail(tenant, orderId, claim, failure);
          }
        }
      }
      await hooks?.afterRemoteCall?.(OP_KIND, key);
      await this.#commitSuccess(tenant, orderId, claim, remote);
      metrics.operations.inc({ kind: OP_KIND, result: 'succeeded' });
      await hooks?.afterCommit?.(OP_KIND, key);
      return 'registered';
    } finally {
      metrics.inFlight.dec();
    }
  }

  /** Reads the order and its ledger row, decides, and marks the row in flight (or returns why not). */
  async #claim(tenant: ActiveTenant, orderId: string): Promise<Claim | RegisterResult> {
    const { orm, clock } = this.deps;
    const em = forkEm(orm);
    const repos = tenantRepositories(em, tenant.tenantId);
    const order = await repos.orders.findWithLines(orderId);
    if (order === null) return 'skipped';
    const key = registerOrderKey(orderId);
    let op = await repos.operations.findByKey(OP_KIND, key);
    if (op === null) {
      op = repos.operations.create({
        kind: OP_KIND,
        businessKey: key,
        subjectType: 'order',
        subjectId: order.id,
      });
      try {
        await em.flush();
      } catch (error) {
        if (error instanceof UniqueConstraintViolationException) return 'busy';
        throw error;
      }
    }
    const now = clock.now();
    let mustResolve = false;
    switch (op.state) {
      case 'succeeded':
        if (order.syncState !== 'registered' && order.syncState !== 'canceled') {
          // The ledger knows better than the order row (e.g. repaired by hand): align it.
          order.syncState = 'registered';
          order.smaregiOrderHeadId = op.remoteId ?? order.smaregiOrderHeadId ?? null;
          await em.flush();
        }
        return 'alreadyRegistered';
      case 'in_flight':
        if (op.leaseUntil != null && op.leaseUntil.getTime() > now) return 'busy';
        mustResolve = true;
        break;
      case 'unknown':
        if (op.nextAttemptAt != null && op.nextAttemptAt.getTime() > now) return 'retryLater';
        mustResolve = true;
        break;
      case 'failed':
        // Failed stays failed until the merchant asks again (the API sets the order back to pending).
        if (order.syncState === 'failed') return 'failed';
        break;
      case 'pending':
        if (op.nextAttemptAt != null && op.nextAttemptAt.getTime() > now) return 'retryLater';
        break;
    }
    if (order.syncState === 'registered' || order.syncState === 'canceled')
      return 'alreadyRegistered';
    const settings = await readSettings(em, tenant.tenantId);
    if (!settings.integrationEnabled) return 'skipped';

    const oms = toOmsOrder(order);
    const built = buildSmaregiOrderPayload(
      oms,
      await payloadContextFor(repos, order, oms, settings),
    );
    const previous = op.payload as
      { storeId?: string; orderCode?: string; fingerprint?: SentFingerprint } | null | undefined;
    const storeId = built.ok
      ? built.payload.storeId
      : (previous?.storeId ?? order.shop.orderStoreId ?? '');
    const orderCode = built.ok ? built.payload.orderCode : (previous?.orderCode ?? order.orderCode);
    if (mustResolve && previous?.storeId && previous.orderCode) {
      // Resolve with what was sent, even if the mapping changed meanwhile.
      if (!built.ok || previous.storeId !== storeId || previous.orderCode !== orderCode) {
        return this.#claimRow(em, tenant, op, now, {
          storeId: previous.storeId,
          orderCode: previous.orderCode,
          fingerprint: previous.fingerprint ?? null,
          mustResolve: true,
          built,
          order,
        });
      }
    }
    if (!built.ok && !mustResolve) return this.#markProblems(tenant, orderId, built, em, order);
    if (storeId === '' || orderCode === '')
      return this.#markProblems(tenant, orderId, built, em, order);
    // Resolving: compare with what was sent before; sending: with what is about to be sent.
    const fingerprint = mustResolve
      ? (previous?.fingerprint ?? null)
      : built.ok
        ? fingerprintOf(built.payload)
        : null;
    return this.#claimRow(em, tenant, op, now, {
      storeId,
      orderCode,
      fingerprint,
      mustResolve,
      built,
      order,
    });
  }

  async #claimRow(
    em: Em,
    tenant: ActiveTenant,
    op: Operation,
    now: number,
    c: {
      storeId: string;
      orderCode: string;
      fingerprint: SentFingerprint | null;
      mustResolve: boolean;
      built: OrderPayloadResult;
      order: Order;
    },
  ): Promise<Claim | RegisterResult> {
    const { storeId, orderCode, fingerprint, mustResolve, built, order } = c;
    const claimed = await em.nativeUpdate(
      Operation,
      { id: op.id, tenant: tenant.tenantId, state: op.state, attempts: op.attempts },
      {
        state: 'in_flight',
        attempts: op.attempts + 1,
        leaseUntil: new Date(now + this.deps.settings.leaseMs),
        nextAttemptAt: null,
        payload: { storeId, orderCode, fingerprint },
        updatedAt: new Date(now),
      },
    );
    if (claimed !== 1) return 'busy';
    await em.nativeUpdate(
      Order,
      { id: order.id, tenant: tenant.tenantId },
      { syncState: 'pending', syncAttempts: order.syncAttempts + 1, updatedAt: new Date(now) },
    );
    return {
      opId: op.id,
      attempts: op.attempts + 1,
      fingerprint,
      storeId,
      orderCode,
      mustResolve,
      built,
    };
  }

  /**
   * Resolved as absent, about to send a payload that may differ from the earlier attempt's
   * (mapping or settings changed meanwhile): record what is sent now, still in flight.
   */
  async #remember(tenant: ActiveTenant, claim: Claim, payload: SmaregiOrderPayload): Promise<void> {
    const fingerprint = fingerprintOf(payload);
    claim.fingerprint = fingerprint;
    await forkEm(this.deps.orm).nativeUpdate(
      Operation,
      { id: claim.opId, tenant: tenant.tenantId, attempts: claim.attempts },
      { payload: { storeId: payload.storeId, orderCode: payload.orderCode, fingerprint } },
    );
  }

  /** Gives the claimed row back: `unknown` (read first next time) or `pending` (nothing was sent). */
  async #release(
    tenant: ActiveTenant,
    claim: Claim,
    state: 'unknown' | 'pending',
    error: string | null,
    retryAfterMs?: number,
  ): Promise<void> {
    const { clock, settings, random } = this.deps;
    const now = clock.now();
    const delay =
      retryAfterMs ??
      backoffMs(claim.attempts, settings.retryBaseMs, settings.retryMaxMs, random ?? Math.random);
    const em = forkEm(this.deps.orm);
    await em.nativeUpdate(
      Operation,
      { id: claim.opId, tenant: tenant.tenantId, attempts: claim.attempts },
      {
        state,
        leaseUntil: null,
        nextAttemptAt: new Date(now + delay),
        lastError: error,
        updatedAt: new Date(now),
      },
    );
    this.deps.metrics.operations.inc({
      kind: OP_KIND,
      result: state === 'unknown' ? 'unknown' : 'released',
    });
  }

  async #fail(
    tenant: ActiveTenant,
    orderId: string,
    claim: Claim,
    failure: ReturnType<typeof classifyWriteFailure>,
  ): Promise<RegisterResult> {
    const { orm, clock, logger, metrics } = this.deps;
    switch (failure.kind) {
      case 'unknown':
        await this.#release(tenant, claim, 'unknown', failure.message);
        await this.#note(
          tenant,
          orderId,
          `一時的なエラーのため再試行します: ${failure.message} / Temporary error, will retry: ${failure.message}`,
        );
        return 'retryLater';
      case 'noEffect':
        await this.#release(tenant, claim, 'pending', failure.message, failure.retryAfterMs);
        return 'retryLater';
      case 'reauth': {
        await this.#release(tenant, claim, 'pending', failure.message);
        const em = forkEm(orm);
        await em.nativeUpdate(
          SmaregiConnection,
          { tenant: tenant.tenantId },
          {
            status: 'reauthRequired',
            statusReason: 'unauthorized',
            statusChangedAt: new Date(clock.now()),
            lastError: failure.message,
          },
        );
        logger.warn(
          { tenantId: tenant.tenantId },
          'smaregi refused the app token: connection needs re-authorisation',
        );
        return 'skipped';
      }
      case 'rejected':
      case 'duplicate': {
        const em = forkEm(orm);
        await em.transactional(async (tx) => {
          const now = new Date(clock.now());
          await tx.nativeUpdate(
            Operation,
            { id: claim.opId, tenant: tenant.tenantId },
            { state: 'failed', leaseUntil: null, lastError: failure.message, updatedAt: now },
          );
          const repos = tenantRepositories(tx, tenant.tenantId);
          const order = await repos.orders.findById(orderId);
          if (order !== null) {
            order.syncState = 'failed';
            order.lastSyncError = failure.message;
            order.syncReason = null;
          }
          repos.syncEvents.record({
            subjectType: 'order',
            subjectId: orderId,
            kind: 'order.registrationFailed',
            outcome: 'failure',
            message: `スマレジが受注登録を拒否しました: ${failure.message} / Smaregi refused the order: ${failure.message}`,
            operationId: claim.opId,
          });
        });
        metrics.operations.inc({ kind: OP_KIND, result: 'failed' });
        return 'failed';
      }
    }
  }

  async #note(tenant: ActiveTenant, orderId: string, message: string): Promise<void> {
    const em = forkEm(this.deps.orm);
    await em.nativeUpdate(
      Order,
      { id: orderId, tenant: tenant.tenantId },
      { lastSyncError: message },
    );
  }

  /** Records why the order cannot be sent; a sync event only when the reason changed. */
  async #markProblems(
    tenant: ActiveTenant,
    orderId: string,
    built: OrderPayloadResult,
    em: Em = forkEm(this.deps.orm),
    loaded?: Order,
  ): Promise<RegisterResult> {
    if (built.ok) return 'skipped';
    const repos = tenantRepositories(em, tenant.tenantId);
    const order = loaded ?? (await repos.orders.findById(orderId));
    if (order === null) return 'skipped';
    const fixable = built.problems.every((p) => FIXABLE_ELSEWHERE.has(p.code));
    const reason = built.problems.map((p) => `${p.message.ja} / ${p.message.en}`).join('\n');
    const state = fixable ? 'waiting' : 'failed';
    if (order.syncState !== state || order.syncReason !== reason) {
      repos.syncEvents.record({
        subjectType: 'order',
        subjectId: order.id,
        kind: fixable ? 'order.waiting' : 'order.invalid',
        outcome: fixable ? 'warning' : 'failure',
        message: reason,
        detail: { problems: built.problems.map((p) => ({ code: p.code, field: p.field })) },
      });
    }
    order.syncState = state;
    order.syncReason = reason;
    order.lastSyncError = fixable ? null : reason;
    await em.flush();
    this.deps.metrics.operations.inc({ kind: OP_KIND, result: state });
    return state;
  }

  async #commitSuccess(
    tenant: ActiveTenant,
    orderId: string,
    claim: Claim,
    remote: SmaregiOrder,
  ): Promise<void> {
    const { orm, clock } = this.deps;
    const em = forkEm(orm);
    await em.transactional(async (tx) => {
      const now = new Date(clock.now());
      await tx.nativeUpdate(
        Operation,
        { id: claim.opId, tenant: tenant.tenantId },
        {
          state: 'succeeded',
          leaseUntil: null,
          nextAttemptAt: null,
          lastError: null,
          remoteId: remote.orderHeadId,
          updatedAt: now,
        },
      );
      const repos = tenantRepositories(tx, tenant.tenantId);
      const order = await repos.orders.findWithLines(orderId);
      if (order === null) return;
      order.syncState = 'registered';
      order.smaregiOrderHeadId = remote.orderHeadId;
      order.allocationStatus = remote.allocationStatus;
      order.lastSyncedAt = now;
      order.lastSyncError = null;
      order.syncReason = null;
      applyLineAllocation(order, remote, claim.built.ok ? claim.built.detailSources : null);
      repos.syncEvents.record({
        subjectType: 'order',
        subjectId: order.id,
        kind: 'order.registered',
        outcome: 'success',
        message: `スマレジに登録しました(受注ID ${remote.orderHeadId}、受注番号 ${remote.orderCode}) / Registered in Smaregi (orderHeadId ${remote.orderHeadId})`,
        detail: {
          orderHeadId: remote.orderHeadId,
          allocationStatus: remote.allocationStatus,
          resolvedByLookup: claim.mustResolve,
        },
        operationId: claim.opId,
      });
    });
  }
}

/** Another order of the same 受注店舗 already uses the order code: shown, never merged. */
function collision(claim: Claim, remote: SmaregiOrder): { kind: 'rejected'; message: string } {
  return {
    kind: 'rejected',
    message: `受注番号 ${claim.orderCode} は、この受注店舗の別の受注(スマレジ受注ID ${remote.orderHeadId}、金額・明細が異なる)に使われています。受注番号を確認してください / Order code ${claim.orderCode} is already used by another order in this order store (orderHeadId ${remote.orderHeadId}, different lines or total)`,
  };
}

/**
 * Copies Smaregi's allocated quantities onto the merchant's lines. `detailSources[i]` says which
 * OMS line detail i came from; without it (or when the shapes differ) lines are matched by
 * position among the lines that were sent.
 */
export function applyLineAllocation(
  order: Order,
  remote: SmaregiOrder,
  sources: DetailSource[] | null,
): void {
  const lines = [...order.lines.getItems()].sort((a, b) => a.lineNo - b.lineNo);
  if (sources === null || sources.length !== remote.details.length) return;
  remote.details.forEach((detail, i) => {
    const source = sources[i];
    if (source?.kind !== 'line') return;
    const line = lines[source.lineIndex];
    if (line !== undefined) line.allocatedQuantity = detail.allocatedQuantity;
  });
}
