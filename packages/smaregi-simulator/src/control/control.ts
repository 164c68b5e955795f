import { DEMO_CLIENT_ID, DEMO_CONTRACT_ID } from '../constants.js';
import type { CallbackDelivery, SimulatorContext, SimulatorQuirks } from '../context.js';
import type { RateLimits } from '../api-host/rate-limit.js';
import type { Prng } from '../lib/prng.js';
import { formatJst, formatJstDate } from '../lib/time.js';
import { addProduct, type ProductInput } from '../state/catalog.js';
import type { AppRegistration, ContractState } from '../state/contract.js';
import { MAX_STOCK, type StockChange } from '../state/stock.js';
import type { Order, OrderStore, PosProduct, StockRow } from '../state/types.js';
import type { WebhookBehaviour, WebhookDelivery, WebhookEndpoint } from '../webhooks/dispatcher.js';
import {
  emitAppSubscription,
  emitProducts,
  emitStock,
  emitTransactions,
  type AppSubscriptionAction,
} from '../webhooks/events.js';
import type { FaultSettings } from './faults.js';
import type { JournalEntry, JournalQuery } from './journal.js';

/** Bad input to a control call (the HTTP control API answers 400 with the message). */
export class ControlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ControlError';
  }
}

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

export interface AddContractInput {
  contractId: string;
  /** The app that is installed (default the demo app). */
  clientId?: string;
  /** Approved scopes (default every scope the app has). */
  scopes?: string[];
  /** A login user for the consent screen. */
  user?: { loginId: string; password: string; name?: string };
  /** Give the contract the demo shop's data too. */
  withDemoShop?: boolean;
}

const sleepImmediate = (): Promise<void> => new Promise((r) => setImmediate(r));

/**
 * The control API the real Smaregi does not have: seed data, emulate POS activity, read the
 * journal, switch faults, expire tokens, steer webhooks. Available in-process (`control`) and
 * over HTTP under `/__sim` on the API host.
 */
export class SimulatorControl {
  private activity: NodeJS.Timeout | null = null;

  constructor(
    private readonly ctx: SimulatorContext,
    private readonly seedShop: (contract: ContractState) => void,
    /** Seeded generator for emulated POS activity. */
    private readonly activityRng: Prng,
  ) {}

  /** The simulator clock. */
  now(): Date {
    return this.ctx.now();
  }

  private contract(contractId = DEMO_CONTRACT_ID): ContractState {
    const c = this.ctx.platform.contract(contractId);
    if (!c) throw new ControlError(`契約[${contractId}]は存在しません`);
    return c;
  }

  // --- journal ---------------------------------------------------------------------------

  /** Every request received, oldest first (filterable). */
  journal(query: JournalQuery = {}): JournalEntry[] {
    return this.ctx.journal.list(query);
  }

  clearJournal(): void {
    this.ctx.journal.clear();
  }

  // --- faults, limits, tokens --------------------------------------------------------------

  setFaults(settings: FaultSettings): void {
    try {
      this.ctx.faults.set(settings);
    } catch (error) {
      throw new ControlError((error as Error).message);
    }
  }

  faults(): FaultSettings {
    return this.ctx.faults.get();
  }

  clearFaults(): void {
    this.ctx.faults.clear();
  }

  /** Sets the per (app, contract) limits, or `false` to switch rate limiting off. */
  setRateLimits(limits: RateLimits | false): void {
    try {
      this.ctx.rateLimiter.setLimits(limits);
    } catch (error) {
      throw new ControlError((error as Error).message);
    }
  }

  rateLimits(): RateLimits | false {
    return this.ctx.rateLimiter.getLimits();
  }

  /** Fault "token expiry now": every access token issued so far stops working. Returns how many. */
  expireTokens(): number {
    return this.ctx.tokens.expireAll();
  }

  // --- webhooks ----------------------------------------------------------------------------

  setWebhookEndpoint(endpoint: WebhookEndpoint | null): void {
    if (endpoint && !/^https?:\/\/\S+$/.test(endpoint.url))
      throw new ControlError('webhook.url はhttp(s)のURLで指定してください');
    if (endpoint && !/^[A-Za-z0-9-]+$/.test(endpoint.secretHeaderName)) {
      throw new ControlError(
        'webhook.secretHeaderName はHTTPヘッダー名として使える文字で指定してください',
      );
    }
    this.ctx.webhooks.setEndpoint(endpoint);
  }

