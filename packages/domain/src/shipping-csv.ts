import { formatSmaregiDateTime, parseOffsetDateTime } from './datetime.js';
import { compareCodeUnits } from './effective-stock.js';
import { listOf } from './list.js';
import type { OrderStatusCategory } from './master-data.js';
import type { LocalizedMessage } from './messages.js';
import type { OmsOrder } from './order.js';
import type { IntegrationSettings } from './settings.js';
import type { SmaregiAllocationStatus } from './status-decisions.js';

/*
 * 送り状・出荷CSV: which orders go into the shipping CSV, as rows of strings. Encoding
 * (Shift_JIS) and quoting are the writer's job; the rows here are plain text.
 *
 * Column model (one row per order line, order columns repeated on each line, so the file serves
 * both as a picking list and as carrier-label input): see `shippingCsvColumns`.
 *
 * Selection:
 * - shipped and cancelled orders (status category) are never exported;
 * - when `statusIds` is given, only orders in those statuses (the export screen's filter);
 * - `shippingCsvUnallocated` 'exclude' keeps only orders whose every line is allocated
 *   (partial or unknown allocation is excluded: a label must not be printed for goods that are
 *   not reserved); 'include' keeps them and shows the allocation state in the 引当状態 column.
 * - enclosure lines are always listed (they go in the parcel, synced to Smaregi or not).
 * Rows are sorted by shipping date (none last), ordered-at, order number, line.
 */

/** One column of the shipping CSV: its key and header in both languages. */
export interface ShippingCsvColumn {
  key: string;
  header: LocalizedMessage;
}

/** The shipping CSV column model, in file order. */
export const shippingCsvColumns = [
  { key: 'orderNumber', header: { ja: '受注番号', en: 'Order number' } },
  { key: 'shopName', header: { ja: '店舗', en: 'Shop' } },
  { key: 'orderedAt', header: { ja: '受注日時', en: 'Ordered at' } },
  { key: 'shippingDate', header: { ja: '出荷予定日', en: 'Shipping date' } },
  { key: 'deliveryDate', header: { ja: '配達希望日', en: 'Delivery date' } },
  { key: 'shipToName', header: { ja: 'お届け先氏名', en: 'Ship-to name' } },
  { key: 'shipToPostalCode', header: { ja: 'お届け先郵便番号', en: 'Ship-to postal code' } },
  { key: 'shipToAddress', header: { ja: 'お届け先住所', en: 'Ship-to address' } },
  { key: 'shipToPhone', header: { ja: 'お届け先電話番号', en: 'Ship-to phone' } },
  { key: 'lineNumber', header: { ja: '明細行', en: 'Line' } },
  { key: 'productCode', header: { ja: '商品番号', en: 'Product code' } },
  { key: 'managementNumber', header: { ja: '商品管理番号', en: 'Management number' } },
  { key: 'productName', header: { ja: '商品名', en: 'Product name' } },
  { key: 'quantity', header: { ja: '数量', en: 'Quantity' } },
  { key: 'enclosure', header: { ja: '封入物', en: 'Enclosure' } },
  { key: 'allocation', header: { ja: '引当状態', en: 'Allocation' } },
] as const satisfies readonly ShippingCsvColumn[];

export interface ShippingCsvOrder {
  order: OmsOrder;
  shopName: string;
  statusCategory: OrderStatusCategory;
  /** Allocation in Smaregi; null when unknown. */
  allocation: SmaregiAllocationStatus | null;
  /** The caller's reference of the order (the stored order's ID), echoed in `excluded`. */
  ref?: string;
}

export interface ShippingCsvOptions {
  settings: Pick<IntegrationSettings, 'shippingCsvUnallocated'>;
  /** Only orders in these statuses; all statuses when absent. */
  statusIds?: readonly string[];
  /** Header language; Japanese by default. */
  language?: 'ja' | 'en';
}

export type ShippingCsvExclusion = 'closed' | 'notInSelectedStatus' | 'notAllocated';

export interface ShippingCsvSelection {
  header: string[];
  rows: string[][];
  /** Order numbers exported, in file order. */
  included: string[];
  excluded: {
    orderNumber: string;
    /** The order's `ref`, so the screen can link the order (null when none was given). */
    ref: string | null;
    reason: ShippingCsvExclusion;
    /** The allocation the order was read with (why `notAllocated` holds it back). */
    allocation: SmaregiAllocationStatus | null;
    message: LocalizedMessage;
  }[];
}

const allocationLabel: Record<SmaregiAllocationStatus | 'unknown', string> = {
  allocated: '引当済',
  partial: '一部引当',
  unallocated: '未引当',
  unknown: '不明',
};

const exclusionText: Record<ShippingCsvExclusion, LocalizedMessage> = {
  closed: { ja: '出荷済みまたはキャンセルの受注です。', en: 'The order is shipped or cancelled.' },
  notInSelectedStatus: {
    ja: '選択したステータスの受注ではありません。',
    en: 'The order is not in a selected status.',
  },
  notAllocated: {
    ja: '在庫が引当されていないため出力しません(送り状・出荷CSV出力制御)。',
    en: 'Stock is not allocated, so the order is left out (shipping CSV setting).',
  },
};

