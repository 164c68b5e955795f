import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The worker's Prometheus metrics (served on /metrics). One registry per worker instance. */
export class WorkerMetrics {
  readonly registry = new Registry();
  readonly loopTicks = new Counter({
    name: 'renkei_worker_loop_ticks_total',
    help: 'Loop ticks by loop and outcome',
    labelNames: ['loop', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly loopTickSeconds = new Histogram({
    name: 'renkei_worker_loop_tick_seconds',
    help: 'Duration of loop ticks',
    labelNames: ['loop'] as const,
    buckets: [0.005, 0.02, 0.1, 0.5, 2, 10, 60],
    registers: [this.registry],
  });
  readonly operations = new Counter({
    name: 'renkei_worker_operations_total',
    help: 'Remote operations by kind and result (succeeded, failed, unknown, resolved, waiting)',
    labelNames: ['kind', 'result'] as const,
    registers: [this.registry],
  });
  readonly jobs = new Counter({
    name: 'renkei_worker_jobs_total',
    help: 'Jobs handled by name and outcome',
    labelNames: ['name', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly ordersDue = new Gauge({
    name: 'renkei_worker_orders_due',
    help: 'Orders found due for registration in the last pass (backlog, capped at the batch size)',
    registers: [this.registry],
  });
  readonly webhooksWaiting = new Gauge({
    name: 'renkei_worker_webhook_events_waiting',
    help: 'Inbox events of active tenants still to process, as seen by the last pass (capped)',
    registers: [this.registry],
  });
  readonly queueErrors = new Counter({
    name: 'renkei_worker_queue_errors_total',
    help: 'Errors of the PostgreSQL work queue by operation: fetch, complete, fail (pg-boss jobs), locks (advisory-lock session), boss (pg-boss maintenance)',
    labelNames: ['operation'] as const,
    registers: [this.registry],
  });
  readonly permitsDropped = new Counter({
    name: 'renkei_worker_rate_permits_dropped_total',
    help: 'Rate permits taken but dropped because this process got round to them too late (busy event loop, slow budget store), by kind (read, write)',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly inFlight = new Gauge({
    name: 'renkei_worker_in_flight_operations',
    help: 'Remote calls in progress in this process',
    registers: [this.registry],
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? false) collectDefaultMetrics({ register: this.registry });
  }

  observeTick(loop: string, durationMs: number, ok: boolean): void {
    this.loopTicks.inc({ loop, outcome: ok ? 'ok' : 'error' });
    this.loopTickSeconds.observe({ loop }, durationMs / 1000);
  }
}