  webhookEndpoint(): WebhookEndpoint | null {
    return this.ctx.webhooks.getEndpoint();
  }

  /** The app's 利用者契約通知先URL (`AppSubscription` notices, no secret header), or null. */
  setAppSubscriptionUrl(url: string | null): void {
    if (url !== null && !/^https?:\/\/\S+$/.test(url))
      throw new ControlError('appSubscriptionUrl はhttp(s)のURLで指定してください');
    this.ctx.webhooks.setAppSubscriptionUrl(url);
  }

  appSubscriptionUrl(): string | null {
    return this.ctx.webhooks.getAppSubscriptionUrl();
  }

  /** Switches behaviour the sources leave open (see `SimulatorQuirks`). */
  setQuirks(quirks: Partial<SimulatorQuirks>): SimulatorQuirks {
    for (const [name, value] of Object.entries(quirks)) {
      if (!(name in this.ctx.quirks)) throw new ControlError(`unknown quirk: ${name}`);
      if (typeof value !== 'boolean') throw new ControlError(`${name} must be true or false`);
    }
    Object.assign(this.ctx.quirks, quirks);
    return this.quirks();
  }

  quirks(): SimulatorQuirks {
    return { ...this.ctx.quirks };
  }

  setWebhookBehaviour(behaviour: WebhookBehaviour): void {
    try {
      this.ctx.webhooks.setBehaviour(behaviour);
    } catch (error) {
      throw new ControlError((error as Error).message);
    }
  }

  webhookBehaviour(): WebhookBehaviour {
    return this.ctx.webhooks.getBehaviour();
  }

  /** Every webhook attempt (sent, failed, dropped, or not sent for want of an endpoint). */
  webhookDeliveries(): WebhookDelivery[] {
    return this.ctx.webhooks.deliveries();
  }

  clearWebhookDeliveries(): void {
    this.ctx.webhooks.clearDeliveries();
  }

  /** Bulk-stock callbacks POSTed so far. */
  callbacks(): CallbackDelivery[] {
    return this.ctx.callbacks.map((c) => ({ ...c }));
  }

  /**
   * Waits until background work (bulk stock) and queued webhooks are done. With `now: true`,
   * delayed webhooks are sent at once.
   */
  async flush(options: { now?: boolean } = {}): Promise<void> {
    for (;;) {
      await sleepImmediate();
      if (this.ctx.background.size > 0) {
        await Promise.all([...this.ctx.background]);
        continue;
      }
      await this.ctx.webhooks.flush(options);
      if (this.ctx.background.size === 0) return;
    }
  }

  // --- POS activity ------------------------------------------------------------------------

  /**
   * Emulates a sale at a POS store: each stock-managed line lowers the store's stock; sends
   * `pos:transactions` (created) and `pos:stock` (edited). Returns the transaction ID and changes.
   */
  posSale(input: PosSaleInput): { transactionHeadId: string; stockChanges: StockChange[] } {
    const contract = this.contract(input.contractId);
    if (!contract.posStore(input.storeId))
      throw new ControlError(`storeId[${input.storeId}]はPOS店舗ではありません`);
    if (input.lines.length === 0) throw new ControlError('lines は1件以上指定してください');
    for (const [i, line] of input.lines.entries()) {
      if (!contract.products.get(line.productId))
        throw new ControlError(`lines[${i}].productId[${line.productId}]の商品が見つかりません`);
      if (!Number.isInteger(line.quantity) || line.quantity < 1)
        throw new ControlError(`lines[${i}].quantity は1以上の整数で指定してください`);
    }
    const now = this.ctx.now();
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
    emitTransactions(this.ctx, contract.contractId, [transactionHeadId]);
    emitStock(this.ctx, contract.contractId, 'edited', changes);
    return { transactionHeadId, stockChanges: changes };
  }

