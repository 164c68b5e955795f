import {
  selectShippingCsvRows,
  type OmsOrder,
  type OrderStatusCategory,
  type ShippingCsvSelection,
} from '@renkei/domain';
import iconv from 'iconv-lite';
import type { TenantScope } from './scope.js';
import { getSettings } from './settings.js';

/** RFC 4180 field quoting. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * 送り状・出荷CSV: selects the tenant's open orders with the domain's rules (honouring
 * `shippingCsvUnallocated`) and renders them in Shift_JIS with CRLF, as carrier software expects.
 */
export async function exportShippingCsv(
  scope: TenantScope,
  options: { statusIds?: string[]; language?: 'ja' | 'en' },
): Promise<{ bytes: Buffer; selection: ShippingCsvSelection }> {
  const settings = await getSettings(scope);
  const statuses = await scope.repos.orderStatuses.list();
  const open = statuses.filter((s) => s.category === 'open').map((s) => s.id);
  const orders = await scope.repos.orders.findInStatuses(open);
  const selection = selectShippingCsvRows(
    orders.map((o) => ({
      order: o.intake as unknown as OmsOrder,
      shopName: o.shop.name,
      statusCategory: o.status.category as OrderStatusCategory,
      allocation:
        o.allocationStatus === 'allocated' ||
        o.allocationStatus === 'partial' ||
        o.allocationStatus === 'unallocated'
          ? o.allocationStatus
          : null,
    })),
    {
      settings,
      ...(options.statusIds === undefined ? {} : { statusIds: options.statusIds }),
      language: options.language ?? 'ja',
    },
  );
  const text =
    [selection.header, ...selection.rows].map((row) => row.map(csvField).join(',')).join('\r\n') +
    '\r\n';
  return { bytes: iconv.encode(text, 'Shift_JIS'), selection };
}
