import { formatJst } from '../lib/time.js';
import type { ContractState } from './contract.js';
import {
  POS_PRODUCT_FIELDS,
  type OrderStore,
  type PaymentMethod,
  type PosCategory,
  type PosProduct,
  type PosStore,
} from './types.js';

/** The fields a caller gives when creating a product; the rest take Smaregi's defaults. */
export type ProductInput = Pick<
  PosProduct,
  'categoryId' | 'productCode' | 'productName' | 'price'
> &
  Partial<Omit<PosProduct, 'productId' | 'insDateTime' | 'updDateTime'>>;

/** Creates a product with Smaregi's defaults (taxDivision "1" 税抜, displayFlag "1", ...). */
export function addProduct(contract: ContractState, input: ProductInput, now: Date): PosProduct {
  const at = formatJst(now);
  const merged: PosProduct = {
    productKana: null,
    taxDivision: '1',
    productPriceDivision: '1',
    customerPrice: null,
    cost: null,
    attribute: null,
    description: null,
    catchCopy: null,
    size: null,
    color: null,
    tag: null,
    groupCode: null,
    url: null,
    printReceiptProductName: null,
    displaySequence: null,
    displayFlag: '1',
    division: '0',
    productOptionGroupId: null,
    salesDivision: '0',
    stockControlDivision: '0',
    pointNotApplicable: '0',
    taxFreeDivision: '0',
    calcDiscount: '1',
    staffDiscountRate: null,
    useCategoryReduceTax: '1',
    reduceTaxId: null,
    reduceTaxPrice: null,
    reduceTaxCustomerPrice: null,
    supplierProductNo: null,
    orderPoint: null,
    purchaseCost: null,
    appStartDateTime: null,
    ...input,
    productId: contract.newProductId(),
    insDateTime: at,
    updDateTime: at,
  };
  // Keys in the documented order, so that responses read like Smaregi's.
  const product = Object.fromEntries(
    POS_PRODUCT_FIELDS.map((k) => [k, merged[k]]),
  ) as unknown as PosProduct;
  contract.products.insert(product, now.getTime());
  return product;
}

export function addCategory(
  contract: ContractState,
  input: Pick<PosCategory, 'categoryCode' | 'categoryName'> &
    Partial<Pick<PosCategory, 'taxDivision' | 'displaySequence'>>,
  now: Date,
): PosCategory {
  const categoryId = contract.newCategoryId();
  const category: PosCategory = {
    categoryId,
    categoryCode: input.categoryCode,
    categoryName: input.categoryName,
    taxDivision: input.taxDivision ?? '1',
    displaySequence: input.displaySequence ?? categoryId,
    updDateTime: formatJst(now),
  };
  contract.categories.set(categoryId, category);
  return category;
}

/** A POS store ("1") or warehouse ("2") with plausible defaults for the many settings fields. */
export function addPosStore(
  contract: ContractState,
  input: Pick<PosStore, 'storeCode' | 'storeName' | 'division'> & Partial<PosStore>,
  now: Date,
): PosStore {
  const at = formatJst(now);
  const storeId = contract.newStoreId();
  const merged: PosStore = {
    storeAbbr: input.storeName,
    printReceiptStoreName: input.storeName,
    printStockReceiptStoreName: input.storeName,
    postCode: '',
    address: '',
    phoneNumber: '',
    faxNumber: '',
    mailAddress: '',
    homepage: '',
    tempTranMailAddress: '',
    priceChangeFlag: '1',
    sellDivision: '0',
    sumProcDivision: '1',
    sumDateChangeTime: '0000',
    sumRefColumn: '1',
    pointNotApplicable: '0',
    taxFreeDivision: '0',
    maxBundleProductCount: '100',
    maxDiscountRate: '100',
    carriageDisplayFlag: '0',
    terminalAdjustmentCashFlag: '1',
    terminalCheckCashFlag: '1',
    waiterAdjustmentDivision: '0',
    savingAutoDivision: '0',
    savingAutoPrice: '0',
    cancelSettingDivision: '0',
    roundingDivision: '1',
    discountRoundingDivision: '1',
    cardCompanySelectDivision: '0',
    giftReceiptValidDays: '0',
    taxLabelNormal: '',
    taxLabelReduce: '※',
    pauseFlag: '0',
    displaySequence: storeId,
    facePaymentUseDivision: '0',
    ...input,
    storeId,
    insDateTime: at,
    updDateTime: at,
  };
  // Identity fields first, so that responses read like Smaregi's.
  const store: PosStore = Object.assign({ storeId: '', storeCode: '', storeName: '' }, merged);
  contract.stores.set(storeId, { kind: 'pos', store });
  return store;
}

/** Registers a 受注店舗 (the caller has checked `storeCode` uniqueness). */
export function addOrderStore(
  contract: ContractState,
  input: Pick<OrderStore, 'storeCode' | 'storeName' | 'sellDivision'> &
    Partial<Omit<OrderStore, 'storeId'>>,
): OrderStore {
  const storeId = contract.newStoreId();
  const merged: OrderStore = {
    storeAbbr: input.storeName,
    sumDateChangeTime: '00:00',
    displaySequence: Number(storeId),
    pauseFlag: false,
    pointPaymentMethodId: null,
    stockStoreId: null,
    autoAllocation: false,
    ...input,
    storeId,
  };
  const store: OrderStore = Object.assign(
    { storeId: '', storeCode: '', storeName: '', storeAbbr: '', sellDivision: 'included' as const },
    merged,
  );
  contract.stores.set(storeId, { kind: 'order', store });
  return store;
}

export function addPaymentMethod(
  contract: ContractState,
  input: Pick<PaymentMethod, 'paymentMethodCode' | 'paymentMethodName'> & Partial<PaymentMethod>,
  now: Date,
): PaymentMethod {
  const paymentMethodId = contract.newPaymentMethodId();
  const merged: PaymentMethod = {
    unitPrice: '0',
    displayFlag: '1',
    displaySequence: paymentMethodId,
    changeFlag: '0',
    paymentMethodGroupId: '1',
    securitiesFlag: '0',
    ...input,
    paymentMethodId,
    updDateTime: formatJst(now),
  };
  const method: PaymentMethod = Object.assign(
    { paymentMethodId: '', paymentMethodCode: '', paymentMethodName: '' },
    merged,
  );
  contract.paymentMethods.set(paymentMethodId, method);
  return method;
}

/** True if a store code is taken by any store kind of the contract. */
export function storeCodeTaken(contract: ContractState, storeCode: string): boolean {
  for (const r of contract.stores.values()) if (r.store.storeCode === storeCode) return true;
  return false;
}
