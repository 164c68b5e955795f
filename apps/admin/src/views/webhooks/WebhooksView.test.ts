import type { VueWrapper } from '@vue/test-utils';
import type { Router } from 'vue-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as TrpcModule from '../../api/trpc';
import { apiError, renderScreen, settle } from '../../test/render-screen';
import WebhooksView from './WebhooksView.vue';
import type { WebhookDeliveryRow, WebhookEndpointRow } from './webhooks';

const api = vi.hoisted(() => ({
  list: vi.fn(),
  create: vi.fn(),
  update: vi.fn(),
  delete: vi.fn(),
  deliveries: vi.fn(),
  redeliver: vi.fn(),
}));
vi.mock('../../api/trpc', async (importOriginal) => ({
  ...(await importOriginal<typeof TrpcModule>()),
  trpc: {
    webhookEndpoints: {
      list: { query: api.list },
      create: { mutate: api.create },
      update: { mutate: api.update },
      delete: { mutate: api.delete },
      deliveries: { query: api.deliveries },
      redeliver: { mutate: api.redeliver },
    },
  },
}));

const oms: WebhookEndpointRow = {
  id: 'e1',
  url: 'https://oms.example.com/hooks',
  description: '基幹OMS',
  events: ['order.synced', 'stock.changed'],
  state: 'active',
  failingSince: null,
  lastDeliveredAt: null,
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
};
const failing: WebhookEndpointRow = {
  ...oms,
  id: 'e2',
  url: 'https://down.example.com/hooks',
  description: null,
  events: ['order.shipped'],
  state: 'failing',
  failingSince: '2026-12-02T00:00:00.000Z',
};
const paused: WebhookEndpointRow = {
  ...oms,
  id: 'e3',
  url: 'https://paused.example.com/',
  state: 'paused',
};

const delivery: WebhookDeliveryRow = {
  id: 'd1',
  endpointId: 'e1',
  eventId: 'evt_1',
  eventType: 'order.synced',
  state: 'failed',
  attempts: 2,
  status: 500,
  latencyMs: 1234,
  responseSnippet: 'Internal Server Error',
  error: null,
  createdAt: '2026-12-03T00:00:00.000Z',
  lastAttemptAt: '2026-12-03T00:10:00.000Z',
  nextAttemptAt: null,
  deliveredAt: null,
  history: [
    {
      at: '2026-12-03T00:10:00.000Z',
      status: 500,
      latencyMs: 1234,
      responseSnippet: 'x',
      error: null,
    },
    {
      at: '2026-12-03T00:00:00.000Z',
      status: null,
      latencyMs: 10000,
      responseSnippet: null,
      error: 'timeout',
    },
  ],
};

let wrapper: VueWrapper;
let router: Router;
beforeEach(() => {
  vi.resetAllMocks();
  api.list.mockResolvedValue([oms, failing, paused]);
  api.deliveries.mockResolvedValue({ items: [delivery], total: 1, page: 1, pageSize: 20 });
});
afterEach(() => {
  wrapper.unmount();
  document.body.innerHTML = '';
});

const row = (url: string) => wrapper.find(`tr[data-endpoint="${url}"]`);
const errorOf = (selector: string) =>
  document
    .querySelector(selector)
    ?.closest('.el-form-item')
    ?.querySelector('.el-form-item__error')
    ?.textContent?.trim();
const button = (label: string) => {
  const found = wrapper.findAll('button').find((b) => b.attributes('aria-label') === label);
  if (found === undefined) throw new Error(`no button ${label}`);
  return found;
};

