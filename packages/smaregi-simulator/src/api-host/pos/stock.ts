import { type Router } from 'express';
import { z } from 'zod';
import { runInBackground, type SimulatorContext } from '../../context.js';
import {
  idQuery,
  inRange,
  pageOf,
  parseDateRange,
  parsePaging,
  pickFields,
  sortItems,
} from '../../lib/paging.js';
import { badRequest, notFound } from '../../lib/problem.js';
import { formatJst } from '../../lib/time.js';
import { parseOrProblem } from '../../lib/validation.js';
import type { ContractState } from '../../state/contract.js';
import { MAX_STOCK, type StockChange } from '../../state/stock.js';
import type { StockRow } from '../../state/types.js';
import { postJson } from '../../webhooks/dispatcher.js';
import { emitStock } from '../../webhooks/events.js';
import { operation } from '../operation.js';
import { idString, intString, text } from './wire.js';

/**
 * POS 在庫 (docs/smaregi-wire.md §4.2, all [OFF] getstock / patchstockproductid /
 * poststockproductidadd / patchstockbulk / poststockaddbulk). The callback body of the bulk
 * operations is an array of objects starting with `requestId` [OFF]; the rest of the object
 * (`status: "success"|"failure"`, `stockHistoryIds` / `errors`) and all-or-nothing bulk
 * application are modeled. The response of `POST /stock/{id}/add` (the resulting amount) has the
 * shape of the crawled POS spec's `StockUpdate` [SEC].
 */
const SORTABLE = ['productId', 'storeId'] as const;
const FIELDS = [
  'storeId',
  'productId',
  'stockAmount',
  'layawayStockAmount',
  'updDateTime',
] as const;
export const MAX_BULK_STOCK_ROWS = 100;
const MAX_RELATIVE = 1_999_999_998;

const stockHistory = z.strictObject({ memo: text('stockHistory.memo', 100).optional() }).optional();

const absoluteSchema = z.strictObject({
  storeId: idString('storeId'),
  stockAmount: intString('stockAmount', -MAX_STOCK, MAX_STOCK),
  stockHistory,
});

const relativeSchema = z.strictObject({
  storeId: idString('storeId'),
  stockAmount: intString('stockAmount', -MAX_RELATIVE, MAX_RELATIVE),
  stockHistory,
});

const callbackUrl = z
  .string({ error: 'callbackUrlは必須です' })
  .max(511, { error: 'callbackUrlは511文字以下で指定してください' })
  .regex(/^https?:\/\/\S+$/, { error: 'callbackUrlはhttp(s)のURLで指定してください' });

const bulkAbsoluteSchema = z.strictObject({
  stock: z
    .array(absoluteSchema.extend({ productId: idString('productId') }), {
      error: 'stockは配列で指定してください',
    })
    .min(1, { error: 'stockは1件以上指定してください' })
    .max(MAX_BULK_STOCK_ROWS, { error: `stockは${MAX_BULK_STOCK_ROWS}件以下で指定してください` }),
  callbackUrl,
});

const bulkRelativeSchema = z.strictObject({
  stock: z
    .array(
      relativeSchema.extend({
        productId: idString('productId'),
        stockAmount: intString('stockAmount', -MAX_RELATIVE, MAX_RELATIVE).refine(
          (v) => Number(v) !== 0,
          {
            error: 'stockAmountに0は指定できません',
          },
        ),
      }),
      { error: 'stockは配列で指定してください' },
    )
    .min(1, { error: 'stockは1件以上指定してください' })
    .max(MAX_BULK_STOCK_ROWS, { error: `stockは${MAX_BULK_STOCK_ROWS}件以下で指定してください` }),
  callbackUrl,
});

/** A stock row as the API shows it (strings). */
export function stockRowBody(row: StockRow): Record<string, string> {
  return {
    storeId: row.storeId,
    productId: row.productId,
    stockAmount: String(row.stockAmount),
    layawayStockAmount: String(row.layawayStockAmount),
    updDateTime: formatJst(new Date(row.updMs)),
  };
}

/** The official range detail for a result outside ±999,999,999. */
export function checkResultingAmount(amount: number): string | null {
  if (amount > MAX_STOCK) return `更新後の在庫数は[${MAX_STOCK}]以下である必要があります`;
  if (amount < -MAX_STOCK) return `更新後の在庫数は[${-MAX_STOCK}]以上である必要があります`;
  return null;
}

const STORE_NOT_FOUND = '指定された店舗IDのリソースが見つかりません';

function changeBody(change: StockChange): Record<string, unknown> {
  return {
    productId: change.productId,
    storeId: change.storeId,
    stockAmount: String(change.stockAmount),
    updDateTime: formatJst(new Date(change.updMs)),
    stockHistory: { id: change.historyId, memo: change.memo },
  };
}

function requireProduct(contract: ContractState, productId: string | undefined): string {
  if (!productId || !/^\d{1,15}$/.test(productId) || !contract.products.get(productId)) notFound();
  return productId;
}