  /**
   * Starts emulated register activity for demos: every `intervalMs` (real time) a sale of 1-2
   * random stock-managed products in a random POS store of the contract, drawn from the seed.
   * Sales that would take stock below zero are skipped. Returns immediately; see stopPosActivity.
   */
  startPosActivity(input: { contractId?: string; intervalMs: number }): void {
    const contract = this.contract(input.contractId);
    if (!Number.isInteger(input.intervalMs) || input.intervalMs < 50) {
      throw new ControlError('intervalMs は50以上の整数(ミリ秒)で指定してください');
    }
    const stores = [...contract.stores.values()].flatMap((r) =>
      r.kind === 'pos' && r.store.division === '1' ? [r.store.storeId] : [],
    );
    if (stores.length === 0) throw new ControlError('POS店舗がありません');
    this.stopPosActivity();
    const rng = this.activityRng;
    this.activity = setInterval(() => {
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
      if (lines.length > 0) this.posSale({ contractId: contract.contractId, storeId, lines });
    }, input.intervalMs);
    this.activity.unref();
  }

  /** Stops emulated register activity (also done by close()). */
  stopPosActivity(): void {
    if (this.activity) clearInterval(this.activity);
    this.activity = null;
  }

  /** Emulates a stock adjustment (在庫調整) in a store; sends `pos:stock` (edited). */
  adjustStock(input: StockAdjustmentInput): StockChange {
    const contract = this.contract(input.contractId);
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
      this.ctx.now().getTime(),
    );
    emitStock(this.ctx, contract.contractId, 'edited', [change]);
    return change;
  }

  // --- data --------------------------------------------------------------------------------

  /** Adds many products at once (benchmarks); no webhooks. Returns the ID range. */
  seedProducts(input: SeedProductsInput): {
    count: number;
    firstProductId: string | null;
    lastProductId: string | null;
  } {
    const contract = this.contract(input.contractId);
    if (!Number.isInteger(input.count) || input.count < 0 || input.count > 1_000_000) {
      throw new ControlError('count は0以上1,000,000以下の整数で指定してください');
    }
    const categoryId = input.categoryId ?? contract.categories.keys().next().value;
    if (!categoryId || !contract.categories.has(categoryId))
      throw new ControlError('部門がありません(categoryId)');
    const prefix = input.codePrefix ?? 'SIM';
    const now = this.ctx.now();
    let first: string | null = null;
    let last: string | null = null;
    let n = contract.products.size;
    for (let i = 0; i < input.count; i++) {
      let code: string;
      do code = `${prefix}${String(++n).padStart(8, '0')}`;
      while (contract.products.getByCode(code));
      if (code.length > 20)
        throw new ControlError('codePrefix が長すぎます(商品コードは20文字以内)');
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

  /** Adds one product (sends `pos:products` created, as if created in the admin screen). */
  addProduct(input: ProductInput & { contractId?: string }): PosProduct {
    const { contractId, ...fields } = input;
    const contract = this.contract(contractId);
    if (contract.products.getByCode(fields.productCode))
      throw new ControlError(`productCode[${fields.productCode}]は既に登録されています`);
    if (!contract.categories.has(fields.categoryId))
      throw new ControlError(`categoryId[${fields.categoryId}]の部門が見つかりません`);
    const p = addProduct(contract, fields, this.ctx.now());
    emitProducts(this.ctx, contract.contractId, 'created', [p.productId]);
    return { ...p };
  }

  /** Registers another app (developer portal), e.g. to prove that codes are bound to their client. */
  addApp(input: AppRegistration): void {
    if (this.ctx.platform.apps.has(input.clientId))
      throw new ControlError(`clientId[${input.clientId}]は既に登録されています`);
    for (const uri of input.redirectUris) {
      if (!URL.canParse(uri)) throw new ControlError(`redirectUris: URLではありません: ${uri}`);
    }
    this.ctx.platform.apps.set(input.clientId, {
      ...input,
      scopes: [...input.scopes],
      redirectUris: [...input.redirectUris],
    });
  }

  /**
   * Changes a 受注店舗 as the merchant would in Smaregi's admin screen (在庫同期 tab, 自動処理,
   * 販売区分, 休止): e.g. to show Renkei's readiness checks reacting.
   */
  updateOrderStore(input: OrderStoreUpdate): OrderStore {
    const contract = this.contract(input.contractId);
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

  /**
   * Switches the unpublished parts of 受注管理 on or off for a contract (see
   * `ContractState.modeledSurface`): to check that Renkei works without them. Returns the state.
   */
  setModeledSurface(input: {
    contractId?: string;
    orderShipmentStock?: boolean;
    orderStoreStockFields?: boolean;
  }): { orderShipmentStock: boolean; orderStoreStockFields: boolean } {
    const surface = this.contract(input.contractId).modeledSurface;
    if (input.orderShipmentStock !== undefined)
      surface.orderShipmentStock = input.orderShipmentStock;
    if (input.orderStoreStockFields !== undefined)
      surface.orderStoreStockFields = input.orderStoreStockFields;
    return { ...surface };
  }

  /** Creates another contract that subscribed to an app (tenant-isolation tests). */
  addContract(input: AddContractInput): void {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(input.contractId))
      throw new ControlError('contractId は英数字・_・- で指定してください');
    if (this.ctx.platform.contract(input.contractId))
      throw new ControlError(`契約[${input.contractId}]は既に存在します`);
    const clientId = input.clientId ?? DEMO_CLIENT_ID;
    const app = this.ctx.platform.apps.get(clientId);
    if (!app) throw new ControlError(`clientId[${clientId}]のアプリが見つかりません`);
    const scopes = input.scopes ?? [...app.scopes];
    const contract = this.ctx.platform.addContract(input.contractId);
    this.ctx.platform.install(input.contractId, clientId, scopes);
    if (input.user) {
      contract.users.set(input.user.loginId, {
        loginId: input.user.loginId,
        password: input.user.password,
        userId: '1',
        name: input.user.name ?? input.user.loginId,
        email: input.user.loginId,
        isOwner: true,
      });
    }
    if (input.withDemoShop) this.seedShop(contract);
    emitAppSubscription(
      this.ctx,
      input.contractId,
      clientId,
      'start',
      formatJstDate(this.ctx.now()),
    );
  }

  /** The contract stops using the app: its tokens are revoked and `AppSubscription` end is sent. */
  uninstallApp(input: { contractId: string; clientId?: string }): void {
    const clientId = input.clientId ?? DEMO_CLIENT_ID;
    this.contract(input.contractId);
    this.ctx.platform.uninstall(input.contractId, clientId);
    this.ctx.tokens.revokeContract(input.contractId, clientId);
    emitAppSubscription(this.ctx, input.contractId, clientId, 'end', formatJstDate(this.ctx.now()));
  }

  /** Sends an app subscription notice (利用者通知) without changing anything. */
  sendAppSubscription(input: {
    contractId?: string;
    clientId?: string;
    action: AppSubscriptionAction;
  }): void {
    const contractId = input.contractId ?? DEMO_CONTRACT_ID;
    this.contract(contractId);
    emitAppSubscription(
      this.ctx,
      contractId,
      input.clientId ?? DEMO_CLIENT_ID,
      input.action,
      formatJstDate(this.ctx.now()),
    );
  }

  // --- reads (for assertions) ----------------------------------------------------------------

  product(productId: string, contractId?: string): PosProduct | undefined {
    const p = this.contract(contractId).products.get(productId);
    return p ? { ...p } : undefined;
  }

  productByCode(productCode: string, contractId?: string): PosProduct | undefined {
    const p = this.contract(contractId).products.getByCode(productCode);
    return p ? { ...p } : undefined;
  }

  /** A stock row with its allocated quantity, or undefined if the row does not exist yet. */
  stock(
    storeId: string,
    productId: string,
    contractId?: string,
  ): (StockRow & { allocatedAmount: number; updDateTime: string }) | undefined {
    const c = this.contract(contractId);
    const row = c.stock.get(storeId, productId);
    return row
      ? {
          ...row,
          allocatedAmount: c.stock.allocatedAmount(storeId, productId),
          updDateTime: formatJst(new Date(row.updMs)),
        }
      : undefined;
  }

  order(orderHeadId: string, contractId?: string): Order | undefined {
    const o = this.contract(contractId).orders.get(orderHeadId);
    return o ? structuredClone(o) : undefined;
  }

  orders(contractId?: string): Order[] {
    return [...this.contract(contractId).orders.values()].map((o) => structuredClone(o));
  }

  /** Counts per resource (for the start banner and `/__sim/state`). */
  summary(contractId?: string): Record<string, number> {
    const c = this.contract(contractId);
    let pos = 0;
    let orderStores = 0;
    for (const r of c.stores.values())
      if (r.kind === 'pos') pos++;
      else orderStores++;
    return {
      products: c.products.size,
      categories: c.categories.size,
      posStores: pos,
      orderStores,
      stockRows: c.stock.rowsList().length,
      paymentMethods: c.paymentMethods.size,
      orders: c.orders.size,
    };
  }
}
