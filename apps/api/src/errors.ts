import type { FieldError, LocalizedMessage } from '@renkei/domain';

/** The closed vocabulary of API failures; each maps to one tRPC code and one HTTP status. */
export const APP_ERROR_CODES = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  UNPROCESSABLE_CONTENT: 422,
  PRECONDITION_REQUIRED: 428,
  TOO_MANY_REQUESTS: 429,
  BAD_GATEWAY: 502,
} as const;
export type AppErrorCode = keyof typeof APP_ERROR_CODES;

/**
 * An expected failure with a message for the merchant in Japanese and English, and, for
 * validation failures, the per-field errors. Services throw it; the tRPC layer and the REST
 * routes translate it in one place each (trpc/errors.ts, http/problem.ts).
 */
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: AppErrorCode,
    readonly localized: LocalizedMessage,
    readonly fieldErrors: FieldError[] = [],
    readonly details?: Record<string, unknown>,
  ) {
    super(localized.en);
  }
}

/** NOT_FOUND for a thing the tenant does not have (or that belongs to another tenant). */
export function notFound(ja: string, en: string): AppError {
  return new AppError('NOT_FOUND', { ja: `${ja}が見つかりません`, en: `${en} not found` });
}

/** A validation failure of named fields. */
export function invalid(fieldErrors: FieldError[]): AppError {
  const first = fieldErrors[0]?.message;
  return new AppError(
    'BAD_REQUEST',
    {
      ja:
        first !== undefined ? `入力内容に誤りがあります: ${first.ja}` : '入力内容に誤りがあります',
      en: first !== undefined ? `Invalid input: ${first.en}` : 'Invalid input',
    },
    fieldErrors,
  );
}

/** One field's error. */
export function fieldError(path: string, ja: string, en: string): FieldError {
  return { path, message: { ja, en } };
}
