import type { LocationQuery } from 'vue-router';

/*
 * Smaregi sends the browser back to the API's callback, which redirects to this screen with
 * `?smaregi=connected` or `?smaregi=error&reason=<why>` (apps/api/src/http/admin-routes.ts).
 * These are the reasons `completeConnection` can give; any other value gets a generic message.
 */
export const CALLBACK_REASONS = [
  'missingParameters',
  'unknownState',
  'replayed',
  'expired',
  'wrongSession',
  'denied',
  'exchangeFailed',
  'contractTaken',
] as const;
export type CallbackReason = (typeof CALLBACK_REASONS)[number];

export type CallbackNotice =
  { kind: 'connected' } | { kind: 'error'; reason: CallbackReason | 'other' };

/** The notice a return from Smaregi asks for, or null when the URL is not such a return. */
export function callbackNotice(query: LocationQuery): CallbackNotice | null {
  const outcome = query.smaregi;
  if (outcome === 'connected') return { kind: 'connected' };
  if (outcome !== 'error') return null;
  const reason = query.reason;
  return {
    kind: 'error',
    reason: CALLBACK_REASONS.find((r) => r === reason) ?? 'other',
  };
}

/** The same query without the callback's keys, so a reload does not show the notice again. */
export function withoutCallback(query: LocationQuery): LocationQuery {
  const { smaregi: _smaregi, reason: _reason, ...rest } = query;
  return rest;
}
