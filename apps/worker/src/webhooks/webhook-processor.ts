import { CallPriority } from '@renkei/domain';
import {
  forkEm,
  tenantRepositories,
  WorkerQueries,
  type Em,
  type InboxEvent,
  type OperationLedger,
} from '@renkei/persistence';
import {
  isSmaregiApiError,
  parseWebhookEvent,
  storedWebhookHeaders,
  type SmaregiWebhookEvent,
} from '@renkei/smaregi-client';
import { upsertPage } from '../products/product-import.js';
import { readSettings } from '../orders/order-view.js';
import { stopRequested, type WorkerDeps } from '../deps.js';
import type { OrderEvents } from '../orders/order-events.js';
import { createLedger } from '../smaregi/ledger.js';
import { isTransientRead, smaregiReason } from '../smaregi/outcome.js';
import type { StockSync } from '../stock/stock-sync.js';
import type { ActiveTenant } from '../tenants/active-tenants.js';
import { requireReauthorization } from '../tenants/reauth.js';

const APPLY_KIND = 'applyWebhook' as const;

/**
 * Processes the webhook inbox (docs/reliability.md item 8): the API stored each delivery once per
 * `Smaregi-Event-Id`; here each event is handled as a re-read of current state, so duplicates,
 * shuffled order and late deliveries all end in the state Smaregi has now. Events of a tenant
 * whose integration is off stay in the inbox until it is on (except app subscription notices,
 * which always apply).
 */
export class WebhookProcessor {
  /** Events processed since start, by event type (tests, bench). */
  processed = 0;
  readonly #ledger: OperationLedger;

  constructor(
    private readonly deps: WorkerDeps,
    private readonly stock: StockSync,
    private readonly orderEvents: OrderEvents,
    private readonly subscription: (
      tenantId: string,
      contractId: string,
      action: string,
    ) => Promise<void>,
  ) {
    this.#ledger = createLedger(deps);
  }

  async tick({ signal, em }: { signal: AbortSignal; em: Em }): Promise<boolean> {
    if (stopRequested(this.deps, signal)) return false;
    const queries = new WorkerQueries(em);
    const active = new Map((await queries.activeTenants()).map((t) => [t.tenantId, t]));
    const batch = 100;
    // Only what may run now: events of active tenants, and subscription notices of anyone (so a
    // switched-off tenant's backlog never starves the others); events backing off wait.
    const events = await queries.webhookInbox(
      [...active.keys()],
      new Date(this.deps.clock.now()),
      batch,
    );
    this.deps.metrics.webhooksWaiting.set(events.length);
    for (const row of events) {
      // Each event is new work: none begins after the stop request (they stay in the inbox).
      if (stopRequested(this.deps, signal)) break;
      const tenant = active.get(row.tenantId);
      if (tenant === undefined && row.event !== 'AppSubscription') continue;
      const handled = await this.#apply(
        row,
        tenant ?? { tenantId: row.tenantId, contractId: row.contractId },
        signal,
      );
      if (handled === 'aborted') break;
    }
    return events.length === batch;
  }

  /**
   * One delivery through the ledger (`applyWebhook`, `webhook:<id>`): claimed with a lease, then
   * processed and closed in one transaction; a passing failure (Smaregi unreachable, 429) backs off
   * on the row — so the retry state survives a restart and is shared by every worker — and any
   * other failure closes the delivery as failed with the reason.
   */
  async #apply(
    row: InboxEvent,
    tenant: ActiveTenant,
    signal: AbortSignal,
  ): Promise<'done' | 'skipped' | 'aborted'> {
    const entry = await this.#ledger.open(row.tenantId, APPLY_KIND, `webhook:${row.id}`, {
      type: 'webhookEvent',
      id: row.id,
    });
    if (entry.verdict !== 'claimable') {
      if (entry.verdict === 'succeeded' || entry.verdict === 'failed')
        await this.#finish(row.id, entry.verdict === 'succeeded' ? 'processed' : 'failed', null);
      return 'skipped';
    }
    const claim = await this.#ledger.claim(entry);
    if (claim === null) return 'skipped';
    try {
      const event = parseWebhookEvent(storedWebhookHeaders(row), row.body);
      const outcome = await this.handle(event, tenant, signal);
      await forkEm(this.deps.orm).transactional(async (tx) => {
        await this.#ledger.succeed(tx, claim, null);
        await new WorkerQueries(tx).finishWebhook(
          row.id,
          outcome === 'ignored' ? 'ignored' : 'processed',
          null,
          new Date(this.deps.clock.now()),
        );
      });
      this.processed++;
      return 'done';
    } catch (error) {
      const reason = smaregiReason(error);
      if (signal.aborted) {
        await this.#ledger.release(claim, 'pending', reason, 0);
        return 'aborted';
      }
      if (isTransientRead(error)) {
        await this.#ledger.release(claim, 'pending', reason);
        await this.#finish(row.id, 'received', reason);
      } else {
        await forkEm(this.deps.orm).transactional(async (tx) => {
          await this.#ledger.fail(tx, claim, reason);
          await new WorkerQueries(tx).finishWebhook(
            row.id,
            'failed',
            reason,
            new Date(this.deps.clock.now()),
          );
        });
      }
      return 'done';
    }
  }

  #finish(id: string, state: 'processed' | 'failed' | 'received', error: string | null) {
    return new WorkerQueries(forkEm(this.deps.orm)).finishWebhook(
      id,
      state,
      error,
      new Date(this.deps.clock.now()),
    );
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
          event.ids.map((i) => i.storeId),
        );
        return 'done';
      case 'order-shipment:orders': {
        const orders = this.deps.smaregi.forContract(tenant.contractId).orderShipment.orders;
        const touched: string[] = [];
        for (const headId of event.orderHeadIds) {
          const remote = await orders.get(headId, { signal, priority: CallPriority.webhookReread });
          const result = await this.orderEvents.applyRemote(tenant, remote);
          if (result !== 'unknownOrder') touched.push(...remote.details.map((d) => d.productId));
        }
        // Shipping and cancelling change Smaregi's stock / allocation of these products: marked
        // for the stock loop, coalesced with the marks of the events applied above.
        await tenantRepositories(forkEm(this.deps.orm), tenant.tenantId).stockMarks.request(
          touched,
        );
        return 'done';
      }
      case 'pos:products': {
        // Created or edited in Smaregi: with 商品連携設定 [連携する], taken into the product list
        // by itself (same matching as the import: new products are created, known ones updated).
        // Deletions are left to the merchant: orders may still refer to the product.
        if (event.action === 'deleted' || event.productIds.length === 0) return 'ignored';
        if (!(await readSettings(forkEm(this.deps.orm), tenant)).productSyncEnabled) {
          await this.#productsNotTaken(tenant, event.productIds);
          return 'ignored';
        }
        const pos = this.deps.smaregi.forContract(tenant.contractId).pos.products;
        const products = [];
        for (const id of event.productIds) {
          try {
            products.push(await pos.get(id, { signal, priority: CallPriority.products }));
          } catch (error) {
            if (isSmaregiApiError(error) && error.kind === 'not_found') continue;
            throw error;
          }
        }
        const counts = await upsertPage(
          forkEm(this.deps.orm),
          tenant.tenantId,
          products,
          new Date(this.deps.clock.now()),
        );
        if (counts.created + counts.updated > 0) {
          const log = forkEm(this.deps.orm);
          tenantRepositories(log, tenant.tenantId).syncEvents.record({
            subjectType: 'product',
            kind: 'product.followedSmaregi',
            outcome: 'success',
            message: {
              code: 'productsFollowedSmaregi',
              params: { created: counts.created, updated: counts.updated },
            },
            detail: { productIds: event.productIds },
          });
          await log.flush();
        }
        return 'done';
      }
      case 'AppSubscription':
        await this.subscription(tenant.tenantId, event.contractId, event.action);
        return 'done';
      default:
        return 'ignored';
    }
  }

  /** Says in the sync log why a product change in Smaregi did not reach the product list. */
  async #productsNotTaken(tenant: ActiveTenant, productIds: readonly string[]): Promise<void> {
    const em = forkEm(this.deps.orm);
    tenantRepositories(em, tenant.tenantId).syncEvents.record({
      subjectType: 'product',
      kind: 'product.changeNotTaken',
      outcome: 'info',
      message: { code: 'productChangeNotTaken', params: { productIds: productIds.join(',') } },
      detail: { productIds: [...productIds] },
    });
    await em.flush();
  }
}

