import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WorkerMetrics } from '../metrics.js';

export interface HealthSource {
  /** Liveness: the process and its loops are not stuck. */
  health(now: number): { ok: boolean };
  /** Readiness: able to work (database reachable, queue started). */
  readiness(): Promise<{ ok: boolean }>;
}

/**
 * The worker's only HTTP surface:
 * - `GET /healthz` liveness: 200 while running and no loop is stuck (each judged on its own
 *   interval), 503 otherwise, with the loops' states. A database outage does not make it fail:
 *   restarting the worker would not bring the database back.
 * - `GET /readyz` readiness: 200 when the database answers and the work queue (PostgreSQL) is
 *   started and fetching, 503 otherwise, with each check.
 * - `GET /metrics` Prometheus text. Nothing else.
 */
export async function startHealthServer(options: {
  host: string;
  port: number;
  worker: HealthSource;
  metrics: WorkerMetrics;
  now?: () => number;
}): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const now = options.now ?? (() => Date.now());
  const json = (res: ServerResponse, ok: boolean, body: unknown): void => {
    res
      .writeHead(ok ? 200 : 503, {
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-store',
      })
      .end(JSON.stringify(body));
  };
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/healthz') {
      const health = options.worker.health(now());
      json(res, health.ok, health);
      return;
    }
    if (path === '/readyz') {
      options.worker.readiness().then(
        (ready) => json(res, ready.ok, ready),
        (error: unknown) =>
          json(res, false, { ok: false, error: error instanceof Error ? error.message : 'failed' }),
      );
      return;
    }
    if (path === '/metrics') {
      options.metrics.registry.metrics().then(
        (text) =>
          res.writeHead(200, { 'content-type': options.metrics.registry.contentType }).end(text),
        () => res.writeHead(500).end(),
      );
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
