import type { FieldError } from '@renkei/domain';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { AppError, fieldError, invalid } from '../errors.js';

/*
 * Reading an order CSV (受注CSV): one row per order line, the order's columns repeated on each of its
 * rows (the same model as the shipping CSV). Headers may be Japanese or English. Files come in
 * UTF-8 (with or without BOM) or Shift_JIS (what Excel writes in Japan); `auto` tries UTF-8
 * strictly and falls back to Shift_JIS.
 *
 * Each order is received on its own (orders/receive-file.ts): a refused order stores nothing and
 * the others go in; the report says for each order its rows, what happened, and for a refusal
 * each reason with the row and the column it is about. Only a file that cannot be read as an
 * order CSV at all (too big, not text, unknown or missing columns) is refused as a whole.
 */

type Target = { order: string } | { shipTo: string } | { line: string };

/** Column header (ja / en) → where the value goes. */
export const ORDER_CSV_COLUMNS: Record<string, Target> = {};
/** The columns in template order, each with its two headers. */
export const ORDER_CSV_HEADERS: { ja: string; en: string; target: Target }[] = [];
const define = (ja: string, en: string, target: Target) => {
  ORDER_CSV_COLUMNS[ja] = target;
  ORDER_CSV_COLUMNS[en] = target;
  ORDER_CSV_HEADERS.push({ ja, en, target });
};
define('店舗ID', 'shopId', { order: 'shopId' });
define('受注番号', 'orderNumber', { order: 'orderNumber' });
define('受注日時', 'orderedAt', { order: 'orderedAt' });
define('支払方法ID', 'paymentMethodId', { order: 'paymentMethodId' });
define('受注ステータスID', 'statusId', { order: 'statusId' });
define('送料', 'shippingFee', { order: 'shippingFee' });
define('手数料', 'commission', { order: 'commission' });
define('ギフト包装料', 'giftWrapFee', { order: 'giftWrapFee' });
define('ポイント利用額', 'pointUse', { order: 'pointUse' });
define('クーポン値引き', 'coupon', { order: 'coupon' });
define('モールクーポン値引き', 'mallCoupon', { order: 'mallCoupon' });
define('調整額', 'adjustment', { order: 'adjustment' });
define('外税額', 'externalTax', { order: 'externalTax' });
define('請求金額', 'total', { order: 'total' });
define('配達希望日', 'deliveryDate', { order: 'deliveryDate' });
define('出荷日', 'shippingDate', { order: 'shippingDate' });
define('お届け先氏名', 'shipToName', { shipTo: 'name' });
define('お届け先郵便番号', 'shipToPostalCode', { shipTo: 'postalCode' });
define('お届け先住所', 'shipToAddress', { shipTo: 'address' });
define('お届け先電話番号', 'shipToPhone', { shipTo: 'phone' });
define('商品番号', 'productCode', { line: 'productCode' });
define('商品管理番号', 'managementNumber', { line: 'managementNumber' });
define('商品名', 'name', { line: 'name' });
define('単価', 'unitPrice', { line: 'unitPrice' });
define('数量', 'quantity', { line: 'quantity' });
define('封入物', 'isEnclosure', { line: 'isEnclosure' });

const NUMERIC = new Set([
  'shippingFee',
  'commission',
  'giftWrapFee',
  'pointUse',
  'coupon',
  'mallCoupon',
  'adjustment',
  'externalTax',
  'total',
  'unitPrice',
  'quantity',
]);

/** At most this many data rows per file (order lines); larger files are split by the merchant. */
export const MAX_CSV_ROWS = 20_000;

/** At most this many bytes per file (6 MB: the 8 MB request body holds it in base64). */
export const MAX_CSV_BYTES = 6_000_000;

/** Columns every order needs (the intake schema's required fields). */
const REQUIRED_TARGETS: readonly Target[] = [
  { order: 'shopId' },
  { order: 'orderNumber' },
  { order: 'orderedAt' },
  { order: 'paymentMethodId' },
  { order: 'statusId' },
  { line: 'name' },
  { line: 'unitPrice' },
  { line: 'quantity' },
];

const targetKey = (t: Target) =>
  'order' in t ? t.order : 'shipTo' in t ? `shipTo.${t.shipTo}` : `lines.${t.line}`;

/** The two headers of a column, by where its value goes (`shopId`, `shipTo.name`, `lines.name`). */
export const HEADERS_BY_TARGET = new Map(ORDER_CSV_HEADERS.map((h) => [targetKey(h.target), h]));

/** The file is refused as a whole: the message names what is wrong with it. */
function badFile(ja: string, en: string): AppError {
  return invalid([fieldError('contentBase64', ja, en)]);
}

/**
 * Refuses what is not a CSV file of a sensible size before decoding it: over 6 MB, or binary (a
 * NUL byte, as in an Excel workbook or a picture, never appears in a CSV text).
 */
