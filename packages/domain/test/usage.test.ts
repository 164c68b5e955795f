/*
 * The integrator example of README.md ("Using the rules"), kept runnable: if this file changes,
 * update the README too.
 */
import { expect, it } from 'vitest';
import {
  buildSmaregiOrderPayload,
  checkReadiness,
  computeEffectiveStock,
  createProductIndex,
  decideOrderActions,
  fieldErrorsOf,
  integrationSettingsSchema,
  omsOrderSchema,
  planAllocation,
  REQUIRED_SMAREGI_SCOPES,
} from '@renkei/domain';

it('README usage example', () => {
  // 1. Settings as stored (missing keys get their defaults; the integration starts stopped).
  const settings = integrationSettingsSchema.parse({
    adjustmentProductCode: 'ADJUST',
    dummyProductCode: 'DUMMY',
    allocationTriggerStatuses: ['st-wait'],
    allocatedStatus: 'st-allocated',
    integrationEnabled: true,
  });

  // 2. An order arriving at POST /api/v1/orders: validate at the edge.
  const parsed = omsOrderSchema.safeParse({
    shopId: 'shop-rakuten',
    orderNumber: 'ＲＴ－２０２５０１３１－０００１', // full-width: normalised to RT-20250131-0001
    orderedAt: '2025-01-31T10:15:00+09:00',
    paymentMethodId: 'pm-card',
    statusId: 'st-new',
    lines: [
      { managementNumber: 'TS-001-RED-M', name: 'Tシャツ 赤 M', unitPrice: 2200, quantity: 2 },
      { name: 'おまけ(コードなし)', unitPrice: 0, quantity: 1 }, // -> dummy product
    ],
    shippingFee: 600,
    pointUse: 100,
    adjustment: -300, // -> totalPromotionDiscount 300
  });
  if (!parsed.success) throw new Error(JSON.stringify(fieldErrorsOf(parsed.error)));

  // 3. Imported products -> index (keys are normalised; shared keys are reported).
  const { index: products, problems: indexProblems } = createProductIndex([
    { productId: '8000001', productCode: 'TS-001-RED-M', managementNumber: 'TS-001-RED-M' },
    { productId: '9000001', productCode: 'ADJUST' },
    { productId: '9000002', productCode: 'DUMMY' },
  ]);
  expect(indexProblems).toEqual([]);

  // 4. The Smaregi registration body, or every reason it cannot be sent.
  const result = buildSmaregiOrderPayload(parsed.data, {
    settings,
    shop: { id: 'shop-rakuten', name: '楽天市場店', taxMode: 'included', orderStoreId: '23' },
    paymentMethods: new Map([['pm-card', '3']]),
    products,
  });
  if (!result.ok) throw new Error(result.problems.map((p) => p.message.ja).join('\n'));
  expect(result.payload).toMatchObject({
    storeId: '23',
    orderCode: 'RT-20250131-0001',
    totalPromotionDiscount: 300,
    total: 2200 * 2 + 0 + 600 - 100 - 300,
  });

  // 5. Effective stock and an allocation plan over it.
  const stock = computeEffectiveStock({
    stockBasis: settings.stockBasis,
    effectiveStockMode: settings.effectiveStockMode,
    warehouseStoreId: '2',
    stock: [{ storeId: '2', productId: '8000001', stockAmount: '5', allocatedAmount: '1' }],
  });
  const free = new Map(stock.entries.map((e) => [e.productId, e.promisable]));
  const plan = planAllocation(
    [
      {
        orderKey: 'o-1',
        orderNumber: 'RT-20250131-0001',
        orderedAt: '2025-01-31T10:15:00+09:00',
        lines: [{ productId: '8000001', quantity: 2 }],
      },
    ],
    free,
  );
  expect(plan.byOrderKey.get('o-1')?.status).toBe('allocated');
  expect(plan.remainingStock.get('8000001')).toBe(2);

  // 6. What to do when the order enters the trigger status.
  const decision = decideOrderActions({
    settings,
    order: {
      orderNumber: 'RT-20250131-0001',
      statusId: 'st-wait',
      statusCategory: 'open',
      shippingDate: null,
      smaregiOrderHeadId: '101',
      smaregiStatus: 'received',
      allocation: 'unallocated',
    },
    orderStore: { autoAllocation: false },
    event: { kind: 'statusChanged', fromStatusId: 'st-new' },
  });
  expect(decision.actions).toEqual([{ kind: 'requestAllocation', orderHeadId: '101' }]);

  // 7. May the merchant switch the integration on?
  const readiness = checkReadiness({
    settings,
    connection: { status: 'active', grantedScopes: [...REQUIRED_SMAREGI_SCOPES] },
    shops: [
      {
        id: 'shop-rakuten',
        name: '楽天市場店',
        active: true,
        taxMode: 'included',
        orderStoreId: '23',
        warehouseStoreId: '2',
        autoAllocation: false,
      },
    ],
    orderStores: [{ storeId: '23', storeName: 'EC楽天', sellDivision: 'included' }],
    paymentMethods: [{ id: 'pm-card', name: 'クレジットカード', smaregiPaymentMethodId: '3' }],
    recentPaymentMethodIds: ['pm-card'],
    smaregiPaymentMethodIds: ['3'],
    products,
    importedProductCount: 3,
    orderStatusIds: ['st-new', 'st-wait', 'st-allocated'],
  });
  expect(readiness.canStart).toBe(true);
});
