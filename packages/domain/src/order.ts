import { z } from 'zod';
import { fieldError, type FieldLabel } from './field-errors.js';
import { SMAREGI_MONEY_MAX, SMAREGI_ORDER_DETAILS_MAX, SMAREGI_QUANTITY_MAX } from './limits.js';

/*
 * The OMS order (受注) as Renkei holds it and as `POST /api/v1/orders` receives it.
 *
 * Money is in yen as integers. The schema checks shape and ranges only; whether an order can be
 * sent to Smaregi (an order number with Japanese letters, an unmapped payment method, a total
 * below zero ...) is decided by `buildSmaregiOrderPayload`, because such an order is still a real
 * order that the merchant must see and fix, not a malformed request. Unknown keys are rejected: a
 * misspelt `shipping_fee` must not silently become a shipping fee of 0.
 */

const L = (ja: string, en: string, key: string): FieldLabel => ({ ja, en, key });

/** Yen amount 0..999,999,999 (Smaregi's range for every money field). */
export function moneySchema(label: FieldLabel) {
  const e = fieldError(label);
  return z.int({ error: e }).min(0, { error: e }).max(SMAREGI_MONEY_MAX, { error: e });
}

function textSchema(label: FieldLabel, max: number) {
  const e = fieldError(label);
  return z.string({ error: e }).trim().min(1, { error: e }).max(max, { error: e });
}

function optionalCode(label: FieldLabel) {
  const e = fieldError(label);
  return z
    .string({ error: e })
    .max(255, { error: e })
    .nullish()
    .transform((v) => v ?? null);
}

function optionalDate(label: FieldLabel) {
  return z.iso
    .date({ error: fieldError(label) })
    .nullish()
    .transform((v) => v ?? null);
}

/** One order line (受注明細). */
export const omsOrderLineSchema = z.strictObject(
  {
    productCode: optionalCode(L('商品番号', 'Product code', 'productCode')),
    managementNumber: optionalCode(L('商品管理番号', 'Management number', 'managementNumber')),
    name: textSchema(L('商品名', 'Product name', 'name'), 255),
    unitPrice: moneySchema(L('単価', 'Unit price', 'unitPrice')),
    quantity: z
      .int({ error: fieldError(L('数量', 'Quantity', 'quantity')) })
      .min(1, { error: fieldError(L('数量', 'Quantity', 'quantity')) })
      .max(SMAREGI_QUANTITY_MAX, { error: fieldError(L('数量', 'Quantity', 'quantity')) }),
    isEnclosure: z
      .boolean({ error: fieldError(L('封入物', 'Enclosure flag', 'isEnclosure')) })
      .default(false),
  },
  { error: fieldError(L('受注明細', 'Order line', 'lines[]')) },
);

const shipToSchema = z.strictObject(
  {
    name: z.string().max(255).optional(),
    postalCode: z.string().max(16).optional(),
    address: z.string().max(500).optional(),
    phone: z.string().max(32).optional(),
  },
  { error: fieldError(L('お届け先', 'Ship-to', 'shipTo')) },
);

const adjustmentLabel = L('調整額', 'Adjustment', 'adjustment');
const linesLabel = L('受注明細', 'Order lines', 'lines');

/**
 * The OMS order intake schema. Fees, discounts, adjustment and external tax default to 0;
 * `deliveryDate` / `shippingDate` to null. `total` (請求金額) is optional: when the OMS sends it,
 * the payload rules check that Smaregi's formula gives the same amount.
 */
export const omsOrderSchema = z.strictObject(
  {
    shopId: textSchema(L('店舗ID', 'Shop ID', 'shopId'), 64),
    orderNumber: textSchema(L('受注番号', 'Order number', 'orderNumber'), 255),
    orderedAt: z.iso.datetime({
      offset: true,
      error: fieldError(L('受注日時', 'Ordered-at', 'orderedAt')),
    }),
    paymentMethodId: textSchema(L('支払方法ID', 'Payment method ID', 'paymentMethodId'), 64),
    lines: z
      .array(omsOrderLineSchema, { error: fieldError(linesLabel) })
      .min(1, { error: fieldError(linesLabel) })
      .max(SMAREGI_ORDER_DETAILS_MAX, { error: fieldError(linesLabel) }),
    shippingFee: moneySchema(L('送料', 'Shipping fee', 'shippingFee')).default(0),
    commission: moneySchema(L('手数料', 'Commission', 'commission')).default(0),
    giftWrapFee: moneySchema(L('ギフト包装料', 'Gift-wrap fee', 'giftWrapFee')).default(0),
    pointUse: moneySchema(L('ポイント利用額', 'Point use', 'pointUse')).default(0),
    coupon: moneySchema(L('クーポン値引き', 'Coupon discount', 'coupon')).default(0),
    mallCoupon: moneySchema(
      L('モールクーポン値引き', 'Mall coupon discount', 'mallCoupon'),
    ).default(0),
    adjustment: z
      .int({ error: fieldError(adjustmentLabel) })
      .min(-SMAREGI_MONEY_MAX, { error: fieldError(adjustmentLabel) })
      .max(SMAREGI_MONEY_MAX, { error: fieldError(adjustmentLabel) })
      .default(0),
    externalTax: moneySchema(L('外税額', 'External tax', 'externalTax')).default(0),
    total: moneySchema(L('請求金額', 'Order total', 'total')).optional(),
    deliveryDate: optionalDate(L('配達希望日', 'Delivery date', 'deliveryDate')),
    shippingDate: optionalDate(L('出荷日', 'Shipping date', 'shippingDate')),
    statusId: textSchema(L('受注ステータス', 'Order status', 'statusId'), 64),
    shipTo: shipToSchema.optional(),
  },
  { error: fieldError(L('受注', 'Order', 'order')) },
);

/** An OMS order line after parsing. */
export type OmsOrderLine = z.output<typeof omsOrderLineSchema>;
/** An OMS order after parsing (defaults applied). */
export type OmsOrder = z.output<typeof omsOrderSchema>;
/** What a client may send to the intake (defaults not yet applied). */
export type OmsOrderInput = z.input<typeof omsOrderSchema>;
