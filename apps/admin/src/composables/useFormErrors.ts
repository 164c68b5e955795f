import { computed, ref } from 'vue';
import { toUiError, type UiError } from '../api/errors';
import { useLocalized } from './useLocalized';

/**
 * The error state of one form: the whole-form message and, per field, the message of the field
 * the server named (`fieldErrors[].path`), so it shows next to that input.
 */
export function useFormErrors() {
  const error = ref<UiError | null>(null);
  const localized = useLocalized();
  return {
    error,
    /** Message of the whole form, in the merchant's language ('' when none). */
    message: computed(() => localized(error.value?.message)),
    /** Message for the field at `path` ('' when none): bind to `el-form-item :error`. */
    field: (path: string) => localized(error.value?.fieldErrors[path]),
    /** Field paths that have an error the form does not show next to an input. */
    set(e: unknown) {
      error.value = toUiError(e);
    },
    clear() {
      error.value = null;
    },
  };
}
