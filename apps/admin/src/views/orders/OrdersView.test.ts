import type { VueWrapper } from '@vue/test-utils';
import { ElMessageBox, ElPagination, ElSelect, type MessageBoxData } from 'element-plus';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Router } from 'vue-router';
import type * as TrpcModule from '../../api/trpc';
import { renderScreen, settle } from '../../test/render-screen';
import OrdersView from './OrdersView.vue';

const api = vi.hoisted(() => ({
  list: vi.fn(),
  changeStatusMany: vi.fn(),
  shops: vi.fn(),
  statuses: vi.fn(),
}));
vi.mock('../../api/trpc', async (importOriginal) => ({
  ...(await importOriginal<typeof TrpcModule>()),
  trpc: {
    orders: { list: { query: api.list }, changeStatusMany: { mutate: api.changeStatusMany } },
    shops: { list: { query: api.shops } },
    orderStatuses: { list: { query: api.statuses } },
  },
}));

const held = { ja: '支払方法「代引き」がスマレジの支払方法に対応付けられていません', en: 'x' };
const order = (i: number, over: Record<string, unknown> = {}) => ({
  id: `o${i}`,
  orderNumber: `RT-${1000 + i}`,
  orderedAt: '2026-11-30T01:00:00.000Z',
  shopName: '楽天市場店',
  statusName: '新規受付',
  statusCategory: 'open',
  syncState: 'registered',
  syncReason: null,
  syncReasonCode: null,
  lastSyncError: null,
  allocationStatus: 'allocated',
  shippingDate: '2026-12-01',
  smaregiOrderHeadId: String(9000 + i),
  fixAt: [],
  ...over,
});

let wrapper: VueWrapper;
let router: Router;
beforeEach(() => {
  vi.resetAllMocks();
  api.list.mockResolvedValue({
    items: [
      order(1),
      order(2, {
        syncState: 'waiting',
        syncReason: held,
        allocationStatus: null,
        shippingDate: null,
        smaregiOrderHeadId: null,
        fixAt: ['paymentMethods'],
      }),
      order(3, { syncState: 'waiting', allocationStatus: 'partial' }),
    ],
    total: 120,
    page: 1,
    pageSize: 50,
  });
  api.shops.mockResolvedValue([{ id: 's1', name: '楽天市場店' }]);
  api.statuses.mockResolvedValue([
    { id: 'st1', name: '新規受付', category: 'open' },
    { id: 'st2', name: '引当待ち', category: 'open' },
  ]);
});
afterEach(() => {
  wrapper.unmount();
  document.body.innerHTML = '';
});

const row = (number: string) => wrapper.find(`tr[data-order="${number}"]`);
const select = (label: string) => {
  const found = wrapper
    .findAllComponents(ElSelect)
    .find((c) => c.find('input').attributes('aria-label') === label);
  if (found === undefined) throw new Error(`no pull-down ${label}`);
  return found;
};

