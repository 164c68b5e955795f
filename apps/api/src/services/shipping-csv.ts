import {
  allocationStateOf,
  encodeShiftJis,
  selectShippingCsvRows,
  shippingCsvColumns,
  toShiftJisTable,
  type OrderStatusCategory,
  type ShiftJisCellLoss,
  type ShiftJisFold,
  type ShiftJisLoss,
  type ShippingCsvSelection,
  type ShippingCsvUnallocated,
} from '@renkei/domain';
import { toOmsOrder } from '@renkei/persistence';
import { stringify } from 'csv-stringify/sync';
import type { TenantScope } from './scope.js';
import { getSettings } from './settings.js';

/**
 * What the Shift_JIS file could not carry as the orders have it: characters folded to their
 * customary equivalent, and characters Shift_JIS lacks, written as 〓, each with its place.
 */
export interface ShippingCsvEncodingReport {
  folded: ShiftJisFold[];
  unencodable: ShiftJisLoss[];
  losses: (ShiftJisCellLoss & { orderNumber: string })[];
}

const ORDER_NUMBER_COLUMN = shippingCsvColumns.findIndex((c) => c.key === 'orderNumber');

/**
 * The file: Shift_JIS (Windows-31J) with CRLF, every field quoted (a product name may start with
 * `=`), as carrier software expects; no character becomes a silent `?` (packages/domain
 * shift-jis.ts).
 */
export function renderShippingCsv(selection: Pick<ShippingCsvSelection, 'header' | 'rows'>): {
  bytes: Buffer;
  encoding: ShippingCsvEncodingReport;
} {
  const table = toShiftJisTable(selection.header, selection.rows);
  const text = stringify([table.header, ...table.rows], {
    quoted: true,
    record_delimiter: 'windows',
  });
  return {
    bytes: encodeShiftJis(text).bytes,
    encoding: {
      folded: table.folded,
      unencodable: table.unencodable,
      losses: table.losses.map((loss) => ({
        ...loss,
        orderNumber: selection.rows[loss.rowIndex]?.[ORDER_NUMBER_COLUMN] ?? '',
      })),
    },
  };
}

/** Which orders the merchant asks for (the screen's filters); every one optional. */
export interface ShippingCsvFilter {
  shopId?: string | undefined;
  /** Only these statuses (still only the open ones: shipped and cancelled never go out). */
  statusIds?: readonly string[] | undefined;
  /** 出荷日 range, YYYY-MM-DD, both included; an order without 出荷日 is outside any range. */
  shippingDateFrom?: string | undefined;
  shippingDateTo?: string | undefined;
}

/**
 * 送り状・出荷CSV: selects the tenant's open orders under the filter with the domain's rules
 * (honouring `shippingCsvUnallocated`) and renders them ({@link renderShippingCsv}). The selection
 * lists every order the setting holds back, with the stored order's ID as its `ref`.
 */
export async function exportShippingCsv(
  scope: TenantScope,
  options: ShippingCsvFilter & { language?: 'ja' | 'en' | undefined },
): Promise<{
  bytes: Buffer;
  selection: ShippingCsvSelection;
  encoding: ShippingCsvEncodingReport;
  setting: ShippingCsvUnallocated;
}> {
  const settings = await getSettings(scope);
  const statuses = await scope.repos.orderStatuses.list();
  const wanted = options.statusIds === undefined ? null : new Set(options.statusIds);
  // Asked for in the query: the domain would leave other statuses out anyway, and reading only the
  // open statuses asked for keeps 100,000 shipped orders out of memory.
  const open = statuses
    .filter((s) => s.category === 'open' && (wanted === null || wanted.has(s.id)))
    .map((s) => s.id);
  const orders =
    open.length === 0
      ? []
      : await scope.repos.orders.findInStatuses(open, {
          shopId: options.shopId,
          shippingDateFrom: options.shippingDateFrom,
          shippingDateTo: options.shippingDateTo,
        });
  const selection = selectShippingCsvRows(
    orders.map((o) => ({
      order: toOmsOrder(o),
      shopName: o.shop.name,
      statusCategory: o.status.category as OrderStatusCategory,
      // The same reading as bulk shipping's decision (statusDecisionOrder).
      allocation: allocationStateOf(o),
      ref: o.id,
    })),
    {
      settings,
      ...(options.statusIds === undefined ? {} : { statusIds: options.statusIds }),
      language: options.language ?? 'ja',
    },
  );
  return {
    ...renderShippingCsv(selection),
    selection,
    setting: settings.shippingCsvUnallocated,
  };
}

/** At most this many held orders are listed in the preview (all of them are counted). */
export const SHIPPING_CSV_HELD_LISTED = 200;

/**
 * What the download would hold, without the file (the screen's preview): how many orders and
 * rows go out, every order ■送り状・出荷CSV出力制御 holds back with the reason (the first
 * {@link SHIPPING_CSV_HELD_LISTED}), and the characters Shift_JIS cannot carry as typed.
 */
export async function previewShippingCsv(
  scope: TenantScope,
  options: ShippingCsvFilter & { language?: 'ja' | 'en' | undefined },
) {
  const { selection, encoding, setting } = await exportShippingCsv(scope, options);
  const held = selection.excluded.filter((e) => e.reason === 'notAllocated');
  return {
    setting,
    included: selection.included,
    includedCount: selection.included.length,
    rowCount: selection.rows.length,
    heldCount: held.length,
    held: held.slice(0, SHIPPING_CSV_HELD_LISTED).map((e) => ({
      orderId: e.ref,
      orderNumber: e.orderNumber,
      allocation: e.allocation,
      message: e.message,
    })),
    excluded: selection.excluded.map(({ orderNumber, reason, message }) => ({
      orderNumber,
      reason,
      message,
    })),
    encoding,
  };
}

/** `送り状_20261130_1705.csv`: the moment of the download in Japan time, where merchants work. */
export function shippingCsvFileName(now: Date): string {
  const jst = new Date(now.getTime() + 9 * 60 * 60 * 1000).toISOString();
  const date = jst.slice(0, 10).replaceAll('-', '');
  const time = jst.slice(11, 16).replace(':', '');
  return `送り状_${date}_${time}.csv`;
}

/**
 * `Content-Disposition` for a Japanese file name: `filename*` (RFC 5987/6266, UTF-8) that every
 * current browser reads, and an ASCII `filename` for the rest (a quoted header value must be
 * ASCII).
 */
export function attachmentDisposition(fileName: string): string {
  const ascii = fileName.replace(/^送り状/, 'shipping').replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
