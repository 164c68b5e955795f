import type { Localized } from '../../api/errors';
import type { trpc } from '../../api/trpc';

/*
 * An order's sync story (連携の履歴) as one time line: the events Renkei recorded (received,
 * held, sent, Smaregi's answer, allocation, status moves, shipping, webhooks) and the state of
 * each remote operation the ledger holds for it (registration, allocation, shipping, cancel).
 */

export type OrderDetail = Awaited<ReturnType<typeof trpc.orders.get.query>>;

export type StoryOutcome = 'success' | 'info' | 'warning' | 'failure';

export interface StoryEntry {
  key: string;
  at: string;
  outcome: StoryOutcome;
  /** An event's message in both languages (null for an operation: the screen words it). */
  message: Localized | null;
  /** The event kind (`order.registered`) or the operation's state. */
  kind: string;
  operation: {
    kind: string;
    state: string;
    attempts: number;
    remoteId: string | null;
    lastError: string | null;
  } | null;
  detail: Record<string, unknown> | null;
}

const OPERATION_OUTCOMES: Record<string, StoryOutcome> = {
  succeeded: 'success',
  failed: 'failure',
  unknown: 'warning',
  pending: 'info',
  in_flight: 'info',
};

/** The story, oldest first (an operation stands at its last change, after events of that time). */
export function orderStory(order: Pick<OrderDetail, 'history' | 'operations'>): StoryEntry[] {
  const events: StoryEntry[] = order.history.map((e, i) => ({
    key: `e${i}`,
    at: e.at,
    outcome: e.outcome,
    message: e.message,
    kind: e.kind,
    operation: null,
    detail: e.detail ?? null,
  }));
  const operations: StoryEntry[] = order.operations.map((op, i) => ({
    key: `o${i}`,
    at: op.updatedAt,
    outcome: OPERATION_OUTCOMES[op.state] ?? 'info',
    message: null,
    kind: op.state,
    operation: {
      kind: op.kind,
      state: op.state,
      attempts: op.attempts,
      remoteId: op.remoteId,
      lastError: typeof op.lastError === 'string' ? op.lastError : null,
    },
    detail: null,
  }));
  return [...events, ...operations]
    .map((entry, index) => ({ entry, index, time: Date.parse(entry.at) }))
    .sort((a, b) => a.time - b.time || a.index - b.index)
    .map(({ entry }) => entry);
}

/** Whether [再試行] applies: Smaregi refused it, or whether it reached Smaregi is unknown. */
export function canRetry(order: Pick<OrderDetail, 'syncState'>): boolean {
  return order.syncState === 'failed' || order.syncState === 'needsCheck';
}
