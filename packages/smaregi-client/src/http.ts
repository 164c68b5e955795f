/**
 * The transport layer: one HTTP exchange with a timeout, turned into either a parsed body or a
 * `SmaregiApiError`. Everything above it (auth, rate budget, retries) is layered in `client.ts`
 * and `auth.ts`, as in octokit/request.js + plugins.
 */
import type { z } from 'zod';
import { abortReason, type Clock } from './clock.js';
import {
  kindForOAuthError,
  kindForApiAnswer,
  SmaregiApiError,
  type ProblemDetails,
  type RedactedRequest,
} from './errors.js';
import { redactForm, redactHeaders, redactJson, redactText } from './redact.js';
import { parseRetryAfter, type HttpMethod } from './retry-policy.js';

/** Structured logger, pino-compatible (`logger.debug(fields, message)`). Never receives secrets. */
export interface SmaregiLogger {
  debug(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

export const silentLogger: SmaregiLogger = { debug() {}, warn() {} };

export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

export interface TransportConfig {
  fetch: FetchLike;
  clock: Clock;
  logger: SmaregiLogger;
  userAgent: string;
  timeoutMs: number;
}

export interface HttpCall {
  operation: string;
  method: HttpMethod;
  url: URL;
  headers: Record<string, string>;
  /** JSON value (sent as application/json) or a form (sent as x-www-form-urlencoded). */
  json?: unknown;
  form?: URLSearchParams;
  signal?: AbortSignal | undefined;
  /** Overrides the configured timeout for this call. */
  timeoutMs?: number | undefined;
}

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
}

/** Largest raw body kept on a `bad_response` error (the rest is cut, with a note). */
const RAW_BODY_LIMIT = 64 * 1024;

/** A redacted snapshot of a call, for errors. */
export function snapshot(call: HttpCall): RedactedRequest {
  const request: RedactedRequest = {
    method: call.method,
    url: call.url.toString(),
    headers: redactHeaders(call.headers),
  };
  if (call.json !== undefined) request.body = redactJson(call.json);
  else if (call.form) request.body = redactForm(call.form);
  return request;
}

/**
 * Sends one request and reads the whole body, within the timeout. Transport failures become
 * `network` / `timeout` errors; an abort by the caller's own signal is rethrown as is.
 */
export async function send(config: TransportConfig, call: HttpCall): Promise<HttpResult> {
  const timeoutMs = call.timeoutMs ?? config.timeoutMs;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException('Smaregi request timed out', 'TimeoutError'));
  }, timeoutMs);
  const onCallerAbort = (): void => controller.abort(abortReason(call.signal!));
  if (call.signal?.aborted) onCallerAbort();
  call.signal?.addEventListener('abort', onCallerAbort, { once: true });

  const headers: Record<string, string> = {
    accept: 'application/json, application/problem+json',
    'user-agent': config.userAgent,
    ...call.headers,
  };
  let body: string | undefined;
  if (call.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(call.json);
  } else if (call.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = call.form.toString();
  }

  const started = config.clock.now();
  try {
    const response = await config.fetch(call.url, {
      method: call.method,
      headers,
      body,
      signal: controller.signal,
      redirect: 'manual',
    });
    const text = await response.text();
    config.logger.debug(
      {
        operation: call.operation,
        method: call.method,
        url: call.url.pathname + call.url.search,
        status: response.status,
        durationMs: config.clock.now() - started,
      },
      'smaregi request',
    );
    return { status: response.status, headers: response.headers, text };
  } catch (error) {
    if (call.signal?.aborted && !timedOut) throw abortReason(call.signal);
    const kind = timedOut ? 'timeout' : 'network';
    config.logger.debug(
      { operation: call.operation, method: call.method, url: call.url.pathname, kind },
      'smaregi request failed',
    );
    throw new SmaregiApiError(
      timedOut
        ? `${call.operation}: no complete response within ${timeoutMs} ms`
        : `${call.operation}: network error (${describeCause(error)})`,
      { kind, operation: call.operation, request: snapshot(call), cause: error },
    );
  } finally {
    clearTimeout(timer);
    call.signal?.removeEventListener('abort', onCallerAbort);
  }
}