/**
 * Why `notAllocated` holds an order back, in the merchant's words: 引当未完了 when Smaregi
 * allocated none or only some of its lines, or not known yet when Smaregi has not answered (the
 * order is not registered there, or its allocation was never asked).
 */
const notAllocatedText: Record<SmaregiAllocationStatus | 'unknown', LocalizedMessage> = {
  unallocated: {
    ja: '引当未完了: スマレジで在庫が引当されていないため出力しません(送り状・出荷CSV出力制御)。',
    en: 'Allocation not complete: Smaregi has not allocated its stock, so the order is left out (shipping CSV setting).',
  },
  partial: {
    ja: '引当未完了: 一部の明細しか引当されていないため出力しません(送り状・出荷CSV出力制御)。',
    en: 'Allocation not complete: only some lines are allocated, so the order is left out (shipping CSV setting).',
  },
  unknown: {
    ja: '引当状態が不明: スマレジに未登録か、引当をまだ照会していないため出力しません(送り状・出荷CSV出力制御)。',
    en: 'Allocation unknown: the order is not in Smaregi yet or its allocation was not asked, so it is left out (shipping CSV setting).',
  },
  allocated: exclusionText.notAllocated,
};

/**
 * 受注日時 in Japan time whatever offset the order carries (stored orders read back in UTC): the
 * carrier software and the merchant read Japanese dates.
 */
function japanTime(orderedAt: string): string {
  const ms = parseOffsetDateTime(orderedAt);
  return ms === null ? orderedAt : formatSmaregiDateTime(ms);
}

/** Selects the orders for the shipping CSV and renders them as rows. Never throws. */
export function selectShippingCsvRows(
  orders: readonly ShippingCsvOrder[],
  options: ShippingCsvOptions,
): ShippingCsvSelection {
  const language = options?.language === 'en' ? 'en' : 'ja';
  const header = shippingCsvColumns.map((c) => c.header[language]);
  const statusFilter = options?.statusIds === undefined ? null : new Set(listOf(options.statusIds));
  // Anything but an explicit 'include' excludes: the safe side is not to print a label.
  const excludeUnallocated = options?.settings?.shippingCsvUnallocated !== 'include';
  const excluded: ShippingCsvSelection['excluded'] = [];
  const chosen: ShippingCsvOrder[] = [];
  for (const entry of listOf(orders)) {
    const order = entry?.order;
    if (typeof order !== 'object' || order === null) continue;
    const orderNumber = typeof order.orderNumber === 'string' ? order.orderNumber : '';
    const allocation = entry.allocation ?? null;
    const exclude = (reason: ShippingCsvExclusion) =>
      excluded.push({
        orderNumber,
        ref: typeof entry.ref === 'string' ? entry.ref : null,
        reason,
        allocation,
        message:
          reason === 'notAllocated'
            ? notAllocatedText[allocation ?? 'unknown']
            : exclusionText[reason],
      });
    if (entry.statusCategory !== 'open') exclude('closed');
    else if (statusFilter !== null && !statusFilter.has(order.statusId))
      exclude('notInSelectedStatus');
    else if (excludeUnallocated && entry.allocation !== 'allocated') exclude('notAllocated');
    else chosen.push(entry);
  }
  const key = (e: ShippingCsvOrder) => ({
    ship: e.order.shippingDate ?? '\uffff',
    at: parseOffsetDateTime(e.order.orderedAt) ?? Number.MAX_SAFE_INTEGER,
  });
  chosen.sort((a, b) => {
    const ka = key(a),
      kb = key(b);
    return (
      compareCodeUnits(ka.ship, kb.ship) ||
      ka.at - kb.at ||
      compareCodeUnits(a.order.orderNumber, b.order.orderNumber)
    );
  });
  const rows: string[][] = [];
  for (const { order, shopName, allocation } of chosen) {
    const to = order.shipTo ?? {};
    listOf(order.lines).forEach((line, i) => {
      const row: Record<(typeof shippingCsvColumns)[number]['key'], string> = {
        orderNumber: order.orderNumber,
        shopName,
        orderedAt: japanTime(order.orderedAt),
        shippingDate: order.shippingDate ?? '',
        deliveryDate: order.deliveryDate ?? '',
        shipToName: to.name ?? '',
        shipToPostalCode: to.postalCode ?? '',
        shipToAddress: to.address ?? '',
        shipToPhone: to.phone ?? '',
        lineNumber: String(i + 1),
        productCode: line.productCode ?? '',
        managementNumber: line.managementNumber ?? '',
        productName: line.name,
        quantity: String(line.quantity),
        enclosure: line.isEnclosure ? '1' : '0',
        allocation: allocationLabel[allocation ?? 'unknown'],
      };
      rows.push(shippingCsvColumns.map((c) => row[c.key]));
    });
  }
  return { header, rows, included: chosen.map((c) => c.order.orderNumber), excluded };
}
