import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WorkerMetrics } from '../metrics.js';

export interface HealthSource {
  health(now: number): { ok: boolean };
}

/**
 * The worker's only HTTP surface: `GET /healthz` (200 while running and every loop ticks, 503
 * otherwise, with the loops' states) and `GET /metrics` (Prometheus text). Nothing else.
 */
export async function startHealthServer(options: {
  host: string;
  port: number;
  worker: HealthSource;
  metrics: WorkerMetrics;
  now?: () => number;
}): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const now = options.now ?? (() => Date.now());
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/healthz') {
      const health = options.worker.health(now());
      res
        .writeHead(health.ok ? 200 : 503, {
          'content-type': 'application/json; charset=utf-8',
          'cache-control': 'no-store',
        })
        .end(JSON.stringify(health));
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
