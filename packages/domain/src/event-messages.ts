import type { LocalizedMessage } from './messages.js';
import { problemMessage } from './messages.js';
import { decisionReasonMessage } from './status-decisions.js';
import type {
  AllocationSource,
  EventMessageCode,
  EventMessageParams,
  OfOrder,
  ProblemRef,
  SkippableAction,
} from './event-message-params.js';

export type {
  AllocationSource,
  EventMessageCode,
  EventMessageParams,
  ProblemRef,
  SkippableAction,
} from './event-message-params.js';

/*
 * The messages of the sync log (同期ログ) and of an order's or product's history. The worker and
 * the API record a code with named parameters; the reader renders it in its own language (see
 * message-catalog.ts). Parameters are plain JSON so that they can be stored as they are.
 */

/**
 * The message of one order, led by its order number. Rows written before the number was a
 * parameter have none and read as they did.
 */
const ofOrder = (p: Partial<OfOrder>, m: LocalizedMessage): LocalizedMessage =>
  typeof p.orderNumber === 'string'
    ? { ja: `受注番号 ${p.orderNumber}: ${m.ja}`, en: `Order ${p.orderNumber}: ${m.en}` }
    : m;

const actionNames: Record<SkippableAction, LocalizedMessage> = {
  requestAllocation: { ja: '在庫引当の照会', en: 'allocation inquiry' },
  moveToStatus: { ja: '引当済みステータスへの変更', en: 'the move to the allocated status' },
  queueBulkShipping: { ja: '一括出荷', en: 'bulk shipping' },
};

const stockSources: Record<string, LocalizedMessage> = {
  reconciliation: { ja: '照合', en: 'reconciliation' },
  webhook: { ja: 'スマレジからの通知', en: "Smaregi's notification" },
  oms: { ja: 'Renkeiの受注', en: "Renkei's orders" },
};

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

const stockSettingLabels: Record<string, LocalizedMessage> = {
  stockBasis: { ja: '在庫数合算設定', en: 'the stock basis (在庫数合算設定)' },
  effectiveStockMode: {
    ja: '有効在庫数計算設定',
    en: 'the effective stock mode (有効在庫数計算設定)',
  },
};

