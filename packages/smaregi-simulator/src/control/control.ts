import type { CallbackDelivery, SimulatorContext, SimulatorQuirks } from '../context.js';
import type { RateLimits } from '../api-host/rate-limit.js';
import type { Prng } from '../lib/prng.js';
import { formatJst } from '../lib/time.js';
import type { ProductInput } from '../state/catalog.js';
import type { AppRegistration, ContractState } from '../state/contract.js';
import type { StockChange } from '../state/stock.js';
import type { Order, OrderStore, PosProduct, StockRow } from '../state/types.js';
import type { WebhookBehaviour, WebhookDelivery, WebhookEndpoint } from '../webhooks/dispatcher.js';
import type { AppSubscriptionAction } from '../webhooks/events.js';
import { asControlError, ControlError, controlContract } from './control-error.js';
import type { FaultSettings } from './faults.js';
import type { JournalEntry, JournalQuery } from './journal.js';
import {
  addOneProduct,
  seedProducts,
  setModeledSurface,
  updateOrderStore,
  type ModeledSurface,
  type OrderStoreUpdate,
  type SeedProductsInput,
} from './merchant-data.js';
import {
  addApp,
  addContract,
  addContracts,
  sendAppSubscription,
  uninstallApp,
  type AddContractInput,
  type AddContractsInput,
} from './platform-setup.js';
import {
  adjustStock,
  PosActivity,
  posSale,
  type PosSaleInput,
  type StockAdjustmentInput,
} from './pos-activity.js';

export { ControlError } from './control-error.js';
export type { OrderStoreUpdate, SeedProductsInput } from './merchant-data.js';
export type { AddContractInput, AddContractsInput } from './platform-setup.js';
export type { PosSaleInput, StockAdjustmentInput } from './pos-activity.js';

const sleepImmediate = (): Promise<void> => new Promise((r) => setImmediate(r));

const isHttpUrl = (url: string): boolean => /^https?:\/\/\S+$/.test(url);

/**
 * The control API the real Smaregi does not have: seed data, emulate POS activity, read the
 * journal, switch faults, expire tokens, steer webhooks. Available in-process (`control`) and
 * over HTTP under `/__sim` on the API host. Each group of calls lives in its own file of this
 * folder (pos-activity.ts, merchant-data.ts, platform-setup.ts); this class is their one door.
 */
export class SimulatorControl {
  private readonly activity: PosActivity;

  constructor(
    private readonly ctx: SimulatorContext,
    private readonly seedShop: (contract: ContractState) => void,
    /** Seeded generator for emulated POS activity. */
    activityRng: Prng,
  ) {
    this.activity = new PosActivity(ctx, activityRng);
  }

  /** The simulator clock. */
  now(): Date {
    return this.ctx.now();
  }

