/**
 * zod schemas of the POS API (docs/smaregi-wire.md §4.1-4.5). Every number and ID is a
 * JSON string on the wire; inputs accept numbers too and send strings.
 */
import { z } from 'zod';
import {
  checkUpdRange,
  dateTimeWithOffset,
  pagingInput,
  posIdInput,
  posIntInput,
  posOptional,
  posString,
  printableAscii,
} from './common.js';

const flag01 = z.enum(['0', '1']);

// ---------------------------------------------------------------- products (商品)

export const productSchema = z.looseObject({
  productId: posString,
  categoryId: posString,
  productCode: posString,
  productName: posString,
  price: posString,
  productKana: posOptional,
  taxDivision: posOptional,
  productPriceDivision: posOptional,
  customerPrice: posOptional,
  cost: posOptional,
  attribute: posOptional,
  description: posOptional,
  catchCopy: posOptional,
  size: posOptional,
  color: posOptional,
  tag: posOptional,
  groupCode: posOptional,
  url: posOptional,
  printReceiptProductName: posOptional,
  displaySequence: posOptional,
  displayFlag: posOptional,
  division: posOptional,
  productOptionGroupId: posOptional,
  salesDivision: posOptional,
  stockControlDivision: posOptional,
  pointNotApplicable: posOptional,
  taxFreeDivision: posOptional,
  calcDiscount: posOptional,
  staffDiscountRate: posOptional,
  useCategoryReduceTax: posOptional,
  reduceTaxId: posOptional,
  reduceTaxPrice: posOptional,
  reduceTaxCustomerPrice: posOptional,
  supplierProductNo: posOptional,
  insDateTime: posOptional,
  updDateTime: posOptional,
});
/** A POS product (商品). Unknown fields are kept. */
export type Product = z.infer<typeof productSchema>;

const productWritableFields = {
  categoryId: posIdInput('categoryId'),
  productCode: printableAscii('productCode', 20),
  productName: z.string().min(1).max(85),
  price: posIntInput('price', -99_999_999, 99_999_999),
  productKana: z.string().max(85).optional(),
  taxDivision: z.enum(['0', '1', '2']).optional(),
  productPriceDivision: z.enum(['1', '2']).optional(),
  customerPrice: posIntInput('customerPrice', -99_999_999, 99_999_999).optional(),
  cost: z
    .string()
    .regex(/^-?\d+(\.\d{1,5})?$/, 'cost は小数5桁までの数値で指定してください')
    .optional(),
  attribute: z.string().max(1000).optional(),
  description: z.string().max(1000).optional(),
  catchCopy: z.string().max(1000).optional(),
  size: z.string().max(85).optional(),
  color: z.string().max(85).optional(),
  tag: z.string().max(85).optional(),
  groupCode: z.string().max(85).optional(),
  url: z.string().max(255).optional(),
  printReceiptProductName: z.string().max(64).optional(),
  displaySequence: posIntInput('displaySequence', -999_999_999, 999_999_999).optional(),
  displayFlag: flag01.optional(),
  division: z.enum(['0', '1', '2']).optional(),
  salesDivision: flag01.optional(),
  stockControlDivision: flag01.optional(),
  pointNotApplicable: flag01.optional(),
  taxFreeDivision: z.enum(['0', '1', '2']).optional(),
  calcDiscount: flag01.optional(),
  useCategoryReduceTax: flag01.optional(),
  reduceTaxId: z.string().nullable().optional(),
  supplierProductNo: z.string().max(85).optional(),
};

/** Input of `POST /products`: `categoryId`, `productCode`, `productName`, `price` required. */
export const productCreateInputSchema = z.strictObject(productWritableFields);
export type ProductCreateInput = z.input<typeof productCreateInputSchema>;

/** Input of `PATCH /products/{id}`: any writable field, at least one. */
export const productUpdateInputSchema = z
  .strictObject(productWritableFields)
  .partial()
  .refine((value) => Object.keys(value).length > 0, '更新する項目を1つ以上指定してください');
export type ProductUpdateInput = z.input<typeof productUpdateInputSchema>;

export const productListInputSchema = z
  .strictObject({
    ...pagingInput,
    productCode: z.string().optional(),
    groupCode: z.string().optional(),
    categoryId: posIdInput('categoryId').optional(),
    displayFlag: flag01.optional(),
    division: z.enum(['0', '1', '2']).optional(),
    salesDivision: flag01.optional(),
    stockControlDivision: flag01.optional(),
    updDateTimeFrom: dateTimeWithOffset.optional(),
    updDateTimeTo: dateTimeWithOffset.optional(),
  })
  .superRefine(checkUpdRange);
export type ProductListInput = z.input<typeof productListInputSchema>;

// ---------------------------------------------------------------- categories (部門)

export const categorySchema = z.looseObject({
  categoryId: posString,
  categoryCode: posOptional,
  categoryName: posString,
  taxDivision: posOptional,
  displaySequence: posOptional,
  updDateTime: posOptional,
});
export type Category = z.infer<typeof categorySchema>;

export const categoryCreateInputSchema = z.strictObject({
  categoryCode: printableAscii('categoryCode', 20).optional(),
  categoryName: z.string().min(1).max(85),
  taxDivision: z.enum(['0', '1', '2']).optional(),
});
export type CategoryCreateInput = z.input<typeof categoryCreateInputSchema>;

