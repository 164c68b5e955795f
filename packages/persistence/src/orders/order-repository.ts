import { BetterSqlitePlatform } from '@mikro-orm/better-sqlite';
import { LockMode, raw, type FilterQuery } from '@mikro-orm/core';
import { PostgreSqlPlatform } from '@mikro-orm/postgresql';
import type { Em } from '../config.js';
import { prefixRange, TenantScopedRepository, type Page } from '../tenant-scoped.repository.js';
import { OrderLine } from './order-line.entity.js';
import { Order, type OrderSyncState } from './order.entity.js';

/*
 * The tenant's orders: the intake's idempotency lookups, the order list with the merchant's
 * filters, and the shipping CSV's candidates.
 */

/**
 * The sync states the merchant filters the order list by: the stored states, with `waiting`
 * split in two as the merchant reads it — `notSynced` (未連携: not sent yet, nothing in the way)
 * and `held` (保留: waiting for something the merchant must fix, `syncReasonCode` says what).
 * `waiting` itself still selects both.
 */
export const ORDER_LIST_SYNC_STATES = [
  'notSynced',
  'held',
  'pending',
  'registered',
  'failed',
  'needsCheck',
  'canceled',
  'waiting',
] as const satisfies readonly (OrderSyncState | 'notSynced' | 'held')[];
export type OrderListSyncState = (typeof ORDER_LIST_SYNC_STATES)[number];

/**
 * How much of an order Smaregi has allocated (`allocationStatus`: unallocated / partial /
 * allocated). An order Smaregi has not answered for (not registered yet) has no allocation: the
 * list shows none and its sync state finds it.
 */
export const ORDER_ALLOCATION_FILTERS = ['none', 'partial', 'full'] as const;
export type OrderAllocationFilter = (typeof ORDER_ALLOCATION_FILTERS)[number];

export interface OrderFilter {
  statusId?: string | undefined;
  shopId?: string | undefined;
  syncState?: OrderListSyncState | undefined;
  allocation?: OrderAllocationFilter | undefined;
  /** 出荷日 from / to (YYYY-MM-DD, both included). */
  shippingDateFrom?: string | undefined;
  shippingDateTo?: string | undefined;
  /** 受注日時 from (included) / before (excluded), as instants. */
  orderedFrom?: Date | undefined;
  orderedBefore?: Date | undefined;
  /**
   * The beginning of the order number as the mall gave it, or the whole number (case-sensitive):
   * what a merchant pastes or starts typing. Not its middle or end: only a beginning is read
   * from an index, so the search stays fast with 100,000 orders.
   */
  search?: string | undefined;
}

/**
 * Above this many orders matching a search, SQLite reads the page from the order-date index.
 * Below it, sorting the matches costs at most about 10 ms; above it, the walk down the date index
 * stops after a page of matches, at worst (every match among the oldest orders) after reading
 * the tenant's orders once (about 40 ms for 100,000: apps/api/bench/orders-list.bench.ts).
 */
const BROAD_SEARCH = 5000;

