/**
 * Every resource against the simulator over HTTP: POS products, categories, stock, stores,
 * payment methods, and the 受注管理 stores, orders (register → allocate → bulk ship, cancel) and
 * allocation-aware stock. Paging is followed to the end.
 */
import { DEMO_STORE_IDS } from '@renkei/smaregi-simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SmaregiContract } from '../src/index.js';
import { caught, DEMO_CONTRACT_ID, startHarness, type Harness } from './helpers.js';

let h: Harness;
let api: SmaregiContract;

beforeAll(async () => {
  // The simulator's limits are exercised in errors.contract.test.ts; here they would only slow
  // the walk through every resource down.
  h = await startHarness({ rateLimits: false });
  api = h
    .client({ rateLimits: { readsPerSecond: 1000, writesPerSecond: 1000 } })
    .forContract(DEMO_CONTRACT_ID);
});
afterAll(() => h.close());

describe('POS products and categories', () => {
  it('creates, reads, updates and lists a product; 404 for an unknown one', async () => {
    const [category] = await api.pos.categories.list({ limit: 1 });
    expect(category).toBeDefined();
    expect(await api.pos.categories.get(category!.categoryId)).toMatchObject({
      categoryId: category!.categoryId,
    });

    const created = await api.pos.products.create({
      categoryId: category!.categoryId,
      productCode: 'CT-0001',
      productName: '契約テスト商品',
      price: 1980,
      taxDivision: '0',
    });
    expect(created).toMatchObject({
      productCode: 'CT-0001',
      productName: '契約テスト商品',
      price: '1980',
    });
    expect(created.productId).toMatch(/^\d+$/);

    const updated = await api.pos.products.update(created.productId, {
      price: '2180',
      color: '紺',
    });
    expect(updated).toMatchObject({ productId: created.productId, price: '2180', color: '紺' });
    expect(await api.pos.products.get(created.productId)).toMatchObject({ price: '2180' });

    const byCode = await api.pos.products.list({ productCode: 'CT-0001' });
    expect(byCode.map((p) => p.productId)).toEqual([created.productId]);

    const missing = await caught(api.pos.products.get('999999999'));
    expect(missing).toMatchObject({
      kind: 'not_found',
      status: 404,
      operation: 'pos.products.get',
    });
    expect(missing.problem).toMatchObject({ title: 'NotFound', status: 404 });

    // A duplicate product code is refused by the server with a detail (400).
    const duplicate = await caught(
      api.pos.products.create({
        categoryId: category!.categoryId,
        productCode: 'CT-0001',
        productName: 'dup',
        price: 1,
      }),
    );
    // A taken code is its own kind (decided by the client, docs/smaregi-wire.md §5.3).
    expect(duplicate.kind).toBe('already_registered');
    expect(duplicate.status).toBe(400);
    expect(duplicate.problem?.detail).toBeTruthy();
  });

  it('creates a category', async () => {
    const category = await api.pos.categories.create({
      categoryCode: 'CT9',
      categoryName: '契約テスト部門',
      taxDivision: '0',
    });
    expect(category).toMatchObject({ categoryCode: 'CT9', categoryName: '契約テスト部門' });
  });

  it('iterates every product to the end, 1000 per page', async () => {
    h.sim.control.seedProducts({ count: 2_345, codePrefix: 'PG' });
    const expected = h.sim.control.summary(DEMO_CONTRACT_ID);
    const before = h.apiJournal('/pos/products').length;
    const seen = new Set<string>();
    for await (const product of api.pos.products.iterate()) seen.add(product.productId);
    const pageCalls = h.apiJournal('/pos/products').slice(before);
    expect(seen.size).toBe(expected.products);
    expect(seen.size).toBeGreaterThanOrEqual(2_345);
    expect(pageCalls).toHaveLength(Math.floor(seen.size / 1000) + 1);

    // Small pages and a filter: the same walk with limit 500 over one category.
    const [category] = await api.pos.categories.list({ limit: 1 });
    let count = 0;
    for await (const product of api.pos.products.iterate(
      { categoryId: category!.categoryId },
      { limit: 500, prefetch: true },
    )) {
      expect(product.categoryId).toBe(category!.categoryId);
      count++;
    }
    expect(count).toBeGreaterThan(0);
  });
});