export const categoryListInputSchema = z.strictObject({ ...pagingInput });
export type CategoryListInput = z.input<typeof categoryListInputSchema>;

// ---------------------------------------------------------------- stock (在庫)

export const stockRowSchema = z.looseObject({
  storeId: posString,
  productId: posString,
  stockAmount: posString,
  layawayStockAmount: posOptional,
  updDateTime: posOptional,
});
/** One stock row. A product has no row until its stock changed once: treat missing as unknown. */
export type StockRow = z.infer<typeof stockRowSchema>;

export const stockChangeResultSchema = z.looseObject({
  productId: posString,
  storeId: posString,
  stockAmount: posString,
  updDateTime: posOptional,
  stockHistory: z.looseObject({ id: posOptional, memo: posOptional }).nullish(),
});
export type StockChangeResult = z.infer<typeof stockChangeResultSchema>;

const stockHistoryInput = z.strictObject({ memo: z.string().max(100).optional() });

/** Absolute set (`PATCH /stock/{productId}`). */
export const stockSetInputSchema = z.strictObject({
  storeId: posIdInput('storeId'),
  stockAmount: posIntInput('stockAmount', -999_999_999, 999_999_999),
  stockHistory: stockHistoryInput.optional(),
});
export type StockSetInput = z.input<typeof stockSetInputSchema>;

/** Relative change (`POST /stock/{productId}/add`); negative subtracts. */
export const stockAddInputSchema = z.strictObject({
  storeId: posIdInput('storeId'),
  stockAmount: posIntInput('stockAmount', -1_999_999_998, 1_999_999_998),
  stockHistory: stockHistoryInput.optional(),
});
export type StockAddInput = z.input<typeof stockAddInputSchema>;

const callbackUrl = z
  .string()
  .max(511)
  .regex(/^https?:\/\/\S+$/, 'callbackUrl は http(s):// で始まるURLで指定してください');

export const stockBulkSetInputSchema = z.strictObject({
  stock: z
    .array(
      z.strictObject({
        productId: posIdInput('productId'),
        storeId: posIdInput('storeId'),
        stockAmount: posIntInput('stockAmount', -999_999_999, 999_999_999),
        stockHistory: stockHistoryInput.optional(),
      }),
    )
    .min(1)
    .max(100, 'stock は100件以下で指定してください'),
  callbackUrl,
});
export type StockBulkSetInput = z.input<typeof stockBulkSetInputSchema>;

export const stockBulkAddInputSchema = z.strictObject({
  stock: z
    .array(
      z.strictObject({
        productId: posIdInput('productId'),
        storeId: posIdInput('storeId'),
        stockAmount: posIntInput('stockAmount', -1_999_999_998, 1_999_999_998).refine(
          (value) => value !== '0',
          'stockAmount に0は指定できません',
        ),
        stockHistory: stockHistoryInput.optional(),
      }),
    )
    .min(1)
    .max(100, 'stock は100件以下で指定してください'),
  callbackUrl,
});
export type StockBulkAddInput = z.input<typeof stockBulkAddInputSchema>;

/** Answer of the asynchronous bulk stock calls; the result is POSTed to `callbackUrl` later. */
export const bulkAcceptedSchema = z.looseObject({
  requestId: z.union([z.string(), z.number()]).transform(String),
  callbackUrl: z.string().optional(),
});
export type BulkAccepted = z.infer<typeof bulkAcceptedSchema>;

export const stockListInputSchema = z
  .strictObject({
    ...pagingInput,
    storeId: posIdInput('storeId').optional(),
    productId: posIdInput('productId').optional(),
    updDateTimeFrom: dateTimeWithOffset.optional(),
    updDateTimeTo: dateTimeWithOffset.optional(),
  })
  .superRefine(checkUpdRange);
export type StockListInput = z.input<typeof stockListInputSchema>;

// ---------------------------------------------------------------- stores (店舗)

export const storeSchema = z.looseObject({
  storeId: posString,
  storeCode: posOptional,
  storeName: posString,
  storeAbbr: posOptional,
  /** "1" POS store (POS店舗), "2" warehouse (倉庫). */
  division: posOptional,
  sellDivision: posOptional,
  pauseFlag: posOptional,
  displaySequence: posOptional,
  updDateTime: posOptional,
});
export type Store = z.infer<typeof storeSchema>;

export const storeListInputSchema = z.strictObject({
  ...pagingInput,
  storeCode: z.string().optional(),
  division: z.enum(['1', '2']).optional(),
});
export type StoreListInput = z.input<typeof storeListInputSchema>;

// ---------------------------------------------------------------- payment methods (支払方法)

export const paymentMethodSchema = z.looseObject({
  paymentMethodId: posString,
  paymentMethodCode: posOptional,
  paymentMethodName: posString,
  unitPrice: posOptional,
  displayFlag: posOptional,
  displaySequence: posOptional,
  changeFlag: posOptional,
  paymentMethodGroupId: posOptional,
  securitiesFlag: posOptional,
  updDateTime: posOptional,
});
export type PaymentMethod = z.infer<typeof paymentMethodSchema>;

export const paymentMethodListInputSchema = z.strictObject({
  ...pagingInput,
  paymentMethodCode: z.string().optional(),
  displayFlag: flag01.optional(),
});
export type PaymentMethodListInput = z.input<typeof paymentMethodListInputSchema>;
