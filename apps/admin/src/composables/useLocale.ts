import { computed, type WritableComputedRef } from 'vue';
import { useI18n } from 'vue-i18n';
import { rememberLocale, type Locale } from '../i18n';

/** The admin's language, writable: switching applies to every screen at once and is remembered. */
export function useLocale(): WritableComputedRef<Locale> {
  const { locale } = useI18n({ useScope: 'global' });
  return computed({
    get: () => (locale.value === 'en' ? 'en' : 'ja'),
    set: (value: Locale) => {
      locale.value = value;
      rememberLocale(value);
    },
  });
}
