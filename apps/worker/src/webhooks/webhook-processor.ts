import {
  forkEm,
  tenantRepositories,
  WebhookEvent,
  SmaregiConnection,
  type Em,
} from '@renkei/persistence';
import {
  isSmaregiApiError,
  parseWebhookEvent,
  type SmaregiWebhookEvent,
} from '@renkei/smaregi-client';
import { upsertPage } from '../products/product-import.js';
import { stopRequested, type WorkerDeps } from '../deps.js';
import type { OrderEvents } from '../orders/order-events.js';
import { backoffMs, isTransientRead, smaregiReason } from '../smaregi/outcome.js';
import type { StockSync } from '../stock/stock-sync.js';
import { activeTenants, type ActiveTenant } from '../tenants/active-tenants.js';

/** Priority of webhook re-reads in the contract's budget (like orders: they change orders). */
const WEBHOOK_PRIORITY = 20;

/**
 * Processes the webhook inbox (docs/reliability.md item 8): the API stored each delivery once per
 * `Smaregi-Event-Id`; here each event is handled as a re-read of current state, so duplicates,
 * shuffled order and late deliveries all end in the state Smaregi has now. Events of a tenant
 * whose integration is off stay in the inbox until it is on (except app subscription notices,
 * which always apply).
 */
export class WebhookProcessor {
  /** Transient failures of an event in this process: when to try again and how often it failed. */
  readonly #retry = new Map<string, { at: number; failures: number }>();
  /** Events processed since start, by event type (tests, bench). */
  processed = 0;

  constructor(
    private readonly deps: WorkerDeps,
    private readonly stock: StockSync,
    private readonly orderEvents: OrderEvents,
    private readonly subscription: (
      tenantId: string,
      contractId: string,
      action: string,
    ) => Promise<void>,
  ) {}

