import { IntegrationSettingsSchema } from './catalog/integration-settings.entity.js';
import { OrderStatusSchema } from './catalog/order-status.entity.js';
import { PaymentMethodSchema } from './catalog/payment-method.entity.js';
import { ShopSchema } from './catalog/shop.entity.js';
import { OAuthStateSchema } from './connection/oauth-state.entity.js';
import { SmaregiConnectionSchema } from './connection/smaregi-connection.entity.js';
import { SmaregiTokenSchema } from './connection/smaregi-token.entity.js';
import { OrderLineSchema } from './orders/order-line.entity.js';
import { OrderSchema } from './orders/order.entity.js';
import { ListedProductSchema } from './products/listed-product.entity.js';
import { ProductImportRunSchema } from './products/product-import-run.entity.js';
import { StockDriftSchema } from './stock/stock-drift.entity.js';
import { StockLevelSchema } from './stock/stock-level.entity.js';
import { StockRecomputeRunSchema } from './stock/stock-recompute-run.entity.js';
import { JobSchema } from './sync/job.entity.js';
import { OperationSchema } from './sync/operation.entity.js';
import { SyncEventSchema } from './sync/sync-event.entity.js';
import { WebhookEventSchema } from './sync/webhook-event.entity.js';
import { OutboundEventSchema } from './webhooks/outbound-event.entity.js';
import { OutboundStockChangeSchema } from './webhooks/outbound-stock-change.entity.js';
import {
  WebhookDeliveryAttemptSchema,
  WebhookDeliverySchema,
} from './webhooks/webhook-delivery.entity.js';
import { WebhookEndpointSchema } from './webhooks/webhook-endpoint.entity.js';
import { AdminSessionSchema } from './tenancy/admin-session.entity.js';
import { AdminUserSchema } from './tenancy/admin-user.entity.js';
import { ApiIdempotencyKeySchema } from './tenancy/api-idempotency-key.entity.js';
import { ApiKeySchema } from './tenancy/api-key.entity.js';
import { AuditEntrySchema } from './tenancy/audit-entry.entity.js';
import { TenantSchema } from './tenancy/tenant.entity.js';

/** Every entity schema, in one list for the ORM config. */
export const ENTITY_SCHEMAS = [
  TenantSchema,
  AdminUserSchema,
  AdminSessionSchema,
  ApiKeySchema,
  ApiIdempotencyKeySchema,
  AuditEntrySchema,
  OAuthStateSchema,
  SmaregiConnectionSchema,
  SmaregiTokenSchema,
  IntegrationSettingsSchema,
  ShopSchema,
  PaymentMethodSchema,
  OrderStatusSchema,
  OrderSchema,
  OrderLineSchema,
  ListedProductSchema,
  ProductImportRunSchema,
  StockLevelSchema,
  StockDriftSchema,
  StockRecomputeRunSchema,
  OperationSchema,
  JobSchema,
  WebhookEventSchema,
  SyncEventSchema,
  WebhookEndpointSchema,
  OutboundEventSchema,
  WebhookDeliverySchema,
  WebhookDeliveryAttemptSchema,
  OutboundStockChangeSchema,
];