/** The stock settings named in the merchant's words, e.g. 「在庫数合算設定・有効在庫数計算設定」. */
function stockSettingNames(keys: readonly string[], lang: 'ja' | 'en'): string {
  const names = keys.map((k) => stockSettingLabels[k]?.[lang] ?? k);
  return lang === 'ja' ? names.join('・') : names.join(' and ');
}

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
  orderReceived: (p) =>
    ofOrder(p, {
      ja: `受注を取り込みました(${p.source})`,
      en: `Order received (${p.source})`,
    }),
  orderUpdated: (p) =>
    ofOrder(p, {
      ja: `受注を更新しました(${p.fields})`,
      en: `Order updated (${p.fields})`,
    }),
  orderStatusChanged: (p) =>
    ofOrder(p, {
      ja: `ステータスを「${p.status}」に変更しました`,
      en: `Status changed to ${p.status}`,
    }),
  orderRetryRequested: (p) =>
    ofOrder(p, {
      ja: `${p.actor} が再送を指示しました`,
      en: `Retry requested by ${p.actor}`,
    }),
  orderRegistered: (p) =>
    ofOrder(p, {
      ja: `スマレジに登録しました(スマレジ受注ID ${p.orderHeadId}、スマレジ受注番号 ${p.orderCode})`,
      en: `Registered in Smaregi (orderHeadId ${p.orderHeadId}, Smaregi order code ${p.orderCode})`,
    }),
  orderRegistrationRefused: (p) =>
    ofOrder(p, {
      ja: `スマレジが受注登録を拒否しました: ${p.reason}`,
      en: `Smaregi refused the order: ${p.reason}`,
    }),
  orderRetryLater: (p) =>
    ofOrder(p, {
      ja: `スマレジに届いたか分からないか、スマレジが応答しなかったため、自動で再送します: ${p.reason}`,
      en: `Smaregi did not answer (or the answer was lost); sent again by itself: ${p.reason}`,
    }),
  orderActionSkipped: (p) => {
    const reason = decisionReasonMessage(p.reason, { short: p.lines?.length ?? 0 });
    const lines = p.lines !== undefined && p.lines.length > 0 ? p.lines : null;
    return ofOrder(p, {
      ja: `${actionNames[p.action].ja}を行いません: ${reason.ja}${lines === null ? '' : `(${lines.join(', ')}行目)`}`,
      en: `No ${actionNames[p.action].en}: ${reason.en}${lines === null ? '' : ` (lines ${lines.join(', ')})`}`,
    });
  },
  orderWaitingIntegrationStopped: (p) =>
    ofOrder(p, {
      ja: '連携が停止中のため、スマレジへの登録を待っています。連携を開始すると登録されます',
      en: 'Waiting: the integration is stopped. The order is registered once it is started',
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
  orderHeld: (p) => ofOrder(p, problemList(p.problems)),
  orderInvalid: (p) => ofOrder(p, problemList(p.problems)),
  orderAllocationInquired: (p) =>
    ofOrder(p, {
      ja: `在庫引当を照会しました: ${p.allocationStatus}`,
      en: `Allocation inquiry: ${p.allocationStatus}`,
    }),
  orderAllocationInquiryFailed: (p) =>
    ofOrder(p, {
      ja: `在庫引当の照会に失敗しました: ${p.reason}`,
      en: `Allocation inquiry failed: ${p.reason}`,
    }),
  orderAllocatedStatus: (p) =>
    ofOrder(p, {
      ja: `全明細が引当済みのため、ステータスを「${p.from}」から「${p.to}」に変更しました`,
      en: `Every line is allocated: status changed from ${p.from} to ${p.to}`,
    }),
  orderAllocationShort: (p) =>
    ofOrder(p, {
      ja: `在庫が不足している明細が${p.lines.length}行あります。(${p.lines.join(', ')}行目)`,
      en: `${p.lines.length} line(s) lack stock. (lines ${p.lines.join(', ')})`,
    }),
  orderShippingQueued: (p) =>
    ofOrder(p, {
      ja: `一括出荷の対象になりました(出荷日 ${p.shippingDate})`,
      en: `Queued for bulk shipping (shipping date ${p.shippingDate})`,
    }),
  orderShippingRefused: (p) =>
    ofOrder(p, {
      ja: `スマレジが一括出荷を受け付けませんでした: ${p.reason}`,
      en: `Smaregi refused the shipment: ${p.reason}`,
    }),
  orderShipped: (p) =>
    ofOrder(p, {
      ja: `スマレジで出荷済みになりました${p.status === null ? '' : `(ステータス「${p.status}」)`}`,
      en: `Shipped in Smaregi${p.status === null ? '' : ` (status ${p.status})`}`,
    }),
  orderCanceled: (p) =>
    ofOrder(p, {
      ja: `スマレジでキャンセルされました。引当 ${p.released} 点を解除しました`,
      en: `Cancelled in Smaregi; ${p.released} allocated unit(s) released`,
    }),
  orderCancelSent: (p) =>
    ofOrder(p, {
      ja: `OMSのキャンセルをスマレジに反映しました。引当 ${p.released} 点を解除しました`,
      en: `The OMS cancel was applied in Smaregi; ${p.released} allocated unit(s) released`,
    }),
  orderCancelRefused: (p) =>
    ofOrder(p, {
      ja: `スマレジがキャンセルを受け付けませんでした: ${p.reason}。スマレジの受注はキャンセルされていません。スマレジで確認してください(キャンセルのステータスに入れ直すと再送します)`,
      en: `Smaregi refused the cancel: ${p.reason}. The order is NOT cancelled in Smaregi; check it there (moving the order into a cancel status again retries)`,
    }),
  orderCancelRetry: (p) =>
    ofOrder(p, {
      ja: `スマレジへのキャンセルが完了しませんでした(${p.reason})。スマレジを確認してから再試行します`,
      en: `The cancel in Smaregi did not complete (${p.reason}); it is retried after checking Smaregi`,
    }),
  orderWithdrawn: (p) =>
    ofOrder(p, {
      ja: `スマレジに登録する前に「${p.status}」(キャンセル)になったため、スマレジには登録しません`,
      en: `Moved to ${p.status} (cancelled) before it reached Smaregi: it is not sent`,
    }),
  orderReinstated: (p) =>
    ofOrder(p, {
      ja: `キャンセルから「${p.status}」に戻されたため、スマレジへの登録を再開します`,
      en: `Moved back from cancelled to ${p.status}: it is sent to Smaregi again`,
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
  productImportSyncOff: () => ({
    ja: '商品連携設定が[連携しない]のため、商品の取り込みを中止しました。取り込むには、スマレジ連携設定の商品連携設定を[連携する]にしてください',
    en: 'Product sync (商品連携設定) is off ([連携しない]), so the product import was not run. Set it to [連携する] in the integration settings to import',
  }),
  productImportCanceled: (p) => ({
    ja: `${p.actor} が商品の取り込みを中止しました(中止までに ${p.processed}件を処理)`,
    en: `Product import cancelled by ${p.actor} (${p.processed} processed before it stopped)`,
  }),
  productsFollowedSmaregi: (p) => ({
    ja: `スマレジで登録・変更された商品を出品商品一覧に反映しました(新規 ${p.created}、更新 ${p.updated})`,
    en: `Products created or changed in Smaregi were taken into the product list (${p.created} new, ${p.updated} updated)`,
  }),
  productChangeNotTaken: (p) => ({
    ja: `スマレジで商品(商品ID ${p.productIds})が登録・変更されましたが、商品連携設定が[連携しない]のため出品商品一覧には反映していません`,
    en: `Products were created or changed in Smaregi (product IDs ${p.productIds}), but product sync (商品連携設定) is off ([連携しない]): the product list was left as it is`,
  }),
  productCodeTaken: (p) => ({
    ja: `商品「${p.productName}」(商品番号 ${p.productCode})の商品番号は、スマレジの2つの商品(商品ID ${p.smaregiProductId} と ${p.otherSmaregiProductId})に使われています。スマレジで商品番号を重複しないように直してください`,
    en: `Product ${p.productName} (code ${p.productCode}): the code is used by two Smaregi products (product IDs ${p.smaregiProductId} and ${p.otherSmaregiProductId}). Make the codes unique in Smaregi`,
  }),
  stockDriftCorrected: (p) => {
    const source = stockSources[p.source] ?? { ja: p.source, en: p.source };
    return {
      ja: `商品「${p.productName}」(商品番号 ${p.productCode})の在庫数(店舗 ${p.storeId})がスマレジと違っていたため、スマレジの在庫数に合わせました(${source.ja}による ${p.renkeiAmount} → ${p.smaregiAmount})`,
      en: `Product ${p.productName} (code ${p.productCode}): the stock of store ${p.storeId} differed from Smaregi's and was set to Smaregi's figure (${p.renkeiAmount} from ${source.en} → ${p.smaregiAmount})`,
    };
  },
  stockReconciled: (p) => ({
    ja: `在庫照合を完了しました(商品 ${p.products} 件、差異 ${p.drifts} 件、引当数: ${allocationSources[p.allocationSource].ja})`,
    en: `Stock reconciliation finished (${p.products} product(s), ${p.drifts} drift(s), allocated amounts from ${allocationSources[p.allocationSource].en})`,
  }),
  stockSourceUnavailable: () => ({
    ja: 'スマレジ受注管理の在庫API(GET /order-shipment/stock)が見つかりません(404)。在庫数はPOSの在庫API、引当数はRenkeiの受注の引当数から計算します',
    en: 'The order management stock endpoint (GET /order-shipment/stock) answered 404: stock comes from the POS stock API and allocated amounts from the allocations on Renkei orders',
  }),
  stockRecomputed: (p) => ({
    ja: `${stockSettingNames(p.changed, 'ja')}の変更に合わせて、全商品の有効在庫数を再計算しました(商品 ${p.products} 件、スマレジから引当を読み直した受注 ${p.orders} 件)`,
    en: `Effective stock recomputed for every product after ${stockSettingNames(p.changed, 'en')} changed: ${p.products} product(s), allocation re-read from Smaregi for ${p.orders} order(s)`,
  }),
  stockRecomputeFailed: (p) => ({
    ja: `在庫設定の変更後の有効在庫数の再計算が中断しました(${p.reason})。自動で再開します`,
    en: `Recomputing effective stock after the stock settings changed was interrupted (${p.reason}); it resumes by itself`,
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
  webhookEndpointFailing: (p) => ({
    ja: `Webhook の送信先 ${p.url} への通知が ${p.hours} 時間失敗し続けたため、送信先を「失敗中」にしました(最後のエラー: ${p.lastError})。受信側を直すと次の通知から自動で戻ります。届かなかった通知は[Webhook]の送信履歴から再送できます`,
    en: `Deliveries to the webhook endpoint ${p.url} kept failing for ${p.hours} hours, so it is marked failing (last error: ${p.lastError}). It recovers by itself with the next delivery once the receiver answers; undelivered events can be re-sent from its delivery log`,
  }),
  webhookEndpointRecovered: (p) => ({
    ja: `Webhook の送信先 ${p.url} が再び応答したため、「有効」に戻しました`,
    en: `The webhook endpoint ${p.url} answers again and is active once more`,
  }),
  legacyText: (p) => ({ ja: p.ja, en: p.en }),
};
