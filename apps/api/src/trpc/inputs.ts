import { z } from 'zod';
import { fieldError, OUTBOUND_EVENT_TYPES, type FieldError, type FieldLabel } from '@renkei/domain';
import { fieldError as fieldErrorOf } from '../errors.js';
import {
  API_KEY_SCOPES,
  AUDIT_ACTIONS,
  IMPORT_RUN_MODES,
  ORDER_ALLOCATION_FILTERS,
  ORDER_LIST_SYNC_STATES,
  PRODUCT_LIST_SORTS,
  PRODUCT_STOCK_FILTERS,
  PRODUCT_SYNC_STATES,
  SORT_ORDERS,
  SYNC_EVENT_KINDS,
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
export function orderListRangeErrors(
  input: Pick<
    z.output<typeof orderListInput>,
    'shippingDateFrom' | 'shippingDateTo' | 'orderedFrom' | 'orderedTo'
  >,
): FieldError[] {
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

/**
 * 送り状・出荷CSV: which orders (shop, statuses, 出荷日 range: days, both included) and the
 * headers' language. The same fields for the preview (tRPC) and the download (a GET's query).
 */
export const shippingCsvInput = z.strictObject({
  shopId: idSchema.optional(),
  statusIds: z
    .array(idSchema, field('受注ステータス', 'Order status', 'statusIds'))
    .max(100, field('受注ステータス', 'Order status', 'statusIds'))
    .optional(),
  shippingDateFrom: filterDate('出荷日(開始)', 'Shipping date from', 'shippingDateFrom'),
  shippingDateTo: filterDate('出荷日(終了)', 'Shipping date to', 'shippingDateTo'),
  language: z.enum(['ja', 'en'], field('見出しの言語', 'Header language', 'language')).optional(),
});

const ids = field('受注', 'Orders', 'ids');
/** Several orders at once (the order list's selection), each at most once. */
export const orderIdsSchema = z
  .array(idSchema, ids)
  .min(1, ids)
  .max(200, ids)
  .transform((list) => [...new Set(list)]);

/**
 * Date ranges of a filter that end before they start, each refused at its end's field (`ranges`:
 * start field, end field, and the range's name in Japanese and English).
 */
export function dateRangeErrors<K extends string>(
  input: Partial<Record<K, string | undefined>>,
  ranges: readonly (readonly [from: K, to: K, ja: string, en: string])[],
): FieldError[] {
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

const orderNumber = field('受注番号', 'Order number', 'orderNumber');
const orderId = field('受注', 'Order', 'orderId');
/**
 * The 連携ログ's filters: one order (by its ID, from the order page, or by its number as the
 * merchant types it), the subject type, the kind, the outcome, and the days (Japan time, both
 * included).
 */
export const syncLogInput = z.strictObject({
  ...pagingShape,
  orderId: z.string(orderId).trim().min(1, orderId).max(64, orderId).optional(),
  orderNumber: z.string(orderNumber).trim().min(1, orderNumber).max(100, orderNumber).optional(),
  subjectType: z.enum(SYNC_SUBJECT_TYPES, field('対象', 'Subject type', 'subjectType')).optional(),
  kind: z.enum(SYNC_EVENT_KINDS, field('種類', 'Kind', 'kind')).optional(),
  outcome: z.enum(SYNC_OUTCOMES, field('結果', 'Outcome', 'outcome')).optional(),
  from: filterDate('期間(開始)', 'From', 'from'),
  to: filterDate('期間(終了)', 'To', 'to'),
});

/** The 操作履歴's filters: the action and the days (Japan time, both included). */
export const auditListInput = z.strictObject({
  ...pagingShape,
  action: z.enum(AUDIT_ACTIONS, field('操作', 'Action', 'action')).optional(),
  from: filterDate('期間(開始)', 'From', 'from'),
  to: filterDate('期間(終了)', 'To', 'to'),
});

/**
 * 出品商品一覧: the search, the filters (連携状態, drift found by reconciliation, 在庫なし / 在庫あり)
 * and the sort (column and direction), each refused at its own field when unknown.
 */
export const productListInput = z.strictObject({
  ...pagingShape,
  search: searchSchema,
  syncState: z.enum(PRODUCT_SYNC_STATES, field('連携状態', 'Sync state', 'syncState')).optional(),
  drift: z.boolean(field('在庫差異', 'Stock drift', 'drift')).optional(),
  stock: z.enum(PRODUCT_STOCK_FILTERS, field('在庫', 'Stock', 'stock')).optional(),
  sort: z.enum(PRODUCT_LIST_SORTS, field('並び順', 'Sort', 'sort')).default('code'),
  order: z.enum(SORT_ORDERS, field('昇順・降順', 'Sort order', 'order')).default('asc'),
});

const fileName = field('ファイル名', 'File name', 'fileName');
const content = field('CSVファイルの内容', 'File content', 'contentBase64');
export const csvImportInput = z.strictObject({
  fileName: z.string(fileName).max(255, fileName).optional(),
  /**
   * The file's bytes, base64-encoded (the admin reads the file and sends it as is). The import
   * refuses a file over 6 MB saying its size; the schema only bounds what the 8 MB body can hold.
   */
  contentBase64: z.string(content).min(1, content).max(8_300_000, content),
  encoding: z
    .enum(['auto', 'utf-8', 'shift_jis'], field('文字コード', 'Encoding', 'encoding'))
    .default('auto'),
});

const name = field('名前', 'Name', 'name');
const scopes = field('権限', 'Scopes', 'scopes');
export const apiKeyCreateInput = z.strictObject({
  name: z.string(name).trim().min(1, name).max(100, name),
  /**
   * What the key may do on the REST API v1 (the admin always sends the merchant's choice); without
   * it, DEFAULT_API_KEY_SCOPES, as keys made before scopes existed (never `webhooks:manage`).
   */
  scopes: z.array(z.enum(API_KEY_SCOPES, scopes), scopes).min(1, scopes).optional(),
});

const importMode = field('操作', 'Operation', 'mode');
/**
 * [API連携する] of the product import panel: the operation chosen in its pull-down (without one,
 * [スマレジから新規商品情報一括取得]).
 */
export const productImportStartInput = z
  .strictObject({ mode: z.enum(IMPORT_RUN_MODES, importMode).default('createNew') })
  .optional();

const origin = field('オリジン', 'Origin', 'origin');
/** [認証]: the admin page's `window.location.origin` (optional; unknown origins are ignored). */
export const connectionStartInput = z
  .strictObject({ origin: z.string(origin).max(200, origin).optional() })
  .optional();

const webhookUrl = field('URL', 'URL', 'url');
const webhookDescription = field('説明', 'Description', 'description');
const webhookEvents = field('イベント', 'Events', 'events');
const webhookState = field('状態', 'State', 'state');
/** A webhook endpoint's fields (the admin's form and the REST API v1 take the same). */
const webhookEndpointShape = {
  /** Checked further by the URL rule (services/webhook-url.ts). */
  url: z.string(webhookUrl).trim().min(1, webhookUrl).max(2000, webhookUrl),
  description: z
    .string(webhookDescription)
    .trim()
    .max(500, webhookDescription)
    .nullable()
    .optional(),
  events: z
    .array(z.enum(OUTBOUND_EVENT_TYPES, webhookEvents), webhookEvents)
    .min(1, webhookEvents)
    .max(OUTBOUND_EVENT_TYPES.length, webhookEvents)
    .transform((events) => OUTBOUND_EVENT_TYPES.filter((t) => events.includes(t))),
};
export const webhookEndpointCreateInput = z.strictObject(webhookEndpointShape);
/** A change: any of the fields, and `state` to pause (`paused`) or resume (`active`). */
export const webhookEndpointChangeShape = z.strictObject({
  url: webhookEndpointShape.url.optional(),
  description: webhookEndpointShape.description,
  events: webhookEndpointShape.events.optional(),
  state: z.enum(['active', 'paused'], webhookState).optional(),
});
export const webhookEndpointUpdateInput = webhookEndpointChangeShape.extend({ id: idSchema });
export const webhookDeliveriesInput = z.strictObject({ endpointId: idSchema, ...pagingShape });
