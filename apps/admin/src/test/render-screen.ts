import { TRPCClientError } from '@trpc/client';
import { QueryClient, VueQueryPlugin } from '@tanstack/vue-query';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia } from 'pinia';
import { defineComponent, type Component, type DefineComponent } from 'vue';
import { createMemoryHistory, createRouter, RouterView, type Router } from 'vue-router';
import { createAdminI18n } from '../i18n';

const Stub = defineComponent({ render: () => null });

/** Every route name a screen may link to (the real router's names, with empty pages). */
const ROUTE_NAMES = [
  'login',
  'dashboard',
  'settings.connection',
  'settings.integration',
  'shops',
  'paymentMethods',
  'orderStatuses',
  'products',
  'orders',
  'syncLog',
  'audit',
  'apiKeys',
  'webhooks',
];

/** Routes with parameters: name → path. */
const PARAM_ROUTES: Record<string, string> = { order: '/orders/:id' };

/**
 * Mounts one admin screen as the app does (real Japanese i18n, Pinia, vue-query, a memory
 * router) so a test sees what the merchant sees. The API is the test's `vi.mock` of `api/trpc`.
 * The screen is the page of `route` inside a RouterView, so its navigation guards run.
 */
export async function renderScreen(
  component: Component,
  { route = 'dashboard', params = {} }: { route?: string; params?: Record<string, string> } = {},
): Promise<{ wrapper: VueWrapper; queryClient: QueryClient; router: Router }> {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      ...ROUTE_NAMES.map((name) => ({
        name,
        path: `/${name === 'dashboard' ? '' : name.replace('.', '/')}`,
        component: name === route ? component : Stub,
      })),
      ...Object.entries(PARAM_ROUTES).map(([name, path]) => ({
        name,
        path,
        component: name === route ? component : Stub,
      })),
    ],
  });
  await router.push({ name: route, params });
  await router.isReady();
  const queryClient = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  const wrapper: VueWrapper = mount(RouterView as DefineComponent, {
    attachTo: document.body,
    global: {
      plugins: [createPinia(), createAdminI18n('ja'), router, [VueQueryPlugin, { queryClient }]],
    },
  });
  await settle();
  return { wrapper, queryClient, router };
}

/** Lets pending calls resolve and the screen re-render. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await flushPromises();
}

/** An error as the tRPC client builds it from the API's formatted body. */
export function apiError(
  code: string,
  messages: { ja: string; en: string },
  fieldErrors: { path: string; message: { ja: string; en: string } }[] = [],
): TRPCClientError<never> {
  const error = new TRPCClientError<never>(messages.en);
  Object.defineProperty(error, 'data', { value: { code, messages, fieldErrors, details: null } });
  return error;
}
