/**
 * @renkei/domain: Renkei's pure rules between a multi-mall OMS and the Smaregi POS.
 * No I/O, no clock, no randomness; every function is total (bad data gives problems, not throws).
 */
export * from './limits.js';
export * from './messages.js';
export * from './event-messages.js';
export * from './field-messages.js';
export * from './message-catalog.js';
export * from './field-errors.js';
export * from './codes.js';
export * from './datetime.js';
export * from './settings.js';
export * from './master-data.js';
export * from './order.js';
export * from './product-index.js';
export * from './order-payload.js';
export * from './effective-stock.js';
export * from './allocation-plan.js';
export * from './status-decisions.js';
export * from './order-facts.js';
export * from './order-total.js';
export * from './shop-rules.js';
export * from './call-priority.js';
export * from './shipping-csv.js';
export * from './shift-jis.js';
export * from './readiness.js';
export * from './fix-locations.js';
export * from './outbound-events.js';
export * from './webhook-url.js';
