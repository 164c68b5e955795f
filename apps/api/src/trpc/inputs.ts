import { z } from 'zod';
import { fieldError, type FieldError, type FieldLabel } from '@renkei/domain';
import { fieldError as fieldErrorOf } from '../errors.js';
import {
  ORDER_ALLOCATION_FILTERS,
  ORDER_LIST_SYNC_STATES,
  SYNC_OUTCOMES,
  SYNC_SUBJECT_TYPES,
} from '@renkei/persistence';

/** The domain's validation messages for a field, rendered in the reader's language. */
const field = (ja: string, en: string, key: string) => {
  const label: FieldLabel = { ja, en, key };
  return { error: fieldError(label) };
};

const id = field('ID', 'ID', 'id');
/** An entity ID (Renkei IDs are UUIDs; anything else is simply not found). */
export const idSchema = z.string(id).trim().min(1, id).max(64, id);

export const byId = z.strictObject({ id: idSchema });

const status = field('受注ステータス', 'Order status', 'statusId');
/** The order status an order is moved to: a missing one is named as the status, not an ID. */
export const statusIdSchema = z.string(status).trim().min(1, status).max(64, status);

const page = field('ページ', 'Page', 'page');
const pageSize = field('件数', 'Page size', 'pageSize');
export const pagingShape = {
  page: z.int(page).min(1, page).max(100_000, page).default(1),
  pageSize: z.int(pageSize).min(1, pageSize).max(200, pageSize).default(50),
};

const search = field('検索語', 'Search', 'search');
export const searchSchema = z.string(search).trim().max(100, search).optional();

/** A calendar date (YYYY-MM-DD) of a filter, named for the field's messages. */
const filterDate = (ja: string, en: string, key: string) =>
  z.iso.date(field(ja, en, key)).optional();

/**
 * The order list's filters. `syncState` is the list's vocabulary (`notSynced` 未連携 and `held`
 * 保留 split the stored `waiting`); dates are days in Japan time, both ends included. A range whose
 * end comes before its start is refused at the end's field.
 */
export const orderListInput = z.strictObject({
  ...pagingShape,
  statusId: idSchema.optional(),
  shopId: idSchema.optional(),
  syncState: z
    .enum(ORDER_LIST_SYNC_STATES, field('連携状態', 'Sync state', 'syncState'))
    .optional(),
  allocation: z
    .enum(ORDER_ALLOCATION_FILTERS, field('引当状態', 'Allocation', 'allocation'))
    .optional(),
  shippingDateFrom: filterDate('出荷日(開始)', 'Shipping date from', 'shippingDateFrom'),
  shippingDateTo: filterDate('出荷日(終了)', 'Shipping date to', 'shippingDateTo'),
  orderedFrom: filterDate('受注日(開始)', 'Order date from', 'orderedFrom'),
  orderedTo: filterDate('受注日(終了)', 'Order date to', 'orderedTo'),
  search: searchSchema,
});

/**
 * The filter ranges that end before they start, refused at the end's field (a schema refinement
 * would make the input an effect and hide its shape from the admin's types).
 */
export function orderListRangeErrors(input: z.output<typeof orderListInput>): FieldError[] {
  const ranges = [
    ['shippingDateFrom', 'shippingDateTo', '出荷日', 'shipping date'],
    ['orderedFrom', 'orderedTo', '受注日', 'order date'],
  ] as const;
  return ranges.flatMap(([from, to, ja, en]) => {
    const start = input[from];
    const end = input[to];
    return start !== undefined && end !== undefined && end < start
      ? [
          fieldErrorOf(
            to,
            `${ja}(終了)は${ja}(開始)と同じ日か後の日付にしてください`,
            `The ${en} range ends before it starts`,
          ),
        ]
      : [];
  });
}

/** The first instant of a day in Japan time, where the merchant's order dates are counted. */
export function startOfJapanDay(date: string): Date {
  return new Date(`${date}T00:00:00+09:00`);
}

/** The first instant after a day in Japan time (the exclusive end of a range ending that day). */
export function endOfJapanDay(date: string): Date {
  return new Date(startOfJapanDay(date).getTime() + 24 * 60 * 60 * 1000);
}

const ids = field('受注', 'Orders', 'ids');
/** Several orders at once (the order list's selection), each at most once. */
export const orderIdsSchema = z
  .array(idSchema, ids)
  .min(1, ids)
  .max(200, ids)
  .transform((list) => [...new Set(list)]);

export const syncLogInput = z.strictObject({
  ...pagingShape,
  subjectType: z.enum(SYNC_SUBJECT_TYPES, field('対象', 'Subject type', 'subjectType')).optional(),
  outcome: z.enum(SYNC_OUTCOMES, field('結果', 'Outcome', 'outcome')).optional(),
});

export const productListInput = z.strictObject({ ...pagingShape, search: searchSchema });

const fileName = field('ファイル名', 'File name', 'fileName');
const content = field('CSVファイルの内容', 'File content', 'contentBase64');
export const csvImportInput = z.strictObject({
  fileName: z.string(fileName).max(255, fileName).optional(),
  /** The file's bytes, base64-encoded (the admin reads the file and sends it as is; 6 MB). */
  contentBase64: z.string(content).min(1, content).max(8_000_000, content),
  encoding: z
    .enum(['auto', 'utf-8', 'shift_jis'], field('文字コード', 'Encoding', 'encoding'))
    .default('auto'),
});

const name = field('名前', 'Name', 'name');
export const apiKeyCreateInput = z.strictObject({
  name: z.string(name).trim().min(1, name).max(100, name),
});

const origin = field('オリジン', 'Origin', 'origin');
/** [認証]: the admin page's `window.location.origin` (optional; unknown origins are ignored). */
export const connectionStartInput = z
  .strictObject({ origin: z.string(origin).max(200, origin).optional() })
  .optional();
