import type { SimulatorContext } from '../context.js';
import { addProduct, type ProductInput } from '../state/catalog.js';
import type { OrderStore, PosProduct } from '../state/types.js';
import { emitProducts } from '../webhooks/events.js';
import { ControlError, controlContract } from './control-error.js';

/*
 * What the merchant keeps in Smaregi's admin screen: products and the settings of a 受注店舗, plus
 * the switches for the parts of 受注管理 that are not published.
 */

/** Settings of a 受注店舗 the merchant can change in Smaregi's admin screen. */
export interface OrderStoreUpdate {
  contractId?: string;
  storeId: string;
  stockStoreId?: string | null;
  autoAllocation?: boolean;
  sellDivision?: 'included' | 'excluded';
  pauseFlag?: boolean;
}

export interface SeedProductsInput {
  contractId?: string;
  count: number;
  /** Default: the contract's first category. */
  categoryId?: string;
  /** Product codes are `${codePrefix}${n}` (default `SIM`), unique within the contract. */
  codePrefix?: string;
}

/** Which unpublished parts of 受注管理 a contract answers (see `ContractState.modeledSurface`). */
export interface ModeledSurface {
  orderShipmentStock: boolean;
  orderStoreStockFields: boolean;
}

/** Adds many products at once (benchmarks); no webhooks. Returns the ID range. */
export function seedProducts(
  ctx: SimulatorContext,
  input: SeedProductsInput,
): { count: number; firstProductId: string | null; lastProductId: string | null } {
  const contract = controlContract(ctx, input.contractId);
  if (!Number.isInteger(input.count) || input.count < 0 || input.count > 1_000_000) {
    throw new ControlError('count は0以上1,000,000以下の整数で指定してください');
  }
  const categoryId = input.categoryId ?? contract.categories.keys().next().value;
  if (!categoryId || !contract.categories.has(categoryId))
    throw new ControlError('部門がありません(categoryId)');
  const prefix = input.codePrefix ?? 'SIM';
  const now = ctx.now();
  let first: string | null = null;
  let last: string | null = null;
  let n = contract.products.size;
  for (let i = 0; i < input.count; i++) {
    let code: string;
    do code = `${prefix}${String(++n).padStart(8, '0')}`;
    while (contract.products.getByCode(code));
    if (code.length > 20) throw new ControlError('codePrefix が長すぎます(商品コードは20文字以内)');
    const p = addProduct(
      contract,
      {
        categoryId,
        productCode: code,
        productName: `シミュレーター商品 ${n}`,
        price: String(100 * ((n % 100) + 1)),
        taxDivision: '0',
      },
      now,
    );
    first ??= p.productId;
    last = p.productId;
  }
  return { count: input.count, firstProductId: first, lastProductId: last };
}

/** Adds one product and sends `pos:products` created, as if created in the admin screen. */
export function addOneProduct(
  ctx: SimulatorContext,
  input: ProductInput & { contractId?: string },
): PosProduct {
  const { contractId, ...fields } = input;
  const contract = controlContract(ctx, contractId);
  if (contract.products.getByCode(fields.productCode))
    throw new ControlError(`productCode[${fields.productCode}]は既に登録されています`);
  if (!contract.categories.has(fields.categoryId))
    throw new ControlError(`categoryId[${fields.categoryId}]の部門が見つかりません`);
  const p = addProduct(contract, fields, ctx.now());
  emitProducts(ctx, contract.contractId, 'created', [p.productId]);
  return { ...p };
}

/** Changes a 受注店舗 (在庫同期 tab, 自動処理, 販売区分, 休止) and returns it. */
export function updateOrderStore(ctx: SimulatorContext, input: OrderStoreUpdate): OrderStore {
  const contract = controlContract(ctx, input.contractId);
  const store = contract.orderStore(input.storeId);
  if (!store) throw new ControlError(`storeId[${input.storeId}]は受注店舗ではありません`);
  if (input.stockStoreId != null && !contract.posStore(input.stockStoreId)) {
    throw new ControlError(`stockStoreId[${input.stockStoreId}]はPOS店舗・倉庫ではありません`);
  }
  if (
    input.sellDivision !== undefined &&
    input.sellDivision !== 'included' &&
    input.sellDivision !== 'excluded'
  ) {
    throw new ControlError('sellDivision は included または excluded で指定してください');
  }
  if (input.stockStoreId !== undefined) store.stockStoreId = input.stockStoreId;
  if (input.autoAllocation !== undefined) store.autoAllocation = input.autoAllocation;
  if (input.sellDivision !== undefined) store.sellDivision = input.sellDivision;
  if (input.pauseFlag !== undefined) store.pauseFlag = input.pauseFlag;
  return { ...store };
}

/** Switches the unpublished parts of 受注管理 on or off for a contract; returns the state. */
export function setModeledSurface(
  ctx: SimulatorContext,
  input: { contractId?: string } & Partial<ModeledSurface>,
): ModeledSurface {
  const surface = controlContract(ctx, input.contractId).modeledSurface;
  if (input.orderShipmentStock !== undefined) surface.orderShipmentStock = input.orderShipmentStock;
  if (input.orderStoreStockFields !== undefined)
    surface.orderStoreStockFields = input.orderStoreStockFields;
  return { ...surface };
}
