import { problemMessage, type LocalizedMessage } from '@renkei/domain';
import {
  forkEm,
  Operation,
  Order,
  OrderLine,
  orderRegistrationKey,
  Shop,
  SyncEvent,
  syncReasonColumns,
  type OperationState,
} from '@renkei/persistence';
import { testDialects } from '@renkei/persistence/testing';
import { type TRPCError } from '@trpc/server';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  seedTenant,
  signedInCaller,
  validOrder,
  type SeededTenant,
  type TestApp,
} from './helpers.js';

/*
 * Issue 11 items 2 and 9 at the intake: an order that is wrong in itself (a total that does not add
 * up) or of an inactive shop is refused naming the field; an order the OMS corrects before it is
 * in Smaregi takes the new version and is sent again; once it is (or may be) in Smaregi, the
 * correction is refused as before.
 */
describe.each(testDialects())('intake corrections (%s)', (dialect) => {
  let t: TestApp;
  let a: SeededTenant;
  let seq = 0;
  const post = (body: unknown) =>
    request(t.app)
      .post('/api/v1/orders')
      .set('Authorization', `Bearer ${a.apiKey}`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(body));
  const errorsOf = (body: { errors?: { field: string; message: LocalizedMessage }[] }) =>
    body.errors ?? [];
  const orderCount = () => forkEm(t.deps.orm).count(Order, { tenant: a.tenantId });
  const number = () => `FIX-${++seq}`;
  // 3300 × 2 + 550 shipping.
  const rightTotal = 7150;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    a = await seedTenant(t.deps, 'A');
  });
  afterAll(() => t.close());

  describe('a total that does not add up', () => {
    it('is refused naming total, with the amount it should be, storing nothing', async () => {
      const before = await orderCount();
      const res = await post(validOrder(a, { orderNumber: number(), total: rightTotal + 1 }));
      expect(res.status).toBe(400);
      const error = errorsOf(res.body).find((e) => e.field === 'total');
      expect(error?.message).toEqual(
        problemMessage('totalMismatch', { given: rightTotal + 1, expected: rightTotal }),
      );
      expect(error?.message.ja).toContain('7,150');
      expect(await orderCount()).toBe(before);
    });

    it.each<[string, Record<string, unknown>, number]>([
      ['lines and shipping', {}, rightTotal],
      ['a negative adjustment and points', { adjustment: -150, pointUse: 1000 }, 6000],
      ['external tax and fees', { externalTax: 660, commission: 330, giftWrapFee: 110 }, 8250],
    ])('takes one that does (%s)', async (_, over, total) => {
      const res = await post(validOrder(a, { orderNumber: number(), ...over, total }));
      expect(res.status).toBe(201);
      expect(res.body.order.total).toBe(total);
    });

    it('is refused in a CSV import too, naming the row and field', async () => {
      const { caller } = await signedInCaller(t.deps, a);
      const text =
        [
          '店舗ID,受注番号,受注日時,支払方法ID,受注ステータスID,送料,商品番号,商品名,単価,数量,請求金額',
          `${a.shopId},CSVT-1,2026-01-10T09:00:00+09:00,${a.paymentMethodId},${a.statusId},550,TS-001,Tシャツ,3300,1,3850`,
          `${a.shopId},CSVT-2,2026-01-10T09:00:00+09:00,${a.paymentMethodId},${a.statusId},550,TS-001,Tシャツ,3300,1,3300`,
        ].join('\r\n') + '\r\n';
      const report = await caller.orders.importCsv({
        contentBase64: Buffer.from(text).toString('base64'),
      });
      expect(report.results.map((r) => [r.orderNumber, r.outcome])).toEqual([
        ['CSVT-1', 'created'],
        ['CSVT-2', 'refused'],
      ]);
      expect(report.results[1]?.errors.map((e) => [e.row, e.field, e.column?.ja])).toEqual([
        [3, 'total', '請求金額'],
      ]);
    });
  });

  describe('an inactive shop', () => {
    let inactiveShopId = '';
    beforeAll(async () => {
      const em = forkEm(t.deps.orm);
      const shop = em.create(Shop, {
        tenant: a.tenantId,
        name: '閉店したAmazon店',
        mallKind: 'amazon',
        taxMode: 'included',
        active: false,
      });
      await em.flush();
      inactiveShopId = shop.id;
    });

    it('refuses its orders at the REST intake naming shopId and the shop', async () => {
      const before = await orderCount();
      const res = await post(validOrder(a, { orderNumber: number(), shopId: inactiveShopId }));
      expect(res.status).toBe(400);
      const error = errorsOf(res.body).find((e) => e.field === 'shopId');
      expect(error?.message).toEqual(
        problemMessage('shopInactive', { shopName: '閉店したAmazon店' }),
      );
      expect(error?.message.ja).toContain('閉店したAmazon店');
      expect(await orderCount()).toBe(before);
    });

    it('refuses them in the admin and in a CSV import too', async () => {
      const { caller } = await signedInCaller(t.deps, a);
      const manual = (await caller.orders
        .create(validOrder(a, { orderNumber: number(), shopId: inactiveShopId }) as never)
        .catch((e: unknown) => e)) as TRPCError;
      expect(manual.code).toBe('BAD_REQUEST');
      const text =
        [
          '店舗ID,受注番号,受注日時,支払方法ID,受注ステータスID,商品名,単価,数量',
          `${inactiveShopId},CSVI-1,2026-01-10T09:00:00+09:00,${a.paymentMethodId},${a.statusId},Tシャツ,3300,1`,
        ].join('\r\n') + '\r\n';
      const report = await caller.orders.importCsv({
        contentBase64: Buffer.from(text).toString('base64'),
      });
      expect(report.summary).toMatchObject({ orders: 1, refused: 1 });
      expect(report.results[0]?.errors.map((e) => [e.row, e.field, e.column?.ja])).toEqual([
        [2, 'shopId', '店舗ID'],
      ]);
      expect(report.results[0]?.errors[0]?.message.ja).toContain('閉店したAmazon店');
    });
  });

  describe('a corrected order', () => {
    /** Posts an order, then leaves it as the worker would have: held, refused, ... */
    const stored = async (orderNumber: string, state: string, ledger?: OperationState) => {
      const res = await post(validOrder(a, { orderNumber }));
      expect(res.status).toBe(201);
      const id = res.body.order.id as string;
      const em = forkEm(t.deps.orm);
      await em.nativeUpdate(
        Order,
        { id },
        {
          syncState: state as Order['syncState'],
          syncAttempts: 2,
          ...syncReasonColumns(
            state === 'pending'
              ? null
              : {
                  code: 'orderHeld',
                  params: { orderNumber, problems: [{ code: 'productNotFound', params: {} }] },
                },
          ),
        },
      );
      if (ledger !== undefined) {
        em.create(Operation, {
          tenant: a.tenantId,
          kind: 'registerOrder',
          businessKey: orderRegistrationKey(id),
          subjectType: 'order',
          subjectId: id,
          state: ledger,
          attempts: 2,
        });
        await em.flush();
      }
      return id;
    };
    const corrected = (orderNumber: string) =>
      validOrder(a, {
        orderNumber,
        lines: [
          { productCode: 'TS-001', name: 'Tシャツ', unitPrice: 2980, quantity: 2 },
          { productCode: 'TS-002', name: 'パーカー', unitPrice: 5500, quantity: 1 },
        ],
        total: 2980 * 2 + 5500 + 550,
      });
    const ledgerRows = (id: string) =>
      forkEm(t.deps.orm).find(Operation, {
        tenant: a.tenantId,
        kind: 'registerOrder',
        businessKey: orderRegistrationKey(id),
      });

    it.each<[string, string, OperationState | undefined]>([
      ['not sent yet', 'pending', undefined],
      ['held for a fix elsewhere', 'waiting', 'pending'],
      ['refused by Smaregi', 'failed', 'failed'],
    ])('takes the new version while it is %s, and sends it again', async (_, state, ledger) => {
      const orderNumber = number();
      const id = await stored(orderNumber, state, ledger);
      const res = await post(corrected(orderNumber));
      expect([res.status, res.body.outcome, res.body.order.id]).toEqual([200, 'updated', id]);
      expect(res.body.order.syncState).toBe('pending');
      expect(res.body.order.total).toBe(12010);

      const em = forkEm(t.deps.orm);
      const order = await em.findOneOrFail(Order, { id }, { populate: ['lines'] });
      expect(order.syncState).toBe('pending');
      expect(order.syncReasonCode ?? null).toBeNull();
      expect(
        order.lines.getItems().map((l) => [l.lineNo, l.name, l.unitPrice, l.quantity]),
      ).toEqual([
        [1, 'Tシャツ', 2980, 2],
        [2, 'パーカー', 5500, 1],
      ]);
      expect(await em.count(OrderLine, { order: id })).toBe(2);
      // Sent again from the start: a fresh registration (pending, so the order loop takes it).
      expect((await ledgerRows(id)).map((r) => [r.state, r.attempts])).toEqual([['pending', 0]]);
      const events = await em.find(SyncEvent, { subjectId: id, kind: 'order.updated' });
      expect(events).toHaveLength(1);

      // The same corrected version again is a repeat.
      const again = await post(corrected(orderNumber));
      expect([again.status, again.body.outcome]).toEqual([200, 'unchanged']);
    });

    it.each<[string, string, OperationState | undefined, string]>([
      ['registered', 'registered', 'succeeded', '登録済み'],
      ['being sent', 'pending', 'in_flight', '送信中'],
      ['of unknown outcome', 'pending', 'unknown', '送信中'],
      ['要確認', 'needsCheck', 'unknown', '送信中'],
    ])('refuses it (409) once it is %s, changing nothing', async (_, state, ledger, words) => {
      const orderNumber = number();
      const id = await stored(orderNumber, state, ledger);
      if (state === 'registered')
        await forkEm(t.deps.orm).nativeUpdate(Order, { id }, { smaregiOrderHeadId: '901' });
      const res = await post(corrected(orderNumber));
      expect(res.status).toBe(409);
      expect(res.body.title ?? res.body.detail ?? JSON.stringify(res.body)).toBeTruthy();
      expect(JSON.stringify(res.body)).toContain(words);
      expect(errorsOf(res.body).map((e) => e.field)).toEqual(['lines', 'total']);
      const order = await forkEm(t.deps.orm).findOneOrFail(Order, { id }, { populate: ['lines'] });
      expect(order.syncState).toBe(state);
      expect(order.lines.getItems().map((l) => l.unitPrice)).toEqual([3300]);
      expect((await ledgerRows(id)).map((r) => r.state)).toEqual([ledger]);
    });

    it('several corrections in one group commit each take their own version', async () => {
      const numbers = [number(), number()];
      const ids = await Promise.all(numbers.map((n) => stored(n, 'waiting', 'pending')));
      const answers = await Promise.all(numbers.map((n) => post(corrected(n))));
      expect(answers.map((r) => [r.status, r.body.order.id])).toEqual(ids.map((id) => [200, id]));
      for (const id of ids)
        expect(await forkEm(t.deps.orm).count(OrderLine, { order: id })).toBe(2);
    });
  });
});