function describeCause(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    const code =
      cause && typeof cause === 'object' ? (cause as { code?: unknown }).code : undefined;
    return typeof code === 'string' ? `${error.message}: ${code}` : error.message;
  }
  return String(error);
}

function tryParseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.trim() === '') return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

function clip(text: string): string {
  const redacted = redactText(text);
  return redacted.length > RAW_BODY_LIMIT
    ? `${redacted.slice(0, RAW_BODY_LIMIT)}… [${redacted.length - RAW_BODY_LIMIT} more characters]`
    : redacted;
}

function badResponse(call: HttpCall, result: HttpResult, why: string, cause?: unknown): never {
  throw new SmaregiApiError(`${call.operation}: unexpected response (${why})`, {
    kind: 'bad_response',
    operation: call.operation,
    status: result.status,
    request: snapshot(call),
    rawBody: clip(result.text),
    cause,
  });
}

/** Parses a successful body with a zod schema, or fails with `bad_response` and the raw body. */
export function parseBody<S extends z.ZodType>(
  call: HttpCall,
  result: HttpResult,
  schema: S,
): z.output<S> {
  // An empty body (204) is `undefined`: fine for a schema that allows it, bad_response otherwise.
  const empty = result.text.trim() === '';
  const parsed = empty ? ({ ok: true, value: undefined } as const) : tryParseJson(result.text);
  if (!parsed.ok) badResponse(call, result, 'body is not JSON');
  const checked = schema.safeParse(parsed.value);
  if (!checked.success) {
    const first = checked.error.issues[0];
    const where = first ? `${first.path.join('.') || '(root)'}: ${first.message}` : 'schema';
    badResponse(call, result, `does not match the expected shape at ${where}`, checked.error);
  }
  return checked.data;
}

/** Turns a non-2xx answer of the API host (problem+json) into an error. */
export function apiError(call: HttpCall, result: HttpResult, now: number): SmaregiApiError {
  const parsed = tryParseJson(result.text);
  const problem =
    parsed.ok && parsed.value !== null && typeof parsed.value === 'object'
      ? (redactJson(parsed.value) as ProblemDetails)
      : undefined;
  const kind = kindForApiAnswer(result.status, problem);
  const retryAfterMs =
    kind === 'rate_limited' ? parseRetryAfter(result.headers.get('retry-after'), now) : undefined;
  const title = problem?.title ?? `HTTP ${result.status}`;
  const detail = typeof problem?.detail === 'string' ? `: ${problem.detail}` : '';
  return new SmaregiApiError(`${call.operation}: ${result.status} ${title}${detail}`, {
    kind,
    operation: call.operation,
    status: result.status,
    problem,
    request: snapshot(call),
    rawBody: problem ? undefined : clip(result.text),
    retryAfterMs,
  });
}

/** Turns a non-2xx answer of the ID host (RFC 6749 `{error, error_description}`) into an error. */
export function oauthError(call: HttpCall, result: HttpResult, now?: number): SmaregiApiError {
  const parsed = tryParseJson(result.text);
  const body =
    parsed.ok && parsed.value !== null && typeof parsed.value === 'object'
      ? (redactJson(parsed.value) as Record<string, unknown>)
      : undefined;
  const code = typeof body?.error === 'string' ? body.error : undefined;
  const description =
    typeof body?.error_description === 'string' ? `: ${body.error_description}` : '';
  // Token requests count against the rate limit (docs/smaregi-wire.md §5.2): a 429 is waited
  // out like one from the API host, whatever error code the body carries.
  const kind = result.status === 429 ? 'rate_limited' : kindForOAuthError(code, result.status);
  return new SmaregiApiError(
    `${call.operation}: ${result.status} ${code ?? 'error'}${description}`,
    {
      kind,
      operation: call.operation,
      status: result.status,
      problem: body,
      request: snapshot(call),
      rawBody: body ? undefined : clip(result.text),
      oauthError: code,
      retryAfterMs:
        kind === 'rate_limited'
          ? parseRetryAfter(result.headers.get('retry-after'), now ?? Date.now())
          : undefined,
    },
  );
}
