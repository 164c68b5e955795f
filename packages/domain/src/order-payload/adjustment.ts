import { SMAREGI_MONEY_MAX } from '../limits.js';
import type { ProductIndex } from '../product-index.js';
import { show, type ReportProblem } from './checks.js';
import { settingProduct } from './setting-product.js';
import type { PayloadSettings, SourcedDetail } from './types.js';

/** The product name Smaregi shows for the adjustment line. */
export const ADJUSTMENT_LINE_NAME = '調整額';

/** What the order's 調整額 adds to the payload. */
export interface AdjustmentEffect {
  /** False when the amount is not a usable integer, so the total cannot be judged. */
  known: boolean;
  /** A positive adjustment: the amount its line adds to the goods (also when its product is missing). */
  lineAmount: number;
  /** A negative adjustment: its absolute value, added to `totalPromotionDiscount`. */
  promotion: number;
  /** The extra detail line of a positive adjustment, once its product is found. */
  line: SourcedDetail | null;
}

/**
 * 調整額 > 0 becomes one line of the `adjustmentProductCode` product, quantity 1, price = the
 * amount; 調整額 < 0 becomes a promotion discount (Smaregi requires that field to be ≥ 0); 0 adds
 * nothing.
 */
export function readAdjustment(
  value: unknown,
  settings: PayloadSettings,
  products: ProductIndex,
  report: ReportProblem,
): AdjustmentEffect {
  const amount = value ?? 0;
  const none: AdjustmentEffect = { known: true, lineAmount: 0, promotion: 0, line: null };
  if (
    typeof amount !== 'number' ||
    !Number.isSafeInteger(amount) ||
    Math.abs(amount) > SMAREGI_MONEY_MAX
  ) {
    report('adjustmentInvalid', 'adjustment', { value: show(amount), max: SMAREGI_MONEY_MAX });
    return { ...none, known: false };
  }
  if (amount < 0) return { ...none, promotion: -amount };
  if (amount === 0) return none;

  const positive = { ...none, lineAmount: amount };
  const setting = settings.adjustmentProductCode;
  if (setting === null || setting === '') {
    report('adjustmentProductCodeNotSet', 'settings.adjustmentProductCode', { value: amount });
    return positive;
  }
  const ref = settingProduct(products, setting);
  if (ref === null) {
    report('adjustmentProductNotFound', 'settings.adjustmentProductCode', { code: setting });
    return positive;
  }
  const detail = {
    productId: ref.productId,
    productCode: ref.productCode,
    productName: ADJUSTMENT_LINE_NAME,
    salesPrice: amount,
    quantity: 1,
  };
  return { ...positive, line: { detail, source: { kind: 'adjustment' } } };
}
