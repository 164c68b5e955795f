import { describe, expect, it } from 'vitest';
import {
  activeSyncLogFilterCount,
  emptySyncLogFilters,
  kindGroups,
  subjectLink,
  SYNC_EVENT_KINDS,
  syncLogInput,
  syncLogQuery,
  syncLogStateFromQuery,
} from './sync-log-filters';

describe('the sync log state in the address', () => {
  it("opens an order's log from the order page's link", () => {
    const { filters, page } = syncLogStateFromQuery({ order: 'o-123' });
    expect(filters).toEqual({ ...emptySyncLogFilters(), order: 'o-123' });
    expect(page).toBe(1);
    expect(syncLogInput(filters, page, 50)).toEqual({ page: 1, pageSize: 50, orderId: 'o-123' });
  });

  it('reads every filter and the page, and writes them back the same', () => {
    const query = {
      orderNumber: 'RT-1',
      kind: 'order.registered',
      outcome: 'failure',
      subjectType: 'order',
      from: '2026-12-01',
      to: '2026-12-31',
      page: '3',
    };
    const { filters, page } = syncLogStateFromQuery(query);
    expect(page).toBe(3);
    expect(syncLogQuery(filters, page)).toEqual(query);
    expect(activeSyncLogFilterCount(filters)).toBe(6);
    expect(syncLogInput(filters, page, 50)).toEqual({
      page: 3,
      pageSize: 50,
      orderNumber: 'RT-1',
      kind: 'order.registered',
      outcome: 'failure',
      subjectType: 'order',
      from: '2026-12-01',
      to: '2026-12-31',
    });
  });

  it('drops what the log does not know, so an old link still opens it', () => {
    const { filters, page } = syncLogStateFromQuery({
      kind: 'order.exploded',
      outcome: 'meh',
      subjectType: 'planet',
      from: '12/01/2026',
      page: 'x',
    });
    expect(filters).toEqual(emptySyncLogFilters());
    expect(page).toBe(1);
    expect(syncLogQuery(filters, page)).toEqual({});
    expect(syncLogInput(filters, page, 50)).toEqual({ page: 1, pageSize: 50 });
  });

  it("asks by the order's ID when the address has one, not by a number typed before", () => {
    const filters = { ...emptySyncLogFilters(), order: 'o-1', orderNumber: 'RT-9' };
    expect(syncLogInput(filters, 1, 50)).toEqual({ page: 1, pageSize: 50, orderId: 'o-1' });
  });

  it('offers every kind once, grouped by what it is about', () => {
    const groups = kindGroups();
    expect(groups.map((g) => g.group)).toEqual([
      'order',
      'products',
      'product',
      'stock',
      'connection',
      'webhookEndpoint',
    ]);
    expect(groups.flatMap((g) => g.kinds)).toEqual([...SYNC_EVENT_KINDS]);
    expect(new Set(SYNC_EVENT_KINDS).size).toBe(SYNC_EVENT_KINDS.length);
    expect(SYNC_EVENT_KINDS).toContain('order.received');
  });
});

describe("a sync event's subject", () => {
  const row = { subjectId: null, orderNumber: null, productIds: [] as string[] };
  it('links an order to its page by its number', () => {
    expect(
      subjectLink({ ...row, subjectType: 'order', subjectId: 'o-1', orderNumber: 'RT-1' }),
    ).toEqual({
      to: { name: 'order', params: { id: 'o-1' } },
      label: 'order',
      params: { number: 'RT-1' },
    });
    expect(subjectLink({ ...row, subjectType: 'order', subjectId: 'o-1' })?.label).toBe(
      'orderGone',
    );
    expect(subjectLink({ ...row, subjectType: 'order' })).toBeNull();
  });

  it('links a product to the product list searched by its Smaregi ID', () => {
    expect(subjectLink({ ...row, subjectType: 'product', productIds: ['8001', '8002'] })).toEqual({
      to: { name: 'products', query: { search: '8001' } },
      label: 'product',
      params: { id: '8001' },
    });
    expect(subjectLink({ ...row, subjectType: 'product' })?.to).toEqual({ name: 'products' });
  });

  it('links an import and stock to the product list, the connection to its screen', () => {
    expect(subjectLink({ ...row, subjectType: 'productImport', subjectId: 'r-1' })?.to).toEqual({
      name: 'products',
    });
    expect(subjectLink({ ...row, subjectType: 'stock' })?.to).toEqual({ name: 'products' });
    expect(subjectLink({ ...row, subjectType: 'connection' })?.to).toEqual({
      name: 'settings.connection',
    });
    expect(subjectLink({ ...row, subjectType: 'webhook' })).toBeNull();
  });

  it('links a webhook endpoint to its delivery log on the Webhook screen', () => {
    expect(subjectLink({ ...row, subjectType: 'webhookEndpoint', subjectId: 'e-1' })).toEqual({
      to: { name: 'webhooks', query: { endpoint: 'e-1' } },
      label: 'webhookEndpoint',
      params: {},
    });
  });
});
