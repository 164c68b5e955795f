/**
 * @renkei/api: the admin's tRPC API, REST order intake, Smaregi connect and webhooks.
 * The admin SPA imports only the router type: `import type { AppRouter } from '@renkei/api'`.
 */
export type { AppRouter } from './trpc/root.js';
export { appRouter, createCaller } from './trpc/root.js';
export { createApp } from './app.js';
export { createDeps, openConfiguredDatabase } from './create-deps.js';
export { loadConfig, type Config } from './env.js';
export { createContext, type Context } from './trpc/context.js';
export { CSRF_HEADER } from './http/csrf.js';
export * from './demo/constants.js';
export { seedDemo } from './demo/seed.js';
export { connectDemoTenant, startDemoAutoConnect } from './demo/auto-connect.js';
