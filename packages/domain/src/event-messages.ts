import type { LocalizedMessage, MessageParams, ProblemCode } from './messages.js';
import { problemMessage } from './messages.js';

/*
 * The messages of the sync log (同期ログ) and of an order's or product's history. The worker and
 * the API record a code with named parameters; the reader renders it in its own language (see
 * message-catalog.ts). Parameters are plain JSON so that they can be stored as they are.
 */

/** A problem of the rules, kept as its code and parameters (rendered with the event). */
export interface ProblemRef {
  code: ProblemCode;
  params: MessageParams;
}

/** Where the allocated amounts of a stock reconciliation came from. */
export type AllocationSource = 'orderShipmentStock' | 'renkeiOrders';

/** The named parameters of every sync-event message. */
export interface EventMessageParams {
  /** `source`: how the order came in (`api`, `csv`, `admin`, ...). */
  orderReceived: { source: string };
  /** `fields`: the fields that changed, comma separated JSON keys. */
  orderUpdated: { fields: string };
  orderStatusChanged: { status: string };
  orderRetryRequested: { actor: string };
  orderRegistered: { orderHeadId: string; orderCode: string };
  /** `reason`: Smaregi's words (or Renkei's, for an order code taken by another order). */
  orderRegistrationRefused: { reason: string };
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
  orderHeld: { problems: ProblemRef[] };
  /** Cannot be sent as it is (the order itself must change). */
  orderInvalid: { problems: ProblemRef[] };
  orderAllocationInquired: { allocationStatus: string };
  orderAllocationInquiryFailed: { reason: string };
  orderAllocatedStatus: { from: string; to: string };
  /** `lines`: 1-based numbers of the lines without stock. */
  orderAllocationShort: { lines: number[] };
  orderShippingQueued: { shippingDate: string };
  orderShippingRefused: { reason: string };
  /** `status`: the shipped status the order moved to, when there is one. */
  orderShipped: { status: string | null };
  orderCanceled: { released: number };
  autoAllocationNotSet: { shopName: string };
  productImportRequested: { actor: string };
  productImported: { processed: number; created: number; updated: number };
  stockReconciled: { products: number; drifts: number; allocationSource: AllocationSource };
  stockSourceUnavailable: Record<string, never>;
  warehouseNotSet: { shopName: string | null };
  connectionTokenRefused: { reason: string };
  connectionSubscriptionEnded: { destroyed: number };
  connectionForceStopped: { destroyed: number };
  connectionNoticeUnconfirmed: { action: string };
  /**
   * A message stored before messages had codes: its text as it was written, split once into its
   * Japanese and English halves (Migration20261130214000).
   */
  legacyText: LocalizedMessage;
}

export type EventMessageCode = keyof EventMessageParams;

const problemList = (problems: readonly ProblemRef[]): LocalizedMessage => {
  const rendered = problems.map((p) => problemMessage(p.code, p.params));
  return {
    ja: rendered.map((m) => m.ja).join('\n'),
    en: rendered.map((m) => m.en).join('\n'),
  };
};

const allocationSources: Record<AllocationSource, LocalizedMessage> = {
  orderShipmentStock: { ja: 'スマレジ受注管理の在庫', en: "Smaregi's order management stock" },
  renkeiOrders: { ja: 'Renkeiの受注の引当数', en: "the allocations on Renkei's orders" },
};

const needsCheckCauses: Record<EventMessageParams['orderNeedsCheck']['cause'], LocalizedMessage> = {
  severalOrders: {
    ja: 'スマレジの受注店舗に同じ受注番号の受注が複数あります',
    en: 'several orders of the order store carry this order code',
  },
  unreadable: {
    ja: 'スマレジが受注番号での検索に応じず、受注店舗の受注を最後まで読み切れませんでした',
    en: "Smaregi ignored the search by order code and the order store's orders could not be read to the end",
  },
};

