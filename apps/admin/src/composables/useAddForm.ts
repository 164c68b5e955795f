import { ElMessage } from 'element-plus';
import { ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { useFormErrors } from './useFormErrors';

/**
 * What the add forms of the mapping lists (店舗, 支払方法, 受注ステータス) do alike: a name is required
 * (said at the field before anything is sent), the create call shows its success as a toast, and a
 * refusal shows at the field the API names and as a toast. `messages` names the feature's i18n
 * messages (`add.created`).
 */
export function useAddForm<View extends { name: string }>(options: {
  messages: 'shops' | 'paymentMethods' | 'orderStatuses';
  create: (name: string) => Promise<View>;
  /** After the API created it: reset the form, tell the list. */
  created: (view: View) => void;
}) {
  const { t } = useI18n();
  const errors = useFormErrors();
  const nameMissing = ref(false);
  const busy = ref(false);

  async function submit(name: string): Promise<void> {
    errors.clear();
    nameMissing.value = name.trim() === '';
    if (nameMissing.value) return;
    busy.value = true;
    try {
      const view = await options.create(name.trim());
      ElMessage.success(t(`${options.messages}.add.created`, { name: view.name }));
      options.created(view);
    } catch (e) {
      errors.set(e);
      ElMessage.error(errors.message.value);
    } finally {
      busy.value = false;
    }
  }

  return { errors, nameMissing, busy, submit };
}