export function checkCsvBytes(bytes: Buffer): void {
  if (bytes.length > MAX_CSV_BYTES) {
    throw new AppError(
      'PAYLOAD_TOO_LARGE',
      {
        ja: `ファイルが大きすぎます(${(bytes.length / 1_000_000).toFixed(1)} MB)。6 MBまでのファイルにしてください`,
        en: `The file is too large (${(bytes.length / 1_000_000).toFixed(1)} MB); files may be at most 6 MB`,
      },
      [fieldError('contentBase64', 'ファイルは6 MBまでです', 'The file may be at most 6 MB')],
    );
  }
  if (bytes.subarray(0, 64 * 1024).includes(0)) {
    throw badFile(
      'CSVファイルではありません(Excelブックや画像などはCSV形式で保存し直してください)',
      'This is not a CSV file (save an Excel workbook as CSV first)',
    );
  }
}

/** Decodes the file's bytes. */
export function decodeCsv(bytes: Buffer, encoding: 'auto' | 'utf-8' | 'shift_jis'): string {
  return decodeCsvDetected(bytes, encoding).text;
}

/** Decodes the file's bytes and says which encoding it was read in. */
export function decodeCsvDetected(
  bytes: Buffer,
  encoding: 'auto' | 'utf-8' | 'shift_jis',
): { text: string; encoding: 'utf-8' | 'shift_jis' } {
  const sjis = () => ({ text: iconv.decode(bytes, 'Shift_JIS'), encoding: 'shift_jis' as const });
  if (encoding === 'shift_jis') return sjis();
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return {
      text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text,
      encoding: 'utf-8',
    };
  } catch {
    if (encoding === 'utf-8') {
      throw invalid([
        fieldError(
          'contentBase64',
          'ファイルはUTF-8ではありません(Shift_JISなら文字コードを選んでください)',
          'The file is not valid UTF-8 (choose Shift_JIS if it is)',
        ),
      ]);
    }
    return sjis();
  }
}

function cellValue(key: string, raw: string): unknown {
  const value = raw.normalize('NFKC').trim();
  if (value === '') return undefined;
  if (NUMERIC.has(key)) return /^-?\d+$/.test(value) ? Number(value) : value;
  if (key === 'isEnclosure')
    return ['1', 'true', 'yes', '○', '◯', 'はい'].includes(value.toLowerCase())
      ? true
      : ['0', 'false', 'no', 'いいえ'].includes(value.toLowerCase())
        ? false
        : value;
  return raw.trim();
}

/** A problem of one row, found before the order is received (the row's shape). */
export interface RowProblem {
  row: number;
  error: FieldError;
}

/** One order of the file: its rows (1 = the header), its intake fields, its rows' problems. */
export interface CsvOrder {
  rows: number[];
  order: Record<string, unknown>;
  problems: RowProblem[];
}

/**
 * Turns the CSV text into intake orders (one per shop + order number, lines in file order), each
 * with its rows as numbered in a spreadsheet (row 1 = the header, blank rows counted). A row whose
 * cells do not match the header is a problem of its order (the whole order is refused, never
 * taken without that line) or, when even its order cannot be told, an order of its own. Throws
 * only when the file is not an order CSV: unreadable, no data, too many rows, unknown or missing
 * columns.
 */
