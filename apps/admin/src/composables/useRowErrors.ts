import { reactive } from 'vue';
import { toUiError, type UiError } from '../api/errors';
import { useLocalized } from './useLocalized';

/**
 * The error state of a list whose rows are saved one call each (shops, payment methods, order
 * statuses): a failed row keeps its own message and, per field, the message of the field the API
 * named (the input of one entity: `orderStoreId`, `name` ...), so it shows on that row's input.
 */
export function useRowErrors() {
  const errors = reactive<Record<string, UiError>>({});
  const localized = useLocalized();
  return {
    set(id: string, e: unknown): void {
      errors[id] = toUiError(e);
    },
    clear(id: string): void {
      delete errors[id];
    },
    /** The row's whole message in the merchant's language ('' when none). */
    message: (id: string): string => localized(errors[id]?.message),
    /** The message for `path` on row `id` ('' when none): bind to `el-form-item :error`. */
    field: (id: string, path: string): string => localized(errors[id]?.fieldErrors[path]),
    has: (id: string): boolean => errors[id] !== undefined,
  };
}
