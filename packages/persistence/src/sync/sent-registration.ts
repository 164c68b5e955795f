import type { DetailSource } from '@renkei/domain';
import { z } from 'zod';
import type { OperationState } from './operation.entity.js';

/*
 * What a registration put on the wire, kept on its ledger row's payload as `sent`
 * (docs/reliability.md item 1): the exact JSON body of 受注登録, when it went, and where each detail
 * line came from (the domain's `detailSources`, never sent). The worker writes it with the
 * in-flight mark — in the claim's compare-and-set, or with `remember` while still in flight when
 * an earlier attempt was resolved as absent — so it is written before the call and only by the
 * one protocol. A resend replaces it (the latest one is kept); a correction of the order starts a
 * fresh row (`supersedeOperation`), whose first send records its own.
 */

/** The body of 受注登録 as it was sent: its header fields and its `details`. */
export interface SentOrderBody {
  details: SentOrderDetail[];
  [field: string]: unknown;
}

export interface SentOrderDetail {
  productId: string;
  productCode?: string | undefined;
  productName?: string | undefined;
  salesPrice: number;
  quantity: number;
  [field: string]: unknown;
}

export interface SentRegistration {
  /** When the body was marked in flight (ISO 8601): the moment it went on the wire. */
  at: string;
  body: SentOrderBody;
  /** `detailSources[i]` says where `body.details[i]` came from; empty when not known. */
  detailSources: DetailSource[];
}

const detailSourceSchema = z.union([
  z.strictObject({
    kind: z.enum(['line', 'enclosure', 'dummyProduct']),
    lineIndex: z.number().int().min(0),
  }),
  z.strictObject({ kind: z.literal('adjustment') }),
]);

const sentSchema = z.object({
  at: z.iso.datetime({ offset: true }),
  body: z.looseObject({
    details: z.array(
      z.looseObject({
        productId: z.string(),
        productCode: z.string().optional(),
        productName: z.string().optional(),
        salesPrice: z.number(),
        quantity: z.number(),
      }),
    ),
  }),
  detailSources: z.array(detailSourceSchema),
});

/** The record of what was sent, to be kept under the ledger payload's `sent`. */
export function sentRegistration(
  body: SentOrderBody,
  detailSources: readonly DetailSource[],
  at: Date,
): SentRegistration {
  return { at: at.toISOString(), body, detailSources: [...detailSources] };
}

/** The `sent` record of a registration's ledger payload; null when there is none (or unreadable). */
export function sentRegistrationOf(payload: unknown): SentRegistration | null {
  if (typeof payload !== 'object' || payload === null || !('sent' in payload)) return null;
  // Checked, then returned as stored: parsing would put the known keys first, and the body is
  // shown as it went.
  return sentSchema.safeParse(payload.sent).success ? (payload.sent as SentRegistration) : null;
}

/**
 * Whether the row's `sent` body reached Smaregi, as far as Renkei knows: registered (`succeeded`),
 * refused (`failed`), answered unknown or still in flight; or refused as a code another order
 * holds (a `pending` row with the collision remembered). A `pending` row otherwise had no effect:
 * handed back at shutdown before the call, or certainly not taken (429) — nothing to show as sent.
 */
export function sentBodyReachedSmaregi(
  state: OperationState,
  payload: Record<string, unknown> | null | undefined,
): boolean {
  if (state !== 'pending') return true;
  return payload?.collision != null;
}
