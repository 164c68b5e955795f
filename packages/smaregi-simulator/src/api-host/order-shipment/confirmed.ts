import { type Router } from 'express';
import type { SimulatorContext } from '../../context.js';
import { badRequest, notFound } from '../../lib/problem.js';
import type { ContractState } from '../../state/contract.js';
import type { OrderStore } from '../../state/types.js';
import { operation } from '../operation.js';

/**
 * The confirmed part of 受注管理 that is a read of its own: `GET /stores/{store_id}`
 * [OFF developers.smaregi.dev/platform-api-reference/apis/order-shipment/operations/getstoresstoreid].
 * Normal stores and warehouses are rejected; the simulator answers 400 with
 * `指定された店舗は受注店舗ではありません` (wording modeled, docs/smaregi-wire.md §4.4).
 */
export const NOT_AN_ORDER_STORE = '指定された店舗は受注店舗ではありません';

/** Looks up a 受注店舗 or throws the API's 404 / 400. */
export function requireOrderStore(
  contract: ContractState,
  storeId: string | undefined,
  field?: string,
): OrderStore {
  const record = storeId && /^\d{1,15}$/.test(storeId) ? contract.stores.get(storeId) : undefined;
  if (!record) {
    if (field)
      badRequest(`${field}: 指定された店舗IDのリソースが見つかりません`, [
        { name: field, message: '指定された店舗IDのリソースが見つかりません' },
      ]);
    notFound();
  }
  if (record.kind !== 'order') {
    if (field)
      badRequest(`${field}: ${NOT_AN_ORDER_STORE}`, [{ name: field, message: NOT_AN_ORDER_STORE }]);
    badRequest(NOT_AN_ORDER_STORE);
  }
  return record.store;
}

/**
 * The 受注店舗 object: confirmed fields plus the modeled `stockStoreId` and `autoAllocation`,
 * which a contract can leave out (`modeledSurface.orderStoreStockFields`) as the real one may.
 */
export function orderStoreBody(
  contract: ContractState,
): (store: OrderStore) => Partial<OrderStore> {
  return (store) => {
    if (contract.modeledSurface.orderStoreStockFields) return { ...store };
    const { stockStoreId: _warehouse, autoAllocation: _auto, ...confirmed } = store;
    return confirmed;
  };
}

export function registerConfirmedOrderShipmentRoutes(router: Router, ctx: SimulatorContext): void {
  router.get(
    '/stores/:storeId',
    operation(
      ctx,
      'order-shipment.stores:read',
      ({ contract, params }) => ({
        body: orderStoreBody(contract)(requireOrderStore(contract, params.storeId)),
      }),
      { tokenKinds: ['app'] },
    ),
  );
}
