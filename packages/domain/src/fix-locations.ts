import type { MessageRef } from './message-catalog.js';
import type { ProblemCode } from './messages.js';
import type { ReadinessFixLocation } from './readiness.js';

/*
 * Where the merchant fixes what holds an order (保留) or kept an automatic action from running:
 * the admin screen of the readiness checklist's vocabulary (`ReadinessFixLocation`), so the order
 * page links the reason to the same screens as the dashboard's guide.
 */

const PROBLEM_FIXES: Partial<Record<ProblemCode, ReadinessFixLocation>> = {
  shopNotMapped: 'shops',
  shopInactive: 'shops',
  shopMismatch: 'shops',
  taxModeMismatch: 'shops',
  warehouseNotLinked: 'shops',
  paymentMethodMissing: 'paymentMethods',
  paymentMethodNotMapped: 'paymentMethods',
  productNotFound: 'products',
  productAmbiguous: 'products',
  productCodeInvalid: 'products',
  duplicateProductKey: 'products',
  dummyProductCodeNotSet: 'settings.orderSync',
  dummyProductNotFound: 'settings.orderSync',
  adjustmentProductCodeNotSet: 'settings.orderSync',
  adjustmentProductNotFound: 'settings.orderSync',
};

/** The screen where the cause of one problem of the payload is fixed (none: in the order itself). */
export function fixLocationOfProblem(code: ProblemCode): ReadinessFixLocation | null {
  return PROBLEM_FIXES[code] ?? null;
}

/** The screens where the cause of `reason` is fixed, first the most likely; none when unknown. */
export function fixLocationsOf(reason: MessageRef | null): ReadinessFixLocation[] {
  if (reason === null) return [];
  const found = new Set<ReadinessFixLocation>();
  switch (reason.code) {
    case 'orderHeld':
    case 'orderInvalid':
      for (const problem of reason.params.problems) {
        const at = PROBLEM_FIXES[problem.code];
        if (at !== undefined) found.add(at);
      }
      break;
    case 'orderCodeCollision':
      // Two shops send the same order code: a 受注番号の接頭辞 on the shop tells them apart.
      found.add('shops');
      break;
    case 'orderWaitingIntegrationStopped':
      found.add('settings.orderSync');
      break;
    case 'orderActionSkipped':
      // A missing 出荷日 is entered on the order page itself.
      if (reason.params.reason === 'noShippingDate') break;
      if (reason.params.reason === 'integrationDisabled') found.add('settings.orderSync');
      else if (reason.params.reason === 'orderStoreUnknown') found.add('shops');
      else if (reason.params.action === 'queueBulkShipping') found.add('settings.bulkShipping');
      else found.add('settings.allocation');
      break;
    default:
      break;
  }
  return [...found];
}
