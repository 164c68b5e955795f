import { fixLocationsOf, omsOrderSchema, renderMessageBoth } from '@renkei/domain';
import { forkEm, syncEventMessage, syncReasonOf, tenantRepositories } from '@renkei/persistence';
import { invalid } from '../../errors.js';
import { payloadPreview } from '../../services/orders/payload-preview.js';
import { setShippingDate } from '../../services/orders/shipping-date.js';
import { orderCsvTemplate } from '../../services/csv-import.js';
import { importOrderCsv } from '../../services/order-csv-import.js';
import { receiveOrder } from '../../services/orders/receive.js';
import { retryOrder } from '../../services/orders/retry.js';
import { previewShippingCsv } from '../../services/shipping-csv.js';
import { changeOrderStatus, changeOrderStatuses } from '../../services/orders/status-change.js';
import {
  getOrder,
  orderLinesView,
  orderView,
  orderViewFacts,
} from '../../services/orders/views.js';
import {
  byId,
  csvImportInput,
  endOfJapanDay,
  idSchema,
  orderIdsSchema,
  orderListInput,
  orderListRangeErrors,
  shippingCsvInput,
  startOfJapanDay,
  statusIdSchema,
} from '../inputs.js';
import { authedProcedure, router } from '../trpc.js';
import { scopeOf } from '../scope.js';
import { z } from 'zod';

