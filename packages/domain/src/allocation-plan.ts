import { listOf } from './list.js';
import { parseOffsetDateTime } from './datetime.js';
import { compareCodeUnits } from './effective-stock.js';
import { SMAREGI_QUANTITY_MAX } from './limits.js';
import { problem, type Problem } from './messages.js';

/*
 * 在庫引当 planner: which order lines get stock, first come first served.
 *
 * - Order of service: ordered-at (the instant, whatever its offset), then order number, then the
 *   order key, compared by code units, so the plan never depends on input order or locale.
 * - Whole lines only: a line gets its full quantity or nothing (Smaregi's model,
 *   docs/smaregi-wire.md §11).
 * - An order is 'allocated' when every line is.
 * - Policy for an order that cannot be fully allocated:
 *   'lineByLine' (default) keeps the lines that fit, as Smaregi's 在庫引当 does (the order is
 *   'partial' and its allocated lines hold their stock), so the plan predicts what Smaregi will
 *   do; 'wholeOrder' releases them (the order is 'unallocated') so that the stock goes to later
 *   orders that can be completed, for merchants who only ship complete parcels.
 * - An order with a broken line (quantity not an integer 1..99,999, no product ID) or an
 *   unreadable ordered-at is 'invalid': it gets nothing and is reported.
 * - Stock that is missing for a product counts as 0 (Smaregi has no stock row until the first
 *   change); negative stock (oversold) counts as 0.
 * The stock given is what is free to allocate (for example effective stock's `promisable`).
 */

export interface AllocationLineInput {
  productId: string;
  quantity: number;
}

export interface AllocationOrderInput {
  /** Unique key of the order (e.g. Renkei's order ID). */
  orderKey: string;
  orderNumber: string;
  /** ISO 8601 with offset. */
  orderedAt: string;
  lines: readonly AllocationLineInput[];
}

export type AllocationPolicy = 'lineByLine' | 'wholeOrder';

export interface AllocationPlanOptions {
  policy?: AllocationPolicy;
}

/**
 * - 'allocated': the line has its full quantity.
 * - 'shortage': not enough stock was left for the line when its turn came.
 * - 'released': stock was there, but the order was not complete and the policy is 'wholeOrder'.
 * - 'invalid': the line or its order is broken (see problems).
 */
export type LineAllocationStatus = 'allocated' | 'shortage' | 'released' | 'invalid';
export type OrderAllocationStatus = 'allocated' | 'partial' | 'unallocated' | 'invalid';

export interface LineAllocation {
  lineIndex: number;
  productId: string;
  quantity: number;
  allocatedQuantity: number;
  status: LineAllocationStatus;
  /** Stock of the product left when the line's turn came (before it took any). */
  availableBefore: number;
}

export interface OrderAllocation {
  orderKey: string;
  orderNumber: string;
  /** 1-based place in the first-come-first-served order; 0 for invalid orders. */
  rank: number;
  status: OrderAllocationStatus;
  lines: LineAllocation[];
}

export interface AllocationPlan {
  /** Valid orders in service order, then invalid orders in input order. */
  orders: OrderAllocation[];
  byOrderKey: ReadonlyMap<string, OrderAllocation>;
  /** Stock left per product (every product given, plus none added). */
  remainingStock: Map<string, number>;
  problems: Problem[];
}

interface Prepared {
  input: AllocationOrderInput;
  at: number;
  seq: number;
}

const validQuantity = (q: unknown): q is number =>
  typeof q === 'number' && Number.isSafeInteger(q) && q >= 1 && q <= SMAREGI_QUANTITY_MAX;

/**
 * Plans allocation of `stock` (product ID -> free quantity) to `orders`. Deterministic: the same
 * orders (in any input order) and stock give the same plan. Never throws.
 */
