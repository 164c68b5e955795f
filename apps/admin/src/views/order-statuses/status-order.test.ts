import { describe, expect, it } from 'vitest';
import {
  changedStatusUpdates,
  mergeDrafts,
  moveStatus,
  nextSortOrder,
  sortedDrafts,
  type OrderStatusView,
} from './status-order';

const view = (id: string, name: string, sortOrder: number, category = 'open'): OrderStatusView => ({
  id,
  name,
  category,
  sortOrder,
});
const NEW = view('a', '新規受付', 10);
const WAIT = view('b', '引当待ち', 20);
const SHIP = view('c', '出荷待ち', 30);

const orderOf = (drafts: { id: string; sortOrder: number }[]) =>
  drafts.map((d) => `${d.id}:${d.sortOrder}`).join(' ');

describe('moveStatus: ↑ / ↓ change the order through sortOrder', () => {
  const cases: [string, OrderStatusView[], number, -1 | 1, string][] = [
    ['down swaps the two sortOrders', [NEW, WAIT, SHIP], 0, 1, 'b:10 a:20 c:30'],
    ['up swaps the two sortOrders', [NEW, WAIT, SHIP], 2, -1, 'a:10 c:20 b:30'],
    ['the first cannot move up', [NEW, WAIT, SHIP], 0, -1, 'a:10 b:20 c:30'],
    ['the last cannot move down', [NEW, WAIT, SHIP], 2, 1, 'a:10 b:20 c:30'],
    [
      'all at 0 (created without order): numbered 10, 20, 30',
      [view('a', 'A', 0), view('b', 'B', 0), view('c', 'C', 0)],
      1,
      1,
      'a:10 c:20 b:30',
    ],
    [
      'uneven gaps are kept',
      [view('a', 'A', 1), view('b', 'B', 5), view('c', 'C', 100)],
      1,
      1,
      'a:1 c:5 b:100',
    ],
  ];
  it.each(cases)('%s', (_name, views, index, delta, expected) => {
    expect(orderOf(moveStatus(sortedDrafts(views), index, delta))).toBe(expected);
  });
});

describe('changedStatusUpdates', () => {
  it('sends a moved pair with their new sortOrder, in the strict input shape', () => {
    const moved = moveStatus(sortedDrafts([NEW, WAIT, SHIP]), 0, 1);
    expect(changedStatusUpdates([NEW, WAIT, SHIP], moved)).toStrictEqual([
      { id: 'b', name: '引当待ち', category: 'open', sortOrder: 10 },
      { id: 'a', name: '新規受付', category: 'open', sortOrder: 20 },
    ]);
  });

  it('sends a rename alone', () => {
    const drafts = sortedDrafts([NEW, WAIT]).map((d) =>
      d.id === 'a' ? { ...d, name: ' 受付済み ' } : d,
    );
    expect(changedStatusUpdates([NEW, WAIT], drafts)).toStrictEqual([
      { id: 'a', name: '受付済み', category: 'open', sortOrder: 10 },
    ]);
  });
});

describe('list upkeep', () => {
  it('a new status goes after the last, within the API bound', () => {
    expect(nextSortOrder(sortedDrafts([NEW, SHIP]))).toBe(40);
    expect(nextSortOrder([])).toBe(10);
    expect(nextSortOrder(sortedDrafts([view('z', 'Z', 9995)]))).toBe(9999);
  });

  it('keeps the on-screen order and edits when the server list changes', () => {
    const drafts = moveStatus(sortedDrafts([NEW, WAIT, SHIP]), 0, 1);
    const merged = mergeDrafts(drafts, [NEW, SHIP, view('d', 'キャンセル', 40, 'cancelled')]);
    expect(orderOf(merged)).toBe('a:20 c:30 d:40');
  });
});
