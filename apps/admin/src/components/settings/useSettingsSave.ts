import { useMutation, useQueryClient } from '@tanstack/vue-query';
import { ElMessage } from 'element-plus';
import { computed, nextTick, ref, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { toUiError, type Localized } from '../../api/errors';
import { trpc } from '../../api/trpc';
import type { useFormErrors } from '../../composables/useFormErrors';
import {
  fromSettings,
  planSave,
  refusedStart,
  refusedWhileRunning,
  withFixes,
  type IntegrationSettings,
  type RefusalItem,
  type SettingsForm,
  type SettingsUpdate,
} from './settings-form';

/*
 * The [設定を保存する] of スマレジ連携設定, as the help page describes it: stop, configure, save,
 * start. The API decides; this runs the conversation around its answer — the question to stop
 * first while the integration runs, the unmet readiness items of a refused start (each linked to
 * its fix), field errors focused at their field.
 */

// Keys mirror the tRPC paths and are those of the other screens (the dashboard reads the same
// settings and readiness), so one cache serves all.
export const SETTINGS_KEY = ['settings', 'get'] as const;
const READINESS_KEY = ['readiness', 'get'] as const;

export interface SettingsSaveOptions {
  saved: Ref<IntegrationSettings | undefined>;
  form: Ref<SettingsForm | null>;
  errors: ReturnType<typeof useFormErrors>;
  root: Readonly<Ref<HTMLElement | null>>;
  /** Called with what the server holds after a successful save (the form is refilled from it). */
  onSaved: (settings: IntegrationSettings) => void;
}

export function useSettingsSave({ saved, form, errors, root, onSaved }: SettingsSaveOptions) {
  const { t } = useI18n();
  const queryClient = useQueryClient();

  const refusal = ref<{ items: RefusalItem[]; liveError: Localized | null } | null>(null);
  /** The update waiting for the merchant's answer to 「連携を停止して設定を保存しますか？」. */
  const pendingStop = ref<SettingsUpdate | null>(null);
  const confirmOpen = computed({
    get: () => pendingStop.value !== null,
    set: (open: boolean) => {
      if (!open) pendingStop.value = null;
    },
  });

  const mutation = useMutation({
    mutationFn: (update: SettingsUpdate) => trpc.settings.update.mutate(update),
  });

  async function save(): Promise<void> {
    const current = saved.value;
    if (current === undefined || form.value === null || mutation.isPending.value) return;
    errors.clear();
    refusal.value = null;
    const plan = planSave(current, form.value);
    if (plan.kind === 'nothing') {
      ElMessage.info(t('settings.save.noChanges'));
      return;
    }
    if (plan.kind === 'confirmStop') {
      pendingStop.value = plan.update;
      return;
    }
    await send(plan.update);
  }

  async function confirmStopAndSave(): Promise<void> {
    const update = pendingStop.value;
    pendingStop.value = null;
    if (update !== null) await send(update);
  }

  async function send(update: SettingsUpdate): Promise<void> {
    const before = saved.value;
    try {
      const result = await mutation.mutateAsync(update);
      queryClient.setQueryData(SETTINGS_KEY, result);
      form.value = fromSettings(result);
      onSaved(result);
      const wasRunning = before?.integrationEnabled ?? false;
      ElMessage.success(
        result.integrationEnabled && !wasRunning
          ? t('settings.save.started')
          : !result.integrationEnabled && wasRunning
            ? t('settings.save.stopped')
            : t('settings.save.saved'),
      );
      // The dashboard's checklist and anything else reading the settings follow the change.
      void queryClient.invalidateQueries({ queryKey: ['settings'] });
      void queryClient.invalidateQueries({ queryKey: ['readiness'] });
    } catch (e) {
      const error = toUiError(e);
      const refused = refusedStart(error);
      if (refused !== null) {
        // Not started: the switch shows what runs (停止), the refusal says why. Other edits stay
        // as the merchant left them (and still count as unsaved).
        if (form.value !== null)
          form.value.integrationEnabled = before?.integrationEnabled ?? false;
        await showRefusal(refused);
        return;
      }
      if (refusedWhileRunning(error) && update?.integrationEnabled !== false) {
        // Started meanwhile (another tab, another admin): ask, as when it was known to run.
        void queryClient.invalidateQueries({ queryKey: SETTINGS_KEY });
        pendingStop.value = { ...update, integrationEnabled: false };
        return;
      }
      errors.set(e);
      await nextTick();
      focusFirstError();
    }
  }

  /** Lists the unmet items of a refused start, each with a link to where it is fixed. */
  async function showRefusal(refused: { id: string; message: Localized }[]): Promise<void> {
    let report: Awaited<ReturnType<typeof trpc.readiness.get.query>> | null = null;
    try {
      report = await queryClient.fetchQuery({
        queryKey: READINESS_KEY,
        queryFn: () => trpc.readiness.get.query(),
        staleTime: 0,
      });
    } catch {
      // Without the checklist the items are still listed, only without their links.
    }
    refusal.value = {
      items: withFixes(refused, report?.items ?? null),
      liveError: report?.liveError ?? null,
    };
    await nextTick();
    root.value?.querySelector<HTMLElement>('#integration-start [role="alert"]')?.focus();
  }

  function focusFirstError(): void {
    const field = root.value?.querySelector<HTMLElement>(
      '.el-form-item.is-error input, .el-form-item.is-error [role="radiogroup"]',
    );
    if (field) field.focus();
    else root.value?.querySelector<HTMLElement>('.settings-page__error')?.focus();
  }

  return {
    refusal,
    confirmOpen,
    saving: mutation.isPending,
    save,
    confirmStopAndSave,
  };
}
