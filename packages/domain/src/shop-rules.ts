import type { TaxMode } from './master-data.js';
import { problem, type Problem } from './messages.js';

/*
 * Rules of an order's shop (店舗) that hold every order of it, whatever the order says: the shop
 * must be active, and its 税込 / 税別 must equal its 受注店舗's 販売区分 (内税販売 / 外税販売,
 * Smaregi `sellDivision`, docs/smaregi-wire.md §7). A 税別 order booked in a 内税販売 store (or the
 * reverse) would count the tax twice or not at all, so such an order waits until the merchant
 * makes them match, and then goes through by itself. The readiness checklist lists the same rule
 * (`taxModeMatches`) before the integration is switched on; this is what holds orders afterwards.
 */

/** A 受注店舗's `sellDivision` as Smaregi sends it, read as a tax mode; null when absent or odd. */
export function sellDivisionOf(value: unknown): TaxMode | null {
  return value === 'included' || value === 'excluded' ? value : null;
}

/**
 * Whether a shop's tax mode matches its 受注店舗's sell division: `unknown` when the sell division
 * is not known (Smaregi did not send it, or it was never read), which holds nothing.
 */
export function compareTaxMode(
  shopTaxMode: TaxMode,
  sellDivision: TaxMode | null | undefined,
): 'matches' | 'mismatch' | 'unknown' {
  const division = sellDivisionOf(sellDivision);
  if (division === null) return 'unknown';
  return division === shopTaxMode ? 'matches' : 'mismatch';
}

/** The shop of an order, as far as these rules are concerned. */
export interface OrderShopFacts {
  id: string;
  name: string;
  active: boolean;
  taxMode: TaxMode;
  /** The mapped 受注店舗 (null = not mapped: the payload rules report that). */
  orderStoreId: string | null;
  orderStoreName?: string | null | undefined;
  /** The 受注店舗's sell division as last read from Smaregi; null = not known. */
  orderStoreSellDivision: TaxMode | null;
}

/**
 * Why the orders of this shop are held now (empty: nothing in the shop holds them). Each problem
 * names the shop, and the 受注店舗 and both modes for a mismatch; the field is `shopId`.
 */
export function shopHoldProblems(shop: OrderShopFacts, orderNumber: string): Problem[] {
  const problems: Problem[] = [];
  const at = { orderNumber, field: 'shopId' };
  if (!shop.active) problems.push(problem('shopInactive', at, { shopName: shop.name }));
  if (
    shop.orderStoreId !== null &&
    shop.orderStoreId !== '' &&
    compareTaxMode(shop.taxMode, shop.orderStoreSellDivision) === 'mismatch'
  ) {
    problems.push(
      problem('taxModeMismatch', at, {
        shopName: shop.name,
        shopTaxMode: shop.taxMode,
        storeName: shop.orderStoreName ?? '',
        storeId: shop.orderStoreId,
        sellDivision: shop.orderStoreSellDivision ?? '',
      }),
    );
  }
  return problems;
}

/**
 * A payload result with the shop's hold problems put first: any hold makes the result not sendable
 * (the problems of the order itself are kept, so the merchant sees everything at once).
 */
export function withShopHolds<R extends { ok: true } | { ok: false; problems: Problem[] }>(
  result: R,
  holds: readonly Problem[],
): R | { ok: false; problems: Problem[] } {
  if (holds.length === 0) return result;
  return { ok: false, problems: [...holds, ...(result.ok ? [] : result.problems)] };
}
