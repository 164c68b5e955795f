/*
 * The demo tenant (demo mode only, documented in the README as public): fixed IDs so that the
 * OpenAPI example and the README's curl command work on every fresh machine.
 */
export const DEMO_USER = { email: 'demo@renkei.local', password: 'renkei-demo' } as const;
export const DEMO_INTAKE_KEY = 'renkei-demo-intake-key';
export const DEMO_TENANT_ID = '00000000-0000-4000-8000-000000000001';

export const DEMO_SHOP_IDS = {
  rakuten: '00000000-0000-4000-8000-000000000101',
  amazon: '00000000-0000-4000-8000-000000000102',
  yahoo: '00000000-0000-4000-8000-000000000103',
  ownSite: '00000000-0000-4000-8000-000000000104',
} as const;

export const DEMO_PAYMENT_METHOD_IDS = {
  creditCard: '00000000-0000-4000-8000-000000000201',
  bankTransfer: '00000000-0000-4000-8000-000000000202',
  cashOnDelivery: '00000000-0000-4000-8000-000000000203',
  deferred: '00000000-0000-4000-8000-000000000204',
} as const;

export const DEMO_STATUS_IDS = {
  received: '00000000-0000-4000-8000-000000000301',
  awaitingAllocation: '00000000-0000-4000-8000-000000000302',
  readyToShip: '00000000-0000-4000-8000-000000000303',
  shipped: '00000000-0000-4000-8000-000000000304',
  cancelled: '00000000-0000-4000-8000-000000000305',
} as const;

/**
 * A valid order for the demo tenant: the OpenAPI request example (integrators copy it first).
 * The first line carries no product code, so it is sent with the dummy product code (ダミー商品番号)
 * until products are imported; /api/v1/openapi.json then substitutes an imported product.
 */
export const DEMO_ORDER_EXAMPLE = {
  shopId: DEMO_SHOP_IDS.rakuten,
  orderNumber: 'RT-20260101-0001',
  orderedAt: '2026-01-01T10:15:00+09:00',
  paymentMethodId: DEMO_PAYMENT_METHOD_IDS.creditCard,
  statusId: DEMO_STATUS_IDS.received,
  lines: [
    {
      productCode: null,
      managementNumber: null,
      name: 'オーガニックコットンTシャツ',
      unitPrice: 3300,
      quantity: 2,
      isEnclosure: false,
    },
    {
      productCode: null,
      managementNumber: null,
      name: '同梱チラシ',
      unitPrice: 0,
      quantity: 1,
      isEnclosure: true,
    },
  ],
  shippingFee: 550,
  commission: 0,
  giftWrapFee: 0,
  pointUse: 100,
  coupon: 0,
  mallCoupon: 0,
  adjustment: 0,
  externalTax: 0,
  total: 7050,
  deliveryDate: null,
  shippingDate: null,
  shipTo: {
    name: '山田 太郎',
    postalCode: '150-0041',
    address: '東京都渋谷区神南1-1-1',
    phone: '03-0000-0000',
  },
} as const;
