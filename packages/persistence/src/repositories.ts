import type { FilterQuery } from '@mikro-orm/core';
import type { Em } from './config.js';
import { IntegrationSettings } from './catalog/integration-settings.entity.js';
import { OrderStatus } from './catalog/order-status.entity.js';
import { PaymentMethod } from './catalog/payment-method.entity.js';
import { Shop } from './catalog/shop.entity.js';
import { OAuthState } from './connection/oauth-state.entity.js';
import { SmaregiConnection } from './connection/smaregi-connection.entity.js';
import { SmaregiToken, type TokenKind } from './connection/smaregi-token.entity.js';
import { OrderLineRepository, OrderRepository } from './orders/order-repository.js';
import { ListedProduct } from './products/listed-product.entity.js';
import { ProductImportRun } from './products/product-import-run.entity.js';
import {
  productPage,
  type ProductListPage,
  type ProductListQuery,
} from './products/product-list.js';
import { StockDrift } from './stock/stock-drift.entity.js';
import { StockLevel } from './stock/stock-level.entity.js';
import { StockRecomputeMarks, StockRecomputeRunRepository } from './stock/stock-repositories.js';
import { AdminSession } from './tenancy/admin-session.entity.js';
import { AdminUser } from './tenancy/admin-user.entity.js';
import { ApiIdempotencyKey } from './tenancy/api-idempotency-key.entity.js';
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
import {
  OutboundEventRepository,
  WebhookDeliveryRepository,
  WebhookEndpointRepository,
} from './webhooks/webhook-repositories.js';
import { OutboundStockChangeRepository } from './webhooks/outbound-stock-changes.js';

export { likePattern, type Page } from './tenant-scoped.repository.js';

export class ShopRepository extends TenantScopedRepository<Shop> {
  constructor(em: Em, tenantId: string) {
    super(em, tenantId, Shop);
  }
  list(): Promise<Shop[]> {
    return this.find({}, { orderBy: { name: 'asc', id: 'asc' } });
  }
  /**
   * Records the 受注店舗 as Smaregi listed them just now — name and 販売区分 (`sellDivision`,
   * null when not sent) — on every shop mapped to one of them, one statement per store. Shops
   * mapped to a store not in the list keep what they had. Not an edit of the shop: `updatedAt`
   * stays, and the unit of work does not see the change (one-statement updates). Returns how
   * many shop rows changed.
   */
  async recordOrderStores(
    stores: readonly { storeId: string; storeName: string; sellDivision: string | null }[],
  ): Promise<number> {
    const byId = new Map(stores.map((s) => [s.storeId, s]));
    if (byId.size === 0) return 0;
    const shops = await this.find({ orderStoreId: { $in: [...byId.keys()] } });
    let changed = 0;
    for (const shop of shops) {
      const store = byId.get(shop.orderStoreId ?? '');
      if (store === undefined) continue;
      if (
        shop.orderStoreName === store.storeName &&
        (shop.orderStoreSellDivision ?? null) === store.sellDivision
      )
        continue;
      changed += await this.update(
        { id: shop.id },
        { orderStoreName: store.storeName, orderStoreSellDivision: store.sellDivision },
      );
    }
    return changed;
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
  /** One page of 出品商品一覧: searched, filtered and sorted (products/product-list.ts). */
  page(query: ProductListQuery, page: number, pageSize: number): Promise<ProductListPage> {
    return productPage(this.em, this.tenantId, query, page, pageSize);
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
  /**
   * How many products a new run will probably read (Smaregi does not say): the tenant's products
   * already linked to a Smaregi product, or what the last finished run read, whichever is larger.
   * Null when neither says anything (the first import).
   */
  async estimateTotal(): Promise<number | null> {
    const linked = await this.em.count(ListedProduct, {
      tenant: this.tenantId,
      smaregiProductId: { $ne: null },
    });
    const last = await this.findLatestSucceeded();
    const estimate = Math.max(linked, last?.processed ?? 0);
    return estimate > 0 ? estimate : null;
  }
  findLatestSucceeded(): Promise<ProductImportRun | null> {
    return this.em.findOne(ProductImportRun, this.scoped({ state: 'succeeded' }), {
      orderBy: { finishedAt: 'desc' },
    });
  }
  /**
   * Cancels the run if it is still queued or running (one statement: a run the worker has just
   * finished is not cancelled after the fact). False when it had already ended.
   */
  async cancel(id: string, actor: string, now: Date): Promise<boolean> {
    const changed = await this.update(
      { id, state: { $in: ['queued', 'running'] } },
      { state: 'canceled', finishedAt: now, canceledBy: actor, updatedAt: now },
    );
    return changed === 1;
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
  /**
   * One page of the 操作履歴, newest first, read from (tenant, at). Entries are people's changes
   * (hundreds a month, not the sync log's millions): an action filter is applied along that
   * index without an index of its own.
   */
  page(
    filter: { action?: string | undefined; from?: Date | undefined; before?: Date | undefined },
    page: number,
    pageSize: number,
  ): Promise<Page<AuditEntry>> {
    const and: FilterQuery<AuditEntry>[] = [];
    if (filter.action !== undefined) and.push({ action: filter.action });
    if (filter.from !== undefined) and.push({ at: { $gte: filter.from } });
    if (filter.before !== undefined) and.push({ at: { $lt: filter.before } });
    return this.findPage(and.length === 0 ? {} : { $and: and }, page, pageSize, {
      orderBy: { at: 'desc', id: 'desc' },
    });
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

/** The answers kept under `Idempotency-Key` headers of the REST API v1 (per tenant). */
export class ApiIdempotencyKeyRepository extends TenantScopedRepository<ApiIdempotencyKey> {
  constructor(em: Em, tenantId: string) {
    super(em, tenantId, ApiIdempotencyKey);
  }
  /** The answer kept under this key, unless it has expired. */
  current(idempotencyKey: string, now: Date): Promise<ApiIdempotencyKey | null> {
    return this.findOne({ idempotencyKey, expiresAt: { $gt: now } });
  }
  /**
   * Deletes the tenant's expired answers (one statement, on the (tenant, expiry) index), so an
   * expired key can be used again and the table holds only live keys.
   */
  deleteExpired(now: Date): Promise<number> {
    return this.em.nativeDelete(ApiIdempotencyKey, this.scoped({ expiresAt: { $lte: now } }));
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
    stockMarks: new StockRecomputeMarks(em, tenantId),
    stockRecomputeRuns: new StockRecomputeRunRepository(em, tenantId),
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
    idempotencyKeys: new ApiIdempotencyKeyRepository(em, tenantId),
    sessions: new AdminSessionRepository(em, tenantId),
    webhookEndpoints: new WebhookEndpointRepository(em, tenantId),
    outboundEvents: new OutboundEventRepository(em, tenantId),
    webhookDeliveries: new WebhookDeliveryRepository(em, tenantId),
    outboundStockChanges: new OutboundStockChangeRepository(em, tenantId),
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
