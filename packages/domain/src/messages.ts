/*
 * The closed vocabulary of problems the rules can report (docs/conventions.md item 5). Every
 * problem a merchant may see has a code from `problemCodes` and a message in Japanese (the UI
 * default) and English. Templates take named parameters so that the message says which order, line,
 * code or amount is wrong.
 */

/** A message in the two languages of the admin UI. */
export interface LocalizedMessage {
  ja: string;
  en: string;
}

/** Every problem code the domain rules can produce. */
export const problemCodes = [
  'orderMalformed',
  'shopMismatch',
  'shopNotMapped',
  'paymentMethodMissing',
  'paymentMethodNotMapped',
  'orderCodeEmpty',
  'orderCodeNotAscii',
  'orderCodeTooLong',
  'orderedAtInvalid',
  'deliveryDateInvalid',
  'noLines',
  'tooManyLines',
  'lineMalformed',
  'lineNameMissing',
  'unitPriceInvalid',
  'quantityInvalid',
  'productNotFound',
  'productAmbiguous',
  'productCodeInvalid',
  'dummyProductCodeNotSet',
  'dummyProductNotFound',
  'adjustmentInvalid',
  'adjustmentProductCodeNotSet',
  'adjustmentProductNotFound',
  'amountInvalid',
  'externalTaxOnTaxIncludedShop',
  'totalBelowZero',
  'totalAboveMaximum',
  'totalMismatch',
  'warehouseNotLinked',
  'stockAmountInvalid',
  'openOrderQuantityInvalid',
  'duplicateOrder',
  'duplicateProductKey',
  'shopInactive',
  'taxModeMismatch',
] as const;

/** A problem code (see {@link problemCodes}). */
export type ProblemCode = (typeof problemCodes)[number];

/** Named values substituted into a problem message. */
export type MessageParams = Readonly<Record<string, string | number>>;

type Template = (p: MessageParams) => LocalizedMessage;

const s = (p: MessageParams, key: string): string => String(p[key] ?? '');
const yen = (p: MessageParams, key: string): string => {
  const v = p[key];
  return typeof v === 'number' ? v.toLocaleString('en-US') : String(v ?? '');
};

/** 税込 / 税別 of a shop's tax mode; 内税販売 / 外税販売 of a 受注店舗's sell division. */
const taxModeJa = (p: MessageParams, key: string): string =>
  p[key] === 'included' ? '税込' : p[key] === 'excluded' ? '税別' : s(p, key);
const sellDivisionJa = (p: MessageParams, key: string): string =>
  p[key] === 'included' ? '内税販売' : p[key] === 'excluded' ? '外税販売' : s(p, key);
const taxModeEn = (p: MessageParams, key: string): string =>
  p[key] === 'included' ? 'tax-included' : p[key] === 'excluded' ? 'tax-excluded' : s(p, key);
/** A 受注店舗 by name and ID (the ID alone when the name is not known). */
const storeLabel = (p: MessageParams): string =>
  s(p, 'storeName') === '' ? s(p, 'storeId') : `${s(p, 'storeName')} (${s(p, 'storeId')})`;

/**
 * A payment method by its name and the OMS's code (`paymentMethodName`, `paymentMethodCode`), as
 * the merchant knows it; the internal ID only when the name is not known (rows of older versions).
 */
const paymentMethodLabel = (p: MessageParams, lang: 'ja' | 'en'): string => {
  const name = s(p, 'paymentMethodName');
  const code = s(p, 'paymentMethodCode');
  if (name === '') return lang === 'ja' ? `(${s(p, 'paymentMethodId')})` : s(p, 'paymentMethodId');
  if (lang === 'ja') return `「${name}」${code === '' ? '' : `(${code})`}`;
  return `"${name}"${code === '' ? '' : ` (${code})`}`;
};

