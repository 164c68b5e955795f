import type { trpc } from '../../api/trpc';

/*
 * What the 受注ステータス screen derives from its data: the display order (sortOrder), moving a
 * status up or down, and the updates [この内容で登録する] sends.
 */

export type OrderStatusView = Awaited<ReturnType<typeof trpc.orderStatuses.list.query>>[number];
export type OrderStatusUpdate = Parameters<typeof trpc.orderStatuses.update.mutate>[0];
export type OrderStatusCreate = Parameters<typeof trpc.orderStatuses.create.mutate>[0];
export type OrderStatusCategory = OrderStatusUpdate['category'];

/** The API's categories; the `satisfies` fails to compile when the API adds or drops one. */
const CATEGORY_SET = {
  open: true,
  shipped: true,
  cancelled: true,
} as const satisfies Record<OrderStatusCategory, true>;
export const ORDER_STATUS_CATEGORIES = Object.keys(CATEGORY_SET) as OrderStatusCategory[];

/** The API's bound of `sortOrder`. */
export const MAX_SORT_ORDER = 9999;
const STEP = 10;

export interface StatusDraft {
  id: string;
  name: string;
  category: OrderStatusCategory;
  sortOrder: number;
}

function isCategory(value: string): value is OrderStatusCategory {
  return value in CATEGORY_SET;
}

export function statusDraftFrom(view: OrderStatusView): StatusDraft {
  return {
    id: view.id,
    name: view.name,
    category: isCategory(view.category) ? view.category : 'open',
    sortOrder: view.sortOrder,
  };
}

/** The statuses in display order: by sortOrder, ties by name (as the settings' pull-downs). */
export function sortedDrafts(views: readonly OrderStatusView[]): StatusDraft[] {
  return views
    .map(statusDraftFrom)
    .sort((a, b) => a.sortOrder - b.sortOrder || a.name.localeCompare(b.name, 'ja'));
}

/**
 * Moves the status at `index` one place up (-1) or down (+1). The list keeps the sortOrder values
 * it had (the two rows swap theirs: only they change); when values repeat (every status at 0, as
 * created without an order) the whole list is numbered 10, 20, 30 ... so the order can hold.
 */
export function moveStatus(
  drafts: readonly StatusDraft[],
  index: number,
  delta: -1 | 1,
): StatusDraft[] {
  const target = index + delta;
  const moving = drafts[index];
  const other = drafts[target];
  if (moving === undefined || other === undefined) return [...drafts];
  const order = [...drafts];
  order[index] = other;
  order[target] = moving;
  const values = drafts.map((d) => d.sortOrder).sort((a, b) => a - b);
  const distinct = values.every((v, i) => i === 0 || v > (values[i - 1] ?? v));
  return order.map((d, i) => ({
    ...d,
    sortOrder: distinct ? (values[i] ?? d.sortOrder) : Math.min((i + 1) * STEP, MAX_SORT_ORDER),
  }));
}

/** The sortOrder of a status added at the end of the list. */
export function nextSortOrder(drafts: readonly StatusDraft[]): number {
  const last = Math.max(0, ...drafts.map((d) => d.sortOrder));
  return Math.min(last + STEP, MAX_SORT_ORDER);
}

export function isStatusChanged(view: OrderStatusView, draft: StatusDraft): boolean {
  return (
    view.name.trim() !== draft.name.trim() ||
    view.category !== draft.category ||
    view.sortOrder !== draft.sortOrder
  );
}

/** Exactly the API's strict input: `{ id, name, category, sortOrder }`. */
export function statusUpdateOf(draft: StatusDraft): OrderStatusUpdate {
  return {
    id: draft.id,
    name: draft.name.trim(),
    category: draft.category,
    sortOrder: draft.sortOrder,
  };
}

/** One update per status changed on screen (renamed, recategorised or moved), in display order. */
export function changedStatusUpdates(
  views: readonly OrderStatusView[],
  drafts: readonly StatusDraft[],
): OrderStatusUpdate[] {
  const byId = new Map(views.map((v) => [v.id, v]));
  return drafts.flatMap((draft) => {
    const view = byId.get(draft.id);
    return view !== undefined && isStatusChanged(view, draft) ? [statusUpdateOf(draft)] : [];
  });
}

/**
 * The screen's list after the server's list changed: the merchant's order and edits are kept,
 * deleted statuses go, new ones join at the end.
 */
export function mergeDrafts(
  drafts: readonly StatusDraft[],
  views: readonly OrderStatusView[],
): StatusDraft[] {
  const ids = new Set(views.map((v) => v.id));
  const known = new Set(drafts.map((d) => d.id));
  return [
    ...drafts.filter((d) => ids.has(d.id)),
    ...sortedDrafts(views.filter((v) => !known.has(v.id))),
  ];
}
