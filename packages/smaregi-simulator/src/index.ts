/**
 * @renkei/smaregi-simulator: a local Smaregi Platform API (ID host + API host) that enforces the
 * real API's rules, for demos, tests and benchmarks. See README.md.
 */
export { OPERATIONS, type OperationInfo } from './operations.js';
export { startSimulator, type RunningSimulator, type SimulatorOptions } from './simulator.js';
export {
  DEFAULT_REDIRECT_URIS,
  DEMO_APP_NAME,
  DEMO_APP_SCOPES,
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_CONTRACT_ID,
  DEMO_LOGIN,
  DEMO_PRODUCT_CODES,
  DEMO_STORE_IDS,
  OIDC_SCOPES,
  ORDER_SHIPMENT_SCOPES,
  POS_SCOPES,
} from './constants.js';
export {
  ControlError,
  SimulatorControl,
  type AddContractInput,
  type OrderStoreUpdate,
  type PosSaleInput,
  type SeedProductsInput,
  type StockAdjustmentInput,
} from './control/control.js';
export type { FaultSettings, FaultStatus } from './control/faults.js';
export type { InjectedFault, JournalEntry, JournalQuery } from './control/journal.js';
export { CONTROL_PREFIX } from './control/prefix.js';
export { DEFAULT_RATE_LIMITS, type RateLimits } from './api-host/rate-limit.js';
export type { CallbackDelivery, SimulatorQuirks } from './context.js';
export type { AppRegistration } from './state/contract.js';
export type { StockChange } from './state/stock.js';
export type {
  AllocationStatus,
  Order,
  OrderDetail,
  OrderStatus,
  OrderStore,
  PaymentMethod,
  PosCategory,
  PosProduct,
  PosStore,
} from './state/types.js';
export {
  WEBHOOK_USER_AGENT,
  type WebhookBehaviour,
  type WebhookDelivery,
  type WebhookEndpoint,
} from './webhooks/dispatcher.js';
export type { AppSubscriptionAction } from './webhooks/events.js';