  async tick({ signal, em }: { signal: AbortSignal; em: Em }): Promise<boolean> {
    if (stopRequested(this.deps, signal)) return false;
    const active = new Map((await activeTenants(em)).map((t) => [t.tenantId, t]));
    const batch = 100;
    // Only what may run now: events of active tenants, and subscription notices of anyone (so a
    // switched-off tenant's backlog never starves the others).
    const events = await em.find(
      WebhookEvent,
      {
        state: 'received',
        $or: [{ tenant: { $in: [...active.keys()] } }, { event: 'AppSubscription' }],
      },
      { orderBy: { receivedAt: 'asc', id: 'asc' }, limit: batch },
    );
    em.clear();
    this.deps.metrics.webhooksWaiting.set(events.length);
    const now = this.deps.clock.now();
    for (const row of events) {
      // Each event is new work: none begins after the stop request (they stay in the inbox).
      if (stopRequested(this.deps, signal)) break;
      if ((this.#retry.get(row.id)?.at ?? 0) > now) continue;
      const tenant = active.get(row.tenant.id);
      const isSubscription = row.event === 'AppSubscription';
      if (tenant === undefined && !isSubscription) continue;
      try {
        const event = parseWebhookEvent(
          {
            'smaregi-event-id': row.eventId,
            'smaregi-event': row.event,
            'smaregi-contract-id': row.contractId,
          },
          row.body,
        );
        const outcome = await this.handle(
          event,
          tenant ?? { tenantId: row.tenant.id, contractId: row.contractId },
          signal,
        );
        await this.finish(row.id, outcome === 'ignored' ? 'ignored' : 'processed', null);
        this.processed++;
        this.#retry.delete(row.id);
      } catch (error) {
        if (signal.aborted) break;
        const failures = (this.#retry.get(row.id)?.failures ?? 0) + 1;
        if (isTransientRead(error)) {
          const { retryBaseMs, retryMaxMs } = this.deps.settings;
          const wait = backoffMs(
            failures,
            retryBaseMs,
            retryMaxMs,
            this.deps.random ?? Math.random,
          );
          this.#retry.set(row.id, { at: now + wait, failures });
          await this.finish(row.id, 'received', smaregiReason(error));
        } else {
          await this.finish(row.id, 'failed', smaregiReason(error));
        }
      }
    }
    return events.length === batch;
  }

  async handle(
    event: SmaregiWebhookEvent,
    tenant: ActiveTenant,
    signal: AbortSignal,
  ): Promise<'done' | 'ignored'> {
    switch (event.type) {
      case 'pos:stock':
        await this.stock.refreshProducts(
          tenant,
          event.ids.map((i) => i.productId),
          signal,
        );
        return 'done';
      case 'order-shipment:orders': {
        const orders = this.deps.smaregi.forContract(tenant.contractId).orderShipment.orders;
        const touched: string[] = [];
        for (const headId of event.orderHeadIds) {
          const remote = await orders.get(headId, { signal, priority: WEBHOOK_PRIORITY });
          const result = await this.orderEvents.applyRemote(tenant, remote);
          if (result !== 'unknownOrder') touched.push(...remote.details.map((d) => d.productId));
        }
        // Shipping and cancelling change Smaregi's stock / allocation of these products.
        if (touched.length > 0) await this.stock.refreshProducts(tenant, touched, signal);
        return 'done';
      }
      case 'pos:products': {
        // Edited in Smaregi: bring the known listed products in step (same matching as the
        // import). New products arrive through the merchant's import (スマレジから新規商品情報一括
        // 取得), and deletions are left to the merchant: orders may still refer to the product.
        if (event.action === 'deleted' || event.productIds.length === 0) return 'ignored';
        const pos = this.deps.smaregi.forContract(tenant.contractId).pos.products;
        const products = [];
        for (const id of event.productIds) {
          try {
            products.push(await pos.get(id, { signal, priority: 0 }));
          } catch (error) {
            if (isSmaregiApiError(error) && error.kind === 'not_found') continue;
            throw error;
          }
        }
        await upsertPage(
          forkEm(this.deps.orm),
          tenant.tenantId,
          products,
          new Date(this.deps.clock.now()),
          {
            createNew: false,
          },
        );
        return 'done';
      }
      case 'AppSubscription':
        await this.subscription(tenant.tenantId, event.contractId, event.action);
        return 'done';
      default:
        return 'ignored';
    }
  }

  async finish(
    id: string,
    state: 'processed' | 'ignored' | 'failed' | 'received',
    error: string | null,
  ): Promise<void> {
    const em = forkEm(this.deps.orm);
    await em.nativeUpdate(
      WebhookEvent,
      { id },
      state === 'received'
        ? { lastError: error }
        : { state, processedAt: new Date(this.deps.clock.now()), lastError: error },
    );
  }
}

/**
 * App subscription notices (利用者通知). `end` (and `force-stop`): stop calling for the contract,
 * destroy its tokens, and tell the merchant (connection 要再認証 with the reason, a sync event).
 */
export async function applySubscriptionNotice(
  deps: WorkerDeps,
  tenantId: string,
  contractId: string,
  action: string,
): Promise<void> {
  if (action !== 'end' && action !== 'force-stop') return;
  const em = forkEm(deps.orm);
  await em.transactional(async (tx) => {
    const repos = tenantRepositories(tx, tenantId);
    await tx.nativeUpdate(
      SmaregiConnection,
      { tenant: tenantId, contractId },
      {
        status: 'reauthRequired',
        statusReason:
          action === 'end' ? 'app subscription ended' : 'app subscription force-stopped',
        statusChangedAt: new Date(deps.clock.now()),
      },
    );
    const destroyed = await repos.tokens.destroyAll();
    repos.syncEvents.record({
      subjectType: 'connection',
      subjectId: null,
      kind: 'connection.subscriptionEnded',
      outcome: 'failure',
      message:
        action === 'end'
          ? `スマレジでアプリの利用が終了されました。連携を停止し、保存していたトークン(${destroyed}件)を破棄しました。再開するにはアプリを再インストールして[認証]してください / The app subscription ended in Smaregi: syncing stopped and ${destroyed} stored token(s) destroyed`
          : `スマレジによりアプリの利用が停止されました。連携を停止し、トークン(${destroyed}件)を破棄しました / The app was force-stopped by Smaregi: syncing stopped and ${destroyed} token(s) destroyed`,
      detail: { action, contractId },
    });
  });
  await deps.smaregi.forgetToken(contractId);
  deps.logger.warn(
    { tenantId, contractId, action },
    'app subscription ended: calls stopped, tokens destroyed',
  );
}
