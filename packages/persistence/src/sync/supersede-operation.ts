import type { Em } from '../config.js';
import { newId } from '../ids.js';
import { Tenant } from '../tenancy/tenant.entity.js';
import { Operation, type OperationKind } from './operation.entity.js';
import type { LedgerSubject } from './operation-ledger.js';

/*
 * Replacing what an operation will do before it can have happened: the OMS corrected an order
 * before it reached Smaregi. The ledger itself (operation-ledger.ts) claims, releases and
 * finishes the rows this writes.
 */

/** The ledger's business key of an order's registration (受注登録). */
export const orderRegistrationKey = (orderId: string): string => `order:${orderId}`;

/** Why an operation could not be superseded: its effect may have happened. */
export type SupersedeRefusal = 'in_flight' | 'unknown' | 'succeeded';

/**
 * A new version of the subject replaces what a not-yet-effective operation would do (the OMS
 * corrected an order before it reached Smaregi). In the caller's transaction: a `pending` or
 * `failed` row is deleted and a fresh `pending` row (new ID, no attempts) takes its place, also
 * when there was none. A process that read the old version cannot claim the old row any more (a
 * claim is by ID, state and attempts), and one that opens the row afterwards sees the new one and
 * reads the new version, so the old version is never sent. Refused, changing nothing, when the
 * effect may have happened: in flight (even past its lease), unknown, or succeeded.
 */
export async function supersedeOperation(
  tx: Em,
  tenantId: string,
  kind: OperationKind,
  businessKey: string,
  subject: LedgerSubject,
  now: Date,
): Promise<{ ok: true } | { ok: false; state: SupersedeRefusal }> {
  const key = { tenant: tenantId, kind, businessKey };
  await tx.nativeDelete(Operation, { ...key, state: { $in: ['pending', 'failed'] } });
  const left = await tx.findOne(Operation, key, { refresh: true });
  if (left !== null) {
    const state = left.state;
    // Anything else was deleted above; a row still here may have had its effect.
    if (state === 'in_flight' || state === 'unknown' || state === 'succeeded')
      return { ok: false, state };
    return { ok: false, state: 'in_flight' };
  }
  const fresh = Object.assign(new Operation(), {
    id: newId(),
    tenant: tx.getReference(Tenant, tenantId),
    kind,
    businessKey,
    subjectType: subject.type,
    subjectId: subject.id,
    state: 'pending' as const,
    attempts: 0,
    createdAt: now,
    updatedAt: now,
  });
  await tx.insert(fresh);
  return { ok: true };
}
