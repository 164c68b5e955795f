import {
  isSmaregiApiError,
  type OrderStore,
  type PaymentMethod,
  type SmaregiContract,
  type Store,
} from '@renkei/smaregi-client';
import { AppError } from '../errors.js';
import type { TenantScope } from '../services/scope.js';

/** Live lists are read while the merchant waits: give up after this long with a clear error. */
const LIVE_TIMEOUT_MS = 8000;

/** The Smaregi calls of the tenant's contract; refused while the connection is not 有効化済み. */
export async function contractOf(scope: TenantScope): Promise<SmaregiContract> {
  const connection = await scope.repos.connection.getOrCreate();
  if (connection.status !== 'active' || connection.contractId == null) {
    throw new AppError('PRECONDITION_FAILED', {
      ja:
        connection.status === 'reauthRequired'
          ? 'スマレジの再認証が必要です([認証]からやり直してください)'
          : 'スマレジと未接続です。先に[認証]で接続してください',
      en:
        connection.status === 'reauthRequired'
          ? 'Smaregi needs re-authorisation'
          : 'Not connected to Smaregi yet: use [認証] first',
    });
  }
  return scope.deps.smaregi.forContract(connection.contractId);
}

/**
 * Runs a live Smaregi read for the admin. An answer that means the grant is gone marks the
 * connection 要再認証 with the reason (the merchant sees red, not "connected but failing");
 * other failures (simulator not up, timeouts, 5xx) become a BAD_GATEWAY error for this request
 * only, and the next request simply tries again.
 */
export async function live<T>(
  scope: TenantScope,
  read: (contract: SmaregiContract, signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const contract = await contractOf(scope);
  try {
    return await read(contract, AbortSignal.timeout(LIVE_TIMEOUT_MS));
  } catch (error) {
    if (isSmaregiApiError(error) && (error.needsReauthorization || error.kind === 'unauthorized')) {
      const connection = await scope.repos.connection.getOrCreate();
      connection.status = 'reauthRequired';
      connection.statusReason = error.oauthError ?? 'unauthorized';
      connection.statusChangedAt = scope.deps.now();
      connection.lastError = error.message;
      await scope.em.flush();
    }
    if (error instanceof Error && error.name === 'TimeoutError') {
      throw new AppError('BAD_GATEWAY', {
        ja: 'スマレジからの応答がありません。しばらくしてから再度お試しください',
        en: 'Smaregi did not answer in time; please try again shortly',
      });
    }
    throw error;
  }
}

/** 受注店舗 of the contract, read live (every page: 受注管理 pages hold at most 100). */
export function liveOrderStores(scope: TenantScope): Promise<OrderStore[]> {
  return live(scope, async (c, signal) => {
    const stores: OrderStore[] = [];
    for await (const store of c.orderShipment.stores.iterate({}, { signal })) stores.push(store);
    return stores;
  });
}

/** Smaregi payment methods of the contract, read live. */
export function livePaymentMethods(scope: TenantScope): Promise<PaymentMethod[]> {
  return live(scope, (c, signal) => c.pos.paymentMethods.list({ limit: 1000 }, { signal }));
}

/** POS stores and warehouses of the contract, read live (what a 受注店舗's 倉庫 can be). */
export function livePosStores(scope: TenantScope): Promise<Store[]> {
  return live(scope, async (c, signal) => {
    const stores: Store[] = [];
    for await (const store of c.pos.stores.iterate({}, { signal, limit: 1000 })) stores.push(store);
    return stores;
  });
}
