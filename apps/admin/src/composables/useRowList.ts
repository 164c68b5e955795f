import { useMutation, useQueryClient } from '@tanstack/vue-query';
import { ElMessage, ElMessageBox } from 'element-plus';
import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import { toUiError } from '../api/errors';
import { useLocalized } from './useLocalized';
import { useRowErrors } from './useRowErrors';

/**
 * What the three mapping lists (店舗, 支払方法, 受注ステータス) do alike: [この内容で登録する] saves
 * every changed row with one call each (a row that fails keeps its edits and shows its own message
 * and field errors), 削除 asks first and shows a refusal on the row, and a row added by the add form
 * joins the list. The list's cache and the readiness checklist are refreshed after each change.
 * `messages` names the feature's i18n messages (`noChanges`, `savedCount`, `saveFailedCount`,
 * `deleteConfirm`, `deleted`).
 */
export function useRowList<
  View extends { id: string; name: string },
  Update extends { id: string },
>(options: {
  key: readonly string[];
  messages: 'shops' | 'paymentMethods' | 'orderStatuses';
  update: (input: Update) => Promise<View>;
  remove: (id: string) => Promise<unknown>;
  /** After a row is saved: replace its draft with what the API stored. */
  onSaved: (saved: View) => void;
}) {
  const { t } = useI18n();
  const localized = useLocalized();
  const queryClient = useQueryClient();
  const rowErrors = useRowErrors();
  const update = useMutation({ mutationFn: options.update });
  const remove = useMutation({ mutationFn: options.remove });
  const msg = (name: string, values: Record<string, unknown> = {}) =>
    t(`${options.messages}.${name}`, values);

  function refresh(): void {
    void queryClient.invalidateQueries({ queryKey: options.key });
    void queryClient.invalidateQueries({ queryKey: ['readiness'] });
  }

  async function saveAll(updates: Update[]): Promise<void> {
    if (updates.length === 0) {
      ElMessage.info(msg('noChanges'));
      return;
    }
    let failed = 0;
    for (const input of updates) {
      rowErrors.clear(input.id);
      try {
        const saved = await update.mutateAsync(input);
        options.onSaved(saved);
        queryClient.setQueryData<View[]>(options.key, (list) =>
          list?.map((v) => (v.id === saved.id ? saved : v)),
        );
      } catch (e) {
        failed += 1;
        rowErrors.set(input.id, e);
      }
    }
    refresh();
    const saved = updates.length - failed;
    if (saved > 0) ElMessage.success(msg('savedCount', { count: saved }));
    if (failed > 0) ElMessage.error(msg('saveFailedCount', { count: failed }));
  }

  async function confirmDelete(view: View): Promise<void> {
    try {
      await ElMessageBox.confirm(
        msg('deleteConfirm', { name: view.name }),
        t('common.actions.confirm'),
        {
          type: 'warning',
          confirmButtonText: t('common.actions.delete'),
          cancelButtonText: t('common.actions.cancel'),
        },
      );
    } catch {
      return; // Cancelled.
    }
    rowErrors.clear(view.id);
    try {
      await remove.mutateAsync(view.id);
      ElMessage.success(msg('deleted', { name: view.name }));
      queryClient.setQueryData<View[]>(options.key, (list) =>
        list?.filter((v) => v.id !== view.id),
      );
      refresh();
    } catch (e) {
      // e.g. a shop with orders, a status the settings use: shown on the row and as a toast.
      rowErrors.set(view.id, e);
      ElMessage.error(localized(toUiError(e).message));
    }
  }

  function added(view: View): void {
    queryClient.setQueryData<View[]>(options.key, (list) => [...(list ?? []), view]);
    refresh();
  }

  return {
    rowErrors,
    saving: computed(() => update.isPending.value),
    saveAll,
    confirmDelete,
    added,
  };
}
