import { listOf } from './list.js';
import { normalizeCode } from './codes.js';
import { problem, type Problem } from './messages.js';

/*
 * The product index resolves an OMS line's codes to the Smaregi product that holds its stock.
 *
 * Keys are normalised with `normalizeCode`, so `ＴＳ－００１` on an order finds the product
 * imported as `TS-001`. Two key spaces are kept apart:
 * - 商品管理番号 (management number): the SKU, e.g. `TS-001-RED-M`;
 * - 商品番号 (product code): the listed product, plus the Smaregi product code itself.
 * A key that belongs to two different products is ambiguous; resolving it is a problem, never a
 * guess.
 */

/** The Smaregi identity of a product: what an order detail line carries. */
export interface SmaregiProductRef {
  productId: string;
  productCode: string;
}

/** One imported product (出品商品 after import) as the index needs it. */
export interface ProductIndexEntry extends SmaregiProductRef {
  /** The OMS 商品番号 of the listed product, when it differs from the Smaregi code. */
  omsProductCode?: string | null;
  /** The OMS 商品管理番号 (SKU). */
  managementNumber?: string | null;
}

/**
 * Lookup of Smaregi products by normalised key. Each method returns every product with the key
 * (normally zero or one). Integrators may implement it over their own storage; {@link
 * createProductIndex} builds one in memory.
 */
export interface ProductIndex {
  byManagementNumber(key: string): readonly SmaregiProductRef[];
  byProductCode(key: string): readonly SmaregiProductRef[];
}

/** Result of {@link createProductIndex}: the index and the keys shared by several products. */
export interface ProductIndexBuild {
  index: ProductIndex;
  problems: Problem[];
}

const EMPTY: readonly SmaregiProductRef[] = [];

function add(map: Map<string, SmaregiProductRef[]>, rawKey: unknown, ref: SmaregiProductRef): void {
  const key = normalizeCode(rawKey);
  if (key === '') return;
  const refs = map.get(key);
  if (refs === undefined) map.set(key, [ref]);
  else if (!refs.some((r) => r.productId === ref.productId)) refs.push(ref);
}

/**
 * Builds an in-memory {@link ProductIndex}. Every product is findable by its Smaregi product code
 * and its OMS product code (商品番号), and by its management number (商品管理番号) when it has
 * one. Keys used by more than one product are reported as `duplicateProductKey` problems (with an
 * empty `orderNumber`) and stay ambiguous in the index.
 */
export function createProductIndex(entries: readonly ProductIndexEntry[]): ProductIndexBuild {
  const byMgmt = new Map<string, SmaregiProductRef[]>();
  const byCode = new Map<string, SmaregiProductRef[]>();
  const list: readonly ProductIndexEntry[] = listOf(entries);
  for (const entry of list) {
    if (typeof entry?.productId !== 'string' || typeof entry.productCode !== 'string') continue;
    const ref: SmaregiProductRef = { productId: entry.productId, productCode: entry.productCode };
    add(byCode, entry.productCode, ref);
    add(byCode, entry.omsProductCode, ref);
    add(byMgmt, entry.managementNumber, ref);
  }
  const problems: Problem[] = [];
  const report = (
    map: Map<string, SmaregiProductRef[]>,
    keyJa: string,
    keyEn: string,
    field: string,
  ) => {
    for (const [code, refs] of map)
      if (refs.length > 1)
        problems.push(
          problem(
            'duplicateProductKey',
            { orderNumber: '', field },
            {
              keyJa,
              keyEn,
              code,
              productIds: refs.map((r) => r.productId).join(', '),
            },
          ),
        );
  };
  report(byMgmt, '商品管理番号', 'Management number', 'managementNumber');
  report(byCode, '商品番号', 'Product code', 'productCode');
  return {
    index: {
      byManagementNumber: (key) => byMgmt.get(key) ?? EMPTY,
      byProductCode: (key) => byCode.get(key) ?? EMPTY,
    },
    problems,
  };
}

/** How an order line's product was found, or why it was not. */
export type LineProductResolution =
  | { status: 'found'; ref: SmaregiProductRef; via: 'managementNumber' | 'productCode' }
  | { status: 'noCodes' }
  | { status: 'notFound' | 'ambiguous'; via: 'managementNumber' | 'productCode'; key: string };

/**
 * Resolves an order line's codes to one Smaregi product: by 商品管理番号 when the line has one
 * (the SKU holds the stock; a listed product's 商品番号 is shared by all its variations), else by
 * 商品番号. An unknown management number does not fall back to the product code, since that could
 * book another variation's stock. Both codes are normalised first; blank codes count as absent.
 */
export function resolveLineProduct(
  index: ProductIndex,
  line: { productCode?: unknown; managementNumber?: unknown },
): LineProductResolution {
  const mgmt = normalizeCode(line.managementNumber);
  if (mgmt !== '') return pickOne(index.byManagementNumber(mgmt), 'managementNumber', mgmt);
  const code = normalizeCode(line.productCode);
  if (code !== '') return pickOne(index.byProductCode(code), 'productCode', code);
  return { status: 'noCodes' };
}

function pickOne(
  refs: readonly SmaregiProductRef[],
  via: 'managementNumber' | 'productCode',
  key: string,
): LineProductResolution {
  const [first] = refs;
  if (refs.length === 1 && first !== undefined) return { status: 'found', ref: first, via };
  return { status: refs.length === 0 ? 'notFound' : 'ambiguous', via, key };
}
