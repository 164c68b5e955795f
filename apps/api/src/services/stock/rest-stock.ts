import { normalizeCode } from '@renkei/domain';
import {
  changeFeedPage,
  parseSettings,
  productStockFigures,
  stockLevelsByProduct,
  stockWarehouseOf,
  type ListedProduct,
  type StockLevel,
} from '@renkei/persistence';
import { AppError, fieldError, invalid } from '../../errors.js';
import { cursorAfter, type FeedQuery } from '../feeds/feed-query.js';
import type { FeedPage } from '../feeds/order-feed.js';
import { stockFiguresView } from '../products.js';
import type { TenantScope } from '../scope.js';

/*
 * Stock as the REST API v1 shows it (`GET /api/v1/stock`, `GET /api/v1/stock/{productCode}`):
 * a listed product's 有効在庫数 as Renkei last computed it (the worker's stock sync, by the
 * domain's `computeEffectiveStock`; what the admin's 出品商品一覧 shows), with the stored figures
 * it came from — the stock and allocated amounts, and Smaregi's stock per store as Renkei last
 * read it. One product's answer adds its breakdown under the current settings
 * (`productStockFigures`, the admin's [内訳]): the same facts and rule, run at the request.
 */

/** A product's stock item: the same in the feed and in the answer for one product. */
export function stockItemOf(
  product: ListedProduct,
  levels: readonly Pick<StockLevel, 'smaregiStoreId' | 'stockAmount' | 'allocatedAmount'>[],
) {
  return {
    productCode: product.productCode,
    name: product.name,
    smaregiProductId: product.smaregiProductId ?? null,
    effectiveStock: product.effectiveStock ?? null,
    stockAmount: product.stockAmount ?? null,
    allocatedAmount: product.allocatedAmount ?? null,
    /** An event changed what the figures come from; Renkei recomputes them shortly. */
    recomputeDue: product.stockRecomputeRequests > 0,
    stockUpdatedAt: product.stockUpdatedAt?.toISOString() ?? null,
    stores: levels.map((l) => ({
      smaregiStoreId: l.smaregiStoreId,
      stockAmount: l.stockAmount,
      allocatedAmount: l.allocatedAmount,
    })),
  };
}
export type StockItem = ReturnType<typeof stockItemOf>;

/** The tenant's stock settings now: how the figures are computed and which store counts. */
async function stockSettingsOf(scope: Pick<TenantScope, 'repos'>) {
  const settings = parseSettings(await scope.repos.settings.get());
  const byWarehouse = settings.stockBasis === 'orderStoreWarehouse';
  const warehouse = byWarehouse ? await stockWarehouseOf(scope.repos) : null;
  return {
    settings,
    view: {
      stockBasis: settings.stockBasis,
      effectiveStockMode: settings.effectiveStockMode,
      warehouseStoreId: warehouse?.storeId ?? null,
    },
  };
}

/**
 * A page of the tenant's stock change feed (@renkei/persistence changes/change-feed.ts): the
 * products whose stock figures changed, each as {@link stockItemOf}, and the settings now.
 */
export async function stockFeedPage(
  scope: TenantScope,
  query: FeedQuery,
): Promise<
  FeedPage & {
    products: StockItem[];
    settings: Awaited<ReturnType<typeof stockSettingsOf>>['view'];
  }
> {
  const page = await changeFeedPage(scope.em, 'stock', scope.tenantId, {
    after: query.after,
    changedSince: query.updatedSince,
    limit: query.limit,
  });
  const ids = page.rows.map((r) => r.id);
  const [loaded, levels, settings] = await Promise.all([
    ids.length === 0 ? [] : scope.repos.products.find({ id: { $in: ids } }),
    stockLevelsByProduct(scope.repos, ids),
    stockSettingsOf(scope),
  ]);
  const byId = new Map(loaded.map((p) => [p.id, p]));
  const last = page.rows.at(-1) ?? query.after;
  return {
    products: ids.flatMap((id) => {
      const product = byId.get(id);
      return product === undefined ? [] : [stockItemOf(product, levels.get(id) ?? [])];
    }),
    settings: settings.view,
    nextCursor: cursorAfter(scope.tenantId, 'stock', last, query.updatedSince),
    hasMore: page.more,
  };
}

/**
 * `GET /api/v1/stock/{productCode}`: the product's stock item and its breakdown under the current
 * settings. The code is matched as the product list matches it (NFKC, trimmed); a product the
 * tenant does not list is a 404 naming productCode.
 */
export async function stockOfProduct(scope: TenantScope, productCode: string) {
  // Longer than any stored code (100 characters): not a product code at all.
  if (productCode.length > 100)
    throw invalid([
      fieldError(
        'productCode',
        '商品番号は100文字以下で指定してください',
        'productCode must be at most 100 characters',
      ),
    ]);
  const key = normalizeCode(productCode);
  const product = key === '' ? null : await scope.repos.products.findByCodeKey(key);
  if (product === null)
    throw new AppError(
      'NOT_FOUND',
      {
        ja: `商品番号 ${productCode} の出品商品が見つかりません`,
        en: `No listed product with the product code ${productCode}`,
      },
      [
        fieldError(
          'productCode',
          'この商品番号の出品商品はありません',
          'No listed product has this product code',
        ),
      ],
      { productCode },
    );
  const settings = parseSettings(await scope.repos.settings.get());
  const figures = await productStockFigures(scope.repos, product, settings);
  return {
    product: stockItemOf(product, figures.rows),
    figures: stockFiguresView(figures),
  };
}
