import { createHash } from 'node:crypto';
import { AppError, fieldError, invalid } from '../errors.js';
import type { TenantScope } from './scope.js';

/*
 * `Idempotency-Key` on the REST API v1's changes (as Stripe's): the first answer to a key is kept
 * for the tenant for a day, in the transaction of the change it answers; the same key with the
 * same request gets that answer again (and changes nothing), the same key with another request is
 * a 422. Only answers of changes made (2xx) are kept: a refused request changed nothing, so
 * sending it again is safe and answered afresh. (Not to be confused with the intake's order
 * idempotency by shop and order code, orders/idempotency.ts.)
 */

/** How long a key's answer is kept (a client's retries fall well within it). */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;

/** The request's `Idempotency-Key`, undefined without one; 400 naming the header if malformed. */
export function idempotencyKeyOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const key = header.trim();
  if (key.length === 0 || key.length > 255 || !/^[\x21-\x7e]+$/.test(key))
    throw invalid([
      fieldError(
        'Idempotency-Key',
        'Idempotency-Key は空白を含まない 1〜255 文字の ASCII にしてください(UUID など)',
        'Idempotency-Key must be 1 to 255 printable ASCII characters without spaces (a UUID, say)',
      ),
    ]);
  return key;
}

/** JSON with object keys sorted, so the same body written in another key order is the same. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null)
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

/** What identifies a request under a key: method, URL (path and query) and body. */
export function requestFingerprint(method: string, url: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method.toUpperCase()} ${url}\n${canonicalJson(body)}`)
    .digest('hex');
}

/** An answer as kept under a key. */
export interface KeptAnswer {
  status: number;
  body: unknown;
  etag: string | null;
  /** The `Content-Language` it was given in (null: kept before languages were kept). */
  language: string | null;
}

/**
 * The answer kept under the key for this request, or null when the key is new (or expired: the
 * tenant's expired keys are deleted here). 422 when the key was used with another request.
 */
export async function keptAnswer(
  scope: TenantScope,
  key: string,
  fingerprint: string,
): Promise<KeptAnswer | null> {
  const now = scope.deps.now();
  await scope.repos.idempotencyKeys.deleteExpired(now);
  const kept = await scope.repos.idempotencyKeys.current(key, now);
  if (kept === null) return null;
  if (kept.requestHash !== fingerprint)
    throw new AppError(
      'UNPROCESSABLE_CONTENT',
      {
        ja: 'この Idempotency-Key は別の内容のリクエストで使われています。別の変更には新しいキーを使ってください',
        en: 'This Idempotency-Key was used with a different request; use a new key for another change',
      },
      [
        fieldError(
          'Idempotency-Key',
          '別の内容のリクエストで使用済みのキーです',
          'Already used with a different request',
        ),
      ],
    );
  return {
    status: kept.responseStatus,
    body: kept.responseBody,
    etag: kept.responseEtag ?? null,
    language: kept.responseLanguage ?? null,
  };
}

/** Keeps the answer under the key, in the caller's unit of work (with the change it answers). */
export function keepAnswer(
  scope: TenantScope,
  key: string,
  fingerprint: string,
  answer: KeptAnswer,
): void {
  const now = scope.deps.now();
  scope.repos.idempotencyKeys.create({
    idempotencyKey: key,
    requestHash: fingerprint,
    responseStatus: answer.status,
    responseBody: answer.body,
    responseEtag: answer.etag,
    responseLanguage: answer.language,
    createdAt: now,
    expiresAt: new Date(now.getTime() + IDEMPOTENCY_KEY_TTL_MS),
  });
}
