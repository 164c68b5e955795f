import type { FilterQuery } from '@mikro-orm/core';
import type { Em } from './config.js';
import { IntegrationSettings } from './catalog/integration-settings.entity.js';
import { OrderStatus } from './catalog/order-status.entity.js';
import { PaymentMethod } from './catalog/payment-method.entity.js';
import { Shop } from './catalog/shop.entity.js';
import { OAuthState } from './connection/oauth-state.entity.js';
import { SmaregiConnection } from './connection/smaregi-connection.entity.js';
import { SmaregiToken, type TokenKind } from './connection/smaregi-token.entity.js';
import { OrderLine } from './orders/order-line.entity.js';
import { Order, type OrderSyncState } from './orders/order.entity.js';
import { ListedProduct } from './products/listed-product.entity.js';
import { ProductImportRun } from './products/product-import-run.entity.js';
import { StockDrift } from './stock/stock-drift.entity.js';
import { StockLevel } from './stock/stock-level.entity.js';
import { AdminSession } from './tenancy/admin-session.entity.js';
import { AdminUser } from './tenancy/admin-user.entity.js';
import { ApiKey } from './tenancy/api-key.entity.js';
import { AuditEntry } from './tenancy/audit-entry.entity.js';
import { Tenant } from './tenancy/tenant.entity.js';
import {
  JobRepository,
  OperationRepository,
  SyncEventRepository,
  WebhookEventRepository,
} from './sync/sync-repositories.js';
import { TenantScopedRepository, type Page } from './tenant-scoped.repository.js';

export type { Page } from './tenant-scoped.repository.js';

