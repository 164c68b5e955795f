import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../errors.js';
import { sendProblem } from './problem.js';

/** Header the admin sends with every mutation. A cross-site form cannot set it. */
export const CSRF_HEADER = 'x-renkei-csrf';

/**
 * CSRF defence for cookie-authenticated mutations (docs/reliability.md item 6), in three layers:
 * 1. the browser's Origin (or, without it, Sec-Fetch-Site) must be this site or an allowed admin
 *    origin;
 * 2. a custom header must be present: custom headers make a cross-origin request preflighted,
 *    and no CORS preflight is ever approved here;
 * 3. the body must be JSON (a cross-site HTML form can only send urlencoded, multipart or
 *    text/plain).
 * SameSite=Lax cookies are a fourth layer in browsers that honour it.
 */
export function csrfGuard(allowedOrigins: readonly string[]) {
  const allowed = new Set(allowedOrigins);
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
    const origin = req.get('origin');
    const site = req.get('sec-fetch-site');
    const refuse = (ja: string, en: string) =>
      sendProblem(
        res,
        new AppError('FORBIDDEN', {
          ja: `リクエストを拒否しました(${ja})`,
          en: `Request refused (${en})`,
        }),
      );
    // An opaque origin ("null": sandboxed frames, file://) is never ours.
    if (origin !== undefined && !allowed.has(origin))
      return refuse('送信元が不正です', 'foreign origin');
    if (origin === undefined && site !== undefined && site !== 'same-origin' && site !== 'none')
      return refuse('クロスサイトからの送信です', 'cross-site request');
    const token = req.get(CSRF_HEADER);
    if (token === undefined || token === '')
      return refuse(`${CSRF_HEADER} ヘッダーがありません`, `missing ${CSRF_HEADER} header`);
    if (!req.is('application/json'))
      return refuse('JSON以外の形式です', 'body must be application/json');
    next();
  };
}
