import { type Router } from 'express';
import { z } from 'zod';
import type { SimulatorContext } from '../../context.js';
import { badRequest } from '../../lib/problem.js';
import { isCalendarDate } from '../../lib/time.js';
import { parseOrProblem } from '../../lib/validation.js';
import type { ContractState } from '../../state/contract.js';
import type { StockChange } from '../../state/stock.js';
import type { Order } from '../../state/types.js';
import { emitOrders, emitStock } from '../../webhooks/events.js';
import { operation } from '../operation.js';
import { requireOrderStore } from './confirmed.js';
import { APP_ONLY, idText, MAX_BULK_SHIPPING } from './modeled-wire.js';
import { allocateOrder, cancelOrder, requireOrder, shipOrder } from './warehouse.js';

/*
 * The warehouse side of 受注管理 over HTTP: bulk shipping, allocation and cancellation. The
 * `order-shipment:orders` webhook with `shipped` / `canceled` is confirmed [OFF postwebhookorders].
 */

const bulkShippingSchema = z.strictObject({
  orders: z
    .array(
      z.strictObject({
        orderHeadId: idText('orderHeadId'),
        shippingDate: z
          .string({ error: 'shippingDateは必須です' })
          .refine(isCalendarDate, { error: 'shippingDateはYYYY-MM-DD形式で指定してください' }),
        slipNumber: z
          .string({ error: 'slipNumberは文字列で指定してください' })
          .max(50, { error: 'slipNumberは50文字以下で指定してください' })
          .nullable()
          .optional(),
      }),
      { error: 'ordersは配列で指定してください' },
    )
    .min(1, { error: 'ordersは1件以上指定してください' })
    .max(MAX_BULK_SHIPPING, { error: `ordersは${MAX_BULK_SHIPPING}件以下で指定してください` }),
});

type BulkShippingResult = { orderHeadId: string; result: 'shipped' | 'error'; detail?: string };

/** Why one order of a bulk shipping cannot ship, or null when it can. */
function shippingRefusal(order: Order | undefined, repeated: boolean): string | null {
  if (repeated) return '同じ受注が複数回指定されています';
  if (!order) return '指定されたIDの受注が見つかりません';
  if (order.status === 'canceled') return 'キャンセル済みの受注は出荷できません';
  if (order.status === 'shipped') return '既に出荷済みです';
  if (order.allocationStatus !== 'allocated') return '在庫引当が完了していない受注は出荷できません';
  return null;
}

/**
 * Ships each listed order that can ship and answers one result per item; an item that cannot ship
 * does not stop the others. Sends `pos:stock` edited and `order-shipment:orders` shipped per store.
 */
function shipInBulk(
  ctx: SimulatorContext,
  contract: ContractState,
  input: z.output<typeof bulkShippingSchema>,
): BulkShippingResult[] {
  const now = ctx.now();
  const results: BulkShippingResult[] = [];
  const stockChanges: StockChange[] = [];
  const shippedByStore = new Map<string, string[]>();
  const seen = new Set<string>();
  for (const item of input.orders) {
    const order = contract.orders.get(item.orderHeadId);
    const error = shippingRefusal(order, seen.has(item.orderHeadId));
    seen.add(item.orderHeadId);
    if (error !== null || !order) {
      results.push({ orderHeadId: item.orderHeadId, result: 'error', detail: error ?? '' });
      continue;
    }
    const shipment = { shippingDate: item.shippingDate, slipNumber: item.slipNumber ?? null };
    stockChanges.push(...shipOrder(contract, order, shipment, now));
    const list = shippedByStore.get(order.storeId) ?? [];
    list.push(order.orderHeadId);
    shippedByStore.set(order.storeId, list);
    results.push({ orderHeadId: item.orderHeadId, result: 'shipped' });
  }
  emitStock(ctx, contract.contractId, 'edited', stockChanges);
  for (const [storeId, ids] of shippedByStore)
    emitOrders(ctx, contract.contractId, 'shipped', storeId, ids);
  return results;
}

/** `POST /orders/shipping/bulk`, `POST /orders/{id}/allocation`, `POST /orders/{id}/cancel`. */
export function registerFulfilmentRoutes(router: Router, ctx: SimulatorContext): void {
  router.post(
    '/orders/shipping/bulk',
    operation(
      ctx,
      'order-shipment.orders:write',
      ({ contract, body }) => ({
        body: shipInBulk(ctx, contract, parseOrProblem(bulkShippingSchema, body)),
      }),
      APP_ONLY,
    ),
  );

  router.post(
    '/orders/:orderHeadId/allocation',
    operation(
      ctx,
      'order-shipment.orders:write',
      ({ contract, params }) => {
        const order = requireOrder(contract, params.orderHeadId);
        if (order.status === 'canceled') badRequest('キャンセル済みの受注は引当できません');
        if (order.status === 'shipped') badRequest('出荷済みの受注は引当できません');
        const store = requireOrderStore(contract, order.storeId);
        allocateOrder(contract, order, store, ctx.now());
        return { body: structuredClone(order) };
      },
      APP_ONLY,
    ),
  );

  router.post(
    '/orders/:orderHeadId/cancel',
    operation(
      ctx,
      'order-shipment.orders:write',
      ({ contract, params }) => {
        const order = requireOrder(contract, params.orderHeadId);
        if (order.status === 'shipped') badRequest('出荷済みの受注はキャンセルできません');
        if (order.status === 'canceled') badRequest('既にキャンセル済みです');
        cancelOrder(contract, order, ctx.now());
        emitOrders(ctx, contract.contractId, 'canceled', order.storeId, [order.orderHeadId]);
        return { body: structuredClone(order) };
      },
      APP_ONLY,
    ),
  );
}
