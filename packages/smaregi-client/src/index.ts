/**
 * @renkei/smaregi-client: a typed, rate-aware client for the Smaregi Platform API (POS and
 * 受注管理). See README.md.
 */
export {
  createSmaregiClient,
  toQueryName,
  CLIENT_VERSION,
  type ApiRequest,
  type CallOptions,
  type QueryValue,
  type SmaregiClient,
  type SmaregiClientOptions,
  type SmaregiContract,
} from './client.js';
export {
  AppTokenManager,
  MemoryTokenStore,
  SmaregiAuth,
  SMAREGI_ENVIRONMENTS,
  smaregiEnvironment,
  createPkcePair,
  createState,
  type AppToken,
  type AuthorizeUrlInput,
  type PkcePair,
  type SmaregiEnvironmentName,
  type SmaregiHosts,
  type TokenStore,
  type UserInfo,
  type UserTokens,
} from './auth.js';
export { systemClock, type Clock } from './clock.js';
export {
  SmaregiApiError,
  SMAREGI_ERROR_KINDS,
  isSmaregiApiError,
  type InputIssue,
  type ProblemDetails,
  type RedactedRequest,
  type SmaregiErrorKind,
} from './errors.js';
export { silentLogger, type FetchLike, type SmaregiLogger } from './http.js';
export {
  MAX_PAGE_SIZE,
  ORDER_SHIPMENT_PAGE_SIZE,
  paginateItems,
  paginatePages,
  type PageRequest,
  type PaginateOptions,
} from './paginate.js';
export {
  DEFAULT_RATE_LIMITS,
  MemoryBudgetStore,
  RateBudget,
  decideTake,
  permitGapMs,
  permitWindow,
  type BudgetKind,
  type BudgetObserver,
  type BudgetStore,
  type BudgetTake,
  type BudgetTakeRequest,
  type ContractLimits,
  type ContractRateLimits,
  type PermitWindow,
  type RateLimits,
} from './rate-budget.js';
export { REDACTED } from './redact.js';
export {
  OPERATION_SCOPES,
  RENKEI_APP_SCOPES,
  RENKEI_OPERATIONS,
  scopeOf,
  type SmaregiOperation,
} from './scopes.js';
export {
  DEFAULT_RETRY_POLICY,
  backoffDelayMs,
  decideRetry,
  isReadMethod,
  parseRetryAfter,
  type HttpMethod,
  type RetryDecision,
  type RetryInput,
  type RetryPolicyOptions,
} from './retry-policy.js';
export type {
  CategoriesResource,
  PaymentMethodsResource,
  PosResources,
  ProductsResource,
  StockResource,
  StoresResource,
} from './resources/pos.js';
export {
  ORDER_SHIPMENT_MODELED,
  ORDER_SHIPMENT_STOCK_LIST,
  orderRegistrationBody,
  type OrderCodeLookup,
  type OrderCodeLookupInput,
  type OrderShipmentResources,
  type OrderShipmentStockResource,
  type OrderStoresResource,
  type OrdersResource,
} from './resources/order-shipment-modeled.js';
export type { IterateOptions } from './resources/shared.js';
export * from './schemas/pos.js';
export * from './schemas/order-shipment.js';
export {
  parseWebhookEvent,
  storedWebhookHeaders,
  verifyWebhookSecret,
  webhookBodyKey,
  type SmaregiWebhookEvent,
  type WebhookHeaders,
} from './webhooks.js';
