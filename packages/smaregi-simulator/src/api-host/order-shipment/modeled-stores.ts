import { type Router } from 'express';
import { z } from 'zod';
import type { SimulatorContext } from '../../context.js';
import { pageOf, parsePaging, queryString, sortItems } from '../../lib/paging.js';
import { badRequest } from '../../lib/problem.js';
import { parseOrProblem } from '../../lib/validation.js';
import { addOrderStore, storeCodeTaken } from '../../state/catalog.js';
import { operation } from '../operation.js';
import { PRINTABLE_ASCII } from '../pos/wire.js';
import { orderStoreBody } from './confirmed.js';
import { APP_ONLY, idText, MAX_MONEY } from './modeled-wire.js';

/*
 * 受注店舗: list and register are modeled; the object is confirmed plus two modeled fields
 * (confirmed.ts).
 */

const STORE_SORTABLE = ['storeId', 'displaySequence'] as const;

const storeSchema = z.strictObject({
  storeCode: z
    .string({ error: 'storeCodeは必須です' })
    .min(1, { error: 'storeCodeは必須です' })
    .max(20, { error: 'storeCodeは20文字以下で指定してください' })
    .regex(PRINTABLE_ASCII, { error: 'storeCodeは半角英数記号で指定してください' }),
  storeName: z
    .string({ error: 'storeNameは必須です' })
    .min(1, { error: 'storeNameは必須です' })
    .max(85, { error: 'storeNameは85文字以下で指定してください' }),
  storeAbbr: z
    .string({ error: 'storeAbbrは文字列で指定してください' })
    .max(85, { error: 'storeAbbrは85文字以下で指定してください' })
    .optional(),
  sellDivision: z.enum(['included', 'excluded'], {
    error: 'sellDivisionは"included"または"excluded"で指定してください',
  }),
  sumDateChangeTime: z
    .string({ error: 'sumDateChangeTimeはHH:MM形式で指定してください' })
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'sumDateChangeTimeはHH:MM形式で指定してください' })
    .optional(),
  displaySequence: z
    .number({ error: 'displaySequenceは整数で指定してください' })
    .int({ error: 'displaySequenceは整数で指定してください' })
    .min(0)
    .max(MAX_MONEY)
    .optional(),
  pauseFlag: z.boolean({ error: 'pauseFlagはtrueまたはfalseで指定してください' }).optional(),
  pointPaymentMethodId: idText('pointPaymentMethodId').nullable().optional(),
  stockStoreId: idText('stockStoreId').nullable().optional(),
  autoAllocation: z
    .boolean({ error: 'autoAllocationはtrueまたはfalseで指定してください' })
    .optional(),
});

/** `GET /stores` and `POST /stores`. */
export function registerModeledStoreRoutes(router: Router, ctx: SimulatorContext): void {
  router.get(
    '/stores',
    operation(
      ctx,
      'order-shipment.stores:read',
      ({ contract, query }) => {
        const paging = parsePaging(query, STORE_SORTABLE, null);
        const storeCode = queryString(query, 'store_code');
        const stores = [...contract.stores.values()]
          .flatMap((r) => (r.kind === 'order' ? [r.store] : []))
          .filter((s) => storeCode === undefined || s.storeCode === storeCode);
        const sorted = sortItems(
          stores,
          [...paging.sort, { field: 'storeId' as const, desc: false }],
          (s, f) => s[f],
        );
        return { body: pageOf(sorted, paging).map(orderStoreBody(contract)) };
      },
      APP_ONLY,
    ),
  );

  router.post(
    '/stores',
    operation(
      ctx,
      'order-shipment.stores:write',
      ({ contract, body }) => {
        const input = parseOrProblem(storeSchema, body);
        if (storeCodeTaken(contract, input.storeCode)) {
          badRequest(`storeCode[${input.storeCode}]は既に登録されています`, [
            { name: 'storeCode', message: '既に登録されています' },
          ]);
        }
        if (input.stockStoreId != null && !contract.posStore(input.stockStoreId)) {
          badRequest('stockStoreId: 指定された店舗IDのリソースが見つかりません', [
            { name: 'stockStoreId', message: '指定された店舗IDのリソースが見つかりません' },
          ]);
        }
        if (
          input.pointPaymentMethodId != null &&
          !contract.paymentMethods.has(input.pointPaymentMethodId)
        ) {
          badRequest('pointPaymentMethodId: 指定された支払方法IDのリソースが見つかりません');
        }
        const store = addOrderStore(contract, {
          storeCode: input.storeCode,
          storeName: input.storeName,
          sellDivision: input.sellDivision,
          ...(input.storeAbbr !== undefined ? { storeAbbr: input.storeAbbr } : {}),
          ...(input.sumDateChangeTime !== undefined
            ? { sumDateChangeTime: input.sumDateChangeTime }
            : {}),
          ...(input.displaySequence !== undefined
            ? { displaySequence: input.displaySequence }
            : {}),
          ...(input.pauseFlag !== undefined ? { pauseFlag: input.pauseFlag } : {}),
          pointPaymentMethodId: input.pointPaymentMethodId ?? null,
          stockStoreId: input.stockStoreId ?? null,
          autoAllocation: input.autoAllocation ?? false,
        });
        return { body: orderStoreBody(contract)(store) };
      },
      APP_ONLY,
    ),
  );
}
