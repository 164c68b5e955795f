import { orderStatusCategories, type OrderStatusCategory } from './master-data.js';
import type { Problem, ProblemCode } from './messages.js';
import type { SmaregiAllocationStatus, StatusDecisionInput } from './status-decisions.js';

/**
 * Problems that the merchant fixes outside the order (mappings, settings, product import): the
 * order waits and goes through by itself once the cause is fixed. Any other problem is in the
 * order itself.
 */
export const FIXABLE_ELSEWHERE: ReadonlySet<ProblemCode> = new Set<ProblemCode>([
  'shopNotMapped',
  'paymentMethodNotMapped',
  'productNotFound',
  'productAmbiguous',
  'dummyProductCodeNotSet',
  'dummyProductNotFound',
  'adjustmentProductCodeNotSet',
  'adjustmentProductNotFound',
  'shopInactive',
  'taxModeMismatch',
]);

/**
 * What an order that cannot be sent becomes: `waiting` when every problem is fixed elsewhere (it
 * goes through by itself afterwards), `failed` when the order itself must be corrected.
 */
export function unsendableOutcome(
  problems: readonly Pick<Problem, 'code'>[],
): 'waiting' | 'failed' {
  return problems.length > 0 && problems.every((p) => FIXABLE_ELSEWHERE.has(p.code))
    ? 'waiting'
    : 'failed';
}

/** A stored line, as far as allocation is concerned. */
export interface StoredLineFacts {
  lineNo: number;
  quantity: number;
  allocatedQuantity: number;
  isEnclosure: boolean;
}

/** A stored order, as far as the status decisions are concerned. */
export interface StoredOrderFacts {
  orderNumber: string;
  statusId: string;
  /** The status's category as stored; anything unknown counts as `open`. */
  statusCategory: string;
  shippingDate?: string | null;
  smaregiOrderHeadId?: string | null;
  /** Renkei's sync state; `canceled` means cancelled in Smaregi. */
  syncState: string;
  /** Smaregi's allocation as last read; anything unknown counts as not known. */
  allocationStatus?: string | null;
  /** The lines when loaded (for the "lines lack stock" message), else null. */
  lines: readonly StoredLineFacts[] | null;
}

const ALLOCATION_STATUSES: readonly SmaregiAllocationStatus[] = [
  'unallocated',
  'partial',
  'allocated',
];

/**
 * The order's allocation as last read from Smaregi (or planned by Renkei in 有効在庫数計算設定
 * [OMS購入数]), or null when it is not known. The one reading of the stored state: the status
 * decisions (bulk shipping ships only `allocated`) and the shipping CSV's 引当状態 column both go
 * through it, so the label printed and the shipment sent never disagree.
 */
export function allocationStateOf(
  order: Pick<StoredOrderFacts, 'allocationStatus'>,
): SmaregiAllocationStatus | null {
  return ALLOCATION_STATUSES.find((s) => s === order.allocationStatus) ?? null;
}

/** 0-based indexes (among all lines, in line order) of sent lines not fully allocated. */
export function shortLineIndexes(
  lines: readonly StoredLineFacts[],
  syncEnclosures: boolean,
): number[] {
  return [...lines]
    .sort((a, b) => a.lineNo - b.lineNo)
    .flatMap((l, i) =>
      (syncEnclosures || !l.isEnclosure) && l.allocatedQuantity < l.quantity ? [i] : [],
    );
}

/** The order part of the status decisions' input (docs/flows.md §4), from a stored order. */
export function statusDecisionOrder(
  order: StoredOrderFacts,
  syncEnclosures: boolean,
): StatusDecisionInput['order'] {
  const category = (orderStatusCategories as readonly string[]).includes(order.statusCategory)
    ? (order.statusCategory as OrderStatusCategory)
    : 'open';
  const allocation = allocationStateOf(order);
  return {
    orderNumber: order.orderNumber,
    statusId: order.statusId,
    statusCategory: category,
    shippingDate: order.shippingDate ?? null,
    smaregiOrderHeadId: order.smaregiOrderHeadId ?? null,
    smaregiStatus: order.syncState === 'canceled' ? 'canceled' : null,
    allocation,
    ...(order.lines === null
      ? {}
      : { shortLineIndexes: shortLineIndexes(order.lines, syncEnclosures) }),
  };
}
