import { unsendableOutcome, type MessageRef, type OrderPayloadResult } from '@renkei/domain';
import {
  forkEm,
  orderRegistrationKey,
  orderPayloadNow,
  lastSyncErrorColumns,
  problemInMerchantWords,
  sameMessage,
  syncReasonColumns,
  sentRegistration,
  syncReasonOf,
  tenantRepositories,
  type Em,
  type LedgerEntry,
  type Order,
  type OperationLedger,
  type SentRegistration,
} from '@renkei/persistence';
import {
  isSmaregiApiError,
  orderRegistrationBody,
  type Order as SmaregiOrder,
} from '@renkei/smaregi-client';
import type { WorkerDeps } from '../deps.js';
import type { ActiveTenant } from '../tenants/active-tenants.js';
import { readSettings } from './order-view.js';
import { withdrawUnsent } from './withdraw-order.js';

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
  /**
   * 要確認: an earlier attempt's outcome is unknown and Smaregi could not tell whether the order
   * is there; never sent again by itself (the merchant checks, a retry reads Smaregi again).
   */
  | 'needsCheck'
  /** Another worker holds the in-flight lease. */
  | 'busy'
  /** Nothing to do (order gone, integration off, connection refused). */
  | 'skipped'
  /** The worker is stopping: not started (or handed back before anything was sent). */
  | 'stopped';

export const REGISTER_KIND = 'registerOrder' as const;
export const registerOrderKey = orderRegistrationKey;

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

/** True when `remote` carries what was sent (no fingerprint: accept the code match). */
export function sameOrder(remote: SmaregiOrder, sent: SentFingerprint | null): boolean {
  if (sent === null) return true;
  const found = fingerprintOf(remote);
  return found.total === sent.total && found.lines === sent.lines;
}

/**
 * The order code is used in the 受注店舗 by another order (seen when this order was sent): held
 * until what would be sent changes (a prefix set on the shop, a new mapping).
 */
export interface CodeCollision {
  storeId: string;
  orderCode: string;
  orderHeadId: string | null;
}

/** The ledger row's payload of a registration: where it was sent, under which code, what. */
export interface RegistrationPayload {
  storeId: string;
  orderCode: string;
  fingerprint: SentFingerprint | null;
  /** The 受注日時 sent: bounds the lookup when Smaregi ignores the order-code filter. */
  orderDateTime?: string | undefined;
  collision?: CodeCollision | undefined;
  /**
   * The exact body of the latest attempt that went on the wire, when, and its lines' sources
   * (persistence's `SentRegistration`): written with the in-flight mark, shown on the order page.
   */
  sent?: SentRegistration | undefined;
  [key: string]: unknown;
}

/** A registration ready to be claimed: the ledger row as seen, and what to send or look up. */
export interface RegistrationPlan {
  entry: LedgerEntry;
  orderId: string;
  syncAttempts: number;
  sent: RegistrationPayload;
  built: OrderPayloadResult;
}

/**
 * Reads the order and its ledger row and decides: nothing to do (a result), or a plan. A row whose
 * earlier outcome is unknown is resolved with what was sent then, even if the mapping or the
 * settings changed meanwhile.
 */
