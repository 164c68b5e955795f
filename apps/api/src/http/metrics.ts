import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one API process (a registry per app so tests do not share counters). */
export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  ordersReceived: Counter<'source' | 'result'>;
  webhooksReceived: Counter<'event' | 'result'>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'renkei_api_' });
  return {
    registry,
    httpDuration: new Histogram({
      name: 'renkei_api_http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    ordersReceived: new Counter({
      name: 'renkei_api_orders_received_total',
      help: 'Orders received by source and result (created, unchanged, updated, rejected)',
      labelNames: ['source', 'result'],
      registers: [registry],
    }),
    webhooksReceived: new Counter({
      name: 'renkei_api_webhooks_received_total',
      help: 'Smaregi webhooks by event and result (stored, duplicate, rejected)',
      labelNames: ['event', 'result'],
      registers: [registry],
    }),
  };
}
