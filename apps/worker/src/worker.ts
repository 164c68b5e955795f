import { randomUUID } from 'node:crypto';
import { forkEm, WorkerQueries, type Em } from '@renkei/persistence';
import { stopRequested, type WorkerDeps } from './deps.js';
import { JobRunner } from './jobs/job-runner.js';
import { PgBossJobQueue, TableJobQueue } from './jobs/job-queue.js';
import { DEFAULT_TICK_TIMEOUT_MS, Loop, type TickFn } from './lifecycle/loop.js';
import { OrderActions } from './orders/order-actions.js';
import { OrderSync } from './orders/order-sync.js';
import { oneSettingsRead } from './orders/order-view.js';
import { OrderEvents } from './orders/order-events.js';
import { ProductImport } from './products/product-import.js';
import { BulkShipping, shippingPlan } from './shipping/bulk-shipping.js';
import { StockRecompute } from './stock/stock-recompute.js';
import { StockSync } from './stock/stock-sync.js';
import { activeTenants, RecentActiveTenants } from './tenants/active-tenants.js';
import { TokenUpkeep } from './tenants/token-upkeep.js';
import { applySubscriptionNotice, WebhookProcessor } from './webhooks/webhook-processor.js';
import { JOB_NAMES } from '@renkei/persistence';
import { OutboundDeliveries } from './outbound/outbound-deliveries.js';
import type { Distributed, OrderTask } from './queue/distributed.js';

/** Loop intervals (config in production; small in tests). */
export interface WorkerIntervals {
  pollMs: number;
  reconcileMs: number;
  tokenUpkeepMs: number;
  /**
   * How often the products that order events marked are read again from Smaregi: 2 s by default
   * (`WORKER_STOCK_FOLLOW_UP_MS`), the poll interval × 2 when absent (tests' short intervals).
   * The marks of that time coalesce into one read of the warehouse (`StockSync.refreshProducts`).
   */
  stockFollowUpMs?: number;
  /**
   * How long one tick may run before /healthz calls its loop stuck (default 10 minutes). A loop
   * is stuck when nothing started or ended for 3 of its own intervals plus this.
   */
  tickTimeoutMs?: number;
}

export const DEFAULT_INTERVALS: WorkerIntervals = {
  pollMs: 250,
  reconcileMs: 600_000,
  stockFollowUpMs: 2_000,
  tokenUpkeepMs: 600_000,
  tickTimeoutMs: DEFAULT_TICK_TIMEOUT_MS,
};

/**
 * Jobs one process runs at a time from the PostgreSQL job queue. They are short (a status
 * decision, a wake-up) and their Smaregi calls wait for the shared rate budget anyway.
 */
const JOB_CONCURRENCY = 4;

/** How long /readyz waits for the database to answer `select 1`. */
const READY_PING_TIMEOUT_MS = 2_000;

export interface WorkerHealth {
  ok: boolean;
  state: WorkerState;
  loops: {
    name: string;
    state: string;
    lastTickAt: string | null;
    /** When the tick in progress started (null between ticks). */
    tickStartedAt: string | null;
    staleAfterMs: number;
    stuck: boolean;
    lastError: string | null;
  }[];
}

export interface WorkerReadiness {
  ok: boolean;
  state: WorkerState;
  checks: Record<string, { ok: boolean; error?: string }>;
}

export type WorkerState = 'created' | 'running' | 'stopping' | 'stopped';

/**
 * The sync engine of one process: the loops (orders, jobs, ...) over shared dependencies. The
 * process (main.ts) owns signals and the shutdown deadline; tests drive the loops' ticks directly.
 */
export class Worker {
  readonly id = `worker-${randomUUID()}`;
  /** The dependencies as the components see them: with the worker's stop-request signal. */
  readonly deps: WorkerDeps;
  readonly orderSync: OrderSync;
  readonly orderActions: OrderActions;
  readonly jobs: JobRunner;
  readonly orderEvents: OrderEvents;
  readonly stock: StockSync;
  readonly stockRecompute: StockRecompute;
  readonly webhooks: WebhookProcessor;
  readonly shipping: BulkShipping;
  readonly products: ProductImport;
  readonly tokens: TokenUpkeep;
  /** The outbound webhook lane (absent when the deps carry no outbound settings). */
  readonly outbound: OutboundDeliveries | undefined;
  readonly loops: Loop[];
  #state: WorkerState = 'created';
  #stopped: Promise<{ clean: boolean }> | undefined;

  /** Aborted when the shutdown deadline passes (distributed order tasks listen to it). */
  readonly #abort = new AbortController();
  readonly #recentTenants: RecentActiveTenants;
  /**
   * Aborted the moment a stop is asked for: every place that begins work (claims, jobs, the
   * queue's fetches, pools, per-item loops) checks it, so after SIGTERM nothing new starts.
   */
  readonly #stopRequest = new AbortController();