export async function planRegistration(
  deps: WorkerDeps,
  ledger: OperationLedger,
  tenant: ActiveTenant,
  orderId: string,
): Promise<RegistrationPlan | RegisterResult> {
  const em = forkEm(deps.orm);
  const repos = tenantRepositories(em, tenant.tenantId);
  // The ledger row before the order: a new version of the order (the intake supersedes this row
  // in the same transaction, `supersedeOperation`) is then either read below or makes the claim
  // fail; the old version is never sent.
  const entry = await ledger.open(tenant.tenantId, REGISTER_KIND, registerOrderKey(orderId), {
    type: 'order',
    id: orderId,
  });
  const order = await repos.orders.findWithLines(orderId);
  if (order === null) return 'skipped';
  switch (entry.verdict) {
    case 'succeeded':
      if (order.syncState !== 'registered' && order.syncState !== 'canceled') {
        // The ledger knows better than the order row (e.g. repaired by hand): align it.
        order.syncState = 'registered';
        order.smaregiOrderHeadId = entry.remoteId ?? order.smaregiOrderHeadId ?? null;
        await em.flush();
      }
      return 'alreadyRegistered';
    case 'busy':
      return 'busy';
    case 'deferred':
      return 'retryLater';
    case 'failed':
      // Failed stays failed until the merchant asks again (the API sets the order back to pending).
      if (order.syncState === 'failed') return 'failed';
      break;
    case 'claimable':
      break;
  }
  if (order.syncState === 'registered' || order.syncState === 'canceled')
    return 'alreadyRegistered';
  // 要確認 waits for the merchant (a retry sets the order back to pending).
  if (order.syncState === 'needsCheck') return 'needsCheck';
  // Cancelled in the OMS before it reached Smaregi: never sent (withdraw-order.ts). An earlier
  // attempt whose outcome is unknown is resolved first; if it landed, the cancel follows it.
  if (order.status.category === 'cancelled' && !entry.mustResolve)
    return (await withdrawUnsent(deps, ledger, tenant, orderId, entry)) === 'withdrawn'
      ? 'skipped'
      : 'busy';
  const settings = await readSettings(em, tenant);
  if (!settings.integrationEnabled) return 'skipped';

  // The shop's rules hold every order of it: inactive, or 税込 / 税別 unlike its 受注店舗's 販売区分
  // (the same payload the order page previews).
  const built = await orderPayloadNow(repos, order, settings);
  const previous: Partial<RegistrationPayload> | null = entry.payload;
  const plan = (sent: RegistrationPayload): RegistrationPlan => ({
    entry,
    orderId,
    syncAttempts: order.syncAttempts,
    sent,
    built,
  });
  if (entry.mustResolve && previous?.storeId && previous.orderCode) {
    // Resolve with what was sent before: look it up where it went, compare with what it was.
    return plan({
      storeId: previous.storeId,
      orderCode: previous.orderCode,
      fingerprint: previous.fingerprint ?? null,
      orderDateTime: previous.orderDateTime,
      sent: previous.sent,
    });
  }
  if (!built.ok) {
    // An unknown outcome without a record of what was sent (rows of earlier versions): look the
    // order up under its own code before deciding anything.
    const storeId = order.shop.orderStoreId ?? '';
    if (!entry.mustResolve || storeId === '') return markUnsendable(deps, tenant, built, em, order);
    return plan({
      storeId,
      orderCode: order.orderCode,
      fingerprint: null,
      orderDateTime: order.orderedAt.toISOString(),
      sent: previous?.sent,
    });
  }
  const collision = previous?.collision;
  if (
    !entry.mustResolve &&
    collision?.storeId === built.payload.storeId &&
    collision.orderCode === built.payload.orderCode
  ) {
    // Still the code another order holds: sending it would only be refused again. The order
    // stays held (its reason says how to fix it) until the prefix or the mapping changes.
    if (order.syncState !== 'waiting') {
      order.syncState = 'waiting';
      await em.flush();
    }
    return 'waiting';
  }
  return plan({
    storeId: built.payload.storeId,
    orderCode: built.payload.orderCode,
    fingerprint: entry.mustResolve ? null : fingerprintOf(built.payload),
    orderDateTime: built.payload.orderDateTime,
    // Claimed with the in-flight mark, in the same statement: what is about to go on the wire.
    // (When an earlier attempt must be resolved first, the claim keeps that one's record, and
    // the new body is recorded only once the earlier one is known absent.)
    sent: entry.mustResolve ? previous?.sent : sentNow(deps, built),
  });
}

/**
 * The record of the body 受注登録 sends for `built` now: exactly what the client puts on the
 * wire. Undefined when the client would refuse it before sending (nothing goes on the wire; the
 * call reports why).
 */
export function sentNow(
  deps: Pick<WorkerDeps, 'clock'>,
  built: Extract<OrderPayloadResult, { ok: true }>,
): SentRegistration | undefined {
  try {
    return sentRegistration(
      orderRegistrationBody(built.payload),
      built.detailSources,
      new Date(deps.clock.now()),
    );
  } catch (error) {
    if (isSmaregiApiError(error) && error.kind === 'invalid_request') return undefined;
    throw error;
  }
}

/** Records why the order cannot be sent; a sync event only when the reason changed. */
export async function markUnsendable(
  deps: WorkerDeps,
  tenant: ActiveTenant,
  built: Extract<OrderPayloadResult, { ok: false }>,
  em: Em,
  order: Order,
): Promise<'waiting' | 'failed'> {
  const repos = tenantRepositories(em, tenant.tenantId);
  const state = unsendableOutcome(built.problems);
  const waits = state === 'waiting';
  const reason: MessageRef = {
    code: waits ? 'orderHeld' : 'orderInvalid',
    params: {
      orderNumber: order.orderNumber,
      problems: built.problems.map((p) => problemInMerchantWords(p, order)),
    },
  };
  if (order.syncState !== state || !sameMessage(syncReasonOf(order), reason)) {
    repos.syncEvents.record({
      subjectType: 'order',
      subjectId: order.id,
      kind: waits ? 'order.waiting' : 'order.invalid',
      outcome: waits ? 'warning' : 'failure',
      message: reason,
      detail: { problems: built.problems.map((p) => ({ code: p.code, field: p.field })) },
    });
  }
  order.syncState = state;
  Object.assign(order, syncReasonColumns(reason), lastSyncErrorColumns(waits ? null : reason));
  await em.flush();
  deps.metrics.operations.inc({ kind: REGISTER_KIND, result: state });
  return state;
}

/** Reloads the order and records why it cannot be sent (after a resolve found it absent). */
export async function markUnsendableById(
  deps: WorkerDeps,
  tenant: ActiveTenant,
  orderId: string,
  built: Extract<OrderPayloadResult, { ok: false }>,
): Promise<RegisterResult> {
  const em = forkEm(deps.orm);
  // With its payment method and shop loaded: the reason names them.
  const order = await tenantRepositories(em, tenant.tenantId).orders.findWithLines(orderId);
  if (order === null) return 'skipped';
  return markUnsendable(deps, tenant, built, em, order);
}