describe('受注一覧', () => {
  it('shows each order with its shop, status, sync state and why, allocation, 出荷日 and Smaregi ID', async () => {
    ({ wrapper } = await renderScreen(OrdersView, { route: 'orders' }));
    expect(api.list).toHaveBeenCalledWith({ page: 1, pageSize: 50 });
    const cells = row('RT-1001')
      .findAll('td')
      .map((c) => c.text());
    expect(cells.slice(2)).toEqual([
      '楽天市場店',
      '新規受付',
      '連携済み',
      '引当済み',
      '2026-12-01',
      '9001',
    ]);
    const heldRow = row('RT-1002');
    expect(heldRow.find('[data-sync-state]').text()).toBe('保留');
    expect(heldRow.find('[data-sync-reason]').text()).toBe(held.ja);
    const fix = heldRow.find('a[href="/paymentMethods"]');
    expect(fix.text()).toBe('支払方法の対応付けを開く');
    expect(heldRow.findAll('td')[7]?.text()).toBe('—');
    expect(row('RT-1003').find('[data-sync-state]').text()).toBe('未連携');
    expect(row('RT-1003').findAll('td')[5]?.text()).toBe('一部引当');
    expect(wrapper.text()).toContain('120件');
  });

  it('says that the search finds an order by the beginning of its number', async () => {
    ({ wrapper } = await renderScreen(OrdersView, { route: 'orders' }));
    const search = wrapper.find('#orders-search');
    expect(search.attributes('placeholder')).toBe('受注番号の先頭または全体');
    const help = wrapper.find(`#${search.attributes('aria-describedby')}`);
    expect(help.text()).toContain('先頭から一致');
    expect(help.text()).toContain('途中や末尾の数字だけでは見つかりません');
  });

  it('opens with the filters of the address (the dashboard links) and applies new ones there', async () => {
    ({ wrapper, router } = await renderScreen(OrdersView, { route: 'orders' }));
    await router.push({ name: 'orders', query: { syncState: 'held', page: '2' } });
    await settle();
    expect(api.list).toHaveBeenLastCalledWith({ page: 2, pageSize: 50, syncState: 'held' });

    select('引当状態').vm.$emit('update:modelValue', 'partial');
    select('店舗').vm.$emit('update:modelValue', 's1');
    await wrapper.find('#orders-shippingDateFrom').setValue('2026-12-01');
    await wrapper.find('#orders-search').setValue('RT-10');
    await wrapper.find('form[role="search"]').trigger('submit');
    await settle();
    expect(router.currentRoute.value.query).toEqual({
      shopId: 's1',
      syncState: 'held',
      allocation: 'partial',
      shippingDateFrom: '2026-12-01',
      search: 'RT-10',
    });
    expect(api.list).toHaveBeenLastCalledWith({
      page: 1,
      pageSize: 50,
      shopId: 's1',
      syncState: 'held',
      allocation: 'partial',
      shippingDateFrom: '2026-12-01',
      search: 'RT-10',
    });

    wrapper.findComponent(ElPagination).vm.$emit('update:current-page', 3);
    await settle();
    expect(api.list).toHaveBeenLastCalledWith(
      expect.objectContaining({ page: 3, search: 'RT-10' }),
    );

    const clear = wrapper.findAll('button').find((b) => b.text() === '条件をクリア');
    await clear?.trigger('click');
    await settle();
    expect(router.currentRoute.value.query).toEqual({});
  });

  it('shows a refused filter at its field', async () => {
    const { apiError } = await import('../../test/render-screen');
    api.list.mockRejectedValue(
      apiError('BAD_REQUEST', { ja: '入力内容に誤りがあります', en: 'Invalid input' }, [
        {
          path: 'shippingDateTo',
          message: { ja: '出荷日(終了)は出荷日(開始)と同じ日か後の日付にしてください', en: 'x' },
        },
      ]),
    );
    ({ wrapper, router } = await renderScreen(OrdersView, { route: 'orders' }));
    await router.push({
      name: 'orders',
      query: { shippingDateFrom: '2026-12-10', shippingDateTo: '2026-12-01' },
    });
    await settle();
    await settle();
    const item = wrapper
      .findAll('.el-form-item')
      .find((i) => i.find('label').attributes('for') === 'orders-shippingDateTo');
    await vi.waitFor(() =>
      expect(item?.element.querySelector('.el-form-item__error')?.textContent?.trim()).toBe(
        '出荷日(終了)は出荷日(開始)と同じ日か後の日付にしてください',
      ),
    );
    expect(wrapper.text()).toContain('受注の一覧を読み込めませんでした');
  });

  it('changes the status of the selected orders and shows what happened to each', async () => {
    const confirm = vi
      .spyOn(ElMessageBox, 'confirm')
      .mockResolvedValue('confirm' as unknown as MessageBoxData);
    api.changeStatusMany.mockResolvedValue({
      results: [
        { id: 'o1', outcome: 'changed', orderNumber: 'RT-1001', error: null },
        { id: 'o2', outcome: 'unchanged', orderNumber: 'RT-1002', error: null },
        {
          id: 'o3',
          outcome: 'failed',
          orderNumber: null,
          error: { ja: '受注が見つかりません', en: 'Order not found' },
        },
      ],
    });
    ({ wrapper } = await renderScreen(OrdersView, { route: 'orders' }));
    const apply = () => wrapper.findAll('button').find((b) => b.text() === 'ステータスを変更する');
    expect(apply()?.attributes('disabled')).toBeDefined();

    await wrapper.find('input[aria-label="このページの受注をすべて選択"]').setValue(true);
    expect(wrapper.text()).toContain('3件を選択中');
    await wrapper.find('input[aria-label="受注 RT-1002 を選択"]').setValue(false);
    await wrapper.find('input[aria-label="受注 RT-1002 を選択"]').setValue(true);
    select('変更後の受注ステータス').vm.$emit('update:modelValue', 'st2');
    await settle();
    await apply()?.trigger('click');
    await settle();

    expect(confirm.mock.calls[0]?.[0]).toBe('3件の受注を「引当待ち」に変更します。よろしいですか?');
    const sent = api.changeStatusMany.mock.calls[0]?.[0] as { ids: string[]; statusId: string };
    expect([[...sent.ids].sort(), sent.statusId]).toEqual([['o1', 'o2', 'o3'], 'st2']);
    const result = wrapper.find('[data-bulk-result]');
    expect(result.find('[role="status"]').text()).toBe('変更 1件・変更なし 1件・失敗 1件');
    expect(result.find('[data-result="changed"]').text()).toContain('RT-1001');
    expect(result.find('[data-result="unchanged"]').text()).toContain('すでにこのステータスです');
    // The failed one is named by the number the list showed, with the API's reason.
    const failed = result.find('[data-result="failed"]').text();
    expect(failed).toContain('RT-1003');
    expect(failed).toContain('受注が見つかりません');
    expect(wrapper.text()).toContain('受注を選択してください');
    // The list is read again.
    expect(api.list.mock.calls.length).toBeGreaterThan(1);
  });

  it('changes nothing when the merchant does not confirm', async () => {
    vi.spyOn(ElMessageBox, 'confirm').mockRejectedValue('cancel');
    ({ wrapper } = await renderScreen(OrdersView, { route: 'orders' }));
    await wrapper.find('input[aria-label="受注 RT-1001 を選択"]').setValue(true);
    select('変更後の受注ステータス').vm.$emit('update:modelValue', 'st2');
    await settle();
    await wrapper
      .findAll('button')
      .find((b) => b.text() === 'ステータスを変更する')
      ?.trigger('click');
    await settle();
    expect(api.changeStatusMany).not.toHaveBeenCalled();
    expect(wrapper.text()).toContain('1件を選択中');
  });
});