const templates: Record<ProblemCode, Template> = {
  orderMalformed: () => ({
    ja: '受注データの形式が正しくありません。',
    en: 'The order data is not in the expected shape.',
  }),
  shopMismatch: (p) => ({
    ja: `受注の店舗(${s(p, 'orderShopId')})と、指定された店舗(${s(p, 'shopId')})が一致しません。`,
    en: `The order's shop (${s(p, 'orderShopId')}) is not the shop given (${s(p, 'shopId')}).`,
  }),
  shopNotMapped: (p) => ({
    ja: `店舗「${s(p, 'shopName')}」にスマレジの受注店舗が設定されていません。店舗設定で受注店舗を選択してください。`,
    en: `Shop "${s(p, 'shopName')}" has no Smaregi order store. Choose one in the shop settings.`,
  }),
  paymentMethodMissing: () => ({
    ja: '受注に支払方法がありません。',
    en: 'The order has no payment method.',
  }),
  paymentMethodNotMapped: (p) => ({
    ja: `支払方法${paymentMethodLabel(p, 'ja')}がスマレジの支払方法に紐付けられていません。支払方法設定で紐付けてください。`,
    en: `Payment method ${paymentMethodLabel(p, 'en')} is not mapped to a Smaregi payment method. Map it in the payment method settings.`,
  }),
  orderCodeEmpty: () => ({
    ja: '受注番号が空です。',
    en: 'The order number is empty.',
  }),
  orderCodeNotAscii: (p) => ({
    ja: `受注番号「${s(p, 'orderCode')}」に半角英数記号以外の文字が含まれています。スマレジには半角英数記号の受注番号しか登録できません。`,
    en: `Order number "${s(p, 'orderCode')}" contains characters other than printable ASCII, which Smaregi does not accept.`,
  }),
  orderCodeTooLong: (p) => ({
    ja: `受注番号「${s(p, 'orderCode')}」が${s(p, 'max')}文字を超えています。`,
    en: `Order number "${s(p, 'orderCode')}" is longer than ${s(p, 'max')} characters.`,
  }),
  orderedAtInvalid: (p) => ({
    ja: `受注日時「${s(p, 'value')}」が正しくありません。タイムゾーン付きの日時(例: 2025-01-31T10:00:00+09:00)で指定してください。`,
    en: `Ordered-at "${s(p, 'value')}" is not valid. Use a date-time with offset (e.g. 2025-01-31T10:00:00+09:00).`,
  }),
  deliveryDateInvalid: (p) => ({
    ja: `${s(p, 'fieldJa')}「${s(p, 'value')}」が正しい日付(YYYY-MM-DD)ではありません。`,
    en: `${s(p, 'fieldEn')} "${s(p, 'value')}" is not a valid date (YYYY-MM-DD).`,
  }),
  noLines: () => ({
    ja: 'スマレジに送る受注明細がありません(封入物だけの受注は、封入物商品連携がオフの場合は送れません)。',
    en: 'There is no order line to send to Smaregi (an order of enclosures only cannot be sent while enclosure sync is off).',
  }),
  tooManyLines: (p) => ({
    ja: `受注明細が${s(p, 'count')}行あります。スマレジに登録できるのは${s(p, 'max')}行までです。`,
    en: `The order has ${s(p, 'count')} lines; Smaregi accepts at most ${s(p, 'max')}.`,
  }),
  lineMalformed: (p) => ({
    ja: `${s(p, 'line')}行目の受注明細の形式が正しくありません。`,
    en: `Order line ${s(p, 'line')} is not in the expected shape.`,
  }),
  lineNameMissing: (p) => ({
    ja: `${s(p, 'line')}行目に商品名がありません。`,
    en: `Order line ${s(p, 'line')} has no product name.`,
  }),
  unitPriceInvalid: (p) => ({
    ja: `${s(p, 'line')}行目の単価(${s(p, 'value')})は0以上${yen(p, 'max')}以下の整数で指定してください。`,
    en: `The unit price of line ${s(p, 'line')} (${s(p, 'value')}) must be an integer from 0 to ${yen(p, 'max')}.`,
  }),
  quantityInvalid: (p) => ({
    ja: `${s(p, 'line')}行目の数量(${s(p, 'value')})は1以上${yen(p, 'max')}以下の整数で指定してください。`,
    en: `The quantity of line ${s(p, 'line')} (${s(p, 'value')}) must be an integer from 1 to ${yen(p, 'max')}.`,
  }),
  productNotFound: (p) => ({
    ja: `${s(p, 'line')}行目の${s(p, 'keyJa')}「${s(p, 'code')}」の商品がスマレジに見つかりません。商品を取り込むか、コードを確認してください。`,
    en: `No Smaregi product for ${s(p, 'keyEn')} "${s(p, 'code')}" on line ${s(p, 'line')}. Import the product or check the code.`,
  }),
  productAmbiguous: (p) => ({
    ja: `${s(p, 'line')}行目の${s(p, 'keyJa')}「${s(p, 'code')}」に該当するスマレジ商品が複数あります。商品の登録内容を確認してください。`,
    en: `${s(p, 'keyEn')} "${s(p, 'code')}" on line ${s(p, 'line')} matches more than one Smaregi product. Check the product records.`,
  }),
  productCodeInvalid: (p) => ({
    ja: `スマレジ商品コード「${s(p, 'code')}」は20文字以下の半角英数記号ではありません。`,
    en: `Smaregi product code "${s(p, 'code')}" is not 1-20 printable ASCII characters.`,
  }),
  dummyProductCodeNotSet: (p) => ({
    ja: `${s(p, 'line')}行目に商品番号も商品管理番号もありません。受注連携設定でダミー商品番号を設定してください。`,
    en: `Line ${s(p, 'line')} has neither product code nor management number. Set a dummy product code in the order sync settings.`,
  }),
  dummyProductNotFound: (p) => ({
    ja: `ダミー商品番号「${s(p, 'code')}」の商品がスマレジに見つかりません。`,
    en: `The dummy product code "${s(p, 'code')}" does not exist in Smaregi.`,
  }),
  adjustmentInvalid: (p) => ({
    ja: `調整額(${s(p, 'value')})は-${yen(p, 'max')}以上${yen(p, 'max')}以下の整数で指定してください。`,
    en: `The adjustment (${s(p, 'value')}) must be an integer from -${yen(p, 'max')} to ${yen(p, 'max')}.`,
  }),
  adjustmentProductCodeNotSet: (p) => ({
    ja: `調整額(+${yen(p, 'value')}円)を送るには、受注連携設定で調整額用商品番号を設定してください。`,
    en: `To send the adjustment (+${yen(p, 'value')} yen), set the adjustment product code in the order sync settings.`,
  }),
  adjustmentProductNotFound: (p) => ({
    ja: `調整額用商品番号「${s(p, 'code')}」の商品がスマレジに見つかりません。`,
    en: `The adjustment product code "${s(p, 'code')}" does not exist in Smaregi.`,
  }),
  amountInvalid: (p) => ({
    ja: `${s(p, 'fieldJa')}(${s(p, 'value')})は0以上${yen(p, 'max')}以下の整数で指定してください。`,
    en: `${s(p, 'fieldEn')} (${s(p, 'value')}) must be an integer from 0 to ${yen(p, 'max')}.`,
  }),
  externalTaxOnTaxIncludedShop: (p) => ({
    ja: `税込の店舗「${s(p, 'shopName')}」の受注に外税(${yen(p, 'value')}円)があります。店舗の税設定を確認してください。`,
    en: `The order of tax-included shop "${s(p, 'shopName')}" carries external tax (${yen(p, 'value')} yen). Check the shop's tax mode.`,
  }),
  totalBelowZero: (p) => ({
    ja: `合計金額が${yen(p, 'total')}円になり、0円未満です(値引き・ポイントが商品代金等を上回っています)。`,
    en: `The total comes to ${yen(p, 'total')} yen, below 0 (discounts and points exceed the goods and fees).`,
  }),
  totalAboveMaximum: (p) => ({
    ja: `合計金額${yen(p, 'total')}円がスマレジの上限${yen(p, 'max')}円を超えています。`,
    en: `The total ${yen(p, 'total')} yen is above Smaregi's maximum of ${yen(p, 'max')} yen.`,
  }),
  totalMismatch: (p) => ({
    ja: `受注の請求金額${yen(p, 'given')}円と、明細・送料・手数料・値引きから計算した合計${yen(p, 'expected')}円が一致しません。`,
    en: `The order total ${yen(p, 'given')} yen differs from ${yen(p, 'expected')} yen computed from lines, fees and discounts.`,
  }),
  warehouseNotLinked: (p) => ({
    ja: `受注店舗${p.storeId === undefined ? '' : `(${s(p, 'storeId')})`}に在庫を引き当てる倉庫が設定されていません。スマレジの受注店舗設定(在庫同期タブ)で倉庫を紐付けてください。`,
    en: `The order store${p.storeId === undefined ? '' : ` ${s(p, 'storeId')}`} has no linked warehouse. Link one in Smaregi's order store settings (在庫同期 tab).`,
  }),
  openOrderQuantityInvalid: (p) => ({
    ja: `商品(${s(p, 'productId')})の未出荷受注の数量(${s(p, 'value')})が0以上の整数ではありません。`,
    en: `The open-order quantity of product ${s(p, 'productId')} (${s(p, 'value')}) is not a whole number of at least 0.`,
  }),
  stockAmountInvalid: (p) => ({
    ja: `商品(${s(p, 'productId')})の在庫数(${s(p, 'value')})が整数ではありません。`,
    en: `The stock amount of product ${s(p, 'productId')} (${s(p, 'value')}) is not an integer.`,
  }),
  duplicateOrder: (p) => ({
    ja: `受注「${s(p, 'orderKey')}」が重複しています。最初の1件だけを扱います。`,
    en: `Order "${s(p, 'orderKey')}" appears more than once; only the first is used.`,
  }),
  duplicateProductKey: (p) => ({
    ja: `${s(p, 'keyJa')}「${s(p, 'code')}」が複数の商品(${s(p, 'productIds')})に使われています。`,
    en: `${s(p, 'keyEn')} "${s(p, 'code')}" is used by several products (${s(p, 'productIds')}).`,
  }),
  shopInactive: (p) => ({
    ja: `店舗「${s(p, 'shopName')}」は無効になっています。無効な店舗の受注はスマレジに連携しません。店舗設定で有効にしてください。`,
    en: `Shop "${s(p, 'shopName')}" is inactive; orders of an inactive shop are not sent to Smaregi. Activate it in the shop settings.`,
  }),
  taxModeMismatch: (p) => ({
    ja: `店舗「${s(p, 'shopName')}」の税設定(${taxModeJa(p, 'shopTaxMode')})と、受注店舗「${storeLabel(p)}」の販売区分(${sellDivisionJa(p, 'sellDivision')})が一致しないため、受注を保留しています。店舗の税設定かスマレジの受注店舗の販売区分を合わせると、自動で連携されます。`,
    en: `Shop "${s(p, 'shopName')}" is ${taxModeEn(p, 'shopTaxMode')} but its order store "${storeLabel(p)}" sells ${taxModeEn(p, 'sellDivision')} (販売区分 ${sellDivisionJa(p, 'sellDivision')}); the order is held. Make the shop's tax mode or the order store's sell division match and it goes through by itself.`,
  }),
};

/** The merchant-facing message of a problem code with its parameters filled in. */
export function problemMessage(code: ProblemCode, params: MessageParams = {}): LocalizedMessage {
  return templates[code](params);
}

/**
 * One thing that is wrong, in the merchant's words. `field` names the OMS field (a dotted path such
 * as `lines.2.quantity`, or a settings field such as `settings.dummyProductCode`); `lineIndex` is
 * the 0-based index of the order line when the problem concerns one.
 */
export interface Problem {
  code: ProblemCode;
  orderNumber: string;
  lineIndex?: number;
  field: string;
  /** The parameters of the message, so that it can be rendered again in another language. */
  params: MessageParams;
  message: LocalizedMessage;
}

/** Builds a {@link Problem} with its message. */
export function problem(
  code: ProblemCode,
  where: { orderNumber: string; field: string; lineIndex?: number },
  params: MessageParams = {},
): Problem {
  const p: Problem = {
    code,
    orderNumber: where.orderNumber,
    field: where.field,
    params,
    message: problemMessage(code, params),
  };
  if (where.lineIndex !== undefined) p.lineIndex = where.lineIndex;
  return p;
}
