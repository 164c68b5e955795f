import { type Router } from 'express';
import type { SimulatorContext } from '../../context.js';
import {
  enumQuery,
  pageOf,
  parsePaging,
  pickFields,
  queryString,
  sortItems,
} from '../../lib/paging.js';
import { notFound } from '../../lib/problem.js';
import type { PosStore } from '../../state/types.js';
import { operation } from '../operation.js';

/**
 * POS 店舗 (docs/smaregi-wire.md §4.3): `GET /stores` with `store_code` and `division`, `GET
 * /stores/{id}`. Object fields as the feedforce spec `getStoresResponseItem` [CODE]; with
 * `with_point_condition=all` / `with_receipt_print_info=all` [SEC] the store carries
 * `pointCondition` / `receiptPrintInfo` with the feedforce spec's fields (values modeled).
 * Modeled: 受注店舗 are not listed here and their IDs answer 404 (docs/smaregi-wire.md §4.3).
 */
const SORTABLE = ['storeId', 'storeCode', 'displaySequence'] as const;
const WITH = ['all', 'none'] as const;

/** The store as asked for: plain, or with its point settings and receipt texts. */
function withExtras(
  base: object,
  store: PosStore,
  query: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  if (enumQuery(query, 'with_point_condition', WITH) === 'all') {
    out.pointCondition = {
      storeId: store.storeId,
      pointUseDivision: '0',
      spendRate: '1',
      pointGivingUnitPrice: '100',
      pointGivingUnit: '1',
      pointGivingDivision: '0',
      pointUseUnit: '1',
      pointSpendDivision: '1',
      pointSpendLimitDivision: '0',
      expireDivision: '0',
      expireLimit: null,
      mileageDivision: '0',
    };
  }
  if (enumQuery(query, 'with_receipt_print_info', WITH) === 'all') {
    out.receiptPrintInfo = {
      storeId: store.storeId,
      header: `${store.storeName}\nご来店ありがとうございます`,
      footer: 'またのご来店をお待ちしております',
      receiptTaxOfficeStampComment: null,
      taxOfficeName: null,
      discountReceiptHeader: null,
      discountReceiptFooter: null,
    };
  }
  return out;
}

function posStores(stores: Iterable<{ kind: string; store: unknown }>): PosStore[] {
  const out: PosStore[] = [];
  for (const r of stores) if (r.kind === 'pos') out.push(r.store as PosStore);
  return out;
}

export function registerStoreRoutes(router: Router, ctx: SimulatorContext): void {
  router.get(
    '/stores',
    operation(ctx, 'pos.stores:read', ({ contract, query }) => {
      const all = posStores(contract.stores.values());
      const fieldNames = all[0] ? Object.keys(all[0]) : ['storeId'];
      const paging = parsePaging(query, SORTABLE, fieldNames);
      const storeCode = queryString(query, 'store_code');
      const division = enumQuery(query, 'division', ['1', '2']);
      const matching = all.filter(
        (s) =>
          (storeCode === undefined || s.storeCode === storeCode) &&
          (division === undefined || s.division === division),
      );
      const sorted = sortItems(
        matching,
        [...paging.sort, { field: 'storeId' as const, desc: false }],
        (s, f) => s[f],
      );
      // `fields` does not apply to with_* items (docs/smaregi-wire.md §4).
      return {
        body: pageOf(sorted, paging).map((s) => withExtras(pickFields(s, paging.fields), s, query)),
      };
    }),
  );

  router.get(
    '/stores/:storeId',
    operation(ctx, 'pos.stores:read', ({ contract, params, query }) => {
      const store = contract.posStore(params.storeId ?? '');
      if (!store) notFound();
      return { body: withExtras({ ...store }, store, query) };
    }),
  );
}
