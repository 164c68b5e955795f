import type { trpc } from '../../api/trpc';

/*
 * The order page's preview of the Smaregi payload, as rows the merchant reads: each detail line
 * with where it came from (the API's `source`, decided by the domain's payload builder), and the
 * promotion discount a negative 調整額 becomes — it is no line of the payload, but the merchant
 * looks for the adjustment among the lines, so it is shown there with its own label.
 */

export type PayloadPreview = Awaited<ReturnType<typeof trpc.orders.payloadPreview.query>>;
export type SendablePreview = Extract<PayloadPreview, { ok: true }>;
export type PreviewProblem = Extract<PayloadPreview, { ok: false }>['problems'][number];

/** Where a row came from: a detail line's source, or the promotion discount. */
export type PreviewSource = SendablePreview['lines'][number]['source'] | 'promotion';

export interface PreviewRow {
  key: string;
  source: PreviewSource;
  /** The merchant's line (行番号) it came from; null for the adjustment and the discount. */
  lineNo: number | null;
  /** A 封入物 line shown under another source (the ダミー商品): both labels apply. */
  alsoEnclosure: boolean;
  /** What is sent; null for the discount, which is a header amount. */
  detail: { productCode: string; productName: string; salesPrice: number; quantity: number } | null;
  /** What the row adds to the total (negative for the discount). */
  amount: number;
}

/** The rows of the preview's lines table, in the payload's order, the discount last. */
export function previewRows(preview: SendablePreview): PreviewRow[] {
  const rows: PreviewRow[] = preview.lines.map((l, i) => ({
    key: `detail-${i}`,
    source: l.source,
    lineNo: l.lineNo,
    alsoEnclosure: l.isEnclosure && l.source !== 'enclosure',
    detail: {
      productCode: l.productCode,
      productName: l.productName,
      salesPrice: l.salesPrice,
      quantity: l.quantity,
    },
    amount: l.salesPrice * l.quantity,
  }));
  const discount = preview.header.totalPromotionDiscount;
  if (discount > 0)
    rows.push({
      key: 'promotion',
      source: 'promotion',
      lineNo: null,
      alsoEnclosure: false,
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

/** Tag colours of the sources: the merchant's own lines plain, what Renkei added marked. */
export const SOURCE_TAGS: Record<PreviewSource, 'info' | 'success' | 'warning' | 'primary'> = {
  line: 'info',
  enclosure: 'success',
  dummyProduct: 'warning',
  adjustment: 'primary',
  promotion: 'primary',
};
