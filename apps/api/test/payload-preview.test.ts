import {
  forkEm,
  ListedProduct,
  OperationLedger,
  orderRegistrationKey,
  PaymentMethod,
  sentRegistration,
  Shop,
  Tenant,
  tenantRepositories,
} from '@renkei/persistence';
import { orderRegistrationBody } from '@renkei/smaregi-client';
import { testDialects } from '@renkei/persistence/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  seedTenant,
  signedInCaller,
  validOrder,
  type SeededTenant,
  type TestApp,
} from './helpers.js';

type Caller = Awaited<ReturnType<typeof signedInCaller>>['caller'];

/*
 * The order page's payload preview through tRPC, on a real database: the payload Renkei would
 * send now with the current settings and mappings (each detail line with where it came from), or
 * every reason it cannot be sent, in both languages with where to fix it.
 */
describe.each(testDialects())('orders.payloadPreview (%s)', (dialect) => {
  let t: TestApp;
  let a: SeededTenant;
  let caller: Caller;

  const lines = [
    { productCode: 'TS-001', name: 'Tシャツ', unitPrice: 3300, quantity: 2 },
    { productCode: 'FLYER', name: 'チラシ', unitPrice: 0, quantity: 1, isEnclosure: true },
    { name: '手書きの商品', unitPrice: 1000, quantity: 1 },
  ];

  beforeAll(async () => {
    t = await createTestApp(dialect);
    a = await seedTenant(t.deps);
    ({ caller } = await signedInCaller(t.deps, a));
    const em = forkEm(t.deps.orm);
    const tenant = em.getReference(Tenant, a.tenantId);
    for (const [code, id] of [
      ['TS-001', '8000001'],
      ['FLYER', '8000010'],
      ['ADJ', '9000001'],
      ['DUMMY', '9000002'],
    ] as const)
      em.create(ListedProduct, {
        tenant,
        productCode: code,
        productCodeKey: code,
        name: code,
        smaregiProductId: id,
      });
    // Settings as saved from the settings screen (set here: saving checks the codes in Smaregi).
    await setSettings({
      adjustmentProductCode: 'ADJ',
      dummyProductCode: 'DUMMY',
      syncEnclosures: true,
    });
    await em.flush();
    await em.nativeUpdate(Shop, { id: a.shopId }, { orderStoreId: '1' });
  });
  afterAll(() => t.close());

  async function setSettings(values: Record<string, unknown>): Promise<void> {
    const em = forkEm(t.deps.orm);
    const repos = tenantRepositories(em, a.tenantId);
    const row = await repos.settings.get();
    if (row === null) repos.settings.create({ values, integrationEnabled: false });
    else row.values = { ...row.values, ...values };
    await em.flush();
  }

  const mapPayment = (smaregiPaymentMethodId: string | null) =>
    forkEm(t.deps.orm).nativeUpdate(
      PaymentMethod,
      { id: a.paymentMethodId },
      {
        smaregiPaymentMethodId,
      },
    );

  it('a held order gives its problems in the merchant’s words, with where to fix each', async () => {
    await mapPayment(null);
    const { order } = await caller.orders.create(
      validOrder(a, {
        orderNumber: 'HELD-1',
        lines: [...lines, { productCode: 'NOPE-9', name: '未登録', unitPrice: 100, quantity: 1 }],
      }) as never,
    );
    const preview = await caller.orders.payloadPreview({ id: order.id });
    if (preview.ok) throw new Error('expected the problems of a held order');
    expect(preview.outcome).toBe('waiting');
    expect(preview.problems.map((p) => [p.code, p.fixAt, p.lineNo])).toEqual([
      ['paymentMethodNotMapped', 'paymentMethods', null],
      ['productNotFound', 'products', 4],
    ]);
    // The payment method by its name, not Renkei's internal ID.
    expect(preview.problems[0]?.message.ja).toContain('クレジットカード');
    expect(preview.problems[0]?.message.ja).not.toContain(a.paymentMethodId);
    expect(preview.problems[1]?.message.en).toContain('NOPE-9');
  });

  it('a sendable order gives the payload, each line marked with where it came from', async () => {
    await mapPayment('3');
    const { order } = await caller.orders.create(
      validOrder(a, { orderNumber: 'OK-1', lines, adjustment: 500 }) as never,
    );
    const preview = await caller.orders.payloadPreview({ id: order.id });
    if (!preview.ok) throw new Error(preview.problems.map((p) => p.message.en).join('\n'));
    expect(preview.lines).toEqual([
      {
        productId: '8000001',
        productCode: 'TS-001',
        productName: 'Tシャツ',
        salesPrice: 3300,
        quantity: 2,
        source: 'line',
        lineNo: 1,
        isEnclosure: false,
      },
      {
        productId: '8000010',
        productCode: 'FLYER',
        productName: 'チラシ',
        salesPrice: 0,
        quantity: 1,
        source: 'enclosure',
        lineNo: 2,
        isEnclosure: true,
      },
      {
        productId: '9000002',
        productCode: 'DUMMY',
        productName: '手書きの商品',
        salesPrice: 1000,
        quantity: 1,
        source: 'dummyProduct',
        lineNo: 3,
        isEnclosure: false,
      },
      {
        productId: '9000001',
        productCode: 'ADJ',
        productName: '調整額',
        salesPrice: 500,
        quantity: 1,
        source: 'adjustment',
        lineNo: null,
        isEnclosure: false,
      },
    ]);
    expect(preview.header).toMatchObject({
      storeId: '1',
      orderCode: 'OK-1',
      paymentMethodId: '3',
      carriage: 550,
      totalPromotionDiscount: 0,
      total: 3300 * 2 + 1000 + 500 + 550,
    });
  });

  it('a negative adjustment is the promotion discount, and the preview follows the settings now', async () => {
    await mapPayment('3');
    const { order } = await caller.orders.create(
      validOrder(a, { orderNumber: 'OK-2', lines, adjustment: -300 }) as never,
    );
    const first = await caller.orders.payloadPreview({ id: order.id });
    expect(first.ok && first.header.totalPromotionDiscount).toBe(300);
    expect(first.ok && first.lines.map((l) => l.source)).toEqual([
      'line',
      'enclosure',
      'dummyProduct',
    ]);
    // 封入物 no longer synced: the next preview leaves the flyer out.
    await setSettings({ syncEnclosures: false });
    const next = await caller.orders.payloadPreview({ id: order.id });
    expect(next.ok && next.lines.map((l) => l.productCode)).toEqual(['TS-001', 'DUMMY']);
    expect(next.ok && next.header.total).toBe(3300 * 2 + 1000 + 550 - 300);
  });

  /**
   * What the worker does when it sends (apps/worker registration-plan.ts): the body of the
   * payload built now, recorded with the in-flight mark through the ledger, then the outcome.
   */
  async function send(orderId: string, outcome: 'succeeded' | 'failed' | 'handedBack') {
    const preview = await caller.orders.payloadPreview({ id: orderId });
    if (!preview.ok) throw new Error('expected a sendable order');
    const ledger = new OperationLedger(t.deps.orm, {
      clock: { now: () => Date.now() },
      leaseMs: 60_000,
      backoffMs: () => 0,
      holder: 'test',
    });
    const entry = await ledger.open(a.tenantId, 'registerOrder', orderRegistrationKey(orderId), {
      type: 'order',
      id: orderId,
    });
    const body = orderRegistrationBody({
      ...preview.header,
      details: preview.lines.map(
        ({ productId, productCode, productName, salesPrice, quantity }) => ({
          productId,
          productCode,
          productName,
          salesPrice,
          quantity,
        }),
      ),
    });
    const sources = preview.lines.map((l, i) =>
      l.source === 'adjustment'
        ? { kind: 'adjustment' as const }
        : { kind: l.source!, lineIndex: (l.lineNo ?? i + 1) - 1 },
    );
    const claim = await ledger.claim(entry, {
      storeId: body.storeId,
      orderCode: body.orderCode,
      sent: sentRegistration(body, sources, new Date('2026-12-01T01:02:03Z')),
    });
    if (claim === null) throw new Error('not claimed');
    if (outcome === 'handedBack') return ledger.handBack(claim, 'worker stopping: not sent');
    await forkEm(t.deps.orm).transactional((tx) =>
      outcome === 'succeeded'
        ? ledger.succeed(tx, claim, '5001').then(() => undefined)
        : ledger.fail(tx, claim, 'refused'),
    );
  }

  it('shows what was sent, labelled like the preview, and what differs from what would go now', async () => {
    await mapPayment('3');
    await setSettings({ syncEnclosures: true });
    const { order } = await caller.orders.create(
      validOrder(a, { orderNumber: 'SENT-1', lines, adjustment: -300 }) as never,
    );
    const before = await caller.orders.payloadPreview({ id: order.id });
    expect(before.sent).toBeNull();
    expect(before.differences).toBeNull();

    await send(order.id, 'succeeded');
    const same = await caller.orders.payloadPreview({ id: order.id });
    if (!same.ok || same.sent === null) throw new Error('expected what was sent');
    expect(same.sent.at).toBe('2026-12-01T01:02:03.000Z');
    expect(same.sent.outcome).toBe('registered');
    expect(same.sent.lines).toEqual(same.lines);
    expect(same.sent.header.totalPromotionDiscount).toBe(300);
    expect(same.differences).toEqual([]);

    // 封入物 no longer synced, payment method mapped elsewhere: what differs is named.
    await setSettings({ syncEnclosures: false });
    await mapPayment('4');
    const later = await caller.orders.payloadPreview({ id: order.id });
    if (!later.ok || later.sent === null) throw new Error('expected what was sent');
    expect(later.sent.lines.map((l) => [l.source, l.lineNo, l.productCode])).toEqual([
      ['line', 1, 'TS-001'],
      ['enclosure', 2, 'FLYER'],
      ['dummyProduct', 3, 'DUMMY'],
    ]);
    expect(later.differences?.map((d) => [d.field, d.line, d.sent, d.now])).toEqual([
      ['paymentMethodId', null, '3', '4'],
      ['productId', 2, '8000010', '9000002'],
      ['productCode', 2, 'FLYER', 'DUMMY'],
      ['productName', 2, 'チラシ', '手書きの商品'],
      ['salesPrice', 2, 0, 1000],
      ['line', 3, 'DUMMY', null],
    ]);
    await setSettings({ syncEnclosures: true });
  });

  it('a refused body is shown as refused; a body handed back unsent is not shown as sent', async () => {
    await mapPayment('3');
    const { order: refused } = await caller.orders.create(
      validOrder(a, { orderNumber: 'SENT-2', lines }) as never,
    );
    await send(refused.id, 'failed');
    const shown = await caller.orders.payloadPreview({ id: refused.id });
    expect(shown.sent?.outcome).toBe('refused');

    const { order: unsent } = await caller.orders.create(
      validOrder(a, { orderNumber: 'SENT-3', lines }) as never,
    );
    await send(unsent.id, 'handedBack');
    expect((await caller.orders.payloadPreview({ id: unsent.id })).sent).toBeNull();
  });
});
