import type { trpc } from '../../api/trpc';

/*
 * The order page's Smaregi payload, as rows the merchant reads — what was sent (the exact body
 * Renkei kept) and what would be sent now: each detail line with where it came from (the API's
 * `source`, decided by the domain's payload builder; null when a kept body has no sources), and
 * the promotion discount a negative 調整額 becomes — it is no line of the payload, but the merchant
 * looks for the adjustment among the lines, so it is shown there with its own label.
 */

export type PayloadPreview = Awaited<ReturnType<typeof trpc.orders.payloadPreview.query>>;
export type SendablePreview = Extract<PayloadPreview, { ok: true }>;
export type PreviewProblem = Extract<PayloadPreview, { ok: false }>['problems'][number];
export type SentPayload = NonNullable<PayloadPreview['sent']>;
export type PayloadDifference = NonNullable<PayloadPreview['differences']>[number];
export type PayloadLine = SendablePreview['lines'][number];
export type HeaderValue = string | number | boolean | null | undefined;

/** Where a row came from: a detail line's source, or the promotion discount. */
export type PreviewSource = NonNullable<PayloadLine['source']> | 'promotion';

export interface PreviewRow {
  key: string;
  /** Null when not known (a body kept without its lines' sources). */
  source: PreviewSource | null;
  /** The merchant's line (行番号) it came from; null for the adjustment and the discount. */
  lineNo: number | null;
  /** A 封入物 line shown under another source (the ダミー商品): both labels apply. */
  alsoEnclosure: boolean;
  /** The detail line's position in the payload (1-based); null for the discount. */
  detailNo: number | null;
  /** What is sent; null for the discount, which is a header amount. */
  detail: { productCode: string; productName: string; salesPrice: number; quantity: number } | null;
  /** What the row adds to the total (negative for the discount). */
  amount: number;
}

/** A payload as the page shows it: its header fields and its labelled lines. */
export interface PayloadShown {
  header: Partial<Record<string, HeaderValue>>;
  lines: readonly PayloadLine[];
}

/** The rows of a payload's lines table, in the payload's order, the discount last. */
export function previewRows(payload: PayloadShown): PreviewRow[] {
  const rows: PreviewRow[] = payload.lines.map((l, i) => ({
    key: `detail-${i}`,
    source: l.source,
    lineNo: l.lineNo,
    alsoEnclosure: l.isEnclosure && l.source !== 'enclosure',
    detailNo: i + 1,
    detail: {
      productCode: l.productCode,
      productName: l.productName,
      salesPrice: l.salesPrice,
      quantity: l.quantity,
    },
    amount: l.salesPrice * l.quantity,
  }));
  const discount = payload.header.totalPromotionDiscount;
  if (typeof discount === 'number' && discount > 0)
    rows.push({
      key: 'promotion',
      source: 'promotion',
      lineNo: null,
      alsoEnclosure: false,
      detailNo: null,
      detail: null,
      amount: -discount,
    });
  return rows;
}

/** The header fields shown, in the order of Smaregi's form; money fields in yen. */
export const PREVIEW_HEADER_FIELDS = [
  { key: 'storeId', money: false },
  { key: 'orderCode', money: false },
  { key: 'orderDateTime', money: false },
  { key: 'paymentMethodId', money: false },
  { key: 'deliveryDate', money: false },
  { key: 'carriage', money: true },
  { key: 'commission', money: true },
  { key: 'giftWrapPrice', money: true },
  { key: 'taxExclude', money: true },
  { key: 'totalPointDiscount', money: true },
  { key: 'totalCouponDiscount', money: true },
  { key: 'subtotalCouponDiscount', money: true },
  { key: 'totalPromotionDiscount', money: true },
  { key: 'total', money: true },
] as const satisfies readonly { key: keyof SendablePreview['header']; money: boolean }[];

export type HeaderField = (typeof PREVIEW_HEADER_FIELDS)[number]['key'];

const MONEY_FIELDS = new Set<string>(
  PREVIEW_HEADER_FIELDS.filter((f) => f.money).map((f) => f.key),
);
/** The detail fields the API compares, and which of them are money. */
export const DETAIL_FIELDS = ['productId', 'productCode', 'productName', 'salesPrice', 'quantity'];

/** True when `field` (a header field or a detail line's field) is an amount in yen. */
export const isMoneyField = (field: string, line: number | null) =>
  line === null ? MONEY_FIELDS.has(field) : field === 'salesPrice';

/**
 * The keys of what differs, for marking it in both tables: `header:<field>` for a header field,
 * `line:<n>` for a detail line (any of its fields, or a line only one side has).
 */
export function differenceKeys(differences: readonly PayloadDifference[] | null): Set<string> {
  const keys = new Set<string>();
  for (const d of differences ?? [])
    keys.add(d.line === null ? `header:${d.field}` : `line:${d.line}`);
  return keys;
}

/** Tag colours of the sources: the merchant's own lines plain, what Renkei added marked. */
export const SOURCE_TAGS: Record<PreviewSource, 'info' | 'success' | 'warning' | 'primary'> = {
  line: 'info',
  enclosure: 'success',
  dummyProduct: 'warning',
  adjustment: 'primary',
  promotion: 'primary',
};
