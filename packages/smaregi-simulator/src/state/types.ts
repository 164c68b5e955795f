/**
 * Wire shapes of the resources the simulator holds. POS objects keep Smaregi's representation
 * (every number and ID a JSON string, docs/smaregi-wire.md §4 [OFF]); 受注管理 objects use integers and
 * booleans (docs/smaregi-wire.md §4.4, §4.6 [OFF]).
 */

/** POS product (商品), fields of docs/smaregi-wire.md §4.1 (official bulk schemas). */
export interface PosProduct {
  productId: string;
  categoryId: string;
  productCode: string;
  productName: string;
  productKana: string | null;
  taxDivision: string;
  productPriceDivision: string;
  price: string;
  customerPrice: string | null;
  cost: string | null;
  attribute: string | null;
  description: string | null;
  catchCopy: string | null;
  size: string | null;
  color: string | null;
  tag: string | null;
  groupCode: string | null;
  url: string | null;
  printReceiptProductName: string | null;
  displaySequence: string | null;
  displayFlag: string;
  division: string;
  productOptionGroupId: string | null;
  salesDivision: string;
  stockControlDivision: string;
  pointNotApplicable: string;
  taxFreeDivision: string;
  calcDiscount: string;
  staffDiscountRate: string | null;
  useCategoryReduceTax: string;
  reduceTaxId: string | null;
  reduceTaxPrice: string | null;
  reduceTaxCustomerPrice: string | null;
  supplierProductNo: string | null;
  orderPoint: string | null;
  purchaseCost: string | null;
  appStartDateTime: string | null;
  insDateTime: string;
  updDateTime: string;
}

/** The product fields a client may restrict a list to with `fields`. */
export const POS_PRODUCT_FIELDS: readonly (keyof PosProduct)[] = [
  'productId',
  'categoryId',
  'productCode',
  'productName',
  'productKana',
  'taxDivision',
  'productPriceDivision',
  'price',
  'customerPrice',
  'cost',
  'attribute',
  'description',
  'catchCopy',
  'size',
  'color',
  'tag',
  'groupCode',
  'url',
  'printReceiptProductName',
  'displaySequence',
  'displayFlag',
  'division',
  'productOptionGroupId',
  'salesDivision',
  'stockControlDivision',
  'pointNotApplicable',
  'taxFreeDivision',
  'calcDiscount',
  'staffDiscountRate',
  'useCategoryReduceTax',
  'reduceTaxId',
  'reduceTaxPrice',
  'reduceTaxCustomerPrice',
  'supplierProductNo',
  'orderPoint',
  'purchaseCost',
  'appStartDateTime',
  'insDateTime',
  'updDateTime',
];

/** POS category (部門). */
export interface PosCategory {
  categoryId: string;
  categoryCode: string;
  categoryName: string;
  taxDivision: string;
  displaySequence: string;
  updDateTime: string;
}

/** POS store (店舗) fields as the feedforce spec `getStoresResponseItem` (all strings). */
export interface PosStore {
  storeId: string;
  storeCode: string;
  storeName: string;
  storeAbbr: string;
  printReceiptStoreName: string;
  printStockReceiptStoreName: string;
  division: '1' | '2';
  postCode: string;
  address: string;
  phoneNumber: string;
  faxNumber: string;
  mailAddress: string;
  homepage: string;
  tempTranMailAddress: string;
  priceChangeFlag: string;
  sellDivision: string;
  sumProcDivision: string;
  sumDateChangeTime: string;
  sumRefColumn: string;
  pointNotApplicable: string;
  taxFreeDivision: string;
  maxBundleProductCount: string;
  maxDiscountRate: string;
  carriageDisplayFlag: string;
  terminalAdjustmentCashFlag: string;
  terminalCheckCashFlag: string;
  waiterAdjustmentDivision: string;
  savingAutoDivision: string;
  savingAutoPrice: string;
  cancelSettingDivision: string;
  roundingDivision: string;
  discountRoundingDivision: string;
  cardCompanySelectDivision: string;
  giftReceiptValidDays: string;
  taxLabelNormal: string;
  taxLabelReduce: string;
  pauseFlag: string;
  displaySequence: string;
  facePaymentUseDivision: string;
  insDateTime: string;
  updDateTime: string;
}

/** 受注店舗: the confirmed object plus the modeled `stockStoreId` and `autoAllocation`. */
export interface OrderStore {
  storeId: string;
  storeCode: string;
  storeName: string;
  storeAbbr: string;
  sellDivision: 'included' | 'excluded';
  sumDateChangeTime: string;
  displaySequence: number;
  pauseFlag: boolean;
  pointPaymentMethodId: string | null;
  /** Modeled: the warehouse of the 在庫同期 tab. */
  stockStoreId: string | null;
  /** Modeled: the store's 自動処理 引当 switch. */
  autoAllocation: boolean;
}

/** A stock row (在庫); rows exist only after the first change (docs/smaregi-wire.md §4.2 [OFF]). */
export interface StockRow {
  storeId: string;
  productId: string;
  stockAmount: number;
  layawayStockAmount: number;
  updMs: number;
}

/** POS payment method (支払方法), all strings. */
export interface PaymentMethod {
  paymentMethodId: string;
  paymentMethodCode: string;
  paymentMethodName: string;
  unitPrice: string;
  displayFlag: string;
  displaySequence: string;
  changeFlag: string;
  paymentMethodGroupId: string;
  securitiesFlag: string;
  updDateTime: string;
}

export type OrderStatus = 'received' | 'allocated' | 'shipped' | 'canceled';
export type AllocationStatus = 'unallocated' | 'partial' | 'allocated';

/** One line of a 受注 (modeled names, docs/smaregi-wire.md §11). */
export interface OrderDetail {
  orderDetailId: string;
  productId: string;
  productCode: string;
  productName: string;
  salesPrice: number;
  quantity: number;
  allocatedQuantity: number;
}

/** A 受注 as the modeled `GET /orders/{orderHeadId}` answers it. */
export interface Order {
  orderHeadId: string;
  orderCode: string;
  storeId: string;
  status: OrderStatus;
  allocationStatus: AllocationStatus;
  orderDateTime: string;
  paymentMethodId: string | null;
  deliveryDate: string | null;
  shippingDate: string | null;
  slipNumber: string | null;
  memo: string | null;
  carriage: number;
  commission: number;
  giftWrapPrice: number;
  totalPointDiscount: number;
  totalCouponDiscount: number;
  subtotalCouponDiscount: number;
  totalPromotionDiscount: number;
  taxExclude: number;
  total: number;
  insDateTime: string;
  updDateTime: string;
  details: OrderDetail[];
}
