/**
 * Finding an order by its code when the server does not filter as modeled (docs/smaregi-wire.md
 * §11): the simulator's quirk `ignoreOrderCodeFilter` makes `GET /order-shipment/orders` ignore
 * `order_code`, as the real API might. The lookup must still find the order, say "absent" only
 * when it has seen every candidate, and say "undecided" rather than guess.
 */
import { DEMO_STORE_IDS } from '@renkei/smaregi-simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SmaregiContract } from '../src/index.js';
import { caught, DEMO_CONTRACT_ID, startHarness, type Harness } from './helpers.js';

let h: Harness;
let api: SmaregiContract;
/** Every URL the client requested (the journal keeps paths without queries). */
const urls: URL[] = [];
const storeId = DEMO_STORE_IDS.orderStoreIncluded;
let productId: string;

async function register(orderCode: string, orderDateTime: string) {
  return api.orderShipment.orders.register({
    storeId,
    orderCode,
    orderDateTime,
    total: 100,
    details: [{ productId, salesPrice: 100, quantity: 1 }],
  });
}

beforeAll(async () => {
  h = await startHarness({ rateLimits: false });
  api = h
    .client({
      rateLimits: { readsPerSecond: 1000, writesPerSecond: 1000 },
      fetch: (input, init) => {
        urls.push(new URL(input.toString()));
        return fetch(input, init);
      },
    })
    .forContract(DEMO_CONTRACT_ID);
  productId = (await api.pos.products.list({ limit: 1 }))[0]!.productId;
  // 150 orders over two weeks: more than one page of 100, so a lookup that ignored paging or
  // took the first page's orders for all of them would miss the late ones.
  for (let i = 0; i < 150; i++) {
    const day = String(1 + (i % 14)).padStart(2, '0');
    await register(`LK-${i}`, `2026-11-${day}T12:00:00+09:00`);
  }
}, 60_000);
afterAll(() => h.close());

describe('lookupByOrderCode / findByOrderCode', () => {
  it('with the filter honoured: one request, found or absent', async () => {
    h.sim.control.setQuirks({ ignoreOrderCodeFilter: false });
    const before = h.apiJournal('/order-shipment/orders').length;
    expect(await api.orderShipment.orders.findByOrderCode(storeId, 'LK-149')).toMatchObject({
      orderCode: 'LK-149',
    });
    expect(await api.orderShipment.orders.lookupByOrderCode(storeId, 'LK-NONE')).toEqual({
      outcome: 'absent',
    });
    expect(h.apiJournal('/order-shipment/orders').length - before).toBe(2);
  });

  it('with the filter ignored: checks every returned code and pages within the order date', async () => {
    h.sim.control.setQuirks({ ignoreOrderCodeFilter: true });
    try {
      // LK-148 is on 2026-11-09; without the date range it is on the second page of 100.
      const found = await api.orderShipment.orders.lookupByOrderCode(storeId, 'LK-148', {
        orderDateTime: '2026-11-09T12:00:00+09:00',
      });
      expect(found).toMatchObject({ outcome: 'found', order: { orderCode: 'LK-148' } });
      const ranged = urls.filter((u) => u.searchParams.has('order_date_time-from'));
      expect(ranged.at(-1)?.searchParams.get('order_date_time-from')).toBe(
        '2026-11-08T00:00:00+09:00',
      );
      expect(ranged.at(-1)?.searchParams.get('order_date_time-to')).toBe(
        '2026-11-10T23:59:59+09:00',
      );

      // Without a date the whole store is read, to the end.
      expect(await api.orderShipment.orders.findByOrderCode(storeId, 'LK-148')).toMatchObject({
        orderCode: 'LK-148',
      });
      expect(
        await api.orderShipment.orders.lookupByOrderCode(storeId, 'LK-NONE', {
          orderDateTime: '2026-11-09T12:00:00+09:00',
        }),
      ).toEqual({ outcome: 'absent' });
    } finally {
      h.sim.control.setQuirks({ ignoreOrderCodeFilter: false });
    }
  });

  it('says undecided when it cannot read to the end, and findByOrderCode refuses to guess', async () => {
    h.sim.control.setQuirks({ ignoreOrderCodeFilter: true });
    try {
      const result = await api.orderShipment.orders.lookupByOrderCode(storeId, 'LK-NONE', {
        maxPages: 1,
      });
      expect(result).toMatchObject({ outcome: 'undecided' });
      const error = await caught(
        api.orderShipment.orders.findByOrderCode(storeId, 'LK-NONE', { maxPages: 1 }),
      );
      expect(error.kind).toBe('bad_response');
      expect(error.message).toContain('cannot tell');
    } finally {
      h.sim.control.setQuirks({ ignoreOrderCodeFilter: false });
    }
  });

  it('iterates 受注管理 lists 100 at a time', async () => {
    const codes: string[] = [];
    urls.length = 0;
    for await (const order of api.orderShipment.orders.iterate({ storeId }))
      codes.push(order.orderCode);
    expect(codes.filter((c) => c.startsWith('LK-'))).toHaveLength(150);
    const limits = urls.map((u) => u.searchParams.get('limit'));
    expect(limits).toEqual(['100', '100']);
  });
});
