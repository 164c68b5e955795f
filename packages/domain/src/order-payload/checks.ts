import { SMAREGI_MONEY_MAX, SMAREGI_QUANTITY_MAX } from '../limits.js';
import { problem, type MessageParams, type Problem, type ProblemCode } from '../messages.js';
import type { OmsOrder } from '../order.js';

/*
 * What every step of the payload builder shares: the order as it really arrived, the value checks
 * and the way a step reports a problem. The builder trusts no type: an order typed as valid may
 * still come from stored JSON written by an older version.
 */

/** An OMS order whose fields have not been checked yet. */
export type UncheckedOrder = Partial<Record<keyof OmsOrder, unknown>>;

/** Records one problem of the order; `lineIndex` when it concerns one OMS line. */
export type ReportProblem = (
  code: ProblemCode,
  field: string,
  params?: MessageParams,
  lineIndex?: number,
) => void;

/** A list of problems of one order and the function that adds to it. */
export function problemList(orderNumber: string): { problems: Problem[]; report: ReportProblem } {
  const problems: Problem[] = [];
  const report: ReportProblem = (code, field, params = {}, lineIndex) => {
    const where =
      lineIndex === undefined ? { orderNumber, field } : { orderNumber, field, lineIndex };
    problems.push(problem(code, where, params));
  };
  return { problems, report };
}

/** An amount of yen Smaregi accepts: an integer in 0..999,999,999. */
export const isMoney = (v: unknown): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= SMAREGI_MONEY_MAX;

/** A quantity Smaregi accepts: an integer in 1..99,999. */
export const isQuantity = (v: unknown): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 1 && v <= SMAREGI_QUANTITY_MAX;

/** A value as the merchant should see it in a message. */
export const show = (v: unknown): string =>
  typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v));
