import { normalizeCode } from '../codes.js';
import type { ProductIndex, SmaregiProductRef } from '../product-index.js';

/**
 * The one Smaregi product a product-code setting (調整額用商品番号, ダミー商品番号) names, or null
 * when no product or more than one has that code: a setting never picks among several.
 */
export function settingProduct(products: ProductIndex, code: string): SmaregiProductRef | null {
  const refs = products.byProductCode(normalizeCode(code));
  return refs.length === 1 && refs[0] !== undefined ? refs[0] : null;
}
