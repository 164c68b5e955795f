import type { LocationQuery, LocationQueryRaw, RouteLocationRaw } from 'vue-router';
import type { trpc } from '../../api/trpc';
import syncLogMessages from '../../i18n/messages/syncLog';
import { leafPaths, type LeafPaths, type SameSet } from '../../i18n/paths';
import { knownOrEmpty, pageFromQuery, queryOfFields, queryText } from '../list-query';

/*
 * The 連携ログ's state lives in the address (`/sync-log?order=<id>`, `?kind=order.registered&page=2`),
 * as the order list's does (../list-query.ts): the order page links to its order's log, and a
 * reload or a shared link shows the same events.
 */

export type SyncLogInput = NonNullable<Parameters<typeof trpc.syncLog.list.query>[0]>;
export type SyncLogPage = Awaited<ReturnType<typeof trpc.syncLog.list.query>>;
export type SyncLogRow = SyncLogPage['items'][number];
export type SyncEventKind = NonNullable<SyncLogInput['kind']>;
type SyncOutcome = NonNullable<SyncLogInput['outcome']>;
type SyncSubjectType = NonNullable<SyncLogInput['subjectType']>;

type WordedKind = LeafPaths<typeof syncLogMessages.ja.kinds>;
/** Compile-time check: every kind the API takes has words (syncLog.kinds), and only those. */
const everyKindWorded: SameSet<SyncEventKind, WordedKind> = true;
void everyKindWorded;

/** The kinds the merchant filters by, grouped by what they are about, as the messages list them. */
export const SYNC_EVENT_KINDS: readonly SyncEventKind[] = leafPaths(syncLogMessages.ja.kinds);

/** The outcomes, best first. */
export const SYNC_OUTCOMES = [
  'success',
  'info',
  'warning',
  'failure',
] as const satisfies readonly SyncOutcome[];

export const SYNC_SUBJECT_TYPES = [
  'order',
  'product',
  'productImport',
  'stock',
  'connection',
  'webhook',
  'webhookEndpoint',
] as const satisfies readonly SyncSubjectType[];

export interface SyncLogFilters {
  /** An order's ID (from the order page's link). */
  order: string;
  /** An order number as the merchant types it. */
  orderNumber: string;
  kind: string;
  outcome: string;
  subjectType: string;
  /** Days (YYYY-MM-DD, Japan time), both included. */
  from: string;
  to: string;
}

export const emptySyncLogFilters = (): SyncLogFilters => ({
  order: '',
  orderNumber: '',
  kind: '',
  outcome: '',
  subjectType: '',
  from: '',
  to: '',
});

const FILTER_KEYS = [
  'order',
  'orderNumber',
  'kind',
  'outcome',
  'subjectType',
  'from',
  'to',
] as const satisfies readonly (keyof SyncLogFilters)[];

const trimmed = (filters: SyncLogFilters): SyncLogFilters => {
  const out = emptySyncLogFilters();
  for (const key of FILTER_KEYS) out[key] = filters[key].trim();
  return out;
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const dateOrEmpty = (value: string) => (DATE.test(value) ? value : '');

/** The filters and page the address asks for; values the log does not know are left out. */
export function syncLogStateFromQuery(query: LocationQuery): {
  filters: SyncLogFilters;
  page: number;
} {
  return {
    filters: {
      order: queryText(query.order).slice(0, 64),
      orderNumber: queryText(query.orderNumber).slice(0, 100),
      kind: knownOrEmpty(queryText(query.kind), SYNC_EVENT_KINDS),
      outcome: knownOrEmpty(queryText(query.outcome), SYNC_OUTCOMES),
      subjectType: knownOrEmpty(queryText(query.subjectType), SYNC_SUBJECT_TYPES),
      from: dateOrEmpty(queryText(query.from)),
      to: dateOrEmpty(queryText(query.to)),
    },
    page: pageFromQuery(query),
  };
}

/** The address of the filters and page (empty filters and page 1 left out). */
export function syncLogQuery(filters: SyncLogFilters, page = 1): LocationQueryRaw {
  return queryOfFields({ ...filters }, page);
}

/** The API's input for one page under these filters (an order's ID wins over a typed number). */
export function syncLogInput(
  filters: SyncLogFilters,
  page: number,
  pageSize: number,
): SyncLogInput {
  const f = trimmed(filters);
  return {
    page,
    pageSize,
    ...(f.order !== ''
      ? { orderId: f.order }
      : f.orderNumber !== ''
        ? { orderNumber: f.orderNumber }
        : {}),
    ...(f.kind === '' ? {} : { kind: f.kind as SyncEventKind }),
    ...(f.outcome === '' ? {} : { outcome: f.outcome as SyncOutcome }),
    ...(f.subjectType === '' ? {} : { subjectType: f.subjectType as SyncSubjectType }),
    ...(f.from === '' ? {} : { from: f.from }),
    ...(f.to === '' ? {} : { to: f.to }),
  };
}

/** How many filters are in use (the log says when nothing matches because of them). */
export function activeSyncLogFilterCount(filters: SyncLogFilters): number {
  return FILTER_KEYS.filter((key) => filters[key].trim() !== '').length;
}

/** The kinds of the pull-down, in groups by the first part of the kind (`order`, `stock` ...). */
export function kindGroups(): { group: string; kinds: SyncEventKind[] }[] {
  const groups = new Map<string, SyncEventKind[]>();
  for (const kind of SYNC_EVENT_KINDS) {
    const group = kind.slice(0, kind.indexOf('.'));
    groups.set(group, [...(groups.get(group) ?? []), kind]);
  }
  return [...groups].map(([group, kinds]) => ({ group, kinds }));
}

/** Whether the admin has words for a stored kind (a row of another version may have none). */
export function isKnownKind(kind: string): kind is SyncEventKind {
  return (SYNC_EVENT_KINDS as readonly string[]).includes(kind);
}

/** Where a row's subject is shown, and the words of the link; null when no screen shows it. */
export function subjectLink(
  row: Pick<SyncLogRow, 'subjectType' | 'subjectId' | 'orderNumber' | 'productIds'>,
): { to: RouteLocationRaw; label: string; params: Record<string, string> } | null {
  switch (row.subjectType) {
    case 'order':
      if (row.subjectId === null) return null;
      return row.orderNumber === null
        ? { to: { name: 'order', params: { id: row.subjectId } }, label: 'orderGone', params: {} }
        : {
            to: { name: 'order', params: { id: row.subjectId } },
            label: 'order',
            params: { number: row.orderNumber },
          };
    case 'product': {
      const [first] = row.productIds;
      return first === undefined
        ? { to: { name: 'products' }, label: 'products', params: {} }
        : {
            to: { name: 'products', query: { search: first } },
            label: 'product',
            params: { id: first },
          };
    }
    case 'productImport':
      return { to: { name: 'products' }, label: 'productImport', params: {} };
    case 'stock':
      return { to: { name: 'products' }, label: 'stock', params: {} };
    case 'connection':
      return { to: { name: 'settings.connection' }, label: 'connection', params: {} };
    case 'webhookEndpoint':
      return {
        to: { name: 'webhooks', query: row.subjectId === null ? {} : { endpoint: row.subjectId } },
        label: 'webhookEndpoint',
        params: {},
      };
    default:
      return null;
  }
}

/** Element Plus tag colour of an outcome. */
export function outcomeTagType(outcome: string): 'success' | 'info' | 'warning' | 'danger' {
  switch (outcome) {
    case 'success':
      return 'success';
    case 'warning':
      return 'warning';
    case 'failure':
      return 'danger';
    default:
      return 'info';
  }
}
