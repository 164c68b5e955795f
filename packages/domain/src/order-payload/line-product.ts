import type { MessageParams, ProblemCode } from '../messages.js';
import { resolveLineProduct, type ProductIndex, type SmaregiProductRef } from '../product-index.js';
import { settingProduct } from './setting-product.js';

/** Why a line has no Smaregi product, as a problem to report on that line. */
export interface LineProductFailure {
  code: ProblemCode;
  field: string;
  params: MessageParams;
}

/** The Smaregi product of a line; `dummy` when it is the ダミー商品 (the line has no codes). */
export interface LineProduct {
  ref: SmaregiProductRef;
  dummy: boolean;
}

/** The key a line is resolved by, in the merchant's words. */
const keyNames = {
  managementNumber: { keyJa: '商品管理番号', keyEn: 'management number' },
  productCode: { keyJa: '商品番号', keyEn: 'product code' },
} as const;

/**
 * The Smaregi product of an OMS line: found by its 商品管理番号 or 商品番号 (see
 * `resolveLineProduct`), or, for a line with neither code, the ダミー商品番号 product, so that a
 * hand-written line can still be registered under its own name.
 */
export function lineProduct(
  line: { productCode?: unknown; managementNumber?: unknown },
  lineIndex: number,
  dummyProductCode: string | null,
  products: ProductIndex,
): LineProduct | LineProductFailure {
  const lineNo = lineIndex + 1;
  const r = resolveLineProduct(products, line);
  if (r.status === 'found') return { ref: r.ref, dummy: false };
  if (r.status !== 'noCodes')
    return {
      code: r.status === 'notFound' ? 'productNotFound' : 'productAmbiguous',
      field: `lines.${lineIndex}.${r.via}`,
      params: { line: lineNo, code: r.key, ...keyNames[r.via] },
    };
  if (dummyProductCode === null || dummyProductCode === '')
    return {
      code: 'dummyProductCodeNotSet',
      field: 'settings.dummyProductCode',
      params: { line: lineNo },
    };
  const dummy = settingProduct(products, dummyProductCode);
  if (dummy !== null) return { ref: dummy, dummy: true };
  return {
    code: 'dummyProductNotFound',
    field: 'settings.dummyProductCode',
    params: { code: dummyProductCode },
  };
}
