import { fieldErrorsOf, type FieldError, type LocalizedMessage } from '@renkei/domain';
import { UniqueConstraintViolationException } from '@renkei/persistence';
import { isSmaregiApiError } from '@renkei/smaregi-client';
import { TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import { AppError, APP_ERROR_CODES, type AppErrorCode } from '../errors.js';

/*
 * The one place where failures become client-visible errors (docs/conventions.md item 5): AppError
 * (our services), ZodError (input schemas from packages/domain), SmaregiApiError (the client),
 * unique-constraint violations (a concurrent duplicate). Everything else is an internal error
 * whose details are logged, not shown.
 */

/** What the client sees of an error, beside tRPC's own fields. */
export interface PublicError {
  code: AppErrorCode | 'INTERNAL_SERVER_ERROR';
  httpStatus: number;
  message: LocalizedMessage;
  fieldErrors: FieldError[];
  details?: Record<string, unknown> | undefined;
}

const TRPC_CODES: Record<AppErrorCode, TRPCError['code']> = {
  BAD_REQUEST: 'BAD_REQUEST',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  PRECONDITION_FAILED: 'PRECONDITION_FAILED',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNPROCESSABLE_CONTENT: 'UNPROCESSABLE_CONTENT',
  PRECONDITION_REQUIRED: 'PRECONDITION_REQUIRED',
  TOO_MANY_REQUESTS: 'TOO_MANY_REQUESTS',
  BAD_GATEWAY: 'BAD_GATEWAY',
};

/** Translates any thrown value into the public error (no internals for unknown errors). */
export function toPublicError(error: unknown): PublicError {
  const cause = error instanceof TRPCError && error.cause !== undefined ? error.cause : error;
  if (cause instanceof AppError) {
    return {
      code: cause.code,
      httpStatus: APP_ERROR_CODES[cause.code],
      message: cause.localized,
      fieldErrors: cause.fieldErrors,
      details: cause.details,
    };
  }
  if (cause instanceof ZodError) {
    const fieldErrors = fieldErrorsOf(cause);
    const first = fieldErrors[0]?.message;
    return {
      code: 'BAD_REQUEST',
      httpStatus: 400,
      message: {
        ja: first ? `入力内容に誤りがあります: ${first.ja}` : '入力内容に誤りがあります',
        en: first ? `Invalid input: ${first.en}` : 'Invalid input',
      },
      fieldErrors,
    };
  }
  if (cause instanceof UniqueConstraintViolationException) {
    return {
      code: 'CONFLICT',
      httpStatus: 409,
      message: {
        ja: '同じデータが同時に登録されました。もう一度お試しください',
        en: 'The same record was written concurrently; please retry',
      },
      fieldErrors: [],
    };
  }
  if (isSmaregiApiError(cause)) {
    if (cause.needsReauthorization || cause.kind === 'unauthorized') {
      return {
        code: 'PRECONDITION_FAILED',
        httpStatus: 412,
        message: {
          ja: 'スマレジの再認証が必要です([認証]からやり直してください)',
          en: 'Smaregi needs re-authorisation (use [認証] again)',
        },
        fieldErrors: [],
      };
    }
    const detail = cause.problem?.detail ?? cause.kind;
    return {
      code: 'BAD_GATEWAY',
      httpStatus: 502,
      message: {
        ja: `スマレジとの通信に失敗しました(${detail})。しばらくしてから再度お試しください`,
        en: `Smaregi call failed (${cause.kind}); please try again shortly`,
      },
      fieldErrors: [],
    };
  }
  if (error instanceof TRPCError && error.code !== 'INTERNAL_SERVER_ERROR') {
    const status = {
      UNAUTHORIZED: 401,
      FORBIDDEN: 403,
      NOT_FOUND: 404,
      PAYLOAD_TOO_LARGE: 413,
      METHOD_NOT_SUPPORTED: 405,
      PARSE_ERROR: 400,
      BAD_REQUEST: 400,
    } as Record<string, number>;
    return {
      code: (error.code in TRPC_CODES ? error.code : 'BAD_REQUEST') as AppErrorCode,
      httpStatus: status[error.code] ?? 400,
      message: { ja: error.message, en: error.message },
      fieldErrors: [],
    };
  }
  return {
    code: 'INTERNAL_SERVER_ERROR',
    httpStatus: 500,
    message: { ja: 'サーバー内部でエラーが発生しました', en: 'Internal server error' },
    fieldErrors: [],
  };
}

/** The TRPCError for any thrown value (keeps the original as `cause` for the formatter and logs). */
export function toTRPCError(error: unknown): TRPCError {
  const pub = toPublicError(error);
  const cause = error instanceof TRPCError && error.cause !== undefined ? error.cause : error;
  if (pub.code === 'INTERNAL_SERVER_ERROR') {
    return error instanceof TRPCError
      ? error
      : new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: pub.message.en, cause });
  }
  return new TRPCError({
    code: TRPC_CODES[pub.code],
    message: pub.message.en,
    cause: cause instanceof Error ? cause : undefined,
  });
}
