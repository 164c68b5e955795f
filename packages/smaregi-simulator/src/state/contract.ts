import { ProductTable } from './products.js';
import { StockTable } from './stock.js';
import type { Order, OrderStore, PaymentMethod, PosCategory, PosStore } from './types.js';

/**
 * A store of either kind; POS stores, warehouses and 受注店舗 share one ID space (docs/smaregi-wire.md
 * §4.4).
 */
export type StoreRecord = { kind: 'pos'; store: PosStore } | { kind: 'order'; store: OrderStore };

/** Everything one Smaregi contract (契約) holds. Contracts never see each other's data. */
export class ContractState {
  readonly products = new ProductTable();
  readonly categories = new Map<string, PosCategory>();
  readonly stores = new Map<string, StoreRecord>();
  readonly stock = new StockTable();
  readonly paymentMethods = new Map<string, PaymentMethod>();
  readonly orders = new Map<string, Order>();
  /** `${storeId}\u0000${orderCode}` → orderHeadId (duplicate 受注番号 check). */
  readonly orderCodes = new Map<string, string>();
  /** orderDetailId → stock reserved for it in a warehouse (modeled 在庫引当). */
  readonly reservations = new Map<
    string,
    { storeId: string; productId: string; quantity: number }
  >();
  /**
   * Which unpublished (modeled) parts of 受注管理 this contract answers; control
   * `setModeledSurface`. No public source shows them, so Renkei must also work when the real
   * Smaregi has neither (docs/smaregi-wire.md §11): `orderShipmentStock` off makes
   * `GET /order-shipment/stock` answer 404, `orderStoreStockFields` off leaves `stockStoreId` and
   * `autoAllocation` out of the 受注店舗 object (the store keeps allocating by them inside).
   */
  readonly modeledSurface = { orderShipmentStock: true, orderStoreStockFields: true };
  /** The user that can log in on the consent screen. */
  readonly users = new Map<
    string,
    {
      loginId: string;
      password: string;
      userId: string;
      name: string;
      email: string;
      isOwner: boolean;
    }
  >();

  private nextProductId = 8000001;
  private nextCategoryId = 1;
  private nextStoreId = 1;
  private nextPaymentMethodId = 1;
  private nextOrderHeadId = 1;
  private nextOrderDetailId = 1;
  private nextBulkRequestId = 1;
  private nextTransactionHeadId = 1;

  constructor(readonly contractId: string) {}

  newProductId(): string {
    return String(this.nextProductId++);
  }
  newCategoryId(): string {
    return String(this.nextCategoryId++);
  }
  newStoreId(): string {
    return String(this.nextStoreId++);
  }
  newPaymentMethodId(): string {
    return String(this.nextPaymentMethodId++);
  }
  newOrderHeadId(): string {
    return String(this.nextOrderHeadId++);
  }
  newOrderDetailId(): string {
    return String(this.nextOrderDetailId++);
  }
  newBulkRequestId(): number {
    return this.nextBulkRequestId++;
  }
  newTransactionHeadId(): string {
    return String(this.nextTransactionHeadId++);
  }

  /** A POS store or warehouse (not a 受注店舗). */
  posStore(storeId: string): PosStore | undefined {
    const r = this.stores.get(storeId);
    return r?.kind === 'pos' ? r.store : undefined;
  }

  /** A 受注店舗 (not a POS store or warehouse). */
  orderStore(storeId: string): OrderStore | undefined {
    const r = this.stores.get(storeId);
    return r?.kind === 'order' ? r.store : undefined;
  }

  orderCodeKey(storeId: string, orderCode: string): string {
    return `${storeId}\u0000${orderCode}`;
  }
}

/** A registered app (アプリ) of the developer portal. */
export interface AppRegistration {
  clientId: string;
  clientSecret: string;
  name: string;
  /** Scopes enabled for the app in the developer portal. */
  scopes: readonly string[];
  redirectUris: readonly string[];
}

/** The whole simulated platform: apps, contracts and which contract approved which app. */
export class PlatformState {
  readonly apps = new Map<string, AppRegistration>();
  readonly contracts = new Map<string, ContractState>();
  /** contractId → clientId → approved scopes (the contract subscribed to the app). */
  readonly installations = new Map<string, Map<string, readonly string[]>>();

  contract(contractId: string): ContractState | undefined {
    return this.contracts.get(contractId);
  }

  /** Creates an empty contract (or returns the existing one). */
  addContract(contractId: string): ContractState {
    let c = this.contracts.get(contractId);
    if (!c) {
      c = new ContractState(contractId);
      this.contracts.set(contractId, c);
    }
    return c;
  }

  /** Records that `contractId` subscribed to the app and approved `scopes`. */
  install(contractId: string, clientId: string, scopes: readonly string[]): void {
    let byApp = this.installations.get(contractId);
    if (!byApp) {
      byApp = new Map();
      this.installations.set(contractId, byApp);
    }
    byApp.set(clientId, [...scopes]);
  }

  uninstall(contractId: string, clientId: string): void {
    this.installations.get(contractId)?.delete(clientId);
  }

  approvedScopes(contractId: string, clientId: string): readonly string[] | undefined {
    return this.installations.get(contractId)?.get(clientId);
  }
}
