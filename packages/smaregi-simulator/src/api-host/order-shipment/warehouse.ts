import { badRequest, notFound } from '../../lib/problem.js';
import { formatJst } from '../../lib/time.js';
import type { ContractState } from '../../state/contract.js';
import type { StockChange } from '../../state/stock.js';
import type { AllocationStatus, Order, OrderStore } from '../../state/types.js';

/*
 * What happens to an order and its stock in the warehouse: allocation (引当) reserves stock,
 * shipping takes it out, cancellation gives it back. No HTTP here: the routes in
 * fulfilment-routes.ts and order-registration.ts call these.
 */

/** The order, or the API's 404. */
export function requireOrder(contract: ContractState, orderHeadId: string | undefined): Order {
  const order = orderHeadId ? contract.orders.get(orderHeadId) : undefined;
  if (!order) notFound();
  return order;
}

function refreshAllocationStatus(order: Order): void {
  const allocatedLines = order.details.filter((d) => d.allocatedQuantity === d.quantity).length;
  const status: AllocationStatus =
    allocatedLines === 0
      ? 'unallocated'
      : allocatedLines === order.details.length
        ? 'allocated'
        : 'partial';
  order.allocationStatus = status;
  if (order.status === 'received' || order.status === 'allocated') {
    order.status = status === 'allocated' ? 'allocated' : 'received';
  }
}

/**
 * Allocates whole lines, first come first served, from the store's `stockStoreId` warehouse:
 * a line is reserved when stock minus what other orders hold there covers its quantity.
 * Products outside stock control (stockControlDivision "1") allocate without reserving.
 */
export function allocateOrder(
  contract: ContractState,
  order: Order,
  store: OrderStore,
  now: Date,
): void {
  const warehouse = store.stockStoreId;
  if (!warehouse) badRequest('受注店舗に在庫を引き当てる店舗(stockStoreId)が設定されていません');
  for (const d of order.details) {
    if (d.allocatedQuantity === d.quantity) continue;
    const product = contract.products.get(d.productId);
    if (!product || product.stockControlDivision === '1') {
      d.allocatedQuantity = d.quantity;
      continue;
    }
    if (contract.stock.available(warehouse, d.productId) >= d.quantity) {
      contract.stock.allocate(warehouse, d.productId, d.quantity);
      contract.reservations.set(d.orderDetailId, {
        storeId: warehouse,
        productId: d.productId,
        quantity: d.quantity,
      });
      d.allocatedQuantity = d.quantity;
    }
  }
  refreshAllocationStatus(order);
  order.updDateTime = formatJst(now);
}

/** Ships a fully allocated order: its reserved stock leaves the warehouse. */
export function shipOrder(
  contract: ContractState,
  order: Order,
  shipment: { shippingDate: string; slipNumber: string | null },
  now: Date,
): StockChange[] {
  const changes: StockChange[] = [];
  for (const d of order.details) {
    const r = contract.reservations.get(d.orderDetailId);
    if (!r) continue;
    contract.stock.allocate(r.storeId, r.productId, -r.quantity);
    contract.reservations.delete(d.orderDetailId);
    changes.push(
      contract.stock.add(
        r.storeId,
        r.productId,
        -r.quantity,
        `受注出荷 ${order.orderCode}`,
        now.getTime(),
      ),
    );
  }
  order.status = 'shipped';
  order.shippingDate = shipment.shippingDate;
  order.slipNumber = shipment.slipNumber;
  order.updDateTime = formatJst(now);
  return changes;
}

/** Cancels an order that has not shipped: its reserved stock is free again. */
export function cancelOrder(contract: ContractState, order: Order, now: Date): void {
  for (const d of order.details) {
    const r = contract.reservations.get(d.orderDetailId);
    if (r) {
      contract.stock.allocate(r.storeId, r.productId, -r.quantity);
      contract.reservations.delete(d.orderDetailId);
    }
    d.allocatedQuantity = 0;
  }
  order.status = 'canceled';
  order.allocationStatus = 'unallocated';
  order.updDateTime = formatJst(now);
}
