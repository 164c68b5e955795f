import type { Response } from 'express';
import { toPublicError } from '../trpc/errors.js';

/**
 * Writes an RFC 7807 problem+json answer for the REST routes: `detail` in Japanese (the
 * merchant's language, like Smaregi's own errors), `detail_en` in English, and `errors` with one
 * entry per field for validation failures.
 */
export function sendProblem(res: Response, error: unknown): void {
  const pub = toPublicError(error);
  const titles: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    409: 'Conflict',
    412: 'Precondition Failed',
    413: 'Payload Too Large',
    415: 'Unsupported Media Type',
    429: 'Too Many Requests',
    500: 'Internal Server Error',
    502: 'Bad Gateway',
  };
  res
    .status(pub.httpStatus)
    .type('application/problem+json')
    .json({
      type: 'about:blank',
      title: titles[pub.httpStatus] ?? 'Error',
      status: pub.httpStatus,
      detail: pub.message.ja,
      detail_en: pub.message.en,
      errors: pub.fieldErrors.map((e) => ({ field: e.path, message: e.message })),
      ...(pub.details === undefined ? {} : { details: pub.details }),
    });
}