export class OrderRepository extends TenantScopedRepository<Order> {
  constructor(em: Em, tenantId: string) {
    super(em, tenantId, Order);
  }
  /** The order of a shop with this Smaregi order code (the intake's idempotency key). */
  findByShopAndCode(shopId: string, orderCode: string): Promise<Order | null> {
    return this.em.findOne(Order, this.scoped({ shop: shopId, orderCode }), {
      populate: ['lines'],
    });
  }
  /**
   * The orders having any of these (shop, Smaregi order code) keys: the idempotency lookup of a
   * group of orders. The query asks for `shop in (...) and order_code in (...)`, which both
   * dialects answer from the unique index (tenant, shop, order code), then keeps the exact pairs.
   * One query per 500 keys; lines are not loaded.
   */
  async findByShopAndCodes(
    keys: readonly { shopId: string; orderCode: string }[],
  ): Promise<Order[]> {
    const keyOf = (shopId: string, orderCode: string) => `${shopId}\u0000${orderCode}`;
    const found = new Map<string, Order>(); // by ID: a key given twice is found once
    for (let start = 0; start < keys.length; start += 500) {
      const chunk = keys.slice(start, start + 500);
      const wanted = new Set(chunk.map((k) => keyOf(k.shopId, k.orderCode)));
      const rows = await this.find({
        shop: { $in: [...new Set(chunk.map((k) => k.shopId))] },
        orderCode: { $in: [...new Set(chunk.map((k) => k.orderCode))] },
      });
      for (const o of rows) if (wanted.has(keyOf(o.shop.id, o.orderCode))) found.set(o.id, o);
    }
    return [...found.values()];
  }
  /**
   * The order's status as stored now, read past this manager's loaded entities (which may hold
   * it as it was read before a remote call). Null when the order is gone. Inside a transaction
   * the row stays as read until it commits: PostgreSQL locks it (`FOR UPDATE`), SQLite's
   * transactions hold the file's write lock from their start (sqlite-driver.ts).
   */
  async statusIdOf(id: string): Promise<string | null> {
    const query = this.em
      .createQueryBuilder(Order)
      .select(['status'])
      .where({ id, tenant: this.tenantId });
    if (this.em.isInTransaction() && this.em.getPlatform() instanceof PostgreSqlPlatform)
      query.setLockMode(LockMode.PESSIMISTIC_WRITE);
    const row = await query.execute('get');
    const status = (row as { status?: string | { id: string } } | undefined)?.status;
    return status === undefined ? null : typeof status === 'string' ? status : status.id;
  }
  findWithLines(id: string): Promise<Order | null> {
    return this.em.findOne(Order, this.scoped({ id }), {
      populate: ['lines', 'shop', 'paymentMethod', 'status'],
    });
  }
  /**
   * One page of the order list, newest order date (受注日時) first. Every filter is a condition on
   * a column that leads an index after the tenant, each of them followed by `ordered_at`
   * (Migration20261201060000), so a page reads its rows in index order and the count stays on the
   * index with 100,000 orders (apps/api/bench/orders-list.bench.ts). The search is a range of
   * order numbers read from (tenant, order number) — PostgreSQL compares the column by code point
   * for it (Migration20261201080000); a `LIKE '%x%'` would read every order of the tenant.
   */
  async page(filter: OrderFilter, page: number, pageSize: number): Promise<Page<Order>> {
    const and: FilterQuery<Order>[] = [];
    if (filter.statusId !== undefined) and.push({ status: filter.statusId });
    if (filter.shopId !== undefined) and.push({ shop: filter.shopId });
    switch (filter.syncState) {
      case undefined:
        break;
      case 'notSynced':
        and.push({ syncState: 'waiting', syncReasonCode: null });
        break;
      case 'held':
        and.push({ syncState: 'waiting', syncReasonCode: { $ne: null } });
        break;
      default:
        and.push({ syncState: filter.syncState });
    }
    switch (filter.allocation) {
      case undefined:
        break;
      case 'none':
        and.push({ allocationStatus: 'unallocated' });
        break;
      case 'partial':
        and.push({ allocationStatus: 'partial' });
        break;
      case 'full':
        and.push({ allocationStatus: 'allocated' });
    }
    if (filter.shippingDateFrom !== undefined)
      and.push({ shippingDate: { $gte: filter.shippingDateFrom } });
    if (filter.shippingDateTo !== undefined)
      and.push({ shippingDate: { $lte: filter.shippingDateTo } });
    if (filter.orderedFrom !== undefined) and.push({ orderedAt: { $gte: filter.orderedFrom } });
    if (filter.orderedBefore !== undefined) and.push({ orderedAt: { $lt: filter.orderedBefore } });
    const search =
      filter.search !== undefined && filter.search !== '' ? prefixRange(filter.search) : null;
    const whereOf = (extra: FilterQuery<Order>[]): FilterQuery<Order> =>
      and.length + extra.length === 0 ? {} : { $and: [...and, ...extra] };
    const where = whereOf(search === null ? [] : [{ orderNumber: search }]);
    // The page's shops and statuses are read by ID afterwards (not joined), and the count is
    // taken without them: a join would make the database visit every matching row's shop and
    // status just to count, and can lead its planner away from the order-date index.
    const total = await this.count(where);
    // SQLite reads a search from the number index and sorts every match by date, even when
    // thousands match (`AZ-`: 25,000 orders, 50 ms and more); walking the order-date index
    // finds a page of them at once. Past BROAD_SEARCH matches (counted on the number index), the
    // `+` keeps SQLite off the number index. PostgreSQL's statistics make that choice itself.
    const pageWhere =
      search !== null && total > BROAD_SEARCH && this.onSqlite()
        ? whereOf([{ [raw((alias) => `+${alias}.order_number`)]: search }])
        : where;
    const items = await this.find(pageWhere, {
      orderBy: { orderedAt: 'desc', id: 'desc' },
      limit: pageSize,
      offset: (page - 1) * pageSize,
      populate: ['shop', 'status'],
      strategy: 'select-in',
    });
    return { items, total, page, pageSize };
  }
  private onSqlite(): boolean {
    return this.em.getPlatform() instanceof BetterSqlitePlatform;
  }
  /**
   * Orders in the given statuses (with lines), oldest first: the shipping CSV's candidates,
   * narrowed to one shop and a 出荷日 range (YYYY-MM-DD, both included) when the merchant asks.
   */
  findInStatuses(
    statusIds: string[],
    filter: Pick<OrderFilter, 'shopId' | 'shippingDateFrom' | 'shippingDateTo'> = {},
  ): Promise<Order[]> {
    const and: FilterQuery<Order>[] = [{ status: { $in: statusIds } }];
    if (filter.shopId !== undefined) and.push({ shop: filter.shopId });
    if (filter.shippingDateFrom !== undefined)
      and.push({ shippingDate: { $gte: filter.shippingDateFrom } });
    if (filter.shippingDateTo !== undefined)
      and.push({ shippingDate: { $lte: filter.shippingDateTo } });
    return this.em.find(Order, this.scoped({ $and: and }), {
      populate: ['lines', 'shop', 'status', 'paymentMethod'],
      orderBy: { orderedAt: 'asc', id: 'asc' },
    });
  }
}

export class OrderLineRepository extends TenantScopedRepository<OrderLine> {
  constructor(em: Em, tenantId: string) {
    super(em, tenantId, OrderLine);
  }
}
