import type { DOMWrapper, VueWrapper } from '@vue/test-utils';
import { ElSelect } from 'element-plus';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as TrpcModule from '../../api/trpc';
import { apiError, renderScreen, settle } from '../../test/render-screen';
import PaymentMethodsView from './PaymentMethodsView.vue';
import type { PaymentMethodView, SmaregiPaymentMethod } from './payment-mapping';

const api = vi.hoisted(() => ({
  list: vi.fn(),
  smaregiList: vi.fn(),
  update: vi.fn(),
  create: vi.fn(),
  delete: vi.fn(),
}));
vi.mock('../../api/trpc', async (importOriginal) => ({
  ...(await importOriginal<typeof TrpcModule>()),
  trpc: {
    paymentMethods: {
      list: { query: api.list },
      smaregiList: { query: api.smaregiList },
      update: { mutate: api.update },
      create: { mutate: api.create },
      delete: { mutate: api.delete },
    },
  },
}));

const card: PaymentMethodView = {
  id: 'pm1',
  name: 'クレジットカード',
  code: 'CARD',
  smaregiPaymentMethodId: '1',
  smaregiPaymentMethodName: 'クレジット',
  updatedAt: '2026-11-30T08:00:00.000Z',
};
const cod: PaymentMethodView = {
  ...card,
  id: 'pm2',
  name: '代金引換',
  code: null,
  smaregiPaymentMethodId: null,
  smaregiPaymentMethodName: null,
};
const smaregi: SmaregiPaymentMethod[] = [
  { paymentMethodId: '1', paymentMethodCode: '01', paymentMethodName: 'クレジット' },
  { paymentMethodId: '2', paymentMethodCode: null, paymentMethodName: '代引き' },
];

let wrapper: VueWrapper;
beforeEach(() => {
  vi.resetAllMocks();
  api.list.mockResolvedValue([card, cod]);
  api.smaregiList.mockResolvedValue(smaregi);
});
afterEach(() => {
  wrapper.unmount();
  document.body.innerHTML = '';
});

function row(name: string): DOMWrapper<Element> {
  const found = wrapper
    .findAll('tbody tr')
    .find((r) => r.find('input').element.getAttribute('aria-label')?.startsWith(name));
  if (found === undefined) throw new Error(`no row for ${name}`);
  return found;
}

describe('支払方法', () => {
  it('makes unmapped methods stand out: a 未設定 tag, a marked row and the count at the top', async () => {
    ({ wrapper } = await renderScreen(PaymentMethodsView, { route: 'paymentMethods' }));
    expect(wrapper.text()).toContain('スマレジ支払方法が未設定の支払方法: 1件');
    expect(row('代金引換').text()).toContain('未設定');
    expect(row('代金引換').classes()).toContain('pm-row--attention');
    expect(row('クレジットカード').text()).toContain('設定済み');
    expect(row('クレジットカード').classes()).not.toContain('pm-row--attention');
  });

  it('a mapping to a method Smaregi no longer has also needs attention', async () => {
    api.list.mockResolvedValue([{ ...card, smaregiPaymentMethodId: '99' }, cod]);
    ({ wrapper } = await renderScreen(PaymentMethodsView, { route: 'paymentMethods' }));
    expect(row('クレジットカード').text()).toContain('スマレジにありません');
    expect(wrapper.text()).toContain('未設定の支払方法: 2件');
  });

  it('[この内容で登録する] sends the chosen Smaregi method in exactly the strict input shape', async () => {
    api.update.mockImplementation((input: Partial<PaymentMethodView>) => {
      const saved = { ...cod, ...input, smaregiPaymentMethodName: '代引き' };
      api.list.mockResolvedValue([card, saved]);
      return Promise.resolve(saved);
    });
    ({ wrapper } = await renderScreen(PaymentMethodsView, { route: 'paymentMethods' }));
    const select = wrapper
      .findAllComponents(ElSelect)
      .find((s) => s.find('input').attributes('aria-label') === '代金引換のスマレジ支払方法');
    expect(select).toBeDefined();
    select?.vm.$emit('update:modelValue', '2');
    await settle();
    expect(row('代金引換').text()).toContain('未登録の変更');

    await wrapper.find('form').trigger('submit');
    await settle();
    expect(api.update).toHaveBeenCalledTimes(1);
    expect(api.update.mock.calls[0]?.[0]).toStrictEqual({
      id: 'pm2',
      name: '代金引換',
      code: null,
      smaregiPaymentMethodId: '2',
    });
    expect(document.body.textContent).toContain('1件の支払方法を登録しました');
    expect(wrapper.text()).toContain('すべての支払方法にスマレジ支払方法が設定されています');
  });

  it('shows the API refusal on the row whose mapping it names', async () => {
    api.update.mockRejectedValue(
      apiError('BAD_REQUEST', { ja: '入力内容に誤りがあります', en: 'Invalid input' }, [
        {
          path: 'smaregiPaymentMethodId',
          message: { ja: 'スマレジの支払方法(ID: 2)はありません', en: 'No such method' },
        },
      ]),
    );
    ({ wrapper } = await renderScreen(PaymentMethodsView, { route: 'paymentMethods' }));
    await row('代金引換').find('input').setValue('代金引換(後払い)');
    await wrapper.find('form').trigger('submit');
    await settle();
    await vi.waitFor(() =>
      expect(row('代金引換').text()).toContain('スマレジの支払方法(ID: 2)はありません'),
    );
    expect(row('クレジットカード').text()).not.toContain('ありません');
  });

  it('when Smaregi is down, shows its message and [再試行]; the list still renders', async () => {
    api.smaregiList.mockRejectedValueOnce(
      apiError('BAD_GATEWAY', {
        ja: 'スマレジからの応答がありません。しばらくしてから再度お試しください',
        en: 'Smaregi did not answer in time',
      }),
    );
    ({ wrapper } = await renderScreen(PaymentMethodsView, { route: 'paymentMethods' }));
    expect(wrapper.text()).toContain('スマレジの支払方法一覧を読み込めませんでした');
    expect(wrapper.text()).toContain('スマレジからの応答がありません');
    // Rows, names and the saved mapping's name stay; only the pull-downs wait for the list.
    expect(row('クレジットカード').text()).toContain('クレジット (ID: 1)');
    expect(row('代金引換').text()).toContain('未設定');
    expect(wrapper.findAll('tbody tr')).toHaveLength(2);

    const retry = wrapper.findAll('button').find((b) => b.text() === '再試行');
    await retry?.trigger('click');
    await settle();
    expect(api.smaregiList).toHaveBeenCalledTimes(2);
    expect(wrapper.text()).not.toContain('読み込めませんでした');
  });
});