  private contract(contractId?: string): ContractState {
    return controlContract(this.ctx, contractId);
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

  /**
   * Sets the faults of every contract, or with `contractId` one contract's own (they replace the
   * default for its requests, e.g. one merchant whose Smaregi answers slowly).
   */
  setFaults(settings: FaultSettings & { contractId?: string }): void {
    const { contractId, ...rest } = settings;
    if (contractId !== undefined) this.contract(contractId);
    asControlError(() => this.ctx.faults.set(rest, contractId));
  }

  /** The faults that apply to a contract, or the default ones. */
  faults(contractId?: string): FaultSettings {
    return this.ctx.faults.get(contractId);
  }

  /** Clears one contract's own faults, or (no argument) every fault. */
  clearFaults(contractId?: string): void {
    this.ctx.faults.clear(contractId);
  }

  /**
   * Sets the per (app, contract) limits of every contract without its own, or `false` to switch
   * rate limiting off; with `contractId`, that contract's own limits (`null`: back to the default).
   */
  setRateLimits(limits: RateLimits | false | null, contractId?: string): void {
    if (contractId === undefined) {
      if (limits === null) throw new ControlError('rate limits: null needs a contractId');
      asControlError(() => this.ctx.rateLimiter.setLimits(limits));
      return;
    }
    this.contract(contractId);
    asControlError(() => this.ctx.rateLimiter.setContractLimits(contractId, limits));
  }

  /** The limits that apply to a contract (its own, else the default), or the default ones. */
  rateLimits(contractId?: string): RateLimits | false {
    return contractId === undefined
      ? this.ctx.rateLimiter.getLimits()
      : this.ctx.rateLimiter.limitsFor(this.contract(contractId).contractId);
  }

  /**
   * Fault "token expiry now": every access token issued so far (of one contract when given) stops
   * working. Returns how many.
   */
  expireTokens(contractId?: string): number {
    if (contractId !== undefined) this.contract(contractId);
    return this.ctx.tokens.expireAll(contractId);
  }

  // --- webhooks ----------------------------------------------------------------------------

  setWebhookEndpoint(endpoint: WebhookEndpoint | null): void {
    if (endpoint && !isHttpUrl(endpoint.url))
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
    if (url !== null && !isHttpUrl(url))
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
    asControlError(() => this.ctx.webhooks.setBehaviour(behaviour));
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

  // --- POS activity (pos-activity.ts) --------------------------------------------------------

  /**
   * Emulates a sale at a POS store: each stock-managed line lowers the store's stock; sends
   * `pos:transactions` (created) and `pos:stock` (edited). Returns the transaction ID and changes.
   */
  posSale(input: PosSaleInput): { transactionHeadId: string; stockChanges: StockChange[] } {
    return posSale(this.ctx, input);
  }

  /**
   * Starts emulated register activity for demos: every `intervalMs` (real time) a sale of 1-2
   * random stock-managed products in a random POS store of the contract, drawn from the seed.
   * Sales that would take stock below zero are skipped. Returns immediately; see stopPosActivity.
   */
  startPosActivity(input: { contractId?: string; intervalMs: number }): void {
    this.activity.start(input);
  }

  /** Stops emulated register activity (also done by close()). */
  stopPosActivity(): void {
    this.activity.stop();
  }

  /** Emulates a stock adjustment (在庫調整) in a store; sends `pos:stock` (edited). */
  adjustStock(input: StockAdjustmentInput): StockChange {
    return adjustStock(this.ctx, input);
  }

  // --- merchant data (merchant-data.ts) ------------------------------------------------------

  /** Adds many products at once (benchmarks); no webhooks. Returns the ID range. */
  seedProducts(input: SeedProductsInput): {
    count: number;
    firstProductId: string | null;
    lastProductId: string | null;
  } {
    return seedProducts(this.ctx, input);
  }

  /** Adds one product (sends `pos:products` created, as if created in the admin screen). */
  addProduct(input: ProductInput & { contractId?: string }): PosProduct {
    return addOneProduct(this.ctx, input);
  }

  /**
   * Changes a 受注店舗 as the merchant would in Smaregi's admin screen (在庫同期 tab, 自動処理,
   * 販売区分, 休止): e.g. to show Renkei's readiness checks reacting.
   */
  updateOrderStore(input: OrderStoreUpdate): OrderStore {
    return updateOrderStore(this.ctx, input);
  }

  /**
   * Switches the unpublished parts of 受注管理 on or off for a contract (see
   * `ContractState.modeledSurface`): to check that Renkei works without them. Returns the state.
   */
  setModeledSurface(input: { contractId?: string } & Partial<ModeledSurface>): ModeledSurface {
    return setModeledSurface(this.ctx, input);
  }

  // --- apps and contracts (platform-setup.ts) ------------------------------------------------

  /** Registers another app (developer portal), e.g. to prove that codes are bound to their client. */
  addApp(input: AppRegistration): void {
    addApp(this.ctx, input);
  }

  /** Creates another contract that subscribed to an app (tenant-isolation tests). */
  addContract(input: AddContractInput): void {
    addContract(this.ctx, input, this.seedShop);
  }

  /** Many contracts, each its own installation, limits, data and faults (benchmarks). */
  addContracts(input: AddContractsInput): string[] {
    return addContracts(this.ctx, input, this.seedShop);
  }

  /** The contract stops using the app: its tokens are revoked and `AppSubscription` end is sent. */
  uninstallApp(input: { contractId: string; clientId?: string }): void {
    uninstallApp(this.ctx, input);
  }

  /** Sends an app subscription notice (利用者通知) without changing anything. */
  sendAppSubscription(input: {
    contractId?: string;
    clientId?: string;
    action: AppSubscriptionAction;
  }): void {
    sendAppSubscription(this.ctx, input);
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
