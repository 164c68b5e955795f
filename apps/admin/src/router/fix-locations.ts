import type { RouteLocationRaw } from 'vue-router';

/**
 * Where each readiness item is fixed (`fixAt` of `@renkei/domain`'s checklist) as an admin
 * location. `smaregi.orderStores` is a setting in Smaregi's own admin: no screen here.
 */
export function fixLocation(fixAt: string): RouteLocationRaw | null {
  switch (fixAt) {
    case 'settings.connection':
      return { name: 'settings.connection' };
    case 'settings.orderSync':
      return { name: 'settings.integration', hash: '#order-sync' };
    case 'settings.allocation':
      return { name: 'settings.integration', hash: '#allocation-inquiry' };
    case 'settings.bulkShipping':
      return { name: 'settings.integration', hash: '#bulk-shipping' };
    case 'shops':
      return { name: 'shops' };
    case 'paymentMethods':
      return { name: 'paymentMethods' };
    case 'products':
      return { name: 'products' };
    default:
      return null;
  }
}

/**
 * The message key of the link to `fixAt` (`orders.fixLinks`). The locations hold a dot
 * (`settings.orderSync`), which vue-i18n would read as a nested key: the bracket form keeps it one.
 */
export const fixLinkKey = (fixAt: string): string => `orders.fixLinks['${fixAt}']`;
