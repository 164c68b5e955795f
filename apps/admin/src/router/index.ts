import type { Pinia } from 'pinia';
import { createRouter, createWebHistory, type Router } from 'vue-router';
import { useSessionStore } from '../stores/session';

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without a session (the login page). */
    public?: boolean;
    /** Message key of the page title (document title and heading). */
    title?: string;
  }
}

/** Routes are code-split: the login page loads none of the setup screens' code. */
export function createAdminRouter(pinia: Pinia): Router {
  const router = createRouter({
    history: createWebHistory(),
    scrollBehavior(to) {
      return to.hash ? { el: to.hash, top: 16 } : { top: 0 };
    },
    routes: [
      {
        path: '/login',
        name: 'login',
        component: () => import('../views/auth/LoginView.vue'),
        meta: { public: true, title: 'auth.title' },
      },
      {
        path: '/',
        component: () => import('../components/layout/AppShell.vue'),
        children: [
          {
            path: '',
            name: 'dashboard',
            component: () => import('../views/dashboard/DashboardView.vue'),
            meta: { title: 'common.menu.dashboard' },
          },
          {
            path: 'settings/connection',
            name: 'settings.connection',
            component: () => import('../views/connection/ConnectionView.vue'),
            meta: { title: 'common.menu.connection' },
          },
          {
            path: 'settings/integration',
            name: 'settings.integration',
            component: () => import('../views/settings/IntegrationSettingsView.vue'),
            meta: { title: 'common.menu.integration' },
          },
          {
            path: 'shops',
            name: 'shops',
            component: () => import('../views/shops/ShopsView.vue'),
            meta: { title: 'common.menu.shops' },
          },
          {
            path: 'payment-methods',
            name: 'paymentMethods',
            component: () => import('../views/payment-methods/PaymentMethodsView.vue'),
            meta: { title: 'common.menu.paymentMethods' },
          },
          {
            path: 'order-statuses',
            name: 'orderStatuses',
            component: () => import('../views/order-statuses/OrderStatusesView.vue'),
            meta: { title: 'common.menu.orderStatuses' },
          },
          {
            path: 'products',
            name: 'products',
            component: () => import('../views/products/ProductsView.vue'),
            meta: { title: 'common.menu.products' },
          },
          {
            path: 'orders',
            name: 'orders',
            component: () => import('../views/orders/OrdersView.vue'),
            meta: { title: 'common.menu.orders' },
          },
          {
            path: 'orders/import',
            name: 'orderImport',
            component: () => import('../views/order-import/OrderImportView.vue'),
            meta: { title: 'common.menu.orderImport' },
          },
          {
            path: 'shipping-csv',
            name: 'shippingCsv',
            component: () => import('../views/shipping-csv/ShippingCsvView.vue'),
            meta: { title: 'common.menu.shippingCsv' },
          },
          {
            path: 'orders/:id',
            name: 'order',
            component: () => import('../views/orders/OrderView.vue'),
            meta: { title: 'common.menu.orders' },
          },
          {
            path: 'sync-log',
            name: 'syncLog',
            component: () => import('../views/sync-log/SyncLogView.vue'),
            meta: { title: 'common.menu.syncLog' },
          },
          {
            path: 'audit',
            name: 'audit',
            component: () => import('../views/audit/AuditView.vue'),
            meta: { title: 'common.menu.audit' },
          },
          {
            path: 'api-keys',
            name: 'apiKeys',
            component: () => import('../views/api-keys/ApiKeysView.vue'),
            meta: { title: 'common.menu.apiKeys' },
          },
          {
            path: 'webhooks',
            name: 'webhooks',
            component: () => import('../views/webhooks/WebhooksView.vue'),
            meta: { title: 'common.menu.webhooks' },
          },
          {
            path: ':pathMatch(.*)*',
            name: 'notFound',
            component: () => import('../views/NotFoundView.vue'),
            meta: { title: 'common.errors.notFound' },
          },
        ],
      },
    ],
  });

  // Every screen but the login needs a session; an expired one returns to login and, after
  // signing in again, back to where the merchant was (`redirect`).
  router.beforeEach(async (to) => {
    const session = useSessionStore(pinia);
    if (!session.loaded) {
      try {
        await session.load();
      } catch {
        // API unreachable: the login page shows the error when the merchant tries.
      }
    }
    if (to.meta.public)
      return to.name === 'login' && session.signedIn ? safeRedirect(to.query.redirect) : true;
    if (!session.signedIn) return { name: 'login', query: { redirect: to.fullPath } };
    return true;
  });

  return router;
}

/** A `redirect` query value that stays inside the admin (never an absolute or protocol URL). */
export function safeRedirect(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//')
    ? value
    : '/';
}
