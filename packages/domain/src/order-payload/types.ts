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

/** Where a payload detail line came from: an OMS line (by index) or the positive adjustment. */
export type DetailSource = { kind: 'line'; lineIndex: number } | { kind: 'adjustment' };

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
