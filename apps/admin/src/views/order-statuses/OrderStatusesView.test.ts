import type { DOMWrapper, VueWrapper } from '@vue/test-utils';
import { ElMessageBox, type MessageBoxData } from 'element-plus';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as TrpcModule from '../../api/trpc';
import { apiError, renderScreen, settle } from '../../test/render-screen';
import OrderStatusesView from './OrderStatusesView.vue';
import type { OrderStatusView } from './status-order';

const api = vi.hoisted(() => ({
  list: vi.fn(),
  update: vi.fn(),
  create: vi.fn(),
  delete: vi.fn(),
}));
vi.mock('../../api/trpc', async (importOriginal) => ({
  ...(await importOriginal<typeof TrpcModule>()),
  trpc: {
    orderStatuses: {
      list: { query: api.list },
      update: { mutate: api.update },
      create: { mutate: api.create },
      delete: { mutate: api.delete },
    },
  },
}));

const statuses: OrderStatusView[] = [
  { id: 'a', name: '新規受付', category: 'open', sortOrder: 10 },
  { id: 'b', name: '引当待ち', category: 'open', sortOrder: 20 },
  { id: 'c', name: '出荷済み', category: 'shipped', sortOrder: 30 },
];

let wrapper: VueWrapper;
beforeEach(() => {
  vi.resetAllMocks();
  api.list.mockResolvedValue(statuses);
});
afterEach(() => {
  wrapper.unmount();
  document.body.innerHTML = '';
  vi.restoreAllMocks();
});

function button(label: string): DOMWrapper<Element> {
  const found = wrapper.findAll('button').find((b) => b.attributes('aria-label') === label);
  if (found === undefined) throw new Error(`no button ${label}`);
  return found;
}
const names = () =>
  wrapper.findAll('tbody tr').map((r) => (r.find('input').element as HTMLInputElement).value);

describe('受注ステータス', () => {
  it('explains that the integration settings choose from these statuses', async () => {
    ({ wrapper } = await renderScreen(OrderStatusesView, { route: 'orderStatuses' }));
    expect(wrapper.text()).toContain('在庫引当自動照会設定');
    expect(wrapper.text()).toContain('受注一括出荷連携設定');
    expect(wrapper.find('a[href="/settings/integration"]').exists()).toBe(true);
  });

  it('↓ moves a status and [この内容で登録する] sends the new sortOrder of the moved pair', async () => {
    api.update.mockImplementation((input: OrderStatusView) => Promise.resolve(input));
    ({ wrapper } = await renderScreen(OrderStatusesView, { route: 'orderStatuses' }));
    expect(names()).toEqual(['新規受付', '引当待ち', '出荷済み']);
    expect(button('「新規受付」を上へ').attributes('disabled')).toBeDefined();

    await button('「新規受付」を下へ').trigger('click');
    await settle();
    expect(names()).toEqual(['引当待ち', '新規受付', '出荷済み']);
    expect(api.update).not.toHaveBeenCalled();

    await wrapper.find('form').trigger('submit');
    await settle();
    expect(api.update.mock.calls.map((c) => c[0] as unknown)).toStrictEqual([
      { id: 'b', name: '引当待ち', category: 'open', sortOrder: 10 },
      { id: 'a', name: '新規受付', category: 'open', sortOrder: 20 },
    ]);
    expect(document.body.textContent).toContain('2件の受注ステータスを登録しました');
  });

  it('renames a status', async () => {
    api.update.mockImplementation((input: OrderStatusView) => Promise.resolve(input));
    ({ wrapper } = await renderScreen(OrderStatusesView, { route: 'orderStatuses' }));
    await wrapper.find('input[aria-label="引当待ちのステータス名"]').setValue('在庫確認中');
    await wrapper.find('form').trigger('submit');
    await settle();
    expect(api.update.mock.calls.map((c) => c[0] as unknown)).toStrictEqual([
      { id: 'b', name: '在庫確認中', category: 'open', sortOrder: 20 },
    ]);
  });

  it('shows the API refusal when a status the settings use is deleted', async () => {
    // The merchant confirms (Element Plus' odd type: an intersection of a string and an object).
    vi.spyOn(ElMessageBox, 'confirm').mockResolvedValue('confirm' as unknown as MessageBoxData);
    api.delete.mockRejectedValue(
      apiError('CONFLICT', {
        ja: 'このステータスは連携設定で使われているため削除できません',
        en: 'The integration settings use this status; it cannot be deleted',
      }),
    );
    ({ wrapper } = await renderScreen(OrderStatusesView, { route: 'orderStatuses' }));
    await button('受注ステータス「引当待ち」を削除する').trigger('click');
    await settle();
    expect(api.delete).toHaveBeenCalledWith({ id: 'b' });
    const row = wrapper.findAll('tbody tr')[1];
    expect(row?.text()).toContain('このステータスは連携設定で使われているため削除できません');
    expect(names()).toEqual(['新規受付', '引当待ち', '出荷済み']);
  });
});
