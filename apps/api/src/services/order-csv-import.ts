import type { FieldError, LocalizedMessage } from '@renkei/domain';
import type { OrderSource } from '@renkei/persistence';
import { checkCsvBytes, csvToOrders, decodeCsvDetected, HEADERS_BY_TARGET } from './csv-import.js';
import { receiveOrders, type FileOrderOutcome } from './orders/receive-file.js';
import type { TenantScope } from './scope.js';

/*
 * 受注CSV取込's report: each order of the file is received on its own (orders/receive-file.ts)
 * and reported with its rows, its outcome and, for a refusal, each reason with the row and the
 * column it is about. Reading the file (size, encoding, columns) is csv-import.ts.
 */

/** One reason a row was refused: the row and the column it is about (null: the whole row). */
export interface OrderCsvError {
  row: number;
  /** The column's header as the template has it, Japanese and English. */
  column: LocalizedMessage | null;
  /** The intake field (`lines.0.quantity`), for tools. */
  field: string;
  message: LocalizedMessage;
}

/** The field error's row and column: `lines.1.quantity` is 数量 of the order's second row. */
export function locateFieldError(error: FieldError, rows: readonly number[]): OrderCsvError {
  const parts = error.path.split('.');
  let row = rows[0] ?? 0;
  let key = error.path;
  if (parts[0] === 'lines' && parts[1] !== undefined && /^\d+$/.test(parts[1])) {
    row = rows[Number(parts[1])] ?? row;
    key = parts.length > 2 ? `lines.${parts.slice(2).join('.')}` : '';
  }
  const header = HEADERS_BY_TARGET.get(key);
  return {
    row,
    column: header === undefined ? null : { ja: header.ja, en: header.en },
    field: error.path,
    message: error.message,
  };
}

/** What became of one order of the file. */
export interface OrderCsvResult {
  /** The order's rows in the file (row 1 is the header). */
  rows: number[];
  orderNumber: string;
  outcome: FileOrderOutcome['outcome'];
  orderId: string | null;
  errors: OrderCsvError[];
}

export interface OrderCsvReport {
  /** The encoding the file was read in. */
  encoding: 'utf-8' | 'shift_jis';
  summary: {
    orders: number;
    rows: number;
    created: number;
    updated: number;
    unchanged: number;
    refused: number;
  };
  /** One entry per order, in file order. */
  results: OrderCsvResult[];
}

/**
 * 受注CSV取込: reads the file (size, text, encoding, header), receives each order on its own and
 * reports every order's outcome with the row and column of each reason it was refused.
 */
export async function importOrderCsv(
  newScope: () => TenantScope,
  input: { bytes: Buffer; encoding: 'auto' | 'utf-8' | 'shift_jis'; source?: OrderSource },
): Promise<OrderCsvReport> {
  checkCsvBytes(input.bytes);
  const decoded = decodeCsvDetected(input.bytes, input.encoding);
  const orders = csvToOrders(decoded.text);
  const sendable = orders.filter((o) => o.problems.length === 0);
  const outcomes = await receiveOrders(
    newScope,
    sendable.map((o) => ({ row: o.rows[0] ?? 0, order: o.order })),
    input.source ?? 'csv',
  );
  const byOrder = new Map(sendable.map((o, i) => [o, outcomes[i]]));
  const results = orders.map((o): OrderCsvResult => {
    const orderNumber = typeof o.order.orderNumber === 'string' ? o.order.orderNumber : '';
    const outcome = byOrder.get(o);
    if (outcome === undefined) {
      return {
        rows: o.rows,
        orderNumber,
        outcome: 'refused',
        orderId: null,
        errors: o.problems.map((p) => ({
          row: p.row,
          column: null,
          field: p.error.path,
          message: p.error.message,
        })),
      };
    }
    return {
      rows: o.rows,
      orderNumber,
      outcome: outcome.outcome,
      orderId: outcome.orderId,
      errors: outcome.errors.map((e) => locateFieldError(e, o.rows)),
    };
  });
  const count = (outcome: OrderCsvResult['outcome']) =>
    results.filter((r) => r.outcome === outcome).length;
  return {
    encoding: decoded.encoding,
    summary: {
      orders: results.length,
      rows: results.reduce((n, r) => n + r.rows.length, 0),
      created: count('created'),
      updated: count('updated'),
      unchanged: count('unchanged'),
      refused: count('refused'),
    },
    results,
  };
}