  constructor(
    deps: WorkerDeps,
    readonly intervals: WorkerIntervals = DEFAULT_INTERVALS,
    /** Several processes on PostgreSQL (pg-boss); absent = everything in this process. */
    readonly distributed?: Distributed,
  ) {
    deps = {
      ...deps,
      stopping: deps.stopping
        ? AbortSignal.any([deps.stopping, this.#stopRequest.signal])
        : this.#stopRequest.signal,
    };
    this.deps = deps;
    this.orderActions = new OrderActions(deps);
    this.orderSync = new OrderSync(
      deps,
      (tenant, orderId, signal) => this.orderActions.afterRegistration(tenant, orderId, signal),
      (signal) => this.orderActions.flushPlans(signal),
    );
    // A queued order task's tenant check: as fresh as one tick of the order loop.
    this.#recentTenants = new RecentActiveTenants(intervals.pollMs);
    this.orderSync.recentTenants = this.#recentTenants;
    // SQLite: a batch is claimed at once and run one by one, hence at least a minute. PostgreSQL:
    // one row is claimed right before it runs, locked as long as its queue job lives (2 leases),
    // so a killed process's job is run by another one after that.
    const queue = distributed
      ? new PgBossJobQueue(
          deps.clock,
          this.id,
          2 * deps.settings.leaseMs,
          deps.orm,
          distributed,
          JOB_CONCURRENCY,
        )
      : new TableJobQueue(deps.clock, this.id, Math.max(deps.settings.leaseMs, 60_000));
    this.jobs = new JobRunner(deps, queue, {
      wakeOrders: () => this.loop('orders').wake(),
      orderActions: this.orderActions,
    });
    const loop = (name: string, intervalMs: number, tick: TickFn): Loop =>
      new Loop({
        name,
        intervalMs,
        tickTimeoutMs: intervals.tickTimeoutMs ?? DEFAULT_TICK_TIMEOUT_MS,
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
    this.stockRecompute = new StockRecompute(deps, this.stock);
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
      loop('orders', intervals.pollMs, async (ctx) =>
        distributed
          ? this.orderSync.dueTasks(ctx.em, await distributed.processes()).then(async (tasks) => {
              await distributed.sendOrders(tasks);
              return false;
            })
          : this.orderSync.tick(ctx),
      ),
      // SQLite: runs due jobs; PostgreSQL: offers them to the job queue worked by every process.
      loop('jobs', intervals.pollMs, (ctx) => this.jobs.tick(ctx)),
      loop('webhooks', intervals.pollMs, (ctx) => this.webhooks.tick(ctx)),
      // Allocation rounds left unfinished are resolved first, then cancels left to do are sent
      // (before anything is shipped), then what may ship is shipped.
      loop('shipping', intervals.pollMs * 4, (ctx) =>
        oneSettingsRead(async () => {
          // Only the tenants with work of each kind are visited (one read of all of them first).
          const plan = await shippingPlan(ctx.em);
          for (const tenant of plan.tenants) {
            if (stopRequested(this.deps, ctx.signal)) break;
            if (plan.work.allocations.has(tenant.tenantId))
              await this.orderActions.resumeAllocations(tenant, ctx.signal);
            if (plan.work.cancels.has(tenant.tenantId))
              await this.orderActions.cancellation.resume(tenant, ctx.signal);
          }
          return this.shipping.tick(ctx, plan);
        }),
      ),
      // Products marked by order events, and every product after a stock settings change.
      loop('stock', intervals.stockFollowUpMs ?? intervals.pollMs * 2, (ctx) =>
        this.stockRecompute.tick(ctx),
      ),
      loop('reconcile', intervals.reconcileMs, (ctx) => this.reconcile(ctx)),
      loop('products', intervals.pollMs * 2, (ctx) => this.products.tick(ctx)),
      loop('tokens', intervals.tokenUpkeepMs, (ctx) => this.tokens.tick(ctx)),
    ];
    this.outbound = deps.outbound
      ? new OutboundDeliveries(deps, deps.outbound, this.id)
      : undefined;
    if (this.outbound) {
      const outbound = this.outbound;
      // Outbound webhooks in a lane of their own (outbound/outbound-deliveries.ts). Not one
      // process at a time: every process claims deliveries, each by its job row's lock.
      const lane = new Loop({
        name: 'outbound',
        intervalMs: intervals.pollMs,
        tickTimeoutMs: intervals.tickTimeoutMs ?? DEFAULT_TICK_TIMEOUT_MS,
        tick: (ctx) => outbound.tick(ctx),
        orm: deps.orm,
        clock: deps.clock,
        logger: deps.logger,
        onTick: (n, d, ok) => deps.metrics.observeTick(n, d, ok),
      });
      this.loops.push(lane);
      // A stock change is sent at once when no event went out within the last second.
      this.stock.onStockChanges = () => lane.wake();
    }
  }

  /** Distributed mode: one queued order registration, in whatever process picked it up. */
  async #runOrderTask(task: OrderTask): Promise<void> {
    // Taken from the queue as the stop came: not started (the order stays due).
    if (stopRequested(this.deps)) return;
    const em = forkEm(this.deps.orm);
    const tenant = await this.#recentTenants.get(em, task.tenantId);
    if (tenant === null) return;
    await this.orderSync.registerOne(tenant, task.orderId, this.#abort.signal);
    await this.orderActions.flushPlans(this.#abort.signal);
  }

  /** Stock reconciliation over every active tenant (drift recorded, see StockSync). */
  async reconcile({ signal, em }: { signal: AbortSignal; em: Em }): Promise<boolean> {
    for (const tenant of await activeTenants(em)) {
      if (stopRequested(this.deps, signal)) break;
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
      const released = await this.orderSync.registrar.ledger.releaseDeadInFlight();
      if (released > 0)
        this.deps.logger.warn(
          { released },
          'in-flight operations of a previous run marked unknown; they are resolved by a read before any resend',
        );
      const jobs = await new WorkerQueries(forkEm(this.deps.orm)).expireJobLocks(
        new Date(this.deps.clock.now()),
      );
      if (jobs > 0)
        this.deps.logger.warn({ jobs }, 'jobs left running by a previous run are taken up again');
    }
    this.#state = 'running';
    if (this.distributed) {
      await this.distributed.workOrders(this.deps.settings.orderConcurrency, (task) =>
        this.#runOrderTask(task),
      );
      await this.jobs.start(this.#abort.signal);
    }
    for (const l of this.loops) l.start();
  }

  /**
   * Graceful stop. At once (synchronously): no new work begins anywhere — no tick, no claim, no
   * job, no queue fetch, no Smaregi write. Work already in flight may finish until `deadlineMs`;
   * then it is aborted (its operations are released as unknown, or left in flight and resolved by
   * a read once their lease ends). Calling it again returns the same outcome.
   */
  stop(deadlineMs: number): Promise<{ clean: boolean }> {
    if (this.#stopped !== undefined) return this.#stopped;
    if (this.#state === 'created' || this.#state === 'stopped') {
      this.#state = 'stopped';
      this.#stopRequest.abort(new Error('worker stopped'));
      return Promise.resolve({ clean: true });
    }
    this.#state = 'stopping';
    this.#stopRequest.abort(new Error('worker stopping'));
    this.#stopped = this.#stop(deadlineMs);
    return this.#stopped;
  }

  async #stop(deadlineMs: number): Promise<{ clean: boolean }> {
    const drained = Promise.all([
      ...this.loops.map((l) => l.stop()),
      this.distributed?.stopWorking(),
    ]).then(() => true);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), deadlineMs);
      timer.unref();
    });
    let clean = await Promise.race([drained, deadline]);
    clearTimeout(timer);
    if (!clean) {
      this.#abort.abort(new Error('worker shutdown deadline passed'));
      for (const l of this.loops) l.abort();
      await drained;
    }
    if (this.distributed) {
      await this.distributed.stop(1_000).catch((error: unknown) => {
        clean = false;
        this.deps.logger.error({ err: error }, 'queue stop failed');
      });
    }
    this.outbound?.close();
    this.#state = 'stopped';
    return { clean };
  }

  /**
   * Liveness (/healthz): the worker runs and none of its loops is stuck, each judged on its own
   * scale ({@link Loop.stuck}: 3 intervals plus the tick timeout). A loop whose ticks fail (e.g.
   * the database is down) still ticks: that is readiness, not liveness.
   */
  health(now: number): WorkerHealth {
    const iso = (t: number | undefined) => (t === undefined ? null : new Date(t).toISOString());
    const loops = this.loops.map((l) => ({
      name: l.name,
      state: l.state,
      lastTickAt: iso(l.lastTickAt),
      tickStartedAt: iso(l.tickStartedAt),
      staleAfterMs: l.staleAfterMs,
      stuck: l.stuck(now),
      lastError: l.lastError ?? null,
    }));
    const ok =
      this.#state === 'running' &&
      this.loops.every((l) => l.state === 'running') &&
      !loops.some((l) => l.stuck);
    return { ok, state: this.#state, loops };
  }

  /**
   * Readiness (/readyz): able to work now — running, the database answers, and (PostgreSQL with
   * several workers) the work queue is started and fetching.
   */
  async readiness(): Promise<WorkerReadiness> {
    const checks: WorkerReadiness['checks'] = {};
    checks.database = await this.#ping();
    if (this.distributed) checks.queue = this.distributed.readiness();
    const ok = this.#state === 'running' && Object.values(checks).every((c) => c.ok);
    return { ok, state: this.#state, checks };
  }

  async #ping(): Promise<{ ok: boolean; error?: string }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${READY_PING_TIMEOUT_MS} ms`)),
        READY_PING_TIMEOUT_MS,
      );
      timer.unref();
    });
    try {
      await Promise.race([forkEm(this.deps.orm).getConnection().execute('select 1'), timeout]);
      return { ok: true };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
    }
  }
}
