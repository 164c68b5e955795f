import { renderMessage, type Locale } from '@renkei/domain';
import { lastSyncErrorOf, syncReasonOf, type Order } from '@renkei/persistence';

/*
 * What the merchant reads on an order, rendered from its stored message codes: tests match the
 * words shown (and the codes where they matter), never a stored text.
 */

/** The order's reason (held, 要確認, an automatic action skipped), or null. */
export function reasonOf(order: Order, locale: Locale = 'ja'): string | null {
  const ref = syncReasonOf(order);
  return ref === null ? null : renderMessage(ref, locale);
}

/** What Smaregi refused last (registration, shipping), or null. */
export function lastErrorOf(order: Order, locale: Locale = 'ja'): string | null {
  const ref = lastSyncErrorOf(order);
  return ref === null ? null : renderMessage(ref, locale);
}
