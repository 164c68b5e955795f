/**
 * The one priority scale of work that calls Smaregi, in the rate budget's terms: a HIGHER number
 * goes FIRST. The contract's budget hands out permits by it, and the worker's jobs table claims
 * by it, so an order never waits behind a product import. Equal numbers share by arrival.
 */
export const CallPriority = {
  /** 受注登録: the merchant's orders first. */
  registerOrder: 30,
  /** 在庫引当 inquiry and reading a 受注店舗's settings for it. */
  allocation: 25,
  /** 受注一括出荷 and resolving a shipment whose answer was lost. */
  shipping: 20,
  /** Re-reading what a webhook announced (orders shipped or cancelled in Smaregi). */
  webhookReread: 20,
  /** Stock refreshes and reconciliation. */
  stock: 10,
  /** Product import and product updates. */
  products: 0,
} as const;

export type CallPriorityName = keyof typeof CallPriority;
