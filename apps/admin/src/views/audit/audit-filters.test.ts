import { describe, expect, it } from 'vitest';
import {
  auditActor,
  actionGroups,
  activeAuditFilterCount,
  AUDIT_ACTIONS,
  auditInput,
  auditQuery,
  auditStateFromQuery,
  emptyAuditFilters,
  entityLink,
} from './audit-filters';

describe('the audit log state in the address', () => {
  it('reads the action, the days and the page, and writes them back the same', () => {
    const query = { action: 'apiKey.revoke', from: '2026-12-01', to: '2026-12-02', page: '2' };
    const { filters, page } = auditStateFromQuery(query);
    expect(filters).toEqual({ action: 'apiKey.revoke', from: '2026-12-01', to: '2026-12-02' });
    expect(page).toBe(2);
    expect(auditQuery(filters, page)).toEqual(query);
    expect(activeAuditFilterCount(filters)).toBe(3);
    expect(auditInput(filters, page, 50)).toEqual({ page: 2, pageSize: 50, ...filters });
  });

  it('drops an action or a day it does not know', () => {
    const { filters } = auditStateFromQuery({ action: 'shop.explode', to: 'yesterday' });
    expect(filters).toEqual(emptyAuditFilters());
    expect(auditInput(filters, 1, 50)).toEqual({ page: 1, pageSize: 50 });
  });

  it('offers every recorded action once, grouped by what it changes', () => {
    expect(actionGroups().flatMap((g) => g.actions)).toEqual([...AUDIT_ACTIONS]);
    expect(actionGroups().find((g) => g.group === 'apiKey')?.actions).toEqual([
      'apiKey.create',
      'apiKey.revoke',
    ]);
  });
});

describe("an audit entry's subject", () => {
  it('links an order to its page, other things to their screen, and nothing else', () => {
    expect(entityLink({ entityType: 'order', entityId: 'o-1', orderNumber: 'RT-1' })).toEqual({
      to: { name: 'order', params: { id: 'o-1' } },
      label: 'order',
      params: { number: 'RT-1' },
    });
    expect(entityLink({ entityType: 'order', entityId: 'o-1', orderNumber: null })).toEqual({
      to: null,
      label: 'orderGone',
      params: {},
    });
    expect(entityLink({ entityType: 'apiKey', entityId: 'k', orderNumber: null })?.to).toEqual({
      name: 'apiKeys',
    });
    expect(entityLink({ entityType: 'shop', entityId: 's', orderNumber: null })?.to).toEqual({
      name: 'shops',
    });
    expect(entityLink({ entityType: 'somethingNew', entityId: 'x', orderNumber: null })).toBeNull();
  });

  it('names a webhook endpoint or delivery by the URL the entry recorded, linked to its log', () => {
    expect(
      entityLink({
        entityType: 'webhookEndpoint',
        entityId: 'e-1',
        orderNumber: null,
        before: null,
        after: { url: 'https://oms.example.com/hooks', paused: true },
      }),
    ).toEqual({
      to: { name: 'webhooks', query: { endpoint: 'e-1' } },
      label: 'webhookEndpointAt',
      params: { url: 'https://oms.example.com/hooks' },
    });
    // A deletion recorded it before; a delivery links to the screen.
    expect(
      entityLink({
        entityType: 'webhookDelivery',
        entityId: 'd-1',
        orderNumber: null,
        before: { url: 'https://oms.example.com/hooks', result: 'failed' },
        after: null,
      }),
    ).toEqual({
      to: { name: 'webhooks', query: {} },
      label: 'webhookDeliveryAt',
      params: { url: 'https://oms.example.com/hooks' },
    });
    expect(
      entityLink({ entityType: 'webhookEndpoint', entityId: 'e-2', orderNumber: null })?.label,
    ).toBe('webhookEndpoint');
  });
});

describe('who made an audit entry', () => {
  const words = ['cli', 'system', 'api-key'];
  it('reads a REST change as the API key, by its name and prefix', () => {
    expect(auditActor('api-key 基幹OMS (rk_ab12cd)', words)).toEqual({
      kind: 'apiKey',
      name: '基幹OMS',
      prefix: 'rk_ab12cd',
    });
    // A name may hold parentheses itself; the prefix is the last pair.
    expect(auditActor('api-key OMS (本番) (rk_x)', words)).toEqual({
      kind: 'apiKey',
      name: 'OMS (本番)',
      prefix: 'rk_x',
    });
  });
  it('keeps the fixed actors as words and anyone else as recorded', () => {
    expect(auditActor('api-key', words)).toEqual({ kind: 'word', word: 'api-key' });
    expect(auditActor('system', words)).toEqual({ kind: 'word', word: 'system' });
    expect(auditActor('owner@example.com', words)).toEqual({
      kind: 'other',
      label: 'owner@example.com',
    });
  });
});
