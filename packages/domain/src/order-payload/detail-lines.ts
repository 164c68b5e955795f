import { checkSmaregiProductCode } from '../codes.js';
import { SMAREGI_MONEY_MAX, SMAREGI_ORDER_DETAILS_MAX, SMAREGI_QUANTITY_MAX } from '../limits.js';
import type { ProductIndex } from '../product-index.js';
import { isMoney, isQuantity, show, type ReportProblem } from './checks.js';
import { lineProduct } from './line-product.js';
import type { PayloadSettings, SourcedDetail } from './types.js';

/** The payload lines made from the OMS order lines. */
export interface DetailLines {
  /** False when `lines` is not a list at all. */
  listed: boolean;
  /** One entry per line that could be sent, in the order of the OMS lines. */
  lines: SourcedDetail[];
  /** Σ(unit price × quantity) over every line whose price and quantity are valid. */
  goods: number;
  /** False when a line's amount is unknown, so the total cannot be judged. */
  known: boolean;
}

/** What one OMS line gives: its amount (null = unknown) and its detail line when it is valid. */
type LineReading = { amount: number | null; line: SourcedDetail | null };

/**
 * Turns the OMS lines into payload detail lines. 封入物 lines are left out unless `syncEnclosures`
 * is on. Every problem of every line is reported; a line with one is not sent.
 */
export function readDetailLines(
  value: unknown,
  settings: PayloadSettings,
  products: ProductIndex,
  report: ReportProblem,
): DetailLines {
  if (!Array.isArray(value)) {
    report('orderMalformed', 'lines');
    return { listed: false, lines: [], goods: 0, known: false };
  }
  const result: DetailLines = { listed: true, lines: [], goods: 0, known: true };
  value.forEach((raw: unknown, lineIndex) => {
    const reading = readLine(raw, lineIndex, settings, products, report);
    if (reading === 'leftOut') return;
    if (reading.amount === null) result.known = false;
    else result.goods += reading.amount;
    if (reading.line !== null) result.lines.push(reading.line);
  });
  return result;
}

function readLine(
  raw: unknown,
  lineIndex: number,
  settings: PayloadSettings,
  products: ProductIndex,
  report: ReportProblem,
): LineReading | 'leftOut' {
  const lineNo = lineIndex + 1;
  const at = (field: string) => `lines.${lineIndex}.${field}`;
  if (typeof raw !== 'object' || raw === null) {
    report('lineMalformed', `lines.${lineIndex}`, { line: lineNo }, lineIndex);
    return { amount: null, line: null };
  }
  const fields = raw as Record<string, unknown>;
  if (fields.isEnclosure === true && !settings.syncEnclosures) return 'leftOut';

  let valid = true;
  const name = typeof fields.name === 'string' ? fields.name.trim() : '';
  if (name === '') {
    report('lineNameMissing', at('name'), { line: lineNo }, lineIndex);
    valid = false;
  }
  const { unitPrice, quantity } = fields;
  if (!isMoney(unitPrice)) {
    const params = { line: lineNo, value: show(unitPrice), max: SMAREGI_MONEY_MAX };
    report('unitPriceInvalid', at('unitPrice'), params, lineIndex);
    valid = false;
  }
  if (!isQuantity(quantity)) {
    const params = { line: lineNo, value: show(quantity), max: SMAREGI_QUANTITY_MAX };
    report('quantityInvalid', at('quantity'), params, lineIndex);
    valid = false;
  }
  const product = lineProduct(fields, lineIndex, settings.dummyProductCode, products);
  if ('code' in product) {
    report(product.code, product.field, product.params, lineIndex);
    valid = false;
  } else if (!checkSmaregiProductCode(product.ref.productCode).ok) {
    report('productCodeInvalid', at('productCode'), { code: product.ref.productCode }, lineIndex);
    valid = false;
  }

  // A valid price and quantity count towards the total even when the line has another problem
  // (an unknown product, say): the total can still be judged and reported with the line's own.
  if (!isMoney(unitPrice) || !isQuantity(quantity)) return { amount: null, line: null };
  const amount = unitPrice * quantity;
  if (!valid || 'code' in product) return { amount, line: null };
  const detail = {
    productId: product.ref.productId,
    productCode: product.ref.productCode,
    productName: name,
    salesPrice: unitPrice,
    quantity,
  };
  const kind = product.dummy ? 'dummyProduct' : fields.isEnclosure === true ? 'enclosure' : 'line';
  return { amount, line: { detail, source: { kind, lineIndex } } };
}

/**
 * An order must send at least one line (unless its lines already have problems, which say more)
 * and at most the number Smaregi takes.
 */
export function checkDetailCount(
  count: number,
  hasLineProblem: boolean,
  report: ReportProblem,
): void {
  if (count === 0 && !hasLineProblem) report('noLines', 'lines');
  if (count > SMAREGI_ORDER_DETAILS_MAX)
    report('tooManyLines', 'lines', { count, max: SMAREGI_ORDER_DETAILS_MAX });
}
