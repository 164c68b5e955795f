import { omsOrderSchema } from '@renkei/domain';
import { decodeCsv, csvToOrders } from '../../services/csv-import.js';
import {
  changeOrderStatus,
  getOrder,
  orderLinesView,
  orderView,
  receiveOrder,
  receiveOrders,
  retryOrder,
} from '../../services/orders.js';
import { byId, csvImportInput, idSchema, orderListInput } from '../inputs.js';
import { authedProcedure, router } from '../trpc.js';
import { scopeOf } from '../scope.js';
import { z } from 'zod';

export const ordersRouter = router({
  /** Paged, newest first, filtered by status, shop, sync state, order number / ship-to name. */
  list: authedProcedure.input(orderListInput).query(async ({ ctx, input }) => {
    const page = await ctx.repos.orders.page(
      {
        statusId: input.statusId,
        shopId: input.shopId,
        syncState: input.syncState,
        search: input.search,
      },
      input.page,
      input.pageSize,
    );
    return {
      ...page,
      items: page.items.map((o) => ({
        ...orderView(o),
        shopName: o.shop.name,
        statusName: o.status.name,
      })),
    };
  }),
  /** The order with its lines, sync history and ledger operations. */
  get: authedProcedure.input(byId).query(async ({ ctx, input }) => {
    const order = await getOrder(scopeOf(ctx), input.id);
    const [history, operations] = await Promise.all([
      ctx.repos.syncEvents.history('order', order.id),
      ctx.repos.operations.forSubject('order', order.id),
    ]);
    return {
      ...orderView(order),
      shopName: order.shop.name,
      statusName: order.status.name,
      paymentMethodName: order.paymentMethod.name,
      lines: orderLinesView(order),
      history: history.map((e) => ({
        at: e.at.toISOString(),
        kind: e.kind,
        outcome: e.outcome,
        message: e.message,
        detail: e.detail ?? null,
      })),
      operations: operations.map((op) => ({
        kind: op.kind,
        state: op.state,
        attempts: op.attempts,
        remoteId: op.remoteId ?? null,
        lastError: op.lastError ?? null,
        updatedAt: op.updatedAt.toISOString(),
      })),
    };
  }),
  /** Manual entry from the admin (same rules as the REST intake). */
  create: authedProcedure.input(omsOrderSchema).mutation(async ({ ctx, input }) => {
    const result = await receiveOrder(scopeOf(ctx), input, 'admin');
    return { outcome: result.outcome, order: orderView(result.order) };
  }),
  changeStatus: authedProcedure
    .input(z.strictObject({ id: idSchema, statusId: idSchema }))
    .mutation(async ({ ctx, input }) =>
      orderView(await changeOrderStatus(scopeOf(ctx), input.id, input.statusId)),
    ),
  /** Queues the order for registration again (after the merchant fixed the cause). */
  retry: authedProcedure
    .input(byId)
    .mutation(async ({ ctx, input }) => orderView(await retryOrder(scopeOf(ctx), input.id))),
  /** 受注CSV import (UTF-8 or Shift_JIS): all-or-nothing, every bad row reported. */
  importCsv: authedProcedure.input(csvImportInput).mutation(async ({ ctx, input }) => {
    const text = decodeCsv(Buffer.from(input.contentBase64, 'base64'), input.encoding);
    const orders = csvToOrders(text);
    return { orders: orders.length, ...(await receiveOrders(scopeOf(ctx), orders, 'csv')) };
  }),
});
