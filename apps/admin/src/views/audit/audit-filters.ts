import type { LocationQuery, LocationQueryRaw, RouteLocationRaw } from 'vue-router';
import type { trpc } from '../../api/trpc';
import auditMessages from '../../i18n/messages/audit';
import { leafPaths, type LeafPaths, type SameSet } from '../../i18n/paths';
import { knownOrEmpty, pageFromQuery, queryOfFields, queryText } from '../list-query';

/*
 * The 操作履歴's state in the address (`/audit?action=apiKey.revoke&from=2026-12-01`), read and
 * written as every list's is (../list-query.ts).
 */

export type AuditListInput = NonNullable<Parameters<typeof trpc.audit.list.query>[0]>;
export type AuditPage = Awaited<ReturnType<typeof trpc.audit.list.query>>;
export type AuditRow = AuditPage['items'][number];
export type AuditAction = NonNullable<AuditListInput['action']>;

/** Compile-time check: every action the API takes has words (audit.actions), and only those. */
const everyActionWorded: SameSet<AuditAction, LeafPaths<typeof auditMessages.ja.actions>> = true;
void everyActionWorded;

/** The actions the merchant filters by, grouped by what they change, as the messages list them. */
export const AUDIT_ACTIONS: readonly AuditAction[] = leafPaths(auditMessages.ja.actions);

export interface AuditFilters {
  action: string;
  /** Days (YYYY-MM-DD, Japan time), both included. */
  from: string;
  to: string;
}

export const emptyAuditFilters = (): AuditFilters => ({ action: '', from: '', to: '' });

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const dateOrEmpty = (value: string) => (DATE.test(value) ? value : '');

/** The filters and page the address asks for; values the list does not know are left out. */
export function auditStateFromQuery(query: LocationQuery): { filters: AuditFilters; page: number } {
  return {
    filters: {
      action: knownOrEmpty(queryText(query.action), AUDIT_ACTIONS),
      from: dateOrEmpty(queryText(query.from)),
      to: dateOrEmpty(queryText(query.to)),
    },
    page: pageFromQuery(query),
  };
}

/** The address of the filters and page (empty filters and page 1 left out). */
export function auditQuery(filters: AuditFilters, page = 1): LocationQueryRaw {
  return queryOfFields({ ...filters }, page);
}

/** The API's input for one page under these filters. */
export function auditInput(filters: AuditFilters, page: number, pageSize: number): AuditListInput {
  return {
    page,
    pageSize,
    ...(filters.action === '' ? {} : { action: filters.action as AuditAction }),
    ...(filters.from === '' ? {} : { from: filters.from }),
    ...(filters.to === '' ? {} : { to: filters.to }),
  };
}

export function activeAuditFilterCount(filters: AuditFilters): number {
  return [filters.action, filters.from, filters.to].filter((v) => v.trim() !== '').length;
}

/** The actions of the pull-down, in groups by the first part of the action (`shop`, `apiKey` ...). */
export function actionGroups(): { group: string; actions: AuditAction[] }[] {
  const groups = new Map<string, AuditAction[]>();
  for (const action of AUDIT_ACTIONS) {
    const group = action.slice(0, action.indexOf('.'));
    groups.set(group, [...(groups.get(group) ?? []), action]);
  }
  return [...groups].map(([group, actions]) => ({ group, actions }));
}

export function isKnownAction(action: string): action is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(action);
}

const ENTITY_SCREENS: Record<string, RouteLocationRaw> = {
  settings: { name: 'settings.integration' },
  connection: { name: 'settings.connection' },
  shop: { name: 'shops' },
  paymentMethod: { name: 'paymentMethods' },
  orderStatus: { name: 'orderStatuses' },
  productImportRun: { name: 'products' },
  apiKey: { name: 'apiKeys' },
};

/** The URL an entry of a webhook endpoint or delivery recorded (either side), or ''. */
function recordedUrl(row: { before?: unknown; after?: unknown }): string {
  for (const side of [row.after, row.before]) {
    const url = (side as { url?: unknown } | null | undefined)?.url;
    if (typeof url === 'string') return url;
  }
  return '';
}

/**
 * The thing an entry changed, with the screen that shows it (null: no screen): an order's own
 * page, a webhook endpoint's delivery log (named by its URL), else the screen of its kind.
 * `label` is a key of audit.entities.
 */
export function entityLink(
  row: Pick<AuditRow, 'entityType' | 'entityId' | 'orderNumber'> & {
    before?: unknown;
    after?: unknown;
  },
): { to: RouteLocationRaw | null; label: string; params: Record<string, string> } | null {
  if (row.entityType === 'webhookEndpoint' || row.entityType === 'webhookDelivery') {
    const url = recordedUrl(row);
    const endpoint = row.entityType === 'webhookEndpoint' ? row.entityId : null;
    return {
      to: { name: 'webhooks', query: endpoint === null ? {} : { endpoint } },
      label: url === '' ? row.entityType : `${row.entityType}At`,
      params: { url },
    };
  }
  if (row.entityType === 'order') {
    if (row.entityId === null) return null;
    return row.orderNumber === null
      ? { to: null, label: 'orderGone', params: {} }
      : {
          to: { name: 'order', params: { id: row.entityId } },
          label: 'order',
          params: { number: row.orderNumber },
        };
  }
  const to = ENTITY_SCREENS[row.entityType];
  return to === undefined ? null : { to, label: row.entityType, params: {} };
}

/**
 * Who made an entry, as the table words it. A change made through the REST API is recorded as
 * `api-key <key name> (<key prefix>)` (apps/api/src/http/api-key-auth.ts), so the merchant can
 * tell which integration made it; the other actors are a fixed word (`cli`, `system`) or a user.
 */
export type AuditActor =
  | { kind: 'apiKey'; name: string; prefix: string }
  | { kind: 'word'; word: string }
  | { kind: 'other'; label: string };

const API_KEY_ACTOR = /^api-key (.*) \(([^()]*)\)$/s;

export function auditActor(label: string, knownWords: readonly string[]): AuditActor {
  const key = API_KEY_ACTOR.exec(label);
  if (key !== null) return { kind: 'apiKey', name: key[1]!, prefix: key[2]! };
  if (knownWords.includes(label)) return { kind: 'word', word: label };
  return { kind: 'other', label };
}