/**
 * App subscription notices (利用者通知). `end` (and `force-stop`): stop calling for the contract,
 * destroy its tokens, and tell the merchant (connection 要再認証 with the reason, a sync event).
 *
 * The notice's URL carries no secret (docs/smaregi-wire.md §8), so anyone who knows a contract ID
 * and the app's public client ID could post one. It is acted on only when Smaregi agrees: an app
 * token request for the contract is refused (`unauthorized`). When Smaregi still grants a token,
 * the notice is ignored and the merchant sees that it was; when Smaregi cannot be asked (down,
 * rate limited), the error is thrown and the delivery is tried again later.
 */
export async function applySubscriptionNotice(
  deps: WorkerDeps,
  tenantId: string,
  contractId: string,
  action: string,
): Promise<void> {
  if (action !== 'end' && action !== 'force-stop') return;
  if (!(await smaregiRefusesContract(deps, contractId))) {
    deps.logger.warn(
      { tenantId, contractId, action },
      'app subscription notice not confirmed by Smaregi (an app token is still granted): ignored',
    );
    const em = forkEm(deps.orm);
    tenantRepositories(em, tenantId).syncEvents.record({
      subjectType: 'connection',
      kind: 'connection.subscriptionNoticeUnconfirmed',
      outcome: 'warning',
      message: { code: 'connectionNoticeUnconfirmed', params: { action } },
      detail: { action, contractId },
    });
    await em.flush();
    return;
  }
  const ended = action === 'end';
  await requireReauthorization(
    deps,
    { tenantId, contractId },
    {
      reason: ended ? 'app subscription ended' : 'app subscription force-stopped',
      destroyTokens: true,
      event: {
        kind: 'connection.subscriptionEnded',
        message: (destroyed) =>
          ended
            ? { code: 'connectionSubscriptionEnded', params: { destroyed } }
            : { code: 'connectionForceStopped', params: { destroyed } },
        detail: { action, contractId },
      },
    },
  );
}

/** True when Smaregi refuses an app token for the contract (the app is no longer used there). */
async function smaregiRefusesContract(deps: WorkerDeps, contractId: string): Promise<boolean> {
  try {
    await deps.smaregi.auth.requestAppToken(contractId);
    return false;
  } catch (error) {
    if (isSmaregiApiError(error) && error.kind === 'unauthorized') return true;
    throw error;
  }
}
