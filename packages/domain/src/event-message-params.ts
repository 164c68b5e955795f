import type { LocalizedMessage, MessageParams, ProblemCode } from './messages.js';
import type { DecisionReason, OrderActionKind } from './status-decisions.js';

/*
 * The named parameters of every sync-event message (and of a reason kept on a row), by code.
 * They are plain JSON so that they can be stored as they are; event-messages.ts renders them.
 */

/** A problem of the rules, kept as its code and parameters (rendered with the event). */
export interface ProblemRef {
  code: ProblemCode;
  params: MessageParams;
}

/** Where the allocated amounts of a stock reconciliation came from. */
export type AllocationSource = 'orderShipmentStock' | 'renkeiOrders';

/**
 * Every message about one order names it by the merchant's order number (`orderNumber`, as the
 * mall gave it), so the sync log reads without opening each order.
 */
export interface OfOrder {
  orderNumber: string;
}

/** The automatic actions a skipped-action reason can concern (status-decisions.ts). */
export type SkippableAction = OrderActionKind;

/** The named parameters of every sync-event message (and of a reason kept on a row). */
export interface EventMessageParams {
  /** `source`: how the order came in (`api`, `csv`, `admin`, ...). */
  orderReceived: OfOrder & { source: string };
  /** `fields`: the fields that changed, comma separated JSON keys. */
  orderUpdated: OfOrder & { fields: string };
  orderStatusChanged: OfOrder & { status: string };
  orderRetryRequested: OfOrder & { actor: string };
  /** `orderCode`: the order code sent to Smaregi (with the shop's prefix). */
  orderRegistered: OfOrder & { orderHeadId: string; orderCode: string };
  /** `reason`: Smaregi's words (or Renkei's, for an order code taken by another order). */
  orderRegistrationRefused: OfOrder & { reason: string };
  /** Smaregi could not be reached or did not answer: sent again by itself (`reason`: why). */
  orderRetryLater: OfOrder & { reason: string };
  /**
   * An automatic action (在庫引当自動照会, 引当済みステータス, 受注一括出荷) was not taken for a
   * reason the merchant can act on or should know; cleared when the cause goes. `lines`: 1-based
   * numbers of the lines without stock, when the reason is stock.
   */
  orderActionSkipped: OfOrder & {
    action: SkippableAction;
    reason: DecisionReason;
    lines?: number[];
  };
  /** The order waits because the integration is stopped (sent when it is started). */
  orderWaitingIntegrationStopped: OfOrder;
  /**
   * Held: the order code is already used in the 受注店舗 by another order (`otherShopName`: the
   * shop of the Renkei order that holds it; null when that order did not come through Renkei).
   */
  orderCodeCollision: {
    orderNumber: string;
    orderCode: string;
    shopName: string;
    otherShopName: string | null;
    /** Smaregi's ID of the order that holds the code; null when Smaregi did not say. */
    orderHeadId: string | null;
  };
  /**
   * 要確認: whether an earlier attempt reached Smaregi cannot be told; not sent again until the
   * merchant has checked. `cause`: several orders carry the code, or Smaregi's list could not be
   * read to the end; `detail`: the lookup's own words (for support).
   */
  orderNeedsCheck: {
    orderNumber: string;
    orderCode: string;
    cause: 'severalOrders' | 'unreadable';
    detail: string;
  };
  /** Held until the merchant fixes something (受注連携待ち). */
  orderHeld: OfOrder & { problems: ProblemRef[] };
  /** Cannot be sent as it is (the order itself must change). */
  orderInvalid: OfOrder & { problems: ProblemRef[] };
  orderAllocationInquired: OfOrder & { allocationStatus: string };
  orderAllocationInquiryFailed: OfOrder & { reason: string };
  orderAllocatedStatus: OfOrder & { from: string; to: string };
  /** `lines`: 1-based numbers of the lines without stock. */
  orderAllocationShort: OfOrder & { lines: number[] };
  orderShippingQueued: OfOrder & { shippingDate: string };
  /** Smaregi refused the bulk shipment of this order (`reason`: its words). */
  orderShippingRefused: OfOrder & { reason: string };
  /** `status`: the shipped status the order moved to, when there is one. */
  orderShipped: OfOrder & { status: string | null };
  orderCanceled: OfOrder & { released: number };
  /** The OMS cancel was sent to Smaregi and took effect; `released`: allocated units freed. */
  orderCancelSent: OfOrder & { released: number };
  /** Smaregi refused the cancel (e.g. already shipped); `reason`: Smaregi's words. */
  orderCancelRefused: OfOrder & { reason: string };
  /** The cancel could not be sent or its answer was lost; tried again (Smaregi read first). */
  orderCancelRetry: OfOrder & { reason: string };
  /** Cancelled in the OMS before it reached Smaregi: it is not sent. */
  orderWithdrawn: OfOrder & { status: string };
  /** A withdrawn order was moved back to an open status: it is sent again. */
  orderReinstated: OfOrder & { status: string };
  autoAllocationNotSet: { shopName: string };
  productImportRequested: { actor: string };
  productImported: { processed: number; created: number; updated: number };
  /** 商品連携設定 is [連携しない]: a queued import was not run. */
  productImportSyncOff: Record<string, never>;
  /** The merchant cancelled an import ([中止]); `processed`: products taken before it stopped. */
  productImportCanceled: { actor: string; processed: number };
  /**
   * Products created or changed in Smaregi (a `pos:products` notice) were taken into the product
   * list by themselves (商品連携設定 [連携する]).
   */
  productsFollowedSmaregi: { created: number; updated: number };
  /**
   * Products were created or changed in Smaregi, but 商品連携設定 is [連携しない]: the product list
   * was left as it is. `productIds`: Smaregi's product IDs, comma separated.
   */
  productChangeNotTaken: { productIds: string };
  /**
   * The product's code is used by two Smaregi products: the product is not linked to the second
   * one (`smaregiProductId`: the one it is linked to; `otherSmaregiProductId`: the newcomer).
   */
  productCodeTaken: {
    productCode: string;
    productName: string;
    smaregiProductId: string;
    otherSmaregiProductId: string;
  };
  /**
   * Reconciliation found Renkei's stock figure different from Smaregi's and took Smaregi's
   * (`source`: where Renkei's figure came from, a stock level source such as `webhook`).
   */
  stockDriftCorrected: {
    productCode: string;
    productName: string;
    storeId: string;
    source: string;
    renkeiAmount: number;
    smaregiAmount: number;
  };
  stockReconciled: { products: number; drifts: number; allocationSource: AllocationSource };
  stockSourceUnavailable: Record<string, never>;
  warehouseNotSet: { shopName: string | null };
  /** `changed`: the settings whose change asked for it (`stockBasis`, `effectiveStockMode`). */
  stockRecomputed: { products: number; orders: number; changed: string[] };
  stockRecomputeFailed: { reason: string };
  connectionTokenRefused: { reason: string };
  connectionSubscriptionEnded: { destroyed: number };
  connectionForceStopped: { destroyed: number };
  connectionNoticeUnconfirmed: { action: string };
  /**
   * An outbound webhook endpoint's deliveries kept failing for the whole retry window: `hours`
   * of the window, `lastError` what the last attempt got (status or network error).
   */
  webhookEndpointFailing: { url: string; hours: number; lastError: string };
  /** A failing endpoint answered again: deliveries go on. */
  webhookEndpointRecovered: { url: string };
  /**
   * A message stored before messages had codes: its text as it was written, split once into its
   * Japanese and English halves (Migration20261130214000).
   */
  legacyText: LocalizedMessage;
}

export type EventMessageCode = keyof EventMessageParams;
