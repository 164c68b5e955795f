import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_STORE_IDS, type RunningSimulator } from '../src/index.js';
import { api, appToken, start, startReceiver, type Receiver } from './helpers.js';

describe('webhooks and POS activity emulation', () => {
  let sim: RunningSimulator;
  let hooks: Receiver;
  let token: string;
  beforeAll(async () => {
    hooks = await startReceiver();
    sim = await start({
      seed: 'hooks',
      webhook: {
        url: `${hooks.url}/hooks`,
        secretHeaderName: 'X-Renkei-Webhook-Secret',
        secretHeaderValue: 'secret-1',
      },
      appSubscriptionUrl: `${hooks.url}/app-subscription`,
    });
    token = await appToken(sim);
  });
  afterAll(async () => {
    await sim.close();
    await hooks.close();
  });
  beforeEach(async () => {
    await sim.control.flush({ now: true });
    sim.control.setWebhookBehaviour({});
    sim.control.clearWebhookDeliveries();
    hooks.received.length = 0;
    hooks.status = 200;
  });

  it('a POS sale lowers store stock and sends pos:transactions and pos:stock', async () => {
    const before = sim.control.stock(DEMO_STORE_IDS.shibuya, '8000001')!.stockAmount;
    const sale = sim.control.posSale({
      storeId: DEMO_STORE_IDS.shibuya,
      lines: [{ productId: '8000001', quantity: 2 }],
    });
    expect(sim.control.stock(DEMO_STORE_IDS.shibuya, '8000001')!.stockAmount).toBe(before - 2);
    await sim.control.flush();
    expect(hooks.received.map((r) => r.headers['smaregi-event'])).toEqual([
      'pos:transactions',
      'pos:stock',
    ]);
    expect(hooks.received[0]!.body).toEqual({
      contractId: 'sb_renkei_demo',
      event: 'pos:transactions',
      action: 'created',
      transactionHeadIds: [sale.transactionHeadId],
    });
    expect(hooks.received[1]!.body).toEqual({
      contractId: 'sb_renkei_demo',
      event: 'pos:stock',
      action: 'edited',
      ids: [
        {
          id: sale.stockChanges[0]!.historyId,
          productId: '8000001',
          storeId: DEMO_STORE_IDS.shibuya,
        },
      ],
    });
    // The API shows the new amount.
    const rows = await api<{ stockAmount: string }[]>(
      sim,
      token,
      'GET',
      `/pos/stock?store_id=${DEMO_STORE_IDS.shibuya}&product_id=8000001`,
    );
    expect(rows.body[0]!.stockAmount).toBe(String(before - 2));
  });

  it('emulated register activity makes sales on its own until stopped', async () => {
    sim.control.startPosActivity({ intervalMs: 50 });
    const deadline = Date.now() + 5000;
    while (
      hooks.received.filter((r) => r.headers['smaregi-event'] === 'pos:transactions').length < 3 &&
      Date.now() < deadline
    ) {
      await sim.control.flush();
      await new Promise((r) => setTimeout(r, 20));
    }
    sim.control.stopPosActivity();
    await sim.control.flush();
    const sales = hooks.received.filter(
      (r) => r.headers['smaregi-event'] === 'pos:transactions',
    ).length;
    expect(sales).toBeGreaterThanOrEqual(3);
    await new Promise((r) => setTimeout(r, 120));
    await sim.control.flush();
    expect(
      hooks.received.filter((r) => r.headers['smaregi-event'] === 'pos:transactions').length,
    ).toBe(sales);
    expect(() => sim.control.startPosActivity({ intervalMs: 1 })).toThrow('intervalMs');
  });

  it('a stock adjustment (relative or absolute) sends pos:stock; bad input is refused', async () => {
    sim.control.adjustStock({
      storeId: DEMO_STORE_IDS.kichijoji,
      productId: '8000002',
      stockAmount: 9,
    });
    sim.control.adjustStock({
      storeId: DEMO_STORE_IDS.kichijoji,
      productId: '8000002',
      amount: -4,
    });
    expect(sim.control.stock(DEMO_STORE_IDS.kichijoji, '8000002')!.stockAmount).toBe(5);
    await sim.control.flush();
    expect(hooks.received.filter((r) => r.headers['smaregi-event'] === 'pos:stock')).toHaveLength(
      2,
    );
    expect(() =>
      sim.control.adjustStock({
        storeId: DEMO_STORE_IDS.orderStoreIncluded,
        productId: '8000002',
        amount: 1,
      }),
    ).toThrow('POS店舗');
    expect(() => sim.control.adjustStock({ storeId: '1', productId: '8000002' })).toThrow();
    expect(() =>
      sim.control.posSale({ storeId: '1', lines: [{ productId: '1', quantity: 1 }] }),
    ).toThrow('商品');
  });

  it('pos:products on create and update, with IDs only', async () => {
    const created = await api<{ productId: string }>(sim, token, 'POST', '/pos/products', {
      categoryId: '1',
      productCode: 'HOOK-1',
      productName: 'フック',
      price: '10',
    });
    await api(sim, token, 'PATCH', `/pos/products/${created.body.productId}`, { price: '20' });
    await sim.control.flush();
    expect(hooks.received.map((r) => r.body)).toEqual([
      {
        contractId: 'sb_renkei_demo',
        event: 'pos:products',
        action: 'created',
        productIds: [created.body.productId],
      },
      {
        contractId: 'sb_renkei_demo',
        event: 'pos:products',
        action: 'edited',
        productIds: [created.body.productId],
      },
    ]);
  });

  it('app subscription notices on start and end go to the 利用者契約通知先URL, without secret or event ID', async () => {
    sim.control.addContract({ contractId: 'sb_newcomer' });
    sim.control.uninstallApp({ contractId: 'sb_newcomer' });
    await sim.control.flush();
    expect(hooks.received.map((r) => r.path)).toEqual(['/app-subscription', '/app-subscription']);
    for (const r of hooks.received) {
      expect(r.headers['x-renkei-webhook-secret']).toBeUndefined();
      expect(r.headers['smaregi-event-id']).toBeUndefined();
    }
    const bodies = hooks.received.map((r) => r.body);
    expect(bodies.map((b) => [b.event, b.action, b.contractId])).toEqual([
      ['AppSubscription', 'start', 'sb_newcomer'],
      ['AppSubscription', 'end', 'sb_newcomer'],
    ]);
    expect(bodies[0]).toMatchObject({
      clientId: 'renkei-demo-client',
      date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) as unknown,
    });
    expect(hooks.received[0]!.headers['smaregi-contract-id']).toBe('sb_newcomer');
  });

  it('app subscription notices are not sent to the webhook endpoint when no notice URL is set', async () => {
    sim.control.setAppSubscriptionUrl(null);
    try {
      sim.control.sendAppSubscription({ action: 'change-plan' });
      await sim.control.flush();
      expect(hooks.received).toHaveLength(0);
      expect(sim.control.webhookDeliveries()[0]).toMatchObject({
        event: 'AppSubscription',
        url: null,
        error: '利用者契約通知先URLが設定されていません',
      });
    } finally {
      sim.control.setAppSubscriptionUrl(`${hooks.url}/app-subscription`);
    }
  });

  it('failures are recorded, not retried', async () => {
    hooks.status = 500;
    sim.control.adjustStock({ storeId: '1', productId: '8000003', amount: 1 });
    await sim.control.flush();
    expect(hooks.received).toHaveLength(1);
    const [delivery] = sim.control.webhookDeliveries();
    expect(delivery).toMatchObject({ event: 'pos:stock', status: 500 });
    expect(delivery!.error).toContain('500');
  });

  it('duplicates keep the same Smaregi-Event-Id', async () => {
    sim.control.setWebhookBehaviour({ duplicateRate: 1 });
    sim.control.adjustStock({ storeId: '1', productId: '8000003', amount: 1 });
    await sim.control.flush();
    expect(hooks.received).toHaveLength(2);
    expect(hooks.received[0]!.headers['smaregi-event-id']).toBe(
      hooks.received[1]!.headers['smaregi-event-id'],
    );
    expect(sim.control.webhookDeliveries().map((d) => d.duplicate)).toEqual([false, true]);
  });

  it('dropped webhooks are never sent but recorded', async () => {
    sim.control.setWebhookBehaviour({ dropRate: 1 });
    sim.control.adjustStock({ storeId: '1', productId: '8000003', amount: 1 });
    await sim.control.flush();
    expect(hooks.received).toHaveLength(0);
    expect(sim.control.webhookDeliveries()).toMatchObject([{ dropped: true, status: null }]);
  });

  it('delayed and shuffled: held events arrive later in a seeded order', async () => {
    sim.control.setWebhookBehaviour({ delayMs: 60_000, shuffle: true });
    for (let i = 0; i < 8; i++)
      sim.control.adjustStock({ storeId: '1', productId: '8000004', amount: 1, memo: `n${i}` });
    await new Promise((r) => setTimeout(r, 30));
    expect(hooks.received).toHaveLength(0);
    await sim.control.flush({ now: true });
    expect(hooks.received).toHaveLength(8);
    const ids = hooks.received.map((r) => Number((r.body.ids as { id: string }[])[0]!.id));
    const inOrder = [...ids].sort((a, b) => a - b);
    expect(ids).not.toEqual(inOrder);
    // Every event arrived once: the eight consecutive history IDs of the adjustments.
    expect(inOrder).toEqual(Array.from({ length: 8 }, (_, i) => inOrder[0]! + i));
  });

  it('events outside the subscription are not sent', async () => {
    sim.control.setWebhookEndpoint({
      url: `${hooks.url}/hooks`,
      secretHeaderName: 'X-Renkei-Webhook-Secret',
      secretHeaderValue: 'secret-1',
      events: ['order-shipment:orders'],
    });
    sim.control.adjustStock({ storeId: '1', productId: '8000003', amount: 1 });
    await sim.control.flush();
    expect(hooks.received).toHaveLength(0);
    sim.control.setWebhookEndpoint({
      url: `${hooks.url}/hooks`,
      secretHeaderName: 'X-Renkei-Webhook-Secret',
      secretHeaderValue: 'secret-1',
    });
  });
});

describe('operational log', () => {
  it('reports each webhook delivery and failure to the log option', async () => {
    const lines: string[] = [];
    const hooks = await startReceiver();
    const sim = await start({
      log: (m) => lines.push(m),
      webhook: { url: hooks.url, secretHeaderName: 'X-S', secretHeaderValue: 'v' },
    });
    sim.control.adjustStock({ storeId: '1', productId: '8000001', amount: 1 });
    await sim.control.flush();
    hooks.status = 503;
    sim.control.adjustStock({ storeId: '1', productId: '8000001', amount: 1 });
    await sim.control.flush();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^webhook pos:stock .* 200$/);
    expect(lines[1]).toContain('失敗');
    await sim.close();
    await hooks.close();
  });
});