describe('POS stock, stores and payment methods', () => {
  it('sets, adds and lists stock; the bulk calls are accepted', async () => {
    const [product] = await api.pos.products.list({ limit: 1 });
    const productId = product!.productId;
    const set = await api.pos.stock.set(productId, {
      storeId: DEMO_STORE_IDS.shibuya,
      stockAmount: 20,
      stockHistory: { memo: '契約テスト' },
    });
    expect(set).toMatchObject({ productId, storeId: DEMO_STORE_IDS.shibuya, stockAmount: '20' });
    const added = await api.pos.stock.add(productId, {
      storeId: DEMO_STORE_IDS.shibuya,
      stockAmount: -3,
    });
    expect(added.stockAmount).toBe('17');
    const rows = await api.pos.stock.list({ productId, storeId: DEMO_STORE_IDS.shibuya });
    expect(rows).toEqual([
      expect.objectContaining({ productId, storeId: DEMO_STORE_IDS.shibuya, stockAmount: '17' }),
    ]);

    let iterated = 0;
    for await (const row of api.pos.stock.iterate({ storeId: DEMO_STORE_IDS.shibuya })) {
      expect(row.storeId).toBe(DEMO_STORE_IDS.shibuya);
      iterated++;
    }
    expect(iterated).toBeGreaterThan(0);

    const accepted = await api.pos.stock.bulkSet({
      stock: [{ productId, storeId: DEMO_STORE_IDS.kichijoji, stockAmount: 5 }],
      callbackUrl: 'http://127.0.0.1:9/callback',
    });
    expect(accepted.requestId).toMatch(/\S/);
    const acceptedAdd = await api.pos.stock.bulkAdd({
      stock: [{ productId, storeId: DEMO_STORE_IDS.kichijoji, stockAmount: 2 }],
      callbackUrl: 'http://127.0.0.1:9/callback',
    });
    expect(acceptedAdd.requestId).toMatch(/\S/);

    const tooMuch = await caught(
      api.pos.stock.add(productId, { storeId: DEMO_STORE_IDS.shibuya, stockAmount: 1_999_999_998 }),
    );
    expect(tooMuch).toMatchObject({ kind: 'invalid_request', status: 400 });
  });

  it('lists and gets stores (POS stores and the warehouse, not 受注店舗)', async () => {
    const stores = await api.pos.stores.list();
    expect(stores.map((s) => s.storeId)).toEqual(
      expect.arrayContaining([DEMO_STORE_IDS.shibuya, DEMO_STORE_IDS.warehouse]),
    );
    expect(stores.map((s) => s.storeId)).not.toContain(DEMO_STORE_IDS.orderStoreIncluded);
    expect(await api.pos.stores.get(DEMO_STORE_IDS.warehouse)).toMatchObject({ division: '2' });
    const warehouses = await api.pos.stores.list({ division: '2' });
    expect(warehouses.every((s) => s.division === '2')).toBe(true);
  });

  it('lists and gets payment methods', async () => {
    const methods = await api.pos.paymentMethods.list();
    expect(methods.length).toBeGreaterThan(0);
    expect(await api.pos.paymentMethods.get(methods[0]!.paymentMethodId)).toMatchObject({
      paymentMethodName: methods[0]!.paymentMethodName,
    });
  });
});