export function registerStockRoutes(router: Router, ctx: SimulatorContext): void {
  router.get(
    '/stock',
    operation(ctx, 'pos.stock:read', ({ contract, query }) => {
      const paging = parsePaging(query, SORTABLE, FIELDS);
      const range = parseDateRange(query, 'upd_date_time');
      const storeId = idQuery(query, 'store_id');
      const productId = idQuery(query, 'product_id');
      const rows = contract.stock
        .rowsOf({ storeId, productId })
        .filter((r) => inRange(range, r.updMs));
      const keys = [
        ...paging.sort,
        { field: 'productId' as const, desc: false },
        { field: 'storeId' as const, desc: false },
      ];
      const sorted = sortItems(rows, keys, (r, f) => r[f]);
      return {
        body: pageOf(sorted, paging).map((r) => pickFields(stockRowBody(r), paging.fields)),
      };
    }),
  );

  const bulk = (relative: boolean) =>
    operation(ctx, 'pos.stock:write', ({ contract, body }) => {
      const input = relative
        ? parseOrProblem(bulkRelativeSchema, body)
        : parseOrProblem(bulkAbsoluteSchema, body);
      const requestId = contract.newBulkRequestId();
      runInBackground(ctx, async () => {
        const now = ctx.now();
        const errors: { index: number; detail: string }[] = [];
        // Compute every result first so that a bad row leaves nothing half-applied.
        const pending = new Map<string, number>();
        input.stock.forEach((row, index) => {
          if (!contract.products.get(row.productId))
            errors.push({ index, detail: `商品ID[${row.productId}]のリソースが見つかりません` });
          else if (!contract.posStore(row.storeId)) errors.push({ index, detail: STORE_NOT_FOUND });
          else {
            const k = `${row.storeId}:${row.productId}`;
            const base = pending.get(k) ?? contract.stock.amount(row.storeId, row.productId);
            const next = relative ? base + Number(row.stockAmount) : Number(row.stockAmount);
            const bad = checkResultingAmount(next);
            if (bad) errors.push({ index, detail: bad });
            pending.set(k, next);
          }
        });
        let result: Record<string, unknown>;
        if (errors.length > 0) {
          result = { requestId, status: 'failure', errors };
        } else {
          const changes = input.stock.map((row) =>
            relative
              ? contract.stock.add(
                  row.storeId,
                  row.productId,
                  Number(row.stockAmount),
                  row.stockHistory?.memo ?? null,
                  now.getTime(),
                )
              : contract.stock.set(
                  row.storeId,
                  row.productId,
                  Number(row.stockAmount),
                  row.stockHistory?.memo ?? null,
                  now.getTime(),
                ),
          );
          emitStock(ctx, contract.contractId, 'bulk-update', changes);
          result = {
            requestId,
            status: 'success',
            stockHistoryIds: changes.map((c) => c.historyId),
          };
        }
        // The official page shows the callback body as an array of objects starting with
        // requestId (docs/smaregi-wire.md §4.2); the rest of the object is modeled.
        const body = [result];
        const outcome = await postJson(input.callbackUrl, body);
        ctx.callbacks.push({ requestId, url: input.callbackUrl, body, ...outcome });
        ctx.log(
          `bulk stock callback ${requestId} (${String(result.status)}) → ${input.callbackUrl}: ${outcome.error ?? String(outcome.status)}`,
        );
      });
      return { body: { requestId, callbackUrl: input.callbackUrl } };
    });

  router.patch('/stock/bulk', bulk(false));
  router.post('/stock/add/bulk', bulk(true));

  router.patch(
    '/stock/:productId',
    operation(ctx, 'pos.stock:write', ({ contract, params, body }) => {
      const productId = requireProduct(contract, params.productId);
      const input = parseOrProblem(absoluteSchema, body);
      if (!contract.posStore(input.storeId))
        badRequest(STORE_NOT_FOUND, [{ name: 'storeId', message: STORE_NOT_FOUND }]);
      const change = contract.stock.set(
        input.storeId,
        productId,
        Number(input.stockAmount),
        input.stockHistory?.memo ?? null,
        ctx.now().getTime(),
      );
      emitStock(ctx, contract.contractId, 'edited', [change]);
      return { body: changeBody(change) };
    }),
  );

  router.post(
    '/stock/:productId/add',
    operation(ctx, 'pos.stock:write', ({ contract, params, body }) => {
      const productId = requireProduct(contract, params.productId);
      const input = parseOrProblem(relativeSchema, body);
      if (!contract.posStore(input.storeId))
        badRequest(STORE_NOT_FOUND, [{ name: 'storeId', message: STORE_NOT_FOUND }]);
      const next = contract.stock.amount(input.storeId, productId) + Number(input.stockAmount);
      const bad = checkResultingAmount(next);
      if (bad) badRequest(bad, [{ name: 'stockAmount', message: bad }]);
      const change = contract.stock.add(
        input.storeId,
        productId,
        Number(input.stockAmount),
        input.stockHistory?.memo ?? null,
        ctx.now().getTime(),
      );
      emitStock(ctx, contract.contractId, 'edited', [change]);
      return { body: changeBody(change) };
    }),
  );
}
