import type { VueWrapper } from '@vue/test-utils';
import { ElMessageBox, ElSelect, type MessageBoxData } from 'element-plus';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as TrpcModule from '../../api/trpc';
import { apiError, renderScreen, settle } from '../../test/render-screen';
import OrderView from './OrderView.vue';

const api = vi.hoisted(() => ({
  get: vi.fn(),
  changeStatus: vi.fn(),
  setShippingDate: vi.fn(),
  retry: vi.fn(),
  preview: vi.fn(),
  statuses: vi.fn(),
}));
vi.mock('../../api/trpc', async (importOriginal) => ({
  ...(await importOriginal<typeof TrpcModule>()),
  trpc: {
    orders: {
      get: { query: api.get },
      changeStatus: { mutate: api.changeStatus },
      setShippingDate: { mutate: api.setShippingDate },
      retry: { mutate: api.retry },
      payloadPreview: { query: api.preview },
    },
    orderStatuses: { list: { query: api.statuses } },
  },
}));

const detail = (over: Record<string, unknown> = {}) => ({
  id: 'o1',
  orderNumber: 'RT-1001',
  orderCode: 'RT-1001',
  orderedAt: '2026-11-30T01:00:00.000Z',
  shopName: '楽天市場店',
  statusId: 'st1',
  statusName: '新規受付',
  statusCategory: 'open',
  paymentMethodName: 'クレジットカード',
  syncState: 'registered',
  syncReason: null,
  syncReasonCode: null,
  lastSyncError: null,
  smaregiOrderHeadId: '9001',
  allocationStatus: 'partial',
  shippingDate: null,
  total: 7150,
  shipTo: { name: '山田 太郎', postalCode: '150-0041', address: '東京都渋谷区', phone: null },
  fixAt: [],
  lines: [
    {
      lineNo: 1,
      productCode: 'TS-001',
      name: 'Tシャツ',
      unitPrice: 3300,
      quantity: 2,
      isEnclosure: false,
      allocatedQuantity: 1,
    },
    {
      lineNo: 2,
      productCode: null,
      name: '同梱チラシ',
      unitPrice: 0,
      quantity: 1,
      isEnclosure: true,
      allocatedQuantity: 0,
    },
  ],
  history: [
    {
      at: '2026-11-30T01:00:01.000Z',
      kind: 'order.received',
      outcome: 'info',
      messageCode: 'orderReceived',
      message: { ja: '受注 RT-1001 を受け付けました (api)', en: 'Order RT-1001 received (api)' },
      detail: null,
    },
    {
      at: '2026-11-30T01:00:05.000Z',
      kind: 'order.registered',
      outcome: 'success',
      messageCode: 'orderRegistered',
      message: { ja: 'スマレジに登録しました (受注ID 9001)', en: 'Registered in Smaregi (9001)' },
      detail: { orderHeadId: '9001' },
    },
  ],
  operations: [
    {
      kind: 'registerOrder',
      state: 'succeeded',
      attempts: 1,
      remoteId: '9001',
      lastError: null,
      updatedAt: '2026-11-30T01:00:04.000Z',
    },
  ],
  ...over,
});

/** The payload Renkei would send for RT-1001 now (apps/api orders.payloadPreview). */
const sendable = (over: Record<string, unknown> = {}) => ({
  ok: true,
  header: {
    storeId: '1',
    orderCode: 'RT-1001',
    orderDateTime: '2026-11-30T10:00:00+09:00',
    paymentMethodId: '3',
    deliveryDate: null,
    carriage: 550,
    commission: 0,
    giftWrapPrice: 0,
    totalPointDiscount: 0,
    totalCouponDiscount: 0,
    subtotalCouponDiscount: 0,
    totalPromotionDiscount: 0,
    taxExclude: 0,
    total: 7150,
    ...over,
  },
  lines: [
    {
      productId: '8000001',
      productCode: 'TS-001',
      productName: 'Tシャツ',
      salesPrice: 3300,
      quantity: 2,
      source: 'line',
      lineNo: 1,
      isEnclosure: false,
    },
    {
      productId: '9000002',
      productCode: 'DUMMY',
      productName: '同梱チラシ',
      salesPrice: 0,
      quantity: 1,
      source: 'dummyProduct',
      lineNo: 2,
      isEnclosure: true,
    },
  ],
  sent: null as unknown,
  differences: null as unknown,
});