describe('Webhook', () => {
  it('lists each endpoint with its events in words and its state: 有効 / 一時停止 / 配信失敗中', async () => {
    ({ wrapper } = await renderScreen(WebhooksView, { route: 'webhooks' }));
    expect(wrapper.find('h1').text()).toBe('Webhook');
    expect(
      row(oms.url)
        .findAll('[data-event]')
        .map((e) => e.text()),
    ).toEqual(['受注をスマレジに登録した', '有効在庫数が変わった']);
    expect(row(oms.url).text()).toContain('有効');
    expect(row(oms.url).text()).toContain('基幹OMS');
    expect(row(failing.url).text()).toContain('配信失敗中');
    expect(row(failing.url).text()).toContain('から配信に失敗し続けています');
    expect(row(paused.url).text()).toContain('一時停止');
    // A paused endpoint is resumed, the others paused.
    expect(() => button(`${paused.url} への配信を再開する`)).not.toThrow();
    expect(() => button(`${oms.url} への配信を一時停止する`)).not.toThrow();
  });

  it('says what is missing before adding, then shows the secret once', async () => {
    ({ wrapper } = await renderScreen(WebhooksView, { route: 'webhooks' }));
    const form = wrapper.find('.webhooks__add form');
    await form.trigger('submit');
    await settle();
    await vi.waitFor(() => expect(errorOf('#webhook-add-url')).toBe('URL を入力してください'));
    expect(errorOf('[data-event="order.synced"]')).toBe('イベントを1つ以上選んでください');
    expect(api.create).not.toHaveBeenCalled();

    await wrapper.find('#webhook-add-url').setValue('oms.example.com');
    await settle();
    await vi.waitFor(() =>
      expect(errorOf('#webhook-add-url')).toBe('URL は https:// で始まる形で入力してください'),
    );

    api.create.mockResolvedValue({
      endpoint: { ...oms, id: 'e9', url: 'https://new.example.com/hooks' },
      secret: 'whsec_c2VjcmV0LXNob3duLW9uY2U=',
    });
    await wrapper.find('#webhook-add-url').setValue(' https://new.example.com/hooks ');
    await wrapper.find('[data-event="order.shipped"] input').setValue(true);
    await wrapper.find('[data-event="order.synced"] input').setValue(true);
    await form.trigger('submit');
    await settle();
    expect(api.create).toHaveBeenCalledWith({
      url: 'https://new.example.com/hooks',
      description: null,
      events: ['order.synced', 'order.shipped'],
    });
    const dialog = document.querySelector('[role="dialog"]');
    expect(dialog?.textContent).toContain('署名用シークレットが表示されるのは今回だけです');
    expect((document.querySelector('#webhook-secret') as HTMLInputElement).value).toBe(
      'whsec_c2VjcmV0LXNob3duLW9uY2U=',
    );
  });

  it('shows the API’s refusal of the URL at the field', async () => {
    api.create.mockRejectedValue(
      apiError('BAD_REQUEST', { ja: '入力内容に誤りがあります', en: 'Invalid input' }, [
        {
          path: 'url',
          message: {
            ja: 'この URL はプライベートネットワークのアドレスを指しているため登録できません',
            en: 'x',
          },
        },
      ]),
    );
    ({ wrapper } = await renderScreen(WebhooksView, { route: 'webhooks' }));
    await wrapper.find('#webhook-add-url').setValue('https://10.0.0.5/hooks');
    await wrapper.find('[data-event="order.synced"] input').setValue(true);
    await wrapper.find('.webhooks__add form').trigger('submit');
    await settle();
    await vi.waitFor(() =>
      expect(errorOf('#webhook-add-url')).toBe(
        'この URL はプライベートネットワークのアドレスを指しているため登録できません',
      ),
    );
  });

  it('opens the delivery log of an endpoint with result, status, duration, response and attempts; 再送 re-delivers', async () => {
    ({ wrapper, router } = await renderScreen(WebhooksView, { route: 'webhooks' }));
    await button(`${oms.url} の配信履歴を見る`).trigger('click');
    await settle();
    expect(router.currentRoute.value.query).toEqual({ endpoint: 'e1' });
    expect(api.deliveries).toHaveBeenCalledWith({ endpointId: 'e1', page: 1, pageSize: 20 });
    const log = wrapper.find('tr[data-delivery="d1"]');
    const cells = log.findAll('td').map((c) => c.text());
    expect(cells[1]).toContain('受注をスマレジに登録した');
    expect(cells[1]).toContain('evt_1');
    expect(cells[2]).toBe('失敗');
    expect(cells[3]).toBe('500');
    expect(cells[4]).toBe('1,234 ミリ秒');
    expect(cells[5]).toBe('Internal Server Error');
    expect(cells[6]).toContain('2 回');
    expect(log.find('details').text()).toContain('timeout');

    api.redeliver.mockResolvedValue({ ...delivery, state: 'pending', attempts: 0 });
    await button('イベント evt_1 を再送する').trigger('click');
    await settle();
    expect(api.redeliver).toHaveBeenCalledWith({ id: 'd1' });
  });
});
