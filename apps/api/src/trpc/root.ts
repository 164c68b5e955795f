import { authRouter } from './routers/auth.js';
import { connectionRouter } from './routers/connection.js';
import { dashboardRouter } from './routers/dashboard.js';
import { apiKeysRouter } from './routers/api-keys.js';
import { auditRouter } from './routers/audit.js';
import { readinessRouter } from './routers/misc.js';
import { orderStatusesRouter } from './routers/order-statuses.js';
import { ordersRouter } from './routers/orders.js';
import { paymentMethodsRouter } from './routers/payment-methods.js';
import { productsRouter } from './routers/products.js';
import { settingsRouter } from './routers/settings.js';
import { shopsRouter } from './routers/shops.js';
import { syncLogRouter } from './routers/sync-log.js';
import { webhookEndpointsRouter } from './routers/webhook-endpoints.js';
import { createCallerFactory, router } from './trpc.js';

/** The admin's API. The SPA imports only its type: `import type { AppRouter } from '@renkei/api'`. */
export const appRouter = router({
  auth: authRouter,
  connection: connectionRouter,
  dashboard: dashboardRouter,
  settings: settingsRouter,
  shops: shopsRouter,
  paymentMethods: paymentMethodsRouter,
  orderStatuses: orderStatusesRouter,
  products: productsRouter,
  orders: ordersRouter,
  readiness: readinessRouter,
  syncLog: syncLogRouter,
  apiKeys: apiKeysRouter,
  audit: auditRouter,
  webhookEndpoints: webhookEndpointsRouter,
});

export type AppRouter = typeof appRouter;

/** `createCaller(context)` for tests and server-side calls. */
export const createCaller = createCallerFactory(appRouter);
