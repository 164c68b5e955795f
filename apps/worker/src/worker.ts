import { randomUUID } from 'node:crypto';
import { forkEm, type Em } from '@renkei/persistence';
import type { WorkerDeps } from './deps.js';
import { JobRunner } from './jobs/job-runner.js';
import { TableJobQueue } from './jobs/job-queue.js';
import { Loop, type TickFn } from './lifecycle/loop.js';
import { OrderActions } from './orders/order-actions.js';
import { OrderSync } from './orders/order-sync.js';
import { releaseDeadInFlight } from './orders/recover.js';
import { OrderEvents } from './orders/order-events.js';
import { ProductImport } from './products/product-import.js';
import { BulkShipping } from './shipping/bulk-shipping.js';
import { StockSync } from './stock/stock-sync.js';
import { activeTenants } from './tenants/active-tenants.js';
import { TokenUpkeep } from './tenants/token-upkeep.js';
import { applySubscriptionNotice, WebhookProcessor } from './webhooks/webhook-processor.js';
import { JOB_NAMES } from '@renkei/persistence';
import type { Distributed, OrderTask } from './queue/distributed.js';

/** Loop intervals (config in production; small in tests). */
export interface WorkerIntervals {
  pollMs: number;
  reconcileMs: number;
  tokenUpkeepMs: number;
}

export const DEFAULT_INTERVALS: WorkerIntervals = {
  pollMs: 250,
  reconcileMs: 600_000,
  tokenUpkeepMs: 600_000,
};

export type WorkerState = 'created' | 'running' | 'stopping' | 'stopped';

/**
 * The sync engine of one process: the loops (orders, jobs, ...) over shared dependencies. The
 * process (main.ts) owns signals and the shutdown deadline; tests drive the loops' ticks directly.
 */
export class Worker {
  readonly id = `worker-${randomUUID()}`;
  readonly orderSync: OrderSync;
  readonly orderActions: OrderActions;
  readonly jobs: JobRunner;
  readonly orderEvents: OrderEvents;
  readonly stock: StockSync;
  readonly webhooks: WebhookProcessor;
  readonly shipping: BulkShipping;
  readonly products: ProductImport;
  readonly tokens: TokenUpkeep;
  readonly loops: Loop[];
  #state: WorkerState = 'created';

  /** Aborted when the shutdown deadline passes (distributed order tasks listen to it). */
  readonly #abort = new AbortController();

  constructor(
    readonly deps: WorkerDeps,
    readonly intervals: WorkerIntervals = DEFAULT_INTERVALS,
    /** Several processes on PostgreSQL (pg-boss); absent = everything in this process. */
    readonly distributed?: Distributed,
  ) {
    this.orderActions = new OrderActions(deps);
    this.orderSync = new OrderSync(
      deps,
      (tenant, orderId, signal) => this.orderActions.afterRegistration(tenant, orderId, signal),
      (signal) => this.orderActions.flushPlans(signal),
    );
    const queue = new TableJobQueue(deps.clock, this.id, Math.max(deps.settings.leaseMs, 60_000));
    this.jobs = new JobRunner(deps, queue, {
      wakeOrders: () => this.loop('orders').wake(),
      orderActions: this.orderActions,
    });
    const loop = (name: string, intervalMs: number, tick: TickFn): Loop =>
      new Loop({
        name,
        intervalMs,
        // With several processes each periodic tick runs in one of them at a time.
        tick: distributed
          ? (ctx) => distributed.exclusive(name, () => tick(ctx)).then((more) => more === true)
          : tick,
        orm: deps.orm,
        clock: deps.clock,
        logger: deps.logger,
        onTick: (n, d, ok) => deps.metrics.observeTick(n, d, ok),
      });
    this.orderEvents = new OrderEvents(deps);
    this.stock = new StockSync(deps);
    this.webhooks = new WebhookProcessor(
      deps,
      this.stock,
      this.orderEvents,
      (tenantId, contractId, action) => applySubscriptionNotice(deps, tenantId, contractId, action),
    );
    this.shipping = new BulkShipping(deps, this.orderEvents);
    this.products = new ProductImport(deps);
    this.tokens = new TokenUpkeep(deps);
    this.jobs.register(JOB_NAMES.importProducts, () =>
      Promise.resolve(this.loop('products').wake()),
    );
    this.jobs.register(JOB_NAMES.processWebhook, () =>
      Promise.resolve(this.loop('webhooks').wake()),
    );
    // Orders before stock before products: loop order here, call priorities in the rate budget.
    this.loops = [
      loop('orders', intervals.pollMs, (ctx) =>
        distributed
          ? this.orderSync.dueTasks(ctx.em).then(async (tasks) => {
              await distributed.sendOrders(tasks);
              return false;
            })
          : this.orderSync.tick(ctx),
      ),
      loop('jobs', intervals.pollMs, (ctx) => this.jobs.tick(ctx)),
      loop('webhooks', intervals.pollMs, (ctx) => this.webhooks.tick(ctx)),
      loop('shipping', intervals.pollMs * 4, (ctx) => this.shipping.tick(ctx)),
      loop('reconcile', intervals.reconcileMs, (ctx) => this.reconcile(ctx)),
      loop('products', intervals.pollMs * 2, (ctx) => this.products.tick(ctx)),
      loop('tokens', intervals.tokenUpkeepMs, (ctx) => this.tokens.tick(ctx)),
    ];
  }