export function planAllocation(
  orders: readonly AllocationOrderInput[],
  stock: ReadonlyMap<string, number>,
  options: AllocationPlanOptions = {},
): AllocationPlan {
  const policy: AllocationPolicy = options.policy === 'wholeOrder' ? 'wholeOrder' : 'lineByLine';
  const problems: Problem[] = [];
  const remaining = new Map<string, number>();
  // A caller passing something other than a Map gets "no stock", not a crash.
  const given: ReadonlyMap<string, number> =
    stock instanceof Map ? stock : new Map<string, number>();
  for (const [productId, amount] of given) {
    if (typeof amount === 'number' && Number.isSafeInteger(amount))
      remaining.set(productId, Math.max(0, amount));
    else {
      remaining.set(productId, 0);
      problems.push(
        problem(
          'stockAmountInvalid',
          { orderNumber: '', field: 'stock' },
          { productId, value: String(amount) },
        ),
      );
    }
  }

  const valid: Prepared[] = [];
  const invalid: OrderAllocation[] = [];
  const seen = new Set<string>();
  const list: readonly AllocationOrderInput[] = listOf(orders);
  list.forEach((input, seq) => {
    if (typeof input !== 'object' || input === null) return;
    const orderNumber = typeof input.orderNumber === 'string' ? input.orderNumber : '';
    const orderKey = typeof input.orderKey === 'string' ? input.orderKey : '';
    if (seen.has(orderKey)) {
      problems.push(problem('duplicateOrder', { orderNumber, field: 'orderKey' }, { orderKey }));
      return;
    }
    seen.add(orderKey);
    const at = parseOffsetDateTime(input.orderedAt);
    const lines: readonly AllocationLineInput[] = listOf(input.lines);
    let ok = at !== null && lines.length > 0;
    if (at === null)
      problems.push(
        problem(
          'orderedAtInvalid',
          { orderNumber, field: 'orderedAt' },
          { value: String(input.orderedAt) },
        ),
      );
    if (!Array.isArray(input.lines) || lines.length === 0)
      problems.push(problem('noLines', { orderNumber, field: 'lines' }));
    lines.forEach((line, lineIndex) => {
      const quantity: unknown = line?.quantity;
      if (!validQuantity(quantity)) {
        ok = false;
        problems.push(
          problem(
            'quantityInvalid',
            { orderNumber, field: `lines.${lineIndex}.quantity`, lineIndex },
            {
              line: lineIndex + 1,
              value: String(quantity),
              max: SMAREGI_QUANTITY_MAX,
            },
          ),
        );
      }
      if (typeof line?.productId !== 'string' || line.productId === '') {
        ok = false;
        problems.push(
          problem(
            'lineMalformed',
            { orderNumber, field: `lines.${lineIndex}.productId`, lineIndex },
            { line: lineIndex + 1 },
          ),
        );
      }
    });
    if (ok && at !== null) valid.push({ input, at, seq });
    else
      invalid.push({
        orderKey,
        orderNumber,
        rank: 0,
        status: 'invalid',
        lines: lines.map((line, lineIndex) => ({
          lineIndex,
          productId: typeof line?.productId === 'string' ? line.productId : '',
          quantity: typeof line?.quantity === 'number' ? line.quantity : 0,
          allocatedQuantity: 0,
          status: 'invalid' as const,
          availableBefore: 0,
        })),
      });
  });

  valid.sort(
    (a, b) =>
      a.at - b.at ||
      compareCodeUnits(a.input.orderNumber, b.input.orderNumber) ||
      compareCodeUnits(a.input.orderKey, b.input.orderKey),
  );

  const result: OrderAllocation[] = [];
  let rank = 0;
  for (const { input } of valid) {
    rank += 1;
    const lines: LineAllocation[] = [];
    let allocatedLines = 0;
    for (let i = 0; i < input.lines.length; i++) {
      const { productId, quantity } = input.lines[i] as AllocationLineInput;
      const available = remaining.get(productId) ?? 0;
      if (available >= quantity) {
        remaining.set(productId, available - quantity);
        lines.push({
          lineIndex: i,
          productId,
          quantity,
          allocatedQuantity: quantity,
          status: 'allocated',
          availableBefore: available,
        });
        allocatedLines += 1;
      } else {
        lines.push({
          lineIndex: i,
          productId,
          quantity,
          allocatedQuantity: 0,
          status: 'shortage',
          availableBefore: available,
        });
      }
    }
    let status: OrderAllocationStatus =
      allocatedLines === lines.length
        ? 'allocated'
        : allocatedLines === 0
          ? 'unallocated'
          : 'partial';
    if (status === 'partial' && policy === 'wholeOrder') {
      for (const line of lines)
        if (line.status === 'allocated') {
          remaining.set(line.productId, (remaining.get(line.productId) ?? 0) + line.quantity);
          line.status = 'released';
          line.allocatedQuantity = 0;
        }
      status = 'unallocated';
    }
    result.push({ orderKey: input.orderKey, orderNumber: input.orderNumber, rank, status, lines });
  }
  result.push(...invalid);
  const byOrderKey = new Map(result.map((o) => [o.orderKey, o]));
  return { orders: result, byOrderKey, remainingStock: remaining, problems };
}