export const ordersRouter = router({
  /**
   * What the 送り状・出荷CSV download would hold under the same filters, without the file: how
   * many orders and rows go out, the orders ■送り状・出荷CSV出力制御 holds back (each with why
   * and its ID for a link), and the characters Shift_JIS cannot carry as typed — folded to their
   * customary equivalent, or written as 〓 (record, column, order number), so the merchant can
   * fix the order or the label before printing.
   */
  shippingCsvReport: authedProcedure.input(shippingCsvInput).query(async ({ ctx, input }) => {
    const rangeErrors = orderListRangeErrors(input);
    if (rangeErrors.length > 0) throw invalid(rangeErrors);
    return previewShippingCsv(scopeOf(ctx), input);
  }),
  /**
   * Paged, newest order date first, filtered by shop, status, sync state (未連携 / 連携待ち / 保留
   * ...), allocation, 出荷日 and 受注日 (days in Japan time) and the beginning of the order number.
   */
  list: authedProcedure.input(orderListInput).query(async ({ ctx, input }) => {
    const rangeErrors = orderListRangeErrors(input);
    if (rangeErrors.length > 0) throw invalid(rangeErrors);
    const page = await ctx.repos.orders.page(
      {
        statusId: input.statusId,
        shopId: input.shopId,
        syncState: input.syncState,
        allocation: input.allocation,
        shippingDateFrom: input.shippingDateFrom,
        shippingDateTo: input.shippingDateTo,
        orderedFrom:
          input.orderedFrom === undefined ? undefined : startOfJapanDay(input.orderedFrom),
        orderedBefore: input.orderedTo === undefined ? undefined : endOfJapanDay(input.orderedTo),
        search: input.search,
      },
      input.page,
      input.pageSize,
    );
    const facts = await orderViewFacts(ctx);
    return {
      ...page,
      items: page.items.map((o) => ({
        ...orderView(o, facts),
        shopName: o.shop.name,
        statusName: o.status.name,
        statusCategory: o.status.category,
        fixAt: fixLocationsOf(syncReasonOf(o)),
      })),
    };
  }),
  /** The order with its lines, sync history and ledger operations. */
  get: authedProcedure.input(byId).query(async ({ ctx, input }) => {
    const order = await getOrder(scopeOf(ctx), input.id);
    const [history, operations, facts] = await Promise.all([
      ctx.repos.syncEvents.history('order', order.id),
      ctx.repos.operations.forSubject('order', order.id),
      orderViewFacts(ctx),
    ]);
    return {
      ...orderView(order, facts),
      shopName: order.shop.name,
      statusName: order.status.name,
      statusCategory: order.status.category,
      paymentMethodName: order.paymentMethod.name,
      fixAt: fixLocationsOf(syncReasonOf(order)),
      lines: orderLinesView(order),
      history: history.map((e) => ({
        at: e.at.toISOString(),
        kind: e.kind,
        outcome: e.outcome,
        messageCode: e.messageCode,
        message: renderMessageBoth(syncEventMessage(e)),
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
  /**
   * The payload Renkei would send for the order now (current settings and mappings), each detail
   * line with where it came from; or, when it cannot be sent, every reason with where to fix it.
   */
  payloadPreview: authedProcedure
    .input(byId)
    .query(({ ctx, input }) => payloadPreview(scopeOf(ctx), input.id)),
  /** Manual entry from the admin (same rules as the REST intake). */
  create: authedProcedure.input(omsOrderSchema).mutation(async ({ ctx, input }) => {
    const result = await receiveOrder(scopeOf(ctx), input, 'admin');
    return { outcome: result.outcome, order: orderView(result.order) };
  }),
  changeStatus: authedProcedure
    .input(z.strictObject({ id: idSchema, statusId: statusIdSchema }))
    .mutation(async ({ ctx, input }) =>
      orderView(await changeOrderStatus(scopeOf(ctx), input.id, input.statusId)),
    ),
  /**
   * The order list's bulk change: each selected order moved to the status, with each order's own
   * result (changed, already there, or why it could not move).
   */
  changeStatusMany: authedProcedure
    .input(z.strictObject({ ids: orderIdsSchema, statusId: statusIdSchema }))
    .mutation(async ({ ctx, input }) => {
      const results = await changeOrderStatuses(scopeOf(ctx), input.ids, input.statusId);
      return {
        results: results.map((r) =>
          r.outcome === 'failed'
            ? { id: r.id, outcome: r.outcome, orderNumber: null, error: r.error }
            : { id: r.id, outcome: r.outcome, orderNumber: r.order.orderNumber, error: null },
        ),
      };
    }),
  /** 出荷日 entry (null clears it); the domain's date rule, refused at `shippingDate`. */
  setShippingDate: authedProcedure
    .input(z.strictObject({ id: idSchema, shippingDate: omsOrderSchema.shape.shippingDate }))
    .mutation(async ({ ctx, input }) =>
      orderView(await setShippingDate(scopeOf(ctx), input.id, input.shippingDate)),
    ),
  /** Queues the order for registration again (after the merchant fixed the cause). */
  retry: authedProcedure
    .input(byId)
    .mutation(async ({ ctx, input }) => orderView(await retryOrder(scopeOf(ctx), input.id))),
  /**
   * 受注CSV取込 (UTF-8 or Shift_JIS, 6 MB): each order received on its own — a refused one stores
   * nothing and does not stop the others — and reported with its rows, its outcome and, when
   * refused, each reason with its row and column. A file that is not an order CSV is refused
   * whole, naming what is wrong.
   */
  importCsv: authedProcedure.input(csvImportInput).mutation(({ ctx, input }) => {
    const scope = scopeOf(ctx);
    // One unit of work per transaction of the import (the intake's group commit).
    const newScope = () => {
      const em = forkEm(ctx.deps.orm);
      return { ...scope, em, repos: tenantRepositories(em, scope.tenantId) };
    };
    return importOrderCsv(newScope, {
      bytes: Buffer.from(input.contentBase64, 'base64'),
      encoding: input.encoding,
    });
  }),
  /**
   * The 受注CSV template: every column's header and an example order, with the merchant's first
   * shop, payment method and order status filled in (the IDs a merchant cannot guess).
   */
  csvTemplate: authedProcedure
    .input(z.strictObject({ language: z.enum(['ja', 'en']).default('ja') }))
    .query(async ({ ctx, input }) => {
      const [shops, methods, statuses] = await Promise.all([
        ctx.repos.shops.find({ active: true }, { orderBy: { createdAt: 'asc' }, limit: 1 }),
        ctx.repos.paymentMethods.find({}, { orderBy: { createdAt: 'asc' }, limit: 1 }),
        ctx.repos.orderStatuses.list(),
      ]);
      const ids = {
        ...(shops[0] === undefined ? {} : { shopId: shops[0].id }),
        ...(methods[0] === undefined ? {} : { paymentMethodId: methods[0].id }),
        ...(statuses[0] === undefined ? {} : { statusId: statuses[0].id }),
      };
      return {
        fileName: input.language === 'ja' ? '受注CSV見本.csv' : 'order-csv-sample.csv',
        content: orderCsvTemplate(input.language, ids),
      };
    }),
});
