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
 * /stores/{id}`. Object fields as the feedforce spec `getStoresResponseItem` [CODE]. Modeled: 受注店舗
 * are not listed here and their IDs answer 404 (docs/smaregi-wire.md §4.3).
 */
const SORTABLE = ['storeId', 'storeCode', 'displaySequence'] as const;

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
      return { body: pageOf(sorted, paging).map((s) => pickFields(s, paging.fields)) };
    }),
  );

  router.get(
    '/stores/:storeId',
    operation(ctx, 'pos.stores:read', ({ contract, params }) => {
      const store = contract.posStore(params.storeId ?? '');
      if (!store) notFound();
      return { body: store };
    }),
  );
}
