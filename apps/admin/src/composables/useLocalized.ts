import { useI18n } from 'vue-i18n';
import type { Localized } from '../api/errors';

/** Picks the merchant's language out of a message the API sent in both. */
export function useLocalized(): (message: Localized | null | undefined) => string {
  const { locale } = useI18n();
  return (message) => (message == null ? '' : locale.value === 'en' ? message.en : message.ja);
}
