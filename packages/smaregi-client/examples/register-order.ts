/**
 * Task 3: register an order (受注登録), allocate it and ship it.
 *
 * Shows the write discipline of docs/reliability.md items 1-2: the client never retries a write
 * after 5xx or a timeout (only after 429); when the outcome is unknown, look the order up by its
 * order code before sending it again.
 *
 *   pnpm --filter @renkei/smaregi-client exec tsx examples/register-order.ts
 */
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_CONTRACT_ID,
  DEMO_STORE_IDS,
  startSimulator,
} from '@renkei/smaregi-simulator';
import {
  createSmaregiClient,
  expectedOrderTotal,
  RENKEI_APP_SCOPES,
  isSmaregiApiError,
  type Order,
  type OrderRegisterInput,
  type SmaregiContract,
} from '../src/index.js';

const sim = await startSimulator();
try {
  const smaregi = createSmaregiClient({
    environment: { idBaseUrl: sim.idBaseUrl, apiBaseUrl: sim.apiBaseUrl },
    clientId: DEMO_CLIENT_ID,
    clientSecret: DEMO_CLIENT_SECRET,
    // The example stocks the warehouse first, which Renkei itself never does.
    appScopes: [...RENKEI_APP_SCOPES, 'pos.stock:write'],
  });
  const api = smaregi.forContract(DEMO_CONTRACT_ID);
  const storeId = DEMO_STORE_IDS.orderStoreIncluded; // a 受注店舗 linked to the warehouse
  const [product] = await api.pos.products.list({ limit: 1 });
  if (!product) throw new Error('no product');
  await api.pos.stock.set(product.productId, {
    storeId: DEMO_STORE_IDS.warehouse,
    stockAmount: 10,
  });

  const details = [
    {
      productId: product.productId,
      productCode: product.productCode,
      productName: product.productName,
      salesPrice: 3_300,
      quantity: 2,
    },
  ];
  const order: OrderRegisterInput = {
    storeId,
    orderCode: 'RKT-20261128-0001',
    orderDateTime: '2026-11-28T10:15:00+09:00',
    carriage: 600,
    totalPointDiscount: 200,
    details,
    total: expectedOrderTotal({ details, carriage: 600, totalPointDiscount: 200 }),
  };

  // Unknown outcomes (5xx, timeout, network) are resolved by reading, never by blind resending.
  sim.control.setFaults({ failAfterApplyRate: 1, pathIncludes: '/orders' }); // applied, then 500
  const registered = await registerOnce(api, order);
  sim.control.clearFaults();
  console.log(
    `order ${registered.orderCode} → orderHeadId ${registered.orderHeadId} (${registered.status})`,
  );

  const allocated = await api.orderShipment.orders.allocate(registered.orderHeadId);
  console.log(`allocation: ${allocated.allocationStatus}`);
  const [shipped] = await api.orderShipment.orders.bulkShip({
    orders: [
      {
        orderHeadId: registered.orderHeadId,
        shippingDate: '2026-11-29',
        slipNumber: '4321-0000-1111',
      },
    ],
  });
  console.log(`bulk shipping: ${shipped?.result}${shipped?.detail ? ` (${shipped.detail})` : ''}`);
} finally {
  await sim.close();
}

async function registerOnce(api: SmaregiContract, input: OrderRegisterInput): Promise<Order> {
  try {
    return await api.orderShipment.orders.register(input);
  } catch (error) {
    // Registered, but the answer was not the modeled order: read it by the ID it carried.
    if (isSmaregiApiError(error) && error.remoteId !== undefined)
      return api.orderShipment.orders.get(error.remoteId);
    const unknownOutcome =
      isSmaregiApiError(error) && ['server', 'timeout', 'network'].includes(error.kind);
    if (!unknownOutcome) throw error;
    console.log(`register failed with ${error.kind}; looking the order up before resending`);
    const lookup = await api.orderShipment.orders.lookupByOrderCode(
      input.storeId,
      input.orderCode,
      { orderDateTime: input.orderDateTime },
    );
    if (lookup.outcome === 'found') return lookup.order;
    // Undecided: never send again on a guess; a person looks at it.
    if (lookup.outcome === 'undecided') throw new Error(`check by hand: ${lookup.reason}`);
    return api.orderShipment.orders.register(input);
  }
}
