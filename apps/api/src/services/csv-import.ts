import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { AppError, fieldError, invalid } from '../errors.js';

/*
 * Order CSV (受注CSV) import: one row per order line, the order's columns repeated on each of its
 * rows (the same model as the shipping CSV). Headers may be Japanese or English. Files come in
 * UTF-8 (with or without BOM) or Shift_JIS (what Excel writes in Japan); `auto` tries UTF-8
 * strictly and falls back to Shift_JIS.
 */

type Target = { order: string } | { shipTo: string } | { line: string };

/** Column header (ja / en) → where the value goes. */
export const ORDER_CSV_COLUMNS: Record<string, Target> = {};
const define = (ja: string, en: string, target: Target) => {
  ORDER_CSV_COLUMNS[ja] = target;
  ORDER_CSV_COLUMNS[en] = target;
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

/** Decodes the file's bytes. */
export function decodeCsv(bytes: Buffer, encoding: 'auto' | 'utf-8' | 'shift_jis'): string {
  if (encoding === 'shift_jis') return iconv.decode(bytes, 'Shift_JIS');
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
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
    return iconv.decode(bytes, 'Shift_JIS');
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

/**
 * Turns the CSV text into intake orders (one per shop + order number, lines in file order), each
 * with its position (`row 2` = the first data row) for error messages.
 */
export function csvToOrders(text: string): { position: string; order: Record<string, unknown> }[] {
  let records: string[][];
  try {
    const rows: unknown = parse(text, {
      skip_empty_lines: true,
      relax_column_count: false,
      bom: true,
    });
    records = rows as string[][];
  } catch (error) {
    throw invalid([
      fieldError(
        'contentBase64',
        `CSVを読み取れません: ${(error as Error).message}`,
        `The CSV cannot be parsed: ${(error as Error).message}`,
      ),
    ]);
  }
  const [header, ...rows] = records;
  if (header === undefined || rows.length === 0) {
    throw invalid([
      fieldError(
        'contentBase64',
        'CSVに見出し行とデータ行が必要です',
        'The CSV needs a header row and at least one data row',
      ),
    ]);
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
    throw invalid([
      fieldError(
        'contentBase64',
        `不明な列があります: ${unknown.join(', ')}`,
        `Unknown columns: ${unknown.join(', ')}`,
      ),
    ]);
  }
  const orders = new Map<string, { position: string; order: Record<string, unknown> }>();
  rows.forEach((cells, index) => {
    const header: Record<string, unknown> = {};
    const shipTo: Record<string, unknown> = {};
    const line: Record<string, unknown> = {};
    cells.forEach((cell, i) => {
      const target = targets[i]!;
      if ('order' in target) header[target.order] = cellValue(target.order, cell);
      else if ('shipTo' in target) shipTo[target.shipTo] = cellValue(target.shipTo, cell);
      else line[target.line] = cellValue(target.line, cell);
    });
    const key = `${String(header.shopId)}\u0000${String(header.orderNumber)}`;
    let entry = orders.get(key);
    if (entry === undefined) {
      const order: Record<string, unknown> = { ...header, lines: [] };
      if (Object.values(shipTo).some((v) => v !== undefined)) order.shipTo = shipTo;
      entry = { position: `row ${index + 2}`, order };
      orders.set(key, entry);
    }
    (entry.order.lines as unknown[]).push(line);
  });
  // Drop undefined values so that schema defaults apply.
  return [...orders.values()].map(({ position, order }) => ({
    position,
    order: JSON.parse(JSON.stringify(order)) as Record<string, unknown>,
  }));
}
