/**
 * @renkei/persistence: Renkei's storage for apps/api and apps/worker. MikroORM 6 entities
 * (EntitySchema, no decorators), migrations for SQLite and PostgreSQL, tenant-scoped repositories.
 */
export * from './config.js';
export { UniqueConstraintViolationException } from '@mikro-orm/core';
export { ENTITY_SCHEMAS } from './entities.js';
export { newId } from './ids.js';
export * from './security/token-vault.js';
export * from './stored-message.js';
export * from './repositories.js';
export * from './orders/order-repository.js';
export * from './sync/sync-repositories.js';
export * from './worker-queries.js';
export { TenantScopedRepository, type TenantOwned } from './tenant-scoped.repository.js';
export * from './catalog/integration-settings.entity.js';
export { parseSettings } from './catalog/parse-settings.js';
export * from './catalog/order-status.entity.js';
export * from './catalog/payment-method.entity.js';
export * from './catalog/shop.entity.js';
export * from './connection/encrypted-token-store.js';
export * from './connection/reauthorization.js';
export * from './connection/oauth-state.entity.js';
export * from './connection/smaregi-connection.entity.js';
export * from './connection/smaregi-token.entity.js';
export * from './orders/order-line.entity.js';
export * from './orders/order.entity.js';
export * from './orders/oms-order.js';
export * from './orders/order-payload-context.js';
export * from './products/listed-product.entity.js';
export * from './products/product-import-run.entity.js';
export * from './products/product-list.js';
export * from './stock/stock-drift.entity.js';
export * from './stock/stock-level.entity.js';
export * from './stock/stock-recompute-run.entity.js';
export * from './stock/stock-figures.js';
export * from './stock/stock-repositories.js';
export * from './sync/job.entity.js';
export * from './sync/operation.entity.js';
export * from './sync/operation-ledger.js';
export * from './sync/sent-registration.js';
export * from './sync/supersede-operation.js';
export * from './sync/sync-event.entity.js';
export * from './sync/webhook-event.entity.js';
export * from './tenancy/admin-session.entity.js';
export * from './tenancy/admin-user.entity.js';
export * from './tenancy/api-key.entity.js';
export * from './tenancy/audit-entry.entity.js';
export * from './tenancy/tenant.entity.js';