export function csvToOrders(text: string): CsvOrder[] {
  let records: string[][];
  try {
    const rows: unknown = parse(text, { relax_column_count: true, bom: true });
    records = rows as string[][];
  } catch (error) {
    throw badFile(
      `CSVを読み取れません: ${(error as Error).message}`,
      `The CSV cannot be parsed: ${(error as Error).message}`,
    );
  }
  const blank = (cells: string[]) => cells.every((c) => c.trim() === '');
  const [header, ...rows] = records;
  if (header === undefined || blank(header) || rows.every(blank)) {
    throw badFile(
      'CSVに見出し行とデータ行が必要です',
      'The CSV needs a header row and at least one data row',
    );
  }
  if (rows.length > MAX_CSV_ROWS) {
    throw new AppError('PAYLOAD_TOO_LARGE', {
      ja: `CSVは${MAX_CSV_ROWS}行までです`,
      en: `The CSV may have at most ${MAX_CSV_ROWS} rows`,
    });
  }
  const targets = header.map(
    (h) => ORDER_CSV_COLUMNS[h.normalize('NFKC').trim()] ?? ORDER_CSV_COLUMNS[h.trim()],
  );
  const unknown = header.filter((_, i) => targets[i] === undefined);
  if (unknown.length > 0) {
    throw badFile(
      `見出し行に不明な列があります: ${unknown.join(', ')}(見本のCSVの見出しを使ってください)`,
      `Unknown columns in the header row: ${unknown.join(', ')} (use the sample CSV's header)`,
    );
  }
  const present = new Set(targets.map((t) => targetKey(t!)));
  const missing = REQUIRED_TARGETS.filter((t) => !present.has(targetKey(t))).map((t) =>
    HEADERS_BY_TARGET.get(targetKey(t))!,
  );
  if (missing.length > 0) {
    throw badFile(
      `見出し行に必要な列がありません: ${missing.map((h) => h.ja).join(', ')}`,
      `Required columns missing from the header row: ${missing.map((h) => h.en).join(', ')}`,
    );
  }
  const at = (cells: string[], key: string) => {
    const i = targets.findIndex((t) => t !== undefined && 'order' in t && t.order === key);
    return cells[i]?.trim() ?? '';
  };
  const orders = new Map<string, CsvOrder>();
  const entryOf = (key: string, row: number, order: () => Record<string, unknown>): CsvOrder => {
    let entry = orders.get(key);
    if (entry === undefined) {
      entry = { rows: [], order: order(), problems: [] };
      orders.set(key, entry);
    }
    entry.rows.push(row);
    return entry;
  };
  rows.forEach((cells, index) => {
    const row = index + 2;
    if (blank(cells)) return;
    const key = `${at(cells, 'shopId')}\u0000${at(cells, 'orderNumber')}`;
    if (cells.length !== header.length) {
      // The cells cannot be matched to the columns: the row's order is refused with it.
      const problem: RowProblem = {
        row,
        error: fieldError(
          '',
          `列の数が見出し行と違います(${cells.length}列、見出し行は${header.length}列)`,
          `The row has ${cells.length} cells; the header row has ${header.length} columns`,
        ),
      };
      const known = at(cells, 'orderNumber') !== '';
      const entry = entryOf(known ? key : `\u0001${row}`, row, () => ({
        orderNumber: at(cells, 'orderNumber'),
        lines: [],
      }));
      entry.problems.push(problem);
      return;
    }
    const fields: Record<string, unknown> = {};
    const shipTo: Record<string, unknown> = {};
    const line: Record<string, unknown> = {};
    cells.forEach((cell, i) => {
      const target = targets[i]!;
      if ('order' in target) fields[target.order] = cellValue(target.order, cell);
      else if ('shipTo' in target) shipTo[target.shipTo] = cellValue(target.shipTo, cell);
      else line[target.line] = cellValue(target.line, cell);
    });
    const entry = entryOf(key, row, () => {
      const order: Record<string, unknown> = { ...fields, lines: [] };
      if (Object.values(shipTo).some((v) => v !== undefined)) order.shipTo = shipTo;
      return order;
    });
    (entry.order.lines as unknown[]).push(line);
  });
  // Drop undefined values so that schema defaults apply.
  return [...orders.values()].map((entry) => ({
    ...entry,
    order: JSON.parse(JSON.stringify(entry.order)) as Record<string, unknown>,
  }));
}

/**
 * The template merchants fill in: every column's header (Japanese or English) and one example
 * order of two rows, the second an enclosure (封入物), with the merchant's own shop, payment method
 * and status IDs when given (the IDs are what a merchant cannot guess). UTF-8 with BOM, so Excel
 * opens it as is.
 */
export function orderCsvTemplate(
  language: 'ja' | 'en',
  ids: { shopId?: string; paymentMethodId?: string; statusId?: string } = {},
): string {
  const placeholder = (ja: string, en: string) => (language === 'ja' ? ja : en);
  const order: Record<string, string> = {
    shopId: ids.shopId ?? placeholder('(店舗ID)', '(shop ID)'),
    orderNumber: 'RT-0001',
    orderedAt: '2026-01-10T09:00:00+09:00',
    paymentMethodId: ids.paymentMethodId ?? placeholder('(支払方法ID)', '(payment method ID)'),
    statusId: ids.statusId ?? placeholder('(受注ステータスID)', '(order status ID)'),
    shippingFee: '550',
    'shipTo.name': '山田 太郎',
    'shipTo.postalCode': '150-0041',
    'shipTo.address': '東京都渋谷区神南1-2-3',
    'shipTo.phone': '03-0000-0000',
  };
  const rows: Record<string, string>[] = [
    {
      ...order,
      'lines.productCode': 'TS-001',
      'lines.name': 'Tシャツ 白',
      'lines.unitPrice': '3300',
      'lines.quantity': '2',
      'lines.isEnclosure': '0',
    },
    {
      ...order,
      'lines.name': '同梱チラシ',
      'lines.unitPrice': '0',
      'lines.quantity': '1',
      'lines.isEnclosure': '1',
    },
  ];
  const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  const lines = [
    ORDER_CSV_HEADERS.map((h) => h[language]),
    ...rows.map((row) => ORDER_CSV_HEADERS.map((h) => row[targetKey(h.target)] ?? '')),
  ];
  return '\ufeff' + lines.map((cells) => cells.map(quote).join(',')).join('\r\n') + '\r\n';
}
