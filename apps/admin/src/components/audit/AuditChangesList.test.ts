import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { createAdminI18n } from '../../i18n';
import AuditChangesList from './AuditChangesList.vue';

describe('操作履歴: what one entry changed', () => {
  it('names a shop’s mall and tax handling in the merchant’s words, not the stored codes', () => {
    const wrapper = mount(AuditChangesList, {
      props: {
        before: { name: '楽天市場店', mallKind: 'rakuten', taxMode: 'included' },
        after: { name: '楽天市場店', mallKind: 'amazon', taxMode: 'excluded' },
        names: new Map(),
      },
      global: { plugins: [createAdminI18n('ja')] },
    });
    expect(wrapper.find('[data-field="mallKind"]').text()).toBe('モール:楽天市場→Amazon');
    expect(wrapper.find('[data-field="taxMode"]').text()).toBe('税の扱い:税込→税別');
  });

  it('names an API key’s scopes in words, and leaves a Smaregi connection’s scopes as they are', () => {
    const mountWith = (after: unknown, entityType: string) =>
      mount(AuditChangesList, {
        props: { before: null, after, names: new Map(), entityType },
        global: { plugins: [createAdminI18n('ja')] },
      });
    // A key's scopes are 権限, as the APIキー screen says; スコープ stays Smaregi's word.
    const key = mountWith(
      { name: '基幹OMS', scopes: ['orders:write', 'webhooks:manage'] },
      'apiKey',
    );
    expect(key.find('[data-field="scopes"]').text()).toBe('権限:受注の登録・変更、Webhook の管理');
    const connection = mountWith(
      { scopes: ['pos.products:read', 'pos.orders:write'] },
      'smaregiConnection',
    );
    expect(connection.find('[data-field="scopes"]').text()).toBe(
      'スコープ:pos.products:read、pos.orders:write',
    );
  });
});
