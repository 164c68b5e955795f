/**
 * MODELED 受注管理 operations (docs/smaregi-wire.md §11). None of these paths or shapes is
 * in a published source; they follow the conventions of the confirmed parts (camelCase, integer
 * money and quantities, boolean flags, string IDs, problem+json, page/limit/sort). When the
 * official spec becomes readable, these modules are the ones to change:
 * - modeled-wire.ts: the shared conventions (app tokens only, money, IDs, caps);
 * - modeled-stores.ts: list and register 受注店舗;
 * - order-registration.ts: 受注登録 and its total formula;
 * - order-reads.ts: list and read orders, and the stock they allocate from;
 * - fulfilment-routes.ts over warehouse.ts: allocation, bulk shipping, cancellation.
 *
 * Confirmed facts used here: the order registration header fields, their ranges, the ASCII
 * `orderCode` and the total formula [OFF order-shipment.smaregi.dev/apidoc]; the 受注店舗 object
 * and `sellDivision` included/excluded [OFF getstoresstoreid]; the `order-shipment:orders`
 * webhook with `shipped` / `canceled` [OFF postwebhookorders].
 */
import { type Router } from 'express';
import type { SimulatorContext } from '../../context.js';
import { registerFulfilmentRoutes } from './fulfilment-routes.js';
import { registerModeledStoreRoutes } from './modeled-stores.js';
import { registerOrderReadRoutes } from './order-reads.js';
import { registerOrderRegistrationRoute } from './order-registration.js';

/** Registers every modeled 受注管理 route on the `/{contract_id}/order-shipment` router. */
export function registerModeledOrderShipmentRoutes(router: Router, ctx: SimulatorContext): void {
  registerModeledStoreRoutes(router, ctx);
  registerOrderRegistrationRoute(router, ctx);
  registerOrderReadRoutes(router, ctx);
  registerFulfilmentRoutes(router, ctx);
}