describe('受注管理 (modeled)', () => {
  it('lists, gets and registers 受注店舗; a POS store ID is rejected', async () => {
    const stores = await api.orderShipment.stores.list();
    const byCode = await api.orderShipment.stores.list({ storeCode: 'EC001' });
    expect(byCode.map((st) => st.storeCode)).toEqual(['EC001']);
    expect(stores.map((s) => s.storeId)).toEqual(
      expect.arrayContaining([
        DEMO_STORE_IDS.orderStoreIncluded,
        DEMO_STORE_IDS.orderStoreExcluded,
      ]),
    );
    expect(await api.orderShipment.stores.get(DEMO_STORE_IDS.orderStoreIncluded)).toMatchObject({
      sellDivision: 'included',
      stockStoreId: DEMO_STORE_IDS.warehouse,
    });
    const registered = await api.orderShipment.stores.register({
      storeCode: 'CT-EC',
      storeName: '契約テスト受注店舗',
      sellDivision: 'excluded',
      sumDateChangeTime: '23:59',
      stockStoreId: DEMO_STORE_IDS.warehouse,
      autoAllocation: false,
    });
    expect(registered).toMatchObject({
      storeCode: 'CT-EC',
      sellDivision: 'excluded',
      autoAllocation: false,
    });
    const posStore = await caught(api.orderShipment.stores.get(DEMO_STORE_IDS.shibuya));
    expect(posStore).toMatchObject({ kind: 'invalid_request', status: 400 });
    expect(posStore.problem?.detail).toBe('指定された店舗は受注店舗ではありません');
  });

  it('registers, finds, allocates, bulk-ships and cancels orders', async () => {
    const storeId = DEMO_STORE_IDS.orderStoreIncluded;
    const [product] = await api.pos.products.list({ limit: 1 });
    await api.pos.stock.set(product!.productId, {
      storeId: DEMO_STORE_IDS.warehouse,
      stockAmount: 100,
    });

    const register = (orderCode: string) =>
      api.orderShipment.orders.register({
        storeId,
        orderCode,
        orderDateTime: '2026-11-20T10:00:00+09:00',
        carriage: 500,
        totalPointDiscount: 100,
        total: 3_000 * 2 + 500 - 100,
        details: [
          {
            productId: product!.productId,
            productCode: product!.productCode,
            productName: product!.productName,
            salesPrice: 3_000,
            quantity: 2,
          },
        ],
      });
    const order = await register('CT-ORDER-1');
    expect(order).toMatchObject({
      orderCode: 'CT-ORDER-1',
      storeId,
      status: 'received',
      allocationStatus: 'unallocated',
      total: 6_400,
    });
    expect(order.details[0]).toMatchObject({ quantity: 2, allocatedQuantity: 0 });

    const duplicate = await caught(register('CT-ORDER-1'));
    expect(duplicate.kind).toBe('already_registered');
    expect(duplicate.problem?.detail).toContain(`orderHeadId: ${order.orderHeadId}`);

    expect(await api.orderShipment.orders.findByOrderCode(storeId, 'CT-ORDER-1')).toMatchObject({
      orderHeadId: order.orderHeadId,
    });
    expect(await api.orderShipment.orders.findByOrderCode(storeId, 'CT-NOPE')).toBeUndefined();
    expect(await api.orderShipment.orders.get(order.orderHeadId)).toMatchObject({
      orderCode: 'CT-ORDER-1',
    });

    const allocated = await api.orderShipment.orders.allocate(order.orderHeadId);
    expect(allocated).toMatchObject({ status: 'allocated', allocationStatus: 'allocated' });
    const stock = await api.orderShipment.stock.list({
      storeId: DEMO_STORE_IDS.warehouse,
      productId: product!.productId,
    });
    expect(stock).toEqual([
      expect.objectContaining({
        productId: product!.productId,
        stockAmount: '100',
        allocatedAmount: '2',
      }),
    ]);

    const second = await register('CT-ORDER-2');
    expect(await api.orderShipment.orders.findByOrderCode(storeId, 'CT-ORDER-2')).toMatchObject({
      orderHeadId: second.orderHeadId,
    });
    const shipped = await api.orderShipment.orders.bulkShip({
      orders: [
        {
          orderHeadId: order.orderHeadId,
          shippingDate: '2026-11-21',
          slipNumber: '1234-5678-9012',
        },
        { orderHeadId: second.orderHeadId, shippingDate: '2026-11-21' },
      ],
    });
    expect(shipped).toEqual([
      expect.objectContaining({ orderHeadId: order.orderHeadId, result: 'shipped' }),
      expect.objectContaining({ orderHeadId: second.orderHeadId, result: 'error' }),
    ]);
    expect(await api.orderShipment.orders.get(order.orderHeadId)).toMatchObject({
      status: 'shipped',
      shippingDate: '2026-11-21',
    });

    const canceled = await api.orderShipment.orders.cancel(second.orderHeadId);
    expect(canceled.status).toBe('canceled');
    const again = await caught(api.orderShipment.orders.cancel(second.orderHeadId));
    expect(again).toMatchObject({ kind: 'invalid_request', status: 400 });

    const listed = await api.orderShipment.orders.list({ storeId, status: 'canceled' });
    expect(listed.map((o) => o.orderHeadId)).toContain(second.orderHeadId);
    const all: string[] = [];
    for await (const o of api.orderShipment.orders.iterate({ storeId }, { limit: 1 }))
      all.push(o.orderCode);
    expect(all).toEqual(expect.arrayContaining(['CT-ORDER-1', 'CT-ORDER-2']));
    let rows = 0;
    for await (const row of api.orderShipment.stock.iterate({
      storeId: DEMO_STORE_IDS.warehouse,
    })) {
      expect(row.storeId).toBe(DEMO_STORE_IDS.warehouse);
      rows++;
    }
    expect(rows).toBeGreaterThan(0);
  });

  it('cancel releases the allocation; a shipped order is refused as problem+json, unchanged', async () => {
    const storeId = DEMO_STORE_IDS.orderStoreIncluded;
    const [, product] = await api.pos.products.list({ limit: 2 });
    await api.pos.stock.set(product!.productId, {
      storeId: DEMO_STORE_IDS.warehouse,
      stockAmount: 50,
    });
    const held = async () =>
      Number(
        (
          await api.orderShipment.stock.list({
            storeId: DEMO_STORE_IDS.warehouse,
            productId: product!.productId,
          })
        )[0]?.allocatedAmount ?? '0',
      );
    const register = (orderCode: string) =>
      api.orderShipment.orders.register({
        storeId,
        orderCode,
        orderDateTime: '2026-11-22T10:00:00+09:00',
        total: 1_000 * 3,
        details: [{ productId: product!.productId, salesPrice: 1_000, quantity: 3 }],
      });

    const toCancel = await register('CT-CANCEL-1');
    await api.orderShipment.orders.allocate(toCancel.orderHeadId);
    const before = await held();
    const canceled = await api.orderShipment.orders.cancel(toCancel.orderHeadId);
    expect(canceled).toMatchObject({ status: 'canceled', allocationStatus: 'unallocated' });
    expect(canceled.details[0]).toMatchObject({ allocatedQuantity: 0 });
    expect(await held()).toBe(before - 3);

    const toShip = await register('CT-CANCEL-2');
    await api.orderShipment.orders.allocate(toShip.orderHeadId);
    await api.orderShipment.orders.bulkShip({
      orders: [{ orderHeadId: toShip.orderHeadId, shippingDate: '2026-11-23' }],
    });
    const refused = await caught(api.orderShipment.orders.cancel(toShip.orderHeadId));
    // The shape of every other refusal (e.g. a POS store ID as 受注店舗 above).
    expect(refused).toMatchObject({
      kind: 'invalid_request',
      status: 400,
      operation: 'orderShipment.orders.cancel',
    });
    expect(refused.problem).toMatchObject({
      title: 'Bad Request',
      status: 400,
      detail: '出荷済みの受注はキャンセルできません',
    });
    expect(await api.orderShipment.orders.get(toShip.orderHeadId)).toMatchObject({
      status: 'shipped',
    });
  });
});
