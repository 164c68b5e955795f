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

/**
 * 送り状・出荷CSV: selects the tenant's open orders with the domain's rules (honouring
 * `shippingCsvUnallocated`) and renders them ({@link renderShippingCsv}).
 */
export async function exportShippingCsv(
  scope: TenantScope,
  options: { statusIds?: string[]; language?: 'ja' | 'en' },
): Promise<{
  bytes: Buffer;
  selection: ShippingCsvSelection;
  encoding: ShippingCsvEncodingReport;
}> {
  const settings = await getSettings(scope);
  const statuses = await scope.repos.orderStatuses.list();
  const open = statuses.filter((s) => s.category === 'open').map((s) => s.id);
  const orders = await scope.repos.orders.findInStatuses(open);
  const selection = selectShippingCsvRows(
    orders.map((o) => ({
      order: toOmsOrder(o),
      shopName: o.shop.name,
      statusCategory: o.status.category as OrderStatusCategory,
      // The same reading as bulk shipping's decision (statusDecisionOrder).
      allocation: allocationStateOf(o),
    })),
    {
      settings,
      ...(options.statusIds === undefined ? {} : { statusIds: options.statusIds }),
      language: options.language ?? 'ja',
    },
  );
  return { ...renderShippingCsv(selection), selection };
}
