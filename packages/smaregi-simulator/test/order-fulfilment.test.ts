import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_STORE_IDS, type Order, type RunningSimulator } from '../src/index.js';
import { api, appToken, start, startReceiver, type Problem, type Receiver } from './helpers.js';

const W = DEMO_STORE_IDS.warehouse;

describe('受注管理 (modeled): allocation, bulk shipping, cancel, allocation-aware stock', () => {
  let sim: RunningSimulator;
  let token: string;
  let hooks: Receiver;
  let seq = 0;
  beforeAll(async () => {
    hooks = await startReceiver();
    sim = await start({
      webhook: { url: hooks.url, secretHeaderName: 'X-Secret', secretHeaderValue: 'v' },
    });
    token = await appToken(sim);
  });
  afterAll(async () => {
    await sim.close();
    await hooks.close();
  });
  beforeEach(async () => {
    await sim.control.flush();
    hooks.received.length = 0;
  });

  async function register(
    storeId: string,
    lines: { productId: string; quantity: number }[],
  ): Promise<Order> {
    const details = lines.map((l) => ({
      productId: l.productId,
      salesPrice: 1000,
      quantity: l.quantity,
    }));
    const total = details.reduce((s, d) => s + d.salesPrice * d.quantity, 0);
    const res = await api<Order>(sim, token, 'POST', '/order-shipment/orders', {
      storeId,
      orderCode: `F-${++seq}`,
      orderDateTime: '2026-11-28T09:00:00+09:00',
      total,
      details,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  }

  it('allocates whole lines first come first served from the linked warehouse', async () => {
    sim.control.adjustStock({ storeId: W, productId: '8000010', stockAmount: 5 });
    sim.control.adjustStock({ storeId: W, productId: '8000011', stockAmount: 1 });
    const a = await register(DEMO_STORE_IDS.orderStoreIncluded, [
      { productId: '8000010', quantity: 3 },
    ]);
    const b = await register(DEMO_STORE_IDS.orderStoreIncluded, [
      { productId: '8000010', quantity: 3 },
      { productId: '8000011', quantity: 1 },
    ]);
    expect(a.allocationStatus).toBe('unallocated');

    const allocA = await api<Order>(
      sim,
      token,
      'POST',
      `/order-shipment/orders/${a.orderHeadId}/allocation`,
    );
    expect(allocA.status).toBe(200);
    expect(allocA.body).toMatchObject({ status: 'allocated', allocationStatus: 'allocated' });
    expect(allocA.body.details[0]!.allocatedQuantity).toBe(3);

    // Only 2 of 8000010 remain free: b's first line cannot be allocated, its second can.
    const allocB = await api<Order>(
      sim,
      token,
      'POST',
      `/order-shipment/orders/${b.orderHeadId}/allocation`,
    );
    expect(allocB.body).toMatchObject({ status: 'received', allocationStatus: 'partial' });
    expect(allocB.body.details.map((d) => d.allocatedQuantity)).toEqual([0, 1]);

    const stock = await api<
      { productId: string; storeId: string; stockAmount: string; allocatedAmount: string }[]
    >(sim, token, 'GET', `/order-shipment/stock?store_id=${W}&product_id=8000010`);
    expect(stock.body).toEqual([
      { productId: '8000010', storeId: W, stockAmount: '5', allocatedAmount: '3' },
    ]);

    // New stock arrives; allocating again completes b.
    sim.control.adjustStock({ storeId: W, productId: '8000010', amount: 10 });
    const again = await api<Order>(
      sim,
      token,
      'POST',
      `/order-shipment/orders/${b.orderHeadId}/allocation`,
    );
    expect(again.body).toMatchObject({ status: 'allocated', allocationStatus: 'allocated' });
    expect(sim.control.stock(W, '8000010')!.allocatedAmount).toBe(6);
  });

  it('a store with autoAllocation allocates at registration', async () => {
    sim.control.adjustStock({ storeId: W, productId: '8000020', stockAmount: 2 });
    const o = await register(DEMO_STORE_IDS.orderStoreExcluded, [
      { productId: '8000020', quantity: 2 },
    ]);
    expect(o).toMatchObject({ status: 'allocated', allocationStatus: 'allocated' });
    const short = await register(DEMO_STORE_IDS.orderStoreExcluded, [
      { productId: '8000020', quantity: 1 },
    ]);
    expect(short).toMatchObject({ status: 'received', allocationStatus: 'unallocated' });
  });

  it('refuses allocation for a store without stockStoreId', async () => {
    const store = await api<{ storeId: string }>(sim, token, 'POST', '/order-shipment/stores', {
      storeCode: 'NOLINK',
      storeName: '未連携店',
      sellDivision: 'included',
    });
    const o = await register(store.body.storeId, [{ productId: '8000030', quantity: 1 }]);
    const res = await api<Problem>(
      sim,
      token,
      'POST',
      `/order-shipment/orders/${o.orderHeadId}/allocation`,
    );
    expect(res.status).toBe(400);
    expect(res.body.detail).toContain('stockStoreId');
  });

  it('bulk shipping: per-order results; stock leaves the warehouse; pos:stock and shipped webhooks', async () => {
    sim.control.adjustStock({ storeId: W, productId: '8000040', stockAmount: 10 });
    const ready = await register(DEMO_STORE_IDS.orderStoreIncluded, [
      { productId: '8000040', quantity: 4 },
    ]);
    await api(sim, token, 'POST', `/order-shipment/orders/${ready.orderHeadId}/allocation`);
    const notAllocated = await register(DEMO_STORE_IDS.orderStoreIncluded, [
      { productId: '8000040', quantity: 1 },
    ]);
    await sim.control.flush();
    hooks.received.length = 0;

    const res = await api<{ orderHeadId: string; result: string; detail?: string }[]>(
      sim,
      token,
      'POST',
      '/order-shipment/orders/shipping/bulk',
      {
        orders: [
          {
            orderHeadId: ready.orderHeadId,
            shippingDate: '2026-11-29',
            slipNumber: '1234-5678-9012',
          },
          { orderHeadId: notAllocated.orderHeadId, shippingDate: '2026-11-29' },
          { orderHeadId: '999999', shippingDate: '2026-11-29' },
        ],
      },
    );
    expect(res.status).toBe(200);
    expect(res.body.map((r) => r.result)).toEqual(['shipped', 'error', 'error']);
    expect(res.body[1]!.detail).toContain('在庫引当');
    expect(res.body[0]).toEqual({ orderHeadId: ready.orderHeadId, result: 'shipped' });

    expect(sim.control.stock(W, '8000040')).toMatchObject({ stockAmount: 6, allocatedAmount: 0 });
    const shipped = sim.control.order(ready.orderHeadId)!;
    expect(shipped).toMatchObject({
      status: 'shipped',
      shippingDate: '2026-11-29',
      slipNumber: '1234-5678-9012',
    });

    await sim.control.flush();
    const events = hooks.received.map((r) => r.body);
    expect(events).toContainEqual({
      contractId: 'sb_renkei_demo',
      event: 'order-shipment:orders',
      action: 'shipped',
      storeId: DEMO_STORE_IDS.orderStoreIncluded,
      orderHeadIds: [ready.orderHeadId],
    });
    expect(events.find((e) => e.event === 'pos:stock')).toMatchObject({
      action: 'edited',
      ids: [{ productId: '8000040', storeId: W }],
    });

    const twice = await api<{ result: string; detail: string }[]>(
      sim,
      token,
      'POST',
      '/order-shipment/orders/shipping/bulk',
      {
        orders: [{ orderHeadId: ready.orderHeadId, shippingDate: '2026-11-29' }],
      },
    );
    expect(twice.body[0]).toMatchObject({ result: 'error', detail: '既に出荷済みです' });
  });

  it.each([
    [{ orders: [] }, 'orders'],
    [
      {
        orders: Array.from({ length: 101 }, (_, i) => ({
          orderHeadId: String(i + 1),
          shippingDate: '2026-11-29',
        })),
      },
      'orders',
    ],
    [{ orders: [{ orderHeadId: '1' }] }, 'shippingDate'],
    [{ orders: [{ orderHeadId: '1', shippingDate: '2026/11/29' }] }, 'shippingDate'],
  ])('bulk shipping refuses %#', async (body, name) => {
    const res = await api<Problem>(
      sim,
      token,
      'POST',
      '/order-shipment/orders/shipping/bulk',
      body,
    );
    expect(res.status).toBe(400);
    expect(res.body.detail).toContain(name);
  });

  it('cancel releases the allocation and sends canceled; cancelling twice or after shipping is refused', async () => {
    sim.control.adjustStock({ storeId: W, productId: '8000050', stockAmount: 3 });
    const o = await register(DEMO_STORE_IDS.orderStoreIncluded, [
      { productId: '8000050', quantity: 3 },
    ]);
    await api(sim, token, 'POST', `/order-shipment/orders/${o.orderHeadId}/allocation`);
    expect(sim.control.stock(W, '8000050')!.allocatedAmount).toBe(3);
    await sim.control.flush();
    hooks.received.length = 0;
    const res = await api<Order>(
      sim,
      token,
      'POST',
      `/order-shipment/orders/${o.orderHeadId}/cancel`,
    );
    expect(res.body).toMatchObject({ status: 'canceled', allocationStatus: 'unallocated' });
    expect(sim.control.stock(W, '8000050')).toMatchObject({ stockAmount: 3, allocatedAmount: 0 });
    await sim.control.flush();
    expect(hooks.received.map((r) => r.body)).toEqual([
      {
        contractId: 'sb_renkei_demo',
        event: 'order-shipment:orders',
        action: 'canceled',
        storeId: DEMO_STORE_IDS.orderStoreIncluded,
        orderHeadIds: [o.orderHeadId],
      },
    ]);
    expect(
      (await api<Problem>(sim, token, 'POST', `/order-shipment/orders/${o.orderHeadId}/cancel`))
        .body.detail,
    ).toContain('キャンセル済み');
    expect(
      (await api(sim, token, 'POST', `/order-shipment/orders/${o.orderHeadId}/allocation`)).status,
    ).toBe(400);
    const shippedOne = sim.control.orders().find((x) => x.status === 'shipped')!;
    expect(
      (
        await api<Problem>(
          sim,
          token,
          'POST',
          `/order-shipment/orders/${shippedOne.orderHeadId}/cancel`,
        )
      ).body.detail,
    ).toContain('出荷済み');
  });

  it('lists and gets orders with filters and sorting', async () => {
    const all = await api<Order[]>(sim, token, 'GET', '/order-shipment/orders?limit=1000');
    const ids = all.body.map((o) => Number(o.orderHeadId));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const byCode = await api<Order[]>(sim, token, 'GET', '/order-shipment/orders?order_code=F-1');
    expect(byCode.body).toHaveLength(1);
    const canceled = await api<Order[]>(
      sim,
      token,
      'GET',
      '/order-shipment/orders?status=canceled',
    );
    expect(canceled.body.every((o) => o.status === 'canceled')).toBe(true);
    expect(canceled.body.length).toBeGreaterThan(0);
    const byStore = await api<Order[]>(
      sim,
      token,
      'GET',
      `/order-shipment/orders?store_id=${DEMO_STORE_IDS.orderStoreExcluded}&sort=orderHeadId:desc`,
    );
    expect(byStore.body.every((o) => o.storeId === DEMO_STORE_IDS.orderStoreExcluded)).toBe(true);
    expect(Number(byStore.body[0]!.orderHeadId)).toBeGreaterThan(
      Number(byStore.body[1]!.orderHeadId),
    );
    const page = await api<Order[]>(sim, token, 'GET', '/order-shipment/orders?limit=2&page=2');
    expect(page.body.map((o) => o.orderHeadId)).toEqual(
      all.body.slice(2, 4).map((o) => o.orderHeadId),
    );
    expect(
      (await api<Problem>(sim, token, 'GET', '/order-shipment/orders?status=pending')).status,
    ).toBe(400);
    const one = await api<Order>(
      sim,
      token,
      'GET',
      `/order-shipment/orders/${all.body[0]!.orderHeadId}`,
    );
    expect(one.body.orderCode).toBe(all.body[0]!.orderCode);
    expect((await api(sim, token, 'GET', '/order-shipment/orders/999999')).status).toBe(404);
  });
});
