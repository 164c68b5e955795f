/**
 * `pnpm start`: the API server. With no configuration it runs in demo mode: SQLite under ./data,
 * migrations, the demo seed, the local simulator's demo app credentials. Smaregi does not need to
 * be up: live lists fail with a clear error and are retried on the next request.
 */
import type { Server } from 'node:http';
import { createApp } from './app.js';
import { createDeps, openConfiguredDatabase } from './create-deps.js';
import { DEMO_INTAKE_KEY, DEMO_USER } from './demo/constants.js';
import { startDemoAutoConnect } from './demo/auto-connect.js';
import { seedDemo } from './demo/seed.js';
import { ConfigError, loadConfig, startupWarnings } from './env.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const orm = await openConfiguredDatabase(config);
  const deps = createDeps(config, orm);
  // Loud on purpose, at every start: a production process serving the public demo login.
  for (const warning of startupWarnings(config)) {
    deps.logger.warn({ demo: true, nodeEnv: config.env.NODE_ENV }, warning);
    console.error(`\n  !!! WARNING: ${warning}\n`);
  }
  if (config.demo) await seedDemo(deps);
  const app = createApp(deps);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
  });
  // Keep-alive longer than typical proxies' idle timeout, so they never reuse a closed socket.
  server.keepAliveTimeout = 65_000;
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const base = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
  deps.logger.info(
    {
      port,
      demo: config.demo,
      database: config.databaseUrl === undefined ? 'sqlite' : 'postgresql',
    },
    'Renkei API listening',
  );
  console.log(
    [
      '',
      `  Renkei API        ${base}`,
      `  Admin API (tRPC)  ${base}/api/trpc`,
      `  Order intake      POST ${base}/api/v1/orders`,
      `  OpenAPI           ${base}/api/v1/openapi.json`,
      `  Webhooks          POST ${base}/webhooks/smaregi`,
      `  App subscription  POST ${base}/webhooks/smaregi/app-subscription`,
      `  Health / metrics  ${base}/healthz  ${base}/readyz  ${base}/metrics`,
      `  Smaregi           ${config.smaregi.idBaseUrl} (ID)  ${config.smaregi.apiBaseUrl} (API)`,
      ...(config.demo
        ? [
            `  Demo login        ${DEMO_USER.email} / ${DEMO_USER.password}`,
            `  Demo intake key   ${DEMO_INTAKE_KEY}  (demo mode only)`,
          ]
        : []),
      '',
    ].join('\n'),
  );
  const stopDemoConnect = config.demo ? startDemoAutoConnect(deps) : () => undefined;
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    stopDemoConnect();
    deps.logger.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => process.exit(1), 10_000);
    deadline.unref();
    server.close(() => {
      void orm.close().finally(() => process.exit(0));
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
