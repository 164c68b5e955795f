import { z } from 'zod';
import { checkOrderCodePrefix, ORDER_CODE_PREFIX_MAX_LENGTH } from './codes.js';
import { fieldError, type FieldLabel } from './field-errors.js';

/*
 * Input schemas of the admin's master data forms (shops, payment methods, order statuses). They
 * serve tRPC `.input()` and the Vue forms alike; error messages are bilingual (see field-errors).
 */

const L = (ja: string, en: string, key: string): FieldLabel => ({ ja, en, key });

function name(label: FieldLabel, max: number) {
  const e = fieldError(label);
  return z.string({ error: e }).trim().min(1, { error: e }).max(max, { error: e });
}

function optionalId(label: FieldLabel) {
  const e = fieldError(label);
  return z
    .string({ error: e })
    .trim()
    .max(64, { error: e })
    .nullish()
    .transform((v) => (v ? v : null));
}

function orderCodePrefix(label: FieldLabel) {
  const e = fieldError(label);
  return z
    .string({ error: e })
    .trim()
    .max(ORDER_CODE_PREFIX_MAX_LENGTH, { error: e })
    .refine((v) => checkOrderCodePrefix(v).ok, { error: e })
    .nullable()
    .optional()
    .transform((v) => (v == null ? v : checkOrderCodePrefix(v).code || null));
}

/** Mall kinds (モール種別) of an OMS shop. */
export const mallKinds = ['rakuten', 'amazon', 'yahoo', 'ownSite', 'other'] as const;
export type MallKind = (typeof mallKinds)[number];

/** 税込 ('included') / 税別 ('excluded'): must equal the order store's `sellDivision`. */
export const taxModes = ['included', 'excluded'] as const;
export type TaxMode = (typeof taxModes)[number];

/** 受注ステータスの区分: whether an order in the status is still open, shipped or cancelled. */
export const orderStatusCategories = ['open', 'shipped', 'cancelled'] as const;
export type OrderStatusCategory = (typeof orderStatusCategories)[number];

/**
 * The order statuses a new merchant starts with: the usual workflow of a Japanese OMS (受付 →
 * 在庫引当 → 出荷 / キャンセル), so that orders can arrive and the allocation and bulk-shipping
 * settings have something to point at before the merchant tailors the list.
 */
export const standardOrderStatuses = [
  { name: '新規受付', category: 'open', sortOrder: 10 },
  { name: '引当待ち', category: 'open', sortOrder: 20 },
  { name: '出荷待ち', category: 'open', sortOrder: 30 },
  { name: '出荷済み', category: 'shipped', sortOrder: 40 },
  { name: 'キャンセル', category: 'cancelled', sortOrder: 50 },
] as const satisfies readonly { name: string; category: OrderStatusCategory; sortOrder: number }[];

/** Create / update a shop (店舗). `orderStoreId` is the mapped Smaregi 受注店舗 (null = not mapped). */
export const shopInputSchema = z.strictObject(
  {
    name: name(L('店舗名', 'Shop name', 'name'), 100),
    mallKind: z.enum(mallKinds, { error: fieldError(L('モール種別', 'Mall kind', 'mallKind')) }),
    taxMode: z.enum(taxModes, { error: fieldError(L('税設定(税込/税別)', 'Tax mode', 'taxMode')) }),
    active: z.boolean({ error: fieldError(L('有効', 'Active', 'active')) }).default(true),
    orderStoreId: optionalId(L('受注店舗', 'Order store', 'orderStoreId')),
    /**
     * 倉庫: the Smaregi POS store whose stock serves the 受注店舗. Omitted = keep what is stored;
     * null = not set (unknown).
     */
    warehouseStoreId: z
      .string({ error: fieldError(L('倉庫', 'Warehouse', 'warehouseStoreId')) })
      .trim()
      .max(50, { error: fieldError(L('倉庫', 'Warehouse', 'warehouseStoreId')) })
      .nullable()
      .optional()
      .transform((v) => (v === '' ? null : v)),
    /** 自動引当 of the 受注店舗. Omitted = keep what is stored; null = not set (unknown). */
    autoAllocation: z
      .boolean({ error: fieldError(L('自動引当', 'Auto-allocation', 'autoAllocation')) })
      .nullable()
      .optional(),
    /**
     * 受注番号の接頭辞 (e.g. `RT-`), put before the order number in the Smaregi order code: up
     * to 10 printable ASCII characters without spaces. Omitted = keep what is stored; null or
     * empty = none.
     */
    orderCodePrefix: orderCodePrefix(L('受注番号の接頭辞', 'Order-code prefix', 'orderCodePrefix')),
  },
  { error: fieldError(L('店舗', 'Shop', 'shop')) },
);
export type ShopInput = z.output<typeof shopInputSchema>;

/** Create / update an OMS payment method (支払方法) and its Smaregi mapping (null = not mapped). */
export const paymentMethodInputSchema = z.strictObject(
  {
    name: name(L('支払方法名', 'Payment method name', 'name'), 100),
    code: optionalId(L('支払方法コード', 'Payment method code', 'code')),
    smaregiPaymentMethodId: optionalId(
      L('スマレジの支払方法', 'Smaregi payment method', 'smaregiPaymentMethodId'),
    ),
  },
  { error: fieldError(L('支払方法', 'Payment method', 'paymentMethod')) },
);
export type PaymentMethodInput = z.output<typeof paymentMethodInputSchema>;

/** Create / update an order status (受注ステータス). */
export const orderStatusInputSchema = z.strictObject(
  {
    name: name(L('ステータス名', 'Status name', 'name'), 50),
    category: z.enum(orderStatusCategories, {
      error: fieldError(L('区分', 'Category', 'category')),
    }),
    sortOrder: z
      .int({ error: fieldError(L('表示順', 'Sort order', 'sortOrder')) })
      .min(0, { error: fieldError(L('表示順', 'Sort order', 'sortOrder')) })
      .max(9999, { error: fieldError(L('表示順', 'Sort order', 'sortOrder')) })
      .default(0),
  },
  { error: fieldError(L('受注ステータス', 'Order status', 'orderStatus')) },
);
export type OrderStatusInput = z.output<typeof orderStatusInputSchema>;