export const eventTemplates: {
  [K in EventMessageCode]: (p: EventMessageParams[K]) => LocalizedMessage;
} = {
  orderReceived: (p) => ({
    ja: `受注を取り込みました(${p.source})`,
    en: `Order received (${p.source})`,
  }),
  orderUpdated: (p) => ({
    ja: `受注を更新しました(${p.fields})`,
    en: `Order updated (${p.fields})`,
  }),
  orderStatusChanged: (p) => ({
    ja: `ステータスを「${p.status}」に変更しました`,
    en: `Status changed to ${p.status}`,
  }),
  orderRetryRequested: (p) => ({
    ja: `${p.actor} が再送を指示しました`,
    en: `Retry requested by ${p.actor}`,
  }),
  orderRegistered: (p) => ({
    ja: `スマレジに登録しました(受注ID ${p.orderHeadId}、受注番号 ${p.orderCode})`,
    en: `Registered in Smaregi (orderHeadId ${p.orderHeadId}, order number ${p.orderCode})`,
  }),
  orderRegistrationRefused: (p) => ({
    ja: `スマレジが受注登録を拒否しました: ${p.reason}`,
    en: `Smaregi refused the order: ${p.reason}`,
  }),
  orderCodeCollision: (p) => {
    const other = p.otherShopName;
    return {
      ja: `受注番号 ${p.orderNumber}(${p.shopName})は、同じ受注店舗の別の受注${other === null ? '(Renkei以外から登録されたもの)' : `(店舗「${other}」の受注番号 ${p.orderNumber})`}がスマレジ受注番号 ${p.orderCode} で登録済みのため${p.orderHeadId === null ? '' : `(スマレジ受注ID ${p.orderHeadId})`}、保留しています。店舗「${p.shopName}」に受注番号の接頭辞(例: RT-)を設定すると、接頭辞を付けた受注番号で自動的に登録されます`,
      en: `Order ${p.orderNumber} (${p.shopName}) is held: another order of the same order store${other === null ? ' (not registered through Renkei)' : ` (order ${p.orderNumber} of shop ${other})`} is already registered in Smaregi under order code ${p.orderCode}${p.orderHeadId === null ? '' : ` (orderHeadId ${p.orderHeadId})`}. Set an order-code prefix (e.g. RT-) on shop ${p.shopName}: the order is then registered with the prefixed code by itself`,
    };
  },
  orderNeedsCheck: (p) => ({
    ja: `要確認: 受注番号 ${p.orderNumber} がスマレジに登録済みかどうかを確認できませんでした(${needsCheckCauses[p.cause].ja})。二重登録を防ぐため自動では再送しません。スマレジの受注管理でスマレジ受注番号 ${p.orderCode} を確認してください。[再送]を押すと、もう一度スマレジを確認してから登録します`,
    en: `Needs check: could not tell whether order ${p.orderNumber} is already in Smaregi (${needsCheckCauses[p.cause].en}). It is not sent again by itself, to avoid a duplicate. Look for order code ${p.orderCode} in Smaregi's order management; Retry checks Smaregi again before registering`,
  }),
  orderHeld: (p) => problemList(p.problems),
  orderInvalid: (p) => problemList(p.problems),
  orderAllocationInquired: (p) => ({
    ja: `在庫引当を照会しました: ${p.allocationStatus}`,
    en: `Allocation inquiry: ${p.allocationStatus}`,
  }),
  orderAllocationInquiryFailed: (p) => ({
    ja: `在庫引当の照会に失敗しました: ${p.reason}`,
    en: `Allocation inquiry failed: ${p.reason}`,
  }),
  orderAllocatedStatus: (p) => ({
    ja: `全明細が引当済みのため、ステータスを「${p.from}」から「${p.to}」に変更しました`,
    en: `Every line is allocated: status changed from ${p.from} to ${p.to}`,
  }),
  orderAllocationShort: (p) => ({
    ja: `在庫が不足している明細が${p.lines.length}行あります。(${p.lines.join(', ')}行目)`,
    en: `${p.lines.length} line(s) lack stock. (lines ${p.lines.join(', ')})`,
  }),
  orderShippingQueued: (p) => ({
    ja: `一括出荷の対象になりました(出荷日 ${p.shippingDate})`,
    en: `Queued for bulk shipping (shipping date ${p.shippingDate})`,
  }),
  orderShippingRefused: (p) => ({
    ja: `スマレジが一括出荷を受け付けませんでした: ${p.reason}`,
    en: `Smaregi refused the shipment: ${p.reason}`,
  }),
  orderShipped: (p) => ({
    ja: `スマレジで出荷済みになりました${p.status === null ? '' : `(ステータス「${p.status}」)`}`,
    en: `Shipped in Smaregi${p.status === null ? '' : ` (status ${p.status})`}`,
  }),
  orderCanceled: (p) => ({
    ja: `スマレジでキャンセルされました。引当 ${p.released} 点を解除しました`,
    en: `Cancelled in Smaregi; ${p.released} allocated unit(s) released`,
  }),
  autoAllocationNotSet: (p) => ({
    ja: `店舗「${p.shopName}」の自動引当(ON/OFF)が設定されていないため、在庫引当の照会と引当済みステータスへの移動を保留しています。[店舗 (モール) ごとの設定]で設定してください`,
    en: `Auto-allocation of shop ${p.shopName} is not set: allocation inquiry and the allocated status are on hold. Set it on the shop screen (店舗 (モール) ごとの設定)`,
  }),
  productImportRequested: (p) => ({
    ja: `${p.actor} が商品取込を開始しました`,
    en: `Product import requested by ${p.actor}`,
  }),
  productImported: (p) => ({
    ja: `商品の取り込みが完了しました(${p.processed}件: 新規 ${p.created}、更新 ${p.updated})`,
    en: `Product import finished (${p.processed}: ${p.created} new, ${p.updated} updated)`,
  }),
  stockReconciled: (p) => ({
    ja: `在庫照合を完了しました(商品 ${p.products} 件、差異 ${p.drifts} 件、引当数: ${allocationSources[p.allocationSource].ja})`,
    en: `Stock reconciliation finished (${p.products} product(s), ${p.drifts} drift(s), allocated amounts from ${allocationSources[p.allocationSource].en})`,
  }),
  stockSourceUnavailable: () => ({
    ja: 'スマレジ受注管理の在庫API(GET /order-shipment/stock)が見つかりません(404)。在庫数はPOSの在庫API、引当数はRenkeiの受注の引当数から計算します',
    en: 'The order management stock endpoint (GET /order-shipment/stock) answered 404: stock comes from the POS stock API and allocated amounts from the allocations on Renkei orders',
  }),
  warehouseNotSet: (p) => ({
    ja: `店舗「${p.shopName ?? '-'}」の倉庫が設定されていないため、有効在庫数を計算できません。[店舗 (モール) ごとの設定]で倉庫を設定してください`,
    en: `The warehouse of shop ${p.shopName ?? '-'} is not set, so effective stock cannot be computed. Set it on the shop screen (店舗 (モール) ごとの設定)`,
  }),
  connectionTokenRefused: (p) => ({
    ja: `スマレジがアプリのトークン発行を拒否しました(${p.reason})。[認証]からやり直してください`,
    en: `Smaregi refused the app token (${p.reason}); please authorise again`,
  }),
  connectionSubscriptionEnded: (p) => ({
    ja: `スマレジでアプリの利用が終了されました。連携を停止し、保存していたトークン(${p.destroyed}件)を破棄しました。再開するにはアプリを再インストールして[認証]してください`,
    en: `The app subscription ended in Smaregi: syncing stopped and ${p.destroyed} stored token(s) destroyed`,
  }),
  connectionForceStopped: (p) => ({
    ja: `スマレジによりアプリの利用が停止されました。連携を停止し、トークン(${p.destroyed}件)を破棄しました`,
    en: `The app was force-stopped by Smaregi: syncing stopped and ${p.destroyed} token(s) destroyed`,
  }),
  connectionNoticeUnconfirmed: (p) => ({
    ja: `アプリの利用終了通知(${p.action})を受け取りましたが、スマレジではこの契約のアプリ利用が続いているため、連携は停止していません`,
    en: `An app subscription notice (${p.action}) arrived, but Smaregi still serves the app for this contract: syncing continues`,
  }),
  legacyText: (p) => ({ ja: p.ja, en: p.en }),
};
