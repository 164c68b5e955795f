import { describe, expect, it } from 'vitest';
import {
  fileProblem,
  formatSize,
  MAX_ORDER_CSV_BYTES,
  resultsForReview,
  rowsLabel,
  toBase64,
  type OrderCsvResult,
} from './order-import-file';

describe('the order CSV file', () => {
  it('is refused before sending when empty, over 6 MB or a workbook', () => {
    expect(fileProblem({ name: 'orders.csv', size: 1200 })).toBeNull();
    expect(fileProblem({ name: 'orders.csv', size: MAX_ORDER_CSV_BYTES })).toBeNull();
    expect(fileProblem({ name: 'orders.csv', size: MAX_ORDER_CSV_BYTES + 1 })).toBe('tooBig');
    expect(fileProblem({ name: 'orders.csv', size: 0 })).toBe('empty');
    expect(fileProblem({ name: '受注.XLSX', size: 1200 })).toBe('notCsv');
    // The name is a hint only: a .txt export is sent, the API reads its content.
    expect(fileProblem({ name: 'orders.txt', size: 1200 })).toBeNull();
  });

  it('says its size as merchants read it', () => {
    expect(formatSize(6_400_000)).toBe('6.4 MB');
    expect(formatSize(34_200)).toBe('34 KB');
    expect(formatSize(10)).toBe('1 KB');
  });

  it('is sent as base64 of its exact bytes, also when large', () => {
    const bytes = new Uint8Array(100_000).map((_, i) => i % 256);
    expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    expect(toBase64(new Uint8Array([0x82, 0xa0]))).toBe('gqA=');
  });
});

describe('the import report', () => {
  it('labels an order’s rows as a range when they follow each other', () => {
    expect(rowsLabel([5])).toBe('5');
    expect(rowsLabel([2, 3, 4])).toBe('2–4');
    expect(rowsLabel([2, 5])).toBe('2, 5');
    expect(rowsLabel([])).toBe('');
  });

  it('lists refused orders first, each group in file order', () => {
    const result = (rows: number[], outcome: OrderCsvResult['outcome']): OrderCsvResult => ({
      rows,
      orderNumber: `R${rows[0]}`,
      outcome,
      orderId: outcome === 'refused' ? null : `id${rows[0]}`,
      errors: [],
    });
    const ordered = resultsForReview([
      result([2], 'created'),
      result([3], 'refused'),
      result([4, 5], 'unchanged'),
      result([6], 'refused'),
    ]);
    expect(ordered.map((r) => r.orderNumber)).toEqual(['R3', 'R6', 'R2', 'R4']);
  });
});
