import type { TaxMode } from '../master-data.js';
import type { Problem } from '../messages.js';
import type { ProductIndex } from '../product-index.js';
import type { IntegrationSettings } from '../settings.js';

/** One `details[]` line of the registration payload. */
export interface SmaregiOrderDetail {
  productId: string;
  productCode: string;
  productName: string;
  salesPrice: number;
  quantity: number;
}

/**
 * The body of Smaregi's order registration (field names exactly as docs/smaregi-wire.md §4.6, §11).
 */
export interface SmaregiOrderPayload {
  storeId: string;
  orderCode: string;
  orderDateTime: string;
  paymentMethodId: string;
  deliveryDate: string | null;
  carriage: number;
  commission: number;
  giftWrapPrice: number;
  totalPointDiscount: number;
  totalCouponDiscount: number;
  subtotalCouponDiscount: number;
  totalPromotionDiscount: number;
  taxExclude: number;
  total: number;
  details: SmaregiOrderDetail[];
}

/**
 * Where a payload detail line came from, so the merchant can read the payload (the order page's
 * preview) and allocation results can be mapped back to the OMS lines (`lineIndex`, 0-based among
 * all the order's lines). Not part of what is sent to Smaregi.
 * - `line`: an OMS line, sent as the Smaregi product its 商品管理番号 or 商品番号 names;
 * - `enclosure`: a 封入物 line (sent only when `syncEnclosures` is on), found the same way;
 * - `dummyProduct`: an OMS line with neither code, sent as the ダミー商品番号 product under its own
 *   name (a 封入物 line without codes too: the dummy product is what the merchant must know about);
 * - `adjustment`: the extra line of a positive 調整額 (a negative one is no line: it is the
 *   payload's `totalPromotionDiscount`).
 */
export type DetailSource =
  { kind: 'line' | 'enclosure' | 'dummyProduct'; lineIndex: number } | { kind: 'adjustment' };

/** What a detail line's source is called (the admin labels each). */
export type DetailSourceKind = DetailSource['kind'];

/** The shop (店舗) as the payload needs it. */
export interface PayloadShop {
  id: string;
  name: string;
  taxMode: TaxMode;
  /** The mapped Smaregi 受注店舗 ID; null when not mapped. */
  orderStoreId: string | null;
  /** 受注番号の接頭辞: put before the order number in the Smaregi order code (none when absent). */
  orderCodePrefix?: string | null | undefined;
}

/** The settings the payload depends on. */
export type PayloadSettings = Pick<
  IntegrationSettings,
  'syncEnclosures' | 'adjustmentProductCode' | 'dummyProductCode'
>;

/** Everything besides the order that decides the payload. */
export interface OrderPayloadContext {
  settings: PayloadSettings;
  shop: PayloadShop;
  /** OMS payment method ID -> Smaregi `paymentMethodId` (null or absent = not mapped). */
  paymentMethods: ReadonlyMap<string, string | null>;
  products: ProductIndex;
}

/** Result of `buildSmaregiOrderPayload`. */
export type OrderPayloadResult =
  | { ok: true; payload: SmaregiOrderPayload; detailSources: DetailSource[] }
  | { ok: false; problems: Problem[] };

/** A payload detail line together with where it came from. */
export interface SourcedDetail {
  detail: SmaregiOrderDetail;
  source: DetailSource;
}
