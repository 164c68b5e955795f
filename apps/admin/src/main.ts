import 'element-plus/dist/index.css';
import './styles.css';
import { QueryCache, QueryClient, VueQueryPlugin } from '@tanstack/vue-query';
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { isUnauthorized } from './api/errors';
import { createAdminI18n } from './i18n';
import { createAdminRouter } from './router';
import { useSessionStore } from './stores/session';

const pinia = createPinia();
const i18n = createAdminI18n();
const router = createAdminRouter(pinia);

/** An expired session anywhere sends the merchant to the login, then back to the same screen. */
function onApiError(error: unknown): void {
  if (!isUnauthorized(error)) return;
  const session = useSessionStore(pinia);
  session.expire();
  const current = router.currentRoute.value;
  if (current.name !== 'login')
    void router.push({ name: 'login', query: { redirect: current.fullPath } });
}

const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError: onApiError }),
  defaultOptions: {
    queries: {
      // Settings and mappings change only through this admin: no refetch storm on focus.
      refetchOnWindowFocus: false,
      staleTime: 10_000,
      retry: (count, error) => !isUnauthorized(error) && count < 1,
    },
    mutations: { onError: onApiError },
  },
});

document.documentElement.lang = i18n.global.locale.value;
router.afterEach((to) => {
  const title = to.meta.title === undefined ? '' : i18n.global.t(to.meta.title);
  document.title = [title, i18n.global.t('common.appName')].filter((s) => s !== '').join(' | ');
});

createApp(App).use(pinia).use(i18n).use(router).use(VueQueryPlugin, { queryClient }).mount('#app');
