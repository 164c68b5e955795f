import type { VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as TrpcModule from '../../api/trpc';
import { apiError, renderScreen, settle } from '../../test/render-screen';
import ApiKeysView from './ApiKeysView.vue';
import type { ApiKeyRow } from './api-keys';

const api = vi.hoisted(() => ({ list: vi.fn(), create: vi.fn(), revoke: vi.fn() }));
vi.mock('../../api/trpc', async (importOriginal) => ({
  ...(await importOriginal<typeof TrpcModule>()),
  trpc: {
    apiKeys: {
      list: { query: api.list },
      create: { mutate: api.create },
      revoke: { mutate: api.revoke },
    },
  },
}));

const oms: ApiKeyRow = {
  id: 'k1',
  name: '基幹OMS',
  keyPrefix: 'rk_abcde',
  scopes: ['orders:write', 'orders:read', 'stock:read'],
  createdAt: '2026-12-01T00:00:00.000Z',
  lastUsedAt: null,
  revokedAt: null,
};

let wrapper: VueWrapper;
beforeEach(() => {
  vi.resetAllMocks();
  api.list.mockResolvedValue([
    oms,
    { ...oms, id: 'k2', keyPrefix: 'rk_hooks', scopes: ['webhooks:manage'] },
  ]);
});
afterEach(() => {
  wrapper.unmount();
  document.body.innerHTML = '';
});

const scopeBox = (scope: string) => wrapper.find(`[data-scope="${scope}"] input`);
/** The message under the scopes (Element Plus shows it after its transition's frame). */
const scopesError = () =>
  document.querySelector('.api-key-create__scopes .el-form-item__error')?.textContent?.trim();

describe('APIキー: scopes', () => {
  it('lists what each key may do in words', async () => {
    ({ wrapper } = await renderScreen(ApiKeysView, { route: 'apiKeys' }));
    const scopesOf = (prefix: string) =>
      wrapper.findAll(`tr[data-key="${prefix}"] li`).map((li) => li.text());
    expect(scopesOf('rk_abcde')).toEqual(['受注の登録・変更', '受注の参照', '在庫の参照']);
    expect(scopesOf('rk_hooks')).toEqual(['Webhook の管理']);
  });

  it('asks for at least one scope before sending, then sends the chosen ones in the API order', async () => {
    ({ wrapper } = await renderScreen(ApiKeysView, { route: 'apiKeys' }));
    // Nothing is chosen beforehand: a key holds only what the merchant ticks.
    for (const scope of ['orders:write', 'orders:read', 'stock:read', 'webhooks:manage'])
      expect((scopeBox(scope).element as HTMLInputElement).checked).toBe(false);
    await wrapper.find('#api-key-name').setValue('在庫ツール');
    await wrapper.find('form').trigger('submit');
    await settle();
    await vi.waitFor(() => expect(scopesError()).toBe('権限を1つ以上選んでください'));
    expect(api.create).not.toHaveBeenCalled();

    api.create.mockResolvedValue({
      id: 'k3',
      name: '在庫ツール',
      keyPrefix: 'rk_zaiko',
      scopes: ['stock:read', 'webhooks:manage'],
      key: 'rk_zaiko_secret',
    });
    await scopeBox('webhooks:manage').setValue(true);
    await scopeBox('stock:read').setValue(true);
    await settle();
    await vi.waitFor(() => expect(scopesError()).toBeUndefined());
    await wrapper.find('form').trigger('submit');
    await settle();
    expect(api.create).toHaveBeenCalledWith({
      name: '在庫ツール',
      scopes: ['stock:read', 'webhooks:manage'],
    });
  });

  it("shows the API's refusal of the scopes at the field", async () => {
    api.create.mockRejectedValue(
      apiError('BAD_REQUEST', { ja: '入力内容に誤りがあります', en: 'Invalid input' }, [
        { path: 'scopes', message: { ja: '権限が正しくありません', en: 'Invalid scopes' } },
      ]),
    );
    ({ wrapper } = await renderScreen(ApiKeysView, { route: 'apiKeys' }));
    await wrapper.find('#api-key-name').setValue('OMS');
    await scopeBox('orders:write').setValue(true);
    await wrapper.find('form').trigger('submit');
    await settle();
    await vi.waitFor(() => expect(scopesError()).toBe('権限が正しくありません'));
  });
});
