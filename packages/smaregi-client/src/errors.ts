/**
 * The one error type of the client. Every failure of a Smaregi call (HTTP status, transport,
 * timeout, unexpected body, bad input caught before sending) becomes a `SmaregiApiError` with a
 * `kind` from a closed list, so callers switch on `kind` and never parse messages.
 *
 * Secrets never reach an error: the request snapshot carries redacted headers and a redacted body,
 * and messages are built only from the operation name, the status and the problem+json title /
 * detail (docs/conventions.md item 5, modelled on octokit/request-error.js).
 */

/** Closed vocabulary of failure kinds. */
export const SMAREGI_ERROR_KINDS = [
  'rate_limited',
  'unauthorized',
  'forbidden_scope',
  'not_found',
  'invalid_request',
  'already_registered',
  'conflict',
  'server',
  'network',
  'timeout',
  'bad_response',
] as const;

export type SmaregiErrorKind = (typeof SMAREGI_ERROR_KINDS)[number];

/** RFC 7807 body as Smaregi sends it (`type`, `title`, `detail` in Japanese, `status`). */
export interface ProblemDetails {
  type?: string;
  title?: string;
  detail?: string;
  status?: number;
  /**
   * Only the simulator adds this (docs/smaregi-wire.md §5.3): per-field messages of a validation
   * 400. The real API has not been seen sending it, so nothing may depend on it.
   */
  fields?: { name: string; message: string }[];
  [key: string]: unknown;
}

/** What was sent, with every secret replaced by `[REDACTED]`. */
export interface RedactedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
}

/** One problem with the caller's input, found before anything was sent. */
export interface InputIssue {
  path: string;
  message: string;
}

export interface SmaregiApiErrorInit {
  kind: SmaregiErrorKind;
  operation: string;
  status?: number;
  problem?: ProblemDetails;
  request?: RedactedRequest;
  rawBody?: string;
  oauthError?: string;
  retryAfterMs?: number;
  inputIssues?: InputIssue[];
  remoteId?: string;
  cause?: unknown;
}

/**
 * A failed Smaregi call. `kind` says what to do about it; `problem` is the server's own words.
 */
export class SmaregiApiError extends Error {
  override readonly name = 'SmaregiApiError';
  readonly kind: SmaregiErrorKind;
  /** The operation name, e.g. `pos.products.list`. */
  readonly operation: string;
  /** HTTP status; undefined when no response arrived (network, timeout, client-side validation). */
  readonly status: number | undefined;
  /** The problem+json body (API host) or the RFC 6749 error body (ID host), when there was one. */
  readonly problem: ProblemDetails | undefined;
  readonly request: RedactedRequest | undefined;
  /** For `bad_response`: the body as received (secrets redacted), so the mismatch can be seen. */
  readonly rawBody: string | undefined;
  /**
   * For ID-host errors: the RFC 6749 `error` code. `invalid_grant` on a refresh means the merchant
   * must authorize again (要再認証), which the app shows in red.
   */
  readonly oauthError: string | undefined;
  /** For `rate_limited`: the wait the server asked for, in milliseconds. */
  readonly retryAfterMs: number | undefined;
  /** For input rejected before sending: which fields are wrong and why. */
  readonly inputIssues: InputIssue[] | undefined;
  /**
   * For a write whose 2xx answer could not be read in full (`bad_response`): the ID Smaregi gave
   * what was created (the `orderHeadId` of 受注登録). The write happened: do not send it again.
   */
  readonly remoteId: string | undefined;

  constructor(message: string, init: SmaregiApiErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.operation = init.operation;
    this.status = init.status;
    this.problem = init.problem;
    this.request = init.request;
    this.rawBody = init.rawBody;
    this.oauthError = init.oauthError;
    this.retryAfterMs = init.retryAfterMs;
    this.inputIssues = init.inputIssues;
    this.remoteId = init.remoteId;
  }

  /** True when the merchant has to go through the Smaregi consent screen again. */
  get needsReauthorization(): boolean {
    return this.kind === 'unauthorized' && this.oauthError === 'invalid_grant';
  }
}

/** Type guard usable across package copies (checks the name and kind, not the prototype). */
export function isSmaregiApiError(value: unknown): value is SmaregiApiError {
  return (
    value instanceof SmaregiApiError ||
    (value instanceof Error &&
      value.name === 'SmaregiApiError' &&
      typeof (value as { kind?: unknown }).kind === 'string')
  );
}

/** Maps an API-host HTTP status to a kind. */
export function kindForStatus(status: number): SmaregiErrorKind {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden_scope';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server';
  return 'invalid_request';
}

/**
 * Smaregi's "already registered" refusal of a code that must be unique (a second 受注 with the
 * same order code in one 受注店舗, a product code, a store code): HTTP 400 whose problem detail
 * says `既に登録されています`. That wording is the only signal there is (no error code; see
 * docs/smaregi-wire.md §5.3), so it is decided here and nowhere else.
 */
const ALREADY_REGISTERED = /既に登録されています/;

/** Maps an answer of the API host (status and problem+json body) to a kind. */
export function kindForApiAnswer(status: number, problem?: ProblemDetails): SmaregiErrorKind {
  if (
    status === 400 &&
    typeof problem?.detail === 'string' &&
    ALREADY_REGISTERED.test(problem.detail)
  )
    return 'already_registered';
  return kindForStatus(status);
}

/** Maps an RFC 6749 / RFC 6750 error code from the ID host to a kind. */
export function kindForOAuthError(code: string | undefined, status: number): SmaregiErrorKind {
  switch (code) {
    case 'invalid_grant':
    case 'invalid_client':
    case 'invalid_token':
    case 'unauthorized_client':
      return 'unauthorized';
    case 'invalid_scope':
    case 'insufficient_scope':
      return 'forbidden_scope';
    case 'invalid_request':
    case 'unsupported_grant_type':
    case 'unsupported_response_type':
      return 'invalid_request';
    case 'temporarily_unavailable':
    case 'server_error':
      return 'server';
    default:
      return kindForStatus(status);
  }
}
