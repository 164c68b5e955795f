import type { SimulatorContext } from '../context.js';
import type { Prng } from '../lib/prng.js';
import { MAX_STOCK, type StockChange } from '../state/stock.js';
import type { PosProduct } from '../state/types.js';
import { emitStock, emitTransactions } from '../webhooks/events.js';
import { ControlError, controlContract } from './control-error.js';

/*
 * What happens at the merchant's registers and in their stores without Renkei: sales rung up at a
 * POS register and stock adjustments, each sending the webhooks the real Smaregi sends.
 */

/** A sale rung up at a POS register (レジ): each line takes stock out of the store. */
export interface PosSaleInput {
  contractId?: string;
  storeId: string;
  lines: { productId: string; quantity: number }[];
}

/** A stock adjustment in a store: `amount` relative (+/-) or `stockAmount` absolute. */
export interface StockAdjustmentInput {
  contractId?: string;
  storeId: string;
  productId: string;
  amount?: number;
  stockAmount?: number;
  memo?: string;
}

/**
 * A sale at a POS store: each stock-managed line lowers the store's stock; sends
 * `pos:transactions` (created) and `pos:stock` (edited).
 */
export function posSale(
  ctx: SimulatorContext,
  input: PosSaleInput,
): { transactionHeadId: string; stockChanges: StockChange[] } {
  const contract = controlContract(ctx, input.contractId);
  if (!contract.posStore(input.storeId))
    throw new ControlError(`storeId[${input.storeId}]はPOS店舗ではありません`);
  if (input.lines.length === 0) throw new ControlError('lines は1件以上指定してください');
  for (const [i, line] of input.lines.entries()) {
    if (!contract.products.get(line.productId))
      throw new ControlError(`lines[${i}].productId[${line.productId}]の商品が見つかりません`);
    if (!Number.isInteger(line.quantity) || line.quantity < 1)
      throw new ControlError(`lines[${i}].quantity は1以上の整数で指定してください`);
  }
  const now = ctx.now();
  const transactionHeadId = contract.newTransactionHeadId();
  const changes: StockChange[] = [];
  for (const line of input.lines) {
    const product = contract.products.get(line.productId) as PosProduct;
    if (product.stockControlDivision === '1') continue;
    changes.push(
      contract.stock.add(
        input.storeId,
        line.productId,
        -line.quantity,
        `取引 ${transactionHeadId}`,
        now.getTime(),
      ),
    );
  }
  emitTransactions(ctx, contract.contractId, [transactionHeadId]);
  emitStock(ctx, contract.contractId, 'edited', changes);
  return { transactionHeadId, stockChanges: changes };
}

/** A stock adjustment (在庫調整) in a store; sends `pos:stock` (edited). */
export function adjustStock(ctx: SimulatorContext, input: StockAdjustmentInput): StockChange {
  const contract = controlContract(ctx, input.contractId);
  if (!contract.posStore(input.storeId))
    throw new ControlError(`storeId[${input.storeId}]はPOS店舗・倉庫ではありません`);
  if (!contract.products.get(input.productId))
    throw new ControlError(`productId[${input.productId}]の商品が見つかりません`);
  if ((input.amount === undefined) === (input.stockAmount === undefined)) {
    throw new ControlError('amount(相対)と stockAmount(絶対)のどちらか一方を指定してください');
  }
  const current = contract.stock.amount(input.storeId, input.productId);
  const next = input.stockAmount ?? current + (input.amount ?? 0);
  if (!Number.isInteger(next) || Math.abs(next) > MAX_STOCK)
    throw new ControlError(`更新後の在庫数は±${MAX_STOCK}の整数である必要があります`);
  const change = contract.stock.set(
    input.storeId,
    input.productId,
    next,
    input.memo ?? '在庫調整',
    ctx.now().getTime(),
  );
  emitStock(ctx, contract.contractId, 'edited', [change]);
  return change;
}

/**
 * Emulated register activity for demos: every `intervalMs` (real time) a sale of 1-2 random
 * stock-managed products in a random POS store of the contract, drawn from the seed. Sales that
 * would take stock below zero are skipped.
 */
export class PosActivity {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly ctx: SimulatorContext,
    /** Seeded generator, so that a demo's sales are the same from run to run. */
    private readonly rng: Prng,
  ) {}

  /** Starts (or restarts) the activity; returns immediately. */
  start(input: { contractId?: string; intervalMs: number }): void {
    const contract = controlContract(this.ctx, input.contractId);
    if (!Number.isInteger(input.intervalMs) || input.intervalMs < 50) {
      throw new ControlError('intervalMs は50以上の整数(ミリ秒)で指定してください');
    }
    const stores = [...contract.stores.values()].flatMap((r) =>
      r.kind === 'pos' && r.store.division === '1' ? [r.store.storeId] : [],
    );
    if (stores.length === 0) throw new ControlError('POS店舗がありません');
    this.stop();
    const rng = this.rng;
    this.timer = setInterval(() => {
      const storeId = rng.pick(stores);
      const products = contract.products.all();
      if (products.length === 0) return;
      const lines: { productId: string; quantity: number }[] = [];
      for (let i = rng.int(1, 2); i > 0; i--) {
        const p = rng.pick(products);
        if (
          p.stockControlDivision === '0' &&
          contract.stock.amount(storeId, p.productId) >= 1 &&
          !lines.some((l) => l.productId === p.productId)
        ) {
          lines.push({ productId: p.productId, quantity: 1 });
        }
      }
      if (lines.length > 0) posSale(this.ctx, { contractId: contract.contractId, storeId, lines });
    }, input.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