/** What was sent for RT-1001 (the body Renkei kept), as the API labels it. */
const sentBody = (over: Record<string, unknown> = {}) => {
  const { header, lines } = sendable();
  return {
    at: '2026-11-30T01:00:04.000Z',
    outcome: 'registered',
    header: { ...header, ...over },
    lines,
  };
};

let wrapper: VueWrapper;
beforeEach(() => {
  vi.resetAllMocks();
  api.get.mockResolvedValue(detail());
  api.preview.mockResolvedValue(sendable());
  api.statuses.mockResolvedValue([
    { id: 'st1', name: '新規受付', category: 'open' },
    { id: 'st2', name: '出荷待ち', category: 'open' },
    { id: 'st9', name: 'キャンセル', category: 'cancelled' },
  ]);
});
afterEach(() => {
  wrapper.unmount();
  document.body.innerHTML = '';
});

const open = async () => {
  ({ wrapper } = await renderScreen(OrderView, { route: 'order', params: { id: 'o1' } }));
};
const button = (text: string) => wrapper.findAll('button').find((b) => b.text() === text);

describe('受注の画面', () => {
  it('shows the facts, each line with what Smaregi allocated, and the sync story in time order', async () => {
    await open();
    expect(api.get).toHaveBeenCalledWith({ id: 'o1' });
    expect(wrapper.find('h1').text()).toBe('受注 RT-1001');
    expect(wrapper.find('[data-fact="status"]').text()).toBe('新規受付');
    expect(wrapper.find('[data-fact="shippingDate"]').text()).toBe('未設定');
    const line1 = wrapper.findAll('[data-line="1"] td').map((c) => c.text());
    expect(line1).toEqual(['1', 'TS-001', 'Tシャツ', '￥3,300', '2', '1']);
    expect(wrapper.find('[data-line="2"]').text()).toContain('封入物');

    const story = wrapper.findAll('[data-part="story"] li');
    expect(story.map((li) => li.attributes('data-kind'))).toEqual([
      'order.received',
      'succeeded', // the registration operation, at its last change
      'order.registered',
    ]);
    expect(story[0]?.text()).toContain('2026/11/30 10:00');
    expect(story[0]?.text()).toContain('受注 RT-1001 を受け付けました');
    expect(story[1]?.text()).toContain('スマレジへの処理: 受注の登録: 成功');
    expect(story[1]?.text()).toContain('試行 1回');
    expect(story[2]?.text()).toContain('成功');
    expect(button('再試行')).toBeUndefined();
  });

  it('says why a held order waits and links to where it is fixed', async () => {
    api.get.mockResolvedValue(
      detail({
        syncState: 'waiting',
        syncReason: {
          ja: '支払方法「代引き」がスマレジの支払方法に対応付けられていません',
          en: 'x',
        },
        smaregiOrderHeadId: null,
        allocationStatus: null,
        fixAt: ['paymentMethods'],
      }),
    );
    await open();
    const sync = wrapper.find('[data-part="sync"]');
    expect(sync.find('[data-sync-state]').text()).toBe('保留');
    expect(sync.text()).toContain('支払方法「代引き」がスマレジの支払方法に対応付けられていません');
    expect(sync.find('a').attributes('href')).toBe('/paymentMethods');
    // Not in Smaregi: nothing allocated to show.
    expect(wrapper.findAll('[data-line="1"] td')[5]?.text()).toBe('—');
  });

  it('[再試行] a failed order, showing Smaregi’s words', async () => {
    api.get.mockResolvedValue(
      detail({
        syncState: 'failed',
        lastSyncError: { ja: 'スマレジが受注を拒否しました: 商品が存在しません', en: 'x' },
        smaregiOrderHeadId: null,
      }),
    );
    api.retry.mockResolvedValue({});
    await open();
    expect(wrapper.find('[data-sync-error]').text()).toBe(
      'スマレジが受注を拒否しました: 商品が存在しません',
    );
    await button('再試行')?.trigger('click');
    await settle();
    expect(api.retry).toHaveBeenCalledWith({ id: 'o1' });
    expect(api.get.mock.calls.length).toBeGreaterThan(1);
  });

  it('enters the 出荷日, and shows a refused date at the field', async () => {
    api.setShippingDate
      .mockRejectedValueOnce(
        apiError('BAD_REQUEST', { ja: '入力内容に誤りがあります', en: 'Invalid input' }, [
          { path: 'shippingDate', message: { ja: '出荷日は日付で入力してください', en: 'x' } },
        ]),
      )
      .mockResolvedValueOnce({});
    await open();
    await wrapper.find('#order-shipping-date').setValue('2026-12-01');
    await button('出荷日を保存する')?.trigger('click');
    await settle();
    expect(api.setShippingDate).toHaveBeenLastCalledWith({ id: 'o1', shippingDate: '2026-12-01' });
    const item = wrapper
      .findAll('.el-form-item')
      .find((i) => i.find('label').attributes('for') === 'order-shipping-date');
    await vi.waitFor(() =>
      expect(item?.element.querySelector('.el-form-item__error')?.textContent?.trim()).toBe(
        '出荷日は日付で入力してください',
      ),
    );
    // Emptied: the date is cleared.
    await wrapper.find('#order-shipping-date').setValue('');
    await button('出荷日を保存する')?.trigger('click');
    await settle();
    expect(api.setShippingDate).toHaveBeenLastCalledWith({ id: 'o1', shippingDate: null });
  });

  it('changes the status, and cancels by moving to the cancelled status after asking', async () => {
    api.changeStatus.mockResolvedValue({});
    await open();
    const status = wrapper
      .findAllComponents(ElSelect)
      .find((c) => c.find('input').attributes('aria-label') === '受注ステータス');
    status?.vm.$emit('update:modelValue', 'st2');
    await settle();
    await button('ステータスを変更する')?.trigger('click');
    await settle();
    expect(api.changeStatus).toHaveBeenLastCalledWith({ id: 'o1', statusId: 'st2' });

    const confirm = vi
      .spyOn(ElMessageBox, 'confirm')
      .mockRejectedValueOnce('cancel')
      .mockResolvedValueOnce('confirm' as unknown as MessageBoxData);
    await button('この受注をキャンセルする')?.trigger('click');
    await settle();
    expect(api.changeStatus).toHaveBeenCalledTimes(1);
    await button('この受注をキャンセルする')?.trigger('click');
    await settle();
    expect(confirm.mock.calls[1]?.[0]).toContain(
      '受注 RT-1001 を「キャンセル」にしてキャンセルします',
    );
    expect(api.changeStatus).toHaveBeenLastCalledWith({ id: 'o1', statusId: 'st9' });
  });

  it('says when the order cannot be read', async () => {
    api.get.mockRejectedValue(
      apiError('NOT_FOUND', { ja: '受注が見つかりません', en: 'Order not found' }),
    );
    await open();
    expect(wrapper.text()).toContain('受注を読み込めませんでした');
    expect(wrapper.text()).toContain('受注が見つかりません');
  });

  it('previews what is sent to Smaregi, each line with where it came from', async () => {
    api.get.mockResolvedValue(detail({ syncState: 'pending', smaregiOrderHeadId: null }));
    api.preview.mockResolvedValue({
      ...sendable({ totalPromotionDiscount: 300, total: 6850 }),
      lines: [
        ...sendable().lines,
        {
          productId: '9000001',
          productCode: 'ADJ',
          productName: '調整額',
          salesPrice: 0,
          quantity: 1,
          source: 'adjustment',
          lineNo: null,
          isEnclosure: false,
        },
      ],
    });
    await open();
    expect(api.preview).toHaveBeenCalledWith({ id: 'o1' });
    const section = wrapper.find('[data-part="payload-preview"]');
    expect(section.find('[data-part="payload-note"]').text()).toContain('今の設定と対応付け');
    const rows = section.findAll('[data-part="payload-lines"] tbody tr');
    expect(rows.map((r) => r.attributes('data-source'))).toEqual([
      'line',
      'dummyProduct',
      'adjustment',
      'promotion',
    ]);
    const cells = (i: number) => rows[i]?.findAll('td').map((c) => c.text()) ?? [];
    expect(cells(0)[0]).toContain('OMSの明細');
    expect(cells(0)[0]).toContain('受注明細の1行目');
    expect(cells(0).slice(1)).toEqual(['TS-001', 'Tシャツ', '￥3,300', '2', '￥6,600']);
    // A 封入物 without codes goes out as the dummy product: both are said.
    expect(cells(1)[0]).toContain('ダミー商品');
    expect(cells(1)[0]).toContain('封入物');
    expect(cells(1).slice(1, 3)).toEqual(['DUMMY', '同梱チラシ']);
    expect(cells(2)[0]).toContain('調整額');
    // The negative adjustment is the promotion discount, taken off the total.
    expect(cells(3)[0]).toContain('調整額 (マイナス)');
    expect(cells(3).slice(1)).toEqual(['—', 'プロモーション値引き', '—', '—', '-￥300']);
    const header = section.find('[data-part="payload-header"]');
    expect(header.find('[data-field="totalPromotionDiscount"] dd').text()).toBe('￥300');
    expect(header.find('[data-field="total"] dd').text()).toBe('￥6,850');
    expect(header.find('[data-field="orderCode"] dd').text()).toBe('RT-1001');
  });

  it('says when the body of an order sent earlier is not on record', async () => {
    await open();
    const note = wrapper.find('[data-part="payload-note"]').text();
    expect(note).toContain('送信した内容は記録されていません');
    expect(wrapper.find('[data-part="payload-sent"]').exists()).toBe(false);
  });

  it('shows what was sent, when and how it fared; nothing beside it when now is the same', async () => {
    api.preview.mockResolvedValue({
      ...sendable({ totalPromotionDiscount: 300, total: 6850 }),
      sent: sentBody({ totalPromotionDiscount: 300, total: 6850 }),
      differences: [],
    });
    await open();
    const sent = wrapper.find('[data-part="payload-sent"]');
    expect(sent.find('h3').text()).toBe('送信した内容');
    const note = sent.find('[data-part="payload-sent-note"]');
    expect(note.text()).toContain('2026/11/30 10:00 に送信');
    expect(note.text()).toContain('スマレジに登録されました');
    const rows = sent.findAll('[data-part="payload-lines"] tbody tr');
    expect(rows.map((r) => r.attributes('data-source'))).toEqual([
      'line',
      'dummyProduct',
      'promotion',
    ]);
    expect(rows[2]?.text()).toContain('プロモーション値引き');
    expect(sent.find('[data-field="totalPromotionDiscount"] dd').text()).toBe('￥300');
    expect(sent.find('[data-part="payload-same"]').text()).toContain('送信した内容と同じです');
    expect(wrapper.find('[data-part="payload-now"]').exists()).toBe(false);
    expect(sent.find('[data-changed]').exists()).toBe(false);
  });

  it('puts what would be sent now beside what was sent when they differ, naming each field', async () => {
    const now = sendable({ paymentMethodId: '4' });
    api.preview.mockResolvedValue({
      ...now,
      lines: [now.lines[0]!, { ...now.lines[1]!, quantity: 2 }],
      sent: sentBody(),
      differences: [
        { field: 'paymentMethodId', line: null, sent: '3', now: '4' },
        { field: 'quantity', line: 2, sent: 1, now: 2 },
      ],
    });
    await open();
    const items = wrapper.findAll('[data-part="payload-differences"] li').map((li) => li.text());
    expect(items).toEqual(['スマレジの支払方法ID送信: 3 → 今: 4', '明細2の数量送信: 1 → 今: 2']);
    for (const part of ['payload-sent', 'payload-now']) {
      const block = wrapper.find(`[data-part="${part}"]`);
      expect(block.find('[data-field="paymentMethodId"]').attributes('data-changed')).toBe('true');
      const rows = block.findAll('[data-part="payload-lines"] tbody tr');
      expect(rows.map((r) => r.attributes('data-changed') ?? null)).toEqual([null, 'true']);
      expect(rows[1]?.text()).toContain('異なる');
    }
    expect(wrapper.find('[data-part="payload-now"] h3').text()).toBe('今の設定で送る内容');
  });

  it('says when a sent order could not be built now, without promising it goes by itself', async () => {
    api.preview.mockResolvedValue({
      ok: false,
      outcome: 'waiting',
      problems: [
        {
          code: 'paymentMethodNotMapped',
          field: 'paymentMethodId',
          lineNo: null,
          message: { ja: '支払方法「代引き」が紐付けられていません', en: 'x' },
          fixAt: 'paymentMethods',
        },
      ],
      sent: { ...sentBody(), outcome: 'refused' },
      differences: null,
    });
    await open();
    expect(wrapper.find('[data-part="payload-sent-note"]').text()).toContain(
      'スマレジが受け付けませんでした',
    );
    const now = wrapper.find('[data-part="payload-now"]');
    expect(now.text()).toContain('今の設定と対応付けでは、この受注の送る内容を作れません');
    expect(now.text()).not.toContain('自動で送られます');
    expect(now.find('[data-problem="paymentMethodNotMapped"] a').attributes('href')).toBe(
      '/paymentMethods',
    );
  });

  it('lists why a held order cannot be sent, each with a link to its fix', async () => {
    api.get.mockResolvedValue(detail({ syncState: 'waiting', smaregiOrderHeadId: null }));
    api.preview.mockResolvedValue({
      ok: false,
      sent: null,
      differences: null,
      outcome: 'waiting',
      problems: [
        {
          code: 'paymentMethodNotMapped',
          field: 'paymentMethodId',
          lineNo: null,
          message: { ja: '支払方法「代引き」が紐付けられていません', en: 'x' },
          fixAt: 'paymentMethods',
        },
        {
          code: 'adjustmentProductCodeNotSet',
          field: 'settings.adjustmentProductCode',
          lineNo: null,
          message: { ja: '調整額用商品番号が設定されていません', en: 'y' },
          fixAt: 'settings.orderSync',
        },
      ],
    });
    await open();
    const section = wrapper.find('[data-part="payload-preview"]');
    expect(section.text()).toContain('次の原因を直すと、自動で送られます');
    expect(section.find('[data-part="payload-lines"]').exists()).toBe(false);
    const items = section.findAll('[data-problem]');
    expect(items.map((i) => i.attributes('data-problem'))).toEqual([
      'paymentMethodNotMapped',
      'adjustmentProductCodeNotSet',
    ]);
    expect(items[0]?.text()).toContain('支払方法「代引き」が紐付けられていません');
    expect(items[0]?.find('a').attributes('href')).toBe('/paymentMethods');
    expect(items[1]?.find('a').attributes('href')).toBe('/settings/integration#order-sync');
    expect(items[1]?.find('a').text()).toBe('受注連携の設定を開く');
  });

  it('says when the order itself must be corrected', async () => {
    api.preview.mockResolvedValue({
      ok: false,
      sent: null,
      differences: null,
      outcome: 'failed',
      problems: [
        {
          code: 'totalMismatch',
          field: 'total',
          lineNo: null,
          message: { ja: '請求金額が合いません', en: 'x' },
          fixAt: null,
        },
      ],
    });
    await open();
    const section = wrapper.find('[data-part="payload-preview"]');
    expect(section.text()).toContain('受注を直してください');
    expect(section.find('[data-problem="totalMismatch"]').text()).toBe('請求金額が合いません');
    expect(section.find('[data-problem="totalMismatch"] a').exists()).toBe(false);
  });
});
