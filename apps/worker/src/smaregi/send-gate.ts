import { AsyncLocalStorage } from 'node:async_hooks';
import type { FetchLike } from '@renkei/smaregi-client';

/**
 * The last moment a write can still be held back at shutdown is when its request is about to
 * leave: between the ledger claim and the send the client waits for a token and for the rate
 * budget (on PostgreSQL a few database round trips, sometimes hundreds of ms). A write started
 * through {@link gatedWrite} is refused by the transport, before anything is sent, once the
 * worker is stopping; the caller sees {@link notSentAtShutdown} and hands the work back.
 * Requests outside a gated write (reads resolving an in-flight call, follow-ups of a call that
 * was sent) are never held back.
 */
const gate = new AsyncLocalStorage<{ stopping: AbortSignal }>();

/** The request was not sent: the worker is stopping. */
export class NotSentAtShutdown extends Error {
  override name = 'NotSentAtShutdown';
  constructor() {
    super('worker stopping: the request was not sent');
  }
}

/** Runs a Smaregi write that must not leave once `stopping` is aborted. */
export function gatedWrite<T>(
  stopping: AbortSignal | undefined,
  write: () => Promise<T>,
): Promise<T> {
  return stopping === undefined ? write() : gate.run({ stopping }, write);
}

/** Wraps the client's transport: a gated write is refused before sending once stopping. */
export function gateTransport(fetchImpl: FetchLike): FetchLike {
  return (input, init) => {
    if (gate.getStore()?.stopping.aborted === true) return Promise.reject(new NotSentAtShutdown());
    return fetchImpl(input, init);
  };
}

/** True when `error` (or one of its causes) says the request was held back at shutdown. */
export function notSentAtShutdown(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; depth++) {
    if (e instanceof NotSentAtShutdown) return true;
    e = e.cause;
  }
  return false;
}
