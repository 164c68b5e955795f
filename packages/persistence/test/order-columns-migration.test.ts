import { afterEach, describe, expect, it } from 'vitest';
import { forkEm, tenantRepositories, toOmsOrder } from '../src/index.js';
import { testDialects } from '../src/testing.js';
import { schemaBefore, type SchemaBefore } from './support/schema-before.js';

/*
 * Migration20261130211000 drops the second copy of each order (the intake JSON and its hash).
 * A database made by the previous schema must come out with every order and line intact, read
 * back through `toOmsOrder`, and with a ship-to, delivery date or total that only the JSON held
 * copied into its column; the status the worker moved (newer than the JSON) is kept.
 */
const MIGRATION = 'Migration20261130211000';

describe.each(testDialects())('order columns migration (%s)', (dialect) => {
  let before: SchemaBefore | undefined;
  afterEach(async () => {
    await before?.close();
    before = undefined;
  });

  it('keeps every order and line and copies what only the intake JSON held', async () => {
    before = await schemaBefore(dialect, MIGRATION);
    const { insert, at } = before;
    const now = at('2026-11-01T00:00:00Z');
    const stamps = { created_at: now, updated_at: now };
    await insert('tenants', { id: 't-1', name: 'テスト商店', demo: false, created_at: now });
    await insert('shops', {
      id: 's-1',
      tenant_id: 't-1',
      name: '楽天市場店',
      mall_kind: 'rakuten',
      tax_mode: 'included',
      active: true,
      ...stamps,
    });
    await insert('payment_methods', {
      id: 'pm-1',
      tenant_id: 't-1',
      name: 'カード',
      active: true,
      ...stamps,
    });
    for (const [id, name] of [
      ['st-new', '新規受付'],
      ['st-ship', '出荷待ち'],
    ])
      await insert('order_statuses', {
        id,
        tenant_id: 't-1',
        name,
        category: 'open',
        active: true,
        ...stamps,
      });

    // What the intake accepted; the worker later moved the status (the JSON kept the old one).
    const intake = {
      shopId: 's-1',
      orderNumber: 'RT-1',
      orderedAt: '2026-11-01T10:00:00+09:00',
      paymentMethodId: 'pm-1',
      lines: [
        {
          productCode: 'TS-001',
          managementNumber: null,
          name: 'Tシャツ',
          unitPrice: 2000,
          quantity: 2,
          isEnclosure: false,
        },
        {
          productCode: null,
          managementNumber: 'M-9',
          name: 'ご案内',
          unitPrice: 0,
          quantity: 1,
          isEnclosure: true,
        },
      ],
      shippingFee: 500,
      commission: 0,
      giftWrapFee: 0,
      pointUse: 100,
      coupon: 0,
      mallCoupon: 0,
      adjustment: -50,
      externalTax: 0,
      total: 4350,
      deliveryDate: '2026-11-05',
      shippingDate: null,
      statusId: 'st-new',
      shipTo: {
        name: '山田 太郎',
        postalCode: '100-0001',
        address: '東京都千代田区千代田1-1',
        phone: '03-0000-0000',
      },
    };
    const order = (id: string, orderNumber: string, columns: Record<string, unknown>) =>
      insert('orders', {
        id,
        tenant_id: 't-1',
        shop_id: 's-1',
        order_number: orderNumber,
        order_code: orderNumber,
        status_id: 'st-ship',
        ordered_at: at('2026-11-01T01:00:00Z'),
        payment_method_id: 'pm-1',
        shipping_fee: 500,
        point_use: 100,
        adjustment: -50,
        intake: JSON.stringify({ ...intake, orderNumber }),
        content_hash: 'h'.repeat(64),
        source: 'api',
        sync_state: 'registered',
        smaregi_order_head_id: '1001',
        ...columns,
        ...stamps,
      });
    // RT-1: columns written together with the JSON, as the intake did.
    await order('o-1', 'RT-1', {
      ship_to_name: '山田 太郎',
      ship_to_postal_code: '100-0001',
      ship_to_address: '東京都千代田区千代田1-1',
      ship_to_phone: '03-0000-0000',
      delivery_date: '2026-11-05',
      total: 4350,
    });
    // RT-2: ship-to, delivery date and total only in the JSON.
    await order('o-2', 'RT-2', {});
    for (const orderId of ['o-1', 'o-2'])
      for (const [lineNo, line] of intake.lines.entries())
        await insert('order_lines', {
          id: `${orderId}-l${lineNo + 1}`,
          tenant_id: 't-1',
          order_id: orderId,
          line_no: lineNo + 1,
          product_code: line.productCode,
          management_number: line.managementNumber,
          name: line.name,
          unit_price: line.unitPrice,
          quantity: line.quantity,
          is_enclosure: line.isEnclosure,
          allocated_quantity: line.isEnclosure ? 0 : line.quantity,
        });

    await before.migrateRest();
    const orm = before.db.orm;

    const repos = tenantRepositories(forkEm(orm), 't-1');
    for (const [id, orderNumber] of [
      ['o-1', 'RT-1'],
      ['o-2', 'RT-2'],
    ] as const) {
      const stored = await repos.orders.findWithLines(id);
      expect(stored, id).not.toBeNull();
      expect(toOmsOrder(stored!)).toEqual({
        ...intake,
        orderNumber,
        orderedAt: '2026-11-01T01:00:00.000Z',
        statusId: 'st-ship',
      });
      expect(stored!.lines.getItems().map((l) => l.allocatedQuantity)).toEqual([2, 0]);
      expect([stored!.syncState, stored!.smaregiOrderHeadId]).toEqual(['registered', '1001']);
    }
    const columns = await before.columnsOf('orders');
    expect(columns).not.toContain('intake');
    expect(columns).not.toContain('content_hash');
  });
});
