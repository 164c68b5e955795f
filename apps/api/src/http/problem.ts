import type { Locale } from '@renkei/domain';
import type { Request, Response } from 'express';
import { toPublicError } from '../trpc/errors.js';

/** The reader's language from `Accept-Language`: English when asked for, Japanese otherwise. */
export function requestLocale(req: Request): Locale {
  return req.acceptsLanguages('ja', 'en') === 'en' ? 'en' : 'ja';
}

/**
 * Writes an RFC 7807 problem+json answer for the REST routes. `detail` and each field error's
 * `detail` are in the language the client asks for with `Accept-Language` (Japanese, the
 * merchant's language like Smaregi's own errors, by default; English with `en`); `detail_en` and
 * each error's `message` keep both languages for clients written against the earlier shape.
 */
export function sendProblem(res: Response, error: unknown): void {
  const pub = toPublicError(error);
  const locale = requestLocale(res.req);
  const titles: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    409: 'Conflict',
    412: 'Precondition Failed',
    413: 'Payload Too Large',
    415: 'Unsupported Media Type',
    422: 'Unprocessable Content',
    428: 'Precondition Required',
    429: 'Too Many Requests',
    500: 'Internal Server Error',
    502: 'Bad Gateway',
  };
  res
    .status(pub.httpStatus)
    .type('application/problem+json')
    .set('Content-Language', locale)
    .vary('Accept-Language')
    .json({
      type: 'about:blank',
      title: titles[pub.httpStatus] ?? 'Error',
      status: pub.httpStatus,
      detail: pub.message[locale],
      detail_en: pub.message.en,
      errors: pub.fieldErrors.map((e) => ({
        field: e.path,
        detail: e.message[locale],
        message: e.message,
      })),
      ...(pub.details === undefined ? {} : { details: pub.details }),
    });
}
