import { isSmaregiApiError } from '@renkei/smaregi-client';

/**
 * What a failed remote WRITE means for the operation ledger (docs/reliability.md items 1-2):
 * - `unknown`: the call may or may not have changed Smaregi (timeout, reset, 5xx, unreadable
 *   answer, shutdown abort): read Smaregi before sending again;
 * - `noEffect`: Smaregi certainly did nothing and it is worth trying again later (429 after the
 *   client's own waits);
 * - `rejected`: a deterministic refusal (4xx): shown to the merchant with Smaregi's reason, never
 *   retried blindly;
 * - `duplicate`: Smaregi says the code is already registered (the client's `already_registered`
 *   kind): the order exists — look it up by its code;
 * - `reauth`: the app token was refused twice: the connection needs re-authorisation.
 */
export type WriteFailure =
  | { kind: 'unknown'; message: string }
  | { kind: 'noEffect'; message: string; retryAfterMs?: number | undefined }
  | { kind: 'rejected'; message: string }
  | { kind: 'duplicate'; message: string }
  | { kind: 'reauth'; message: string };

/** Smaregi's own words for an error (problem+json detail), else the error message. */
export function smaregiReason(error: unknown): string {
  if (isSmaregiApiError(error)) {
    const issues = error.inputIssues?.map((i) => `${i.path}: ${i.message}`).join('; ');
    const detail = error.problem?.detail ?? error.problem?.title;
    const status = error.status === undefined ? '' : ` (HTTP ${error.status})`;
    return `${detail ?? issues ?? error.message}${status}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Classifies a failed write (see {@link WriteFailure}). */
export function classifyWriteFailure(error: unknown): WriteFailure {
  const message = smaregiReason(error);
  if (!isSmaregiApiError(error)) return { kind: 'unknown', message };
  switch (error.kind) {
    case 'rate_limited':
      return { kind: 'noEffect', message, retryAfterMs: error.retryAfterMs };
    case 'unauthorized':
      return { kind: 'reauth', message };
    case 'already_registered':
      return { kind: 'duplicate', message };
    case 'invalid_request':
    case 'forbidden_scope':
    case 'not_found':
    case 'conflict':
      return { kind: 'rejected', message };
    case 'server':
    case 'network':
    case 'timeout':
    case 'bad_response':
      return { kind: 'unknown', message };
    default:
      return { kind: 'unknown', message };
  }
}

/** True for failures of a read that are worth trying again later (anything but a 4xx). */
export function isTransientRead(error: unknown): boolean {
  if (!isSmaregiApiError(error)) return true;
  return ['rate_limited', 'server', 'network', 'timeout', 'bad_response'].includes(error.kind);
}