/** Escapes LIKE wildcards so a search for `50%` finds that text. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export class ShopRepository extends TenantScopedRepository<Shop> {
  constructor(em: Em, tenantId: string) {
    super(em, tenantId, Shop);
  }
  list(): Promise<Shop[]> {
    return this.find({}, { orderBy: { name: 'asc', id: 'asc' } });
  }
}

export class PaymentMethodRepository extends TenantScopedRepository<PaymentMethod> {
  constructor(em: Em, tenantId: string) {
    super(em, tenantId, PaymentMethod);
  }
  findByCode(code: string): Promise<PaymentMethod | null> {
    return this.findOne({ code });
  }
  list(): Promise<PaymentMethod[]> {
    return this.find({}, { orderBy: { name: 'asc', id: 'asc' } });
  }
}

export class OrderStatusRepository extends TenantScopedRepository<OrderStatus> {
  constructor(em: Em, tenantId: string) {
    super(em, tenantId, OrderStatus);
  }
  list(): Promise<OrderStatus[]> {
    return this.find({}, { orderBy: { sortOrder: 'asc', name: 'asc', id: 'asc' } });
  }
}

export class IntegrationSettingsRepository extends TenantScopedRepository<IntegrationSettings> {
  constructor(em: Em, tenantId: string) {
    super(em, tenantId, IntegrationSettings);
  }
  get(): Promise<IntegrationSettings | null> {
    return this.findOne({});
  }
}

export interface OrderFilter {
  statusId?: string | undefined;
  shopId?: string | undefined;
  syncState?: OrderSyncState | undefined;
  /** Matches the order number or the ship-to name. */
  search?: string | undefined;
}

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
  findWithLines(id: string): Promise<Order | null> {
    return this.em.findOne(Order, this.scoped({ id }), {
      populate: ['lines', 'shop', 'paymentMethod', 'status'],
    });
  }
  /** Newest first. */
  async page(filter: OrderFilter, page: number, pageSize: number): Promise<Page<Order>> {
    const where: FilterQuery<Order> = {};
    if (filter.statusId !== undefined) where.status = filter.statusId;
    if (filter.shopId !== undefined) where.shop = filter.shopId;
    if (filter.syncState !== undefined) where.syncState = filter.syncState;
    if (filter.search !== undefined && filter.search !== '') {
      const like = likePattern(filter.search);
      where.$or = [{ orderNumber: { $like: like } }, { shipToName: { $like: like } }];
    }
    return this.findPage(where, page, pageSize, {
      orderBy: { createdAt: 'desc', id: 'asc' },
      populate: ['shop', 'status'],
    });
  }
  /** Orders in the given statuses (with lines), oldest first: the shipping CSV's candidates. */
  findInStatuses(statusIds: string[]): Promise<Order[]> {
    return this.em.find(Order, this.scoped({ status: { $in: statusIds } }), {
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

export class ListedProductRepository extends TenantScopedRepository<ListedProduct> {
  constructor(em: Em, tenantId: string) {
    super(em, tenantId, ListedProduct);
  }
  findByCodeKey(productCodeKey: string): Promise<ListedProduct | null> {
    return this.findOne({ productCodeKey });
  }
  findBySmaregiId(smaregiProductId: string): Promise<ListedProduct | null> {
    return this.findOne({ smaregiProductId });
  }
  /** Products whose code key is in the list (for readiness and intake checks). */
  findByCodeKeys(keys: string[]): Promise<ListedProduct[]> {
    return keys.length === 0 ? Promise.resolve([]) : this.find({ productCodeKey: { $in: keys } });
  }
  /** Search by code, management number or name; ordered by code. */
  async page(
    search: string | undefined,
    page: number,
    pageSize: number,
  ): Promise<Page<ListedProduct>> {
    const where: FilterQuery<ListedProduct> = {};
    if (search !== undefined && search !== '') {
      const like = likePattern(search);
      where.$or = [
        { productCode: { $like: like } },
        { productCodeKey: { $like: like } },
        { managementNumber: { $like: like } },
        { name: { $like: like } },
        { smaregiProductId: search },
      ];
    }
    return this.findPage(where, page, pageSize, {
      orderBy: { productCodeKey: 'asc' },
    });
  }
}

export class ProductImportRunRepository extends TenantScopedRepository<ProductImportRun> {
  constructor(em: Em, tenantId: string) {
    super(em, tenantId, ProductImportRun);
  }
  /** The queued or running import, if any (one at a time per tenant). */
  findActive(): Promise<ProductImportRun | null> {
    return this.findOne({ state: { $in: ['queued', 'running'] } });
  }
  latest(limit = 10): Promise<ProductImportRun[]> {
    return this.find({}, { orderBy: { createdAt: 'desc' }, limit });
  }
}

export class StockLevelRepository extends TenantScopedRepository<StockLevel> {
  constructor(em: Em, tenantId: string) {
    super(em, tenantId, StockLevel);
  }
}

export class StockDriftRepository extends TenantScopedRepository<StockDrift> {
  constructor(em: Em, tenantId: string) {
    super(em, tenantId, StockDrift);
  }
  open(): Promise<StockDrift[]> {
    return this.find(
      { resolvedAt: null },
      { orderBy: { detectedAt: 'desc' }, populate: ['product'] },
    );
  }
}

export class AuditRepository extends TenantScopedRepository<AuditEntry> {
  constructor(em: Em, tenantId: string) {
    super(em, tenantId, AuditEntry);
  }
  latest(limit = 100): Promise<AuditEntry[]> {
    return this.find({}, { orderBy: { at: 'desc' }, limit });
  }
}

export class ConnectionRepository extends TenantScopedRepository<SmaregiConnection> {
  constructor(em: Em, tenantId: string) {
    super(em, tenantId, SmaregiConnection);
  }
  /** The tenant's connection row, created (未認証) when missing. */
  async getOrCreate(): Promise<SmaregiConnection> {
    return (await this.findOne({})) ?? this.create({});
  }
}

export class TokenRepository extends TenantScopedRepository<SmaregiToken> {
  constructor(em: Em, tenantId: string) {
    super(em, tenantId, SmaregiToken);
  }
  findKind(kind: TokenKind): Promise<SmaregiToken | null> {
    return this.findOne({ kind });
  }
  /** Deletes every token of the tenant (disconnect, app subscription ended). */
  async destroyAll(): Promise<number> {
    return this.em.nativeDelete(SmaregiToken, { tenant: this.tenantId });
  }
}

export class OAuthStateRepository extends TenantScopedRepository<OAuthState> {
  constructor(em: Em, tenantId: string) {
    super(em, tenantId, OAuthState);
  }
}

export class AdminUserRepository extends TenantScopedRepository<AdminUser> {
  constructor(em: Em, tenantId: string) {
    super(em, tenantId, AdminUser);
  }
}

export class ApiKeyRepository extends TenantScopedRepository<ApiKey> {
  constructor(em: Em, tenantId: string) {
    super(em, tenantId, ApiKey);
  }
}

export class AdminSessionRepository extends TenantScopedRepository<AdminSession> {
  constructor(em: Em, tenantId: string) {
    super(em, tenantId, AdminSession);
  }
}

/** Every tenant-scoped repository for one tenant on one entity manager. */
export function tenantRepositories(em: Em, tenantId: string) {
  return {
    tenantId,
    shops: new ShopRepository(em, tenantId),
    paymentMethods: new PaymentMethodRepository(em, tenantId),
    orderStatuses: new OrderStatusRepository(em, tenantId),
    settings: new IntegrationSettingsRepository(em, tenantId),
    orders: new OrderRepository(em, tenantId),
    orderLines: new OrderLineRepository(em, tenantId),
    products: new ListedProductRepository(em, tenantId),
    importRuns: new ProductImportRunRepository(em, tenantId),
    stockLevels: new StockLevelRepository(em, tenantId),
    stockDrifts: new StockDriftRepository(em, tenantId),
    operations: new OperationRepository(em, tenantId),
    jobs: new JobRepository(em, tenantId),
    webhookEvents: new WebhookEventRepository(em, tenantId),
    syncEvents: new SyncEventRepository(em, tenantId),
    audit: new AuditRepository(em, tenantId),
    connection: new ConnectionRepository(em, tenantId),
    tokens: new TokenRepository(em, tenantId),
    oauthStates: new OAuthStateRepository(em, tenantId),
    users: new AdminUserRepository(em, tenantId),
    apiKeys: new ApiKeyRepository(em, tenantId),
    sessions: new AdminSessionRepository(em, tenantId),
  };
}
export type TenantRepositories = ReturnType<typeof tenantRepositories>;

/**
 * The only lookups that are not tenant-scoped: they are how a request finds its tenant in the
 * first place (login email, session cookie, intake API key, webhook contract ID), each by a
 * secret or unique value the caller presents.
 */
export class TenantResolver {
  constructor(private readonly em: Em) {}
  tenant(id: string): Promise<Tenant | null> {
    return this.em.findOne(Tenant, { id });
  }
  userByEmail(email: string): Promise<AdminUser | null> {
    return this.em.findOne(AdminUser, { email: email.trim().toLowerCase() });
  }
  sessionById(sessionIdHash: string): Promise<AdminSession | null> {
    return this.em.findOne(AdminSession, { id: sessionIdHash }, { populate: ['user'] });
  }
  apiKeyByHash(keyHash: string): Promise<ApiKey | null> {
    return this.em.findOne(ApiKey, { keyHash, revokedAt: null });
  }
  connectionByContract(contractId: string): Promise<SmaregiConnection | null> {
    return this.em.findOne(SmaregiConnection, { contractId });
  }
  oauthState(stateHash: string): Promise<OAuthState | null> {
    return this.em.findOne(OAuthState, { id: stateHash });
  }
}