  /** Distributed mode: one queued order registration, in whatever process picked it up. */
  async #runOrderTask(task: OrderTask): Promise<void> {
    const em = forkEm(this.deps.orm);
    const tenant = (await activeTenants(em)).find((t) => t.tenantId === task.tenantId);
    if (tenant === undefined) return;
    await this.orderSync.registerOne(tenant, task.orderId, this.#abort.signal);
    await this.orderActions.flushPlans(this.#abort.signal);
  }

  /** Stock reconciliation over every active tenant (drift recorded, see StockSync). */
  async reconcile({ signal, em }: { signal: AbortSignal; em: Em }): Promise<boolean> {
    for (const tenant of await activeTenants(em)) {
      if (signal.aborted) break;
      const result = await this.stock.reconcile(tenant, signal);
      if (result.drifts > 0)
        this.deps.logger.warn(
          { tenantId: tenant.tenantId, ...result },
          'stock reconciliation found drift',
        );
    }
    return false;
  }

  get state(): WorkerState {
    return this.#state;
  }

  loop(name: string): Loop {
    const found = this.loops.find((l) => l.name === name);
    if (found === undefined) throw new Error(`no loop named ${name}`);
    return found;
  }

  /** Recovers what a previous run left (single-process mode) and starts every loop. */
  async start(): Promise<void> {
    if (this.#state !== 'created') return;
    if (this.deps.settings.singleProcess) {
      const released = await releaseDeadInFlight(
        forkEm(this.deps.orm),
        new Date(this.deps.clock.now()),
      );
      if (released > 0)
        this.deps.logger.warn(
          { released },
          'in-flight operations of a previous run marked unknown; they are resolved by a read before any resend',
        );
    }
    this.#state = 'running';
    if (this.distributed) {
      await this.distributed.workOrders(this.deps.settings.orderConcurrency, (task) =>
        this.#runOrderTask(task),
      );
    }
    for (const l of this.loops) l.start();
  }

  /**
   * Graceful stop: no new ticks; in-flight work may finish until `deadlineMs`, then every tick is
   * aborted (its operations are left in flight or unknown and resolved by a read next time).
   */
  async stop(deadlineMs: number): Promise<{ clean: boolean }> {
    if (this.#state === 'stopped' || this.#state === 'created') {
      this.#state = 'stopped';
      return { clean: true };
    }
    this.#state = 'stopping';
    const stopStarted = Date.now();
    const stopped = Promise.all(this.loops.map((l) => l.stop())).then(() => true);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), deadlineMs);
      timer.unref();
    });
    let clean = await Promise.race([stopped, deadline]);
    clearTimeout(timer);
    if (!clean) {
      this.#abort.abort(new Error('worker shutdown deadline passed'));
      for (const l of this.loops) l.abort();
      await stopped;
    }
    if (this.distributed) {
      const left = Math.max(1_000, deadlineMs - (Date.now() - stopStarted));
      const abortLater = setTimeout(
        () => this.#abort.abort(new Error('worker shutdown deadline passed')),
        left,
      );
      abortLater.unref();
      await this.distributed.stop(left).catch((error: unknown) => {
        clean = false;
        this.deps.logger.error({ err: error }, 'queue stop failed');
      });
      clearTimeout(abortLater);
    }
    this.#state = 'stopped';
    return { clean };
  }

  /** Health: running and every loop ticked recently (3 intervals or 60 s). */
  health(now: number): {
    ok: boolean;
    state: WorkerState;
    loops: { name: string; state: string; lastTickAt: string | null; lastError: string | null }[];
  } {
    const loops = this.loops.map((l) => ({
      name: l.name,
      state: l.state,
      lastTickAt: l.lastTickAt === undefined ? null : new Date(l.lastTickAt).toISOString(),
      lastError: l.lastError ?? null,
    }));
    const stale = this.loops.some(
      (l) =>
        l.lastTickAt !== undefined &&
        now - l.lastTickAt > Math.max(60_000, 3 * this.intervals.pollMs),
    );
    return { ok: this.#state === 'running' && !stale, state: this.#state, loops };
  }
}
