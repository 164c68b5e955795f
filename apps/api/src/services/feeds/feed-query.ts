import { createHash } from 'node:crypto';
import {
  FEED_START,
  isFeedPosition,
  type ChangeFeed,
  type FeedPosition,
} from '@renkei/persistence';
import { fieldError, invalid } from '../../errors.js';

/*
 * The query of a change feed of the REST API v1 (`GET /api/v1/orders`, `GET /api/v1/stock`):
 * `updatedSince`, `cursor`, `limit`, each refused by name when it cannot be read. The cursor is
 * opaque to the client: base64url of where it stands in the feed (position and row, see
 * @renkei/persistence changes/change-feed.ts), the feed, the `updatedSince` it was started with,
 * and a check over them and the tenant, so that an edited cursor, or one of another feed or
 * tenant, is refused rather than read from a place the client never reached.
 */

/**
 * Items per page unless asked otherwise: an order in the feed is the whole order as
 * `GET /api/v1/orders/{orderNumber}` shows it, and a page of 50 stays well within the feeds'
 * bound (bench/feeds.bench.ts); a client catching up may ask for up to 500.
 */
export const FEED_LIMIT_DEFAULT = 50;
export const FEED_LIMIT_MAX = 500;

/** A feed request as read: where to read from, since when, how many. */
export interface FeedQuery {
  after: FeedPosition;
  updatedSince: Date | null;
  limit: number;
}

interface CursorBody {
  f: ChangeFeed;
  p: string;
  i: string;
  s: string | null;
  c: string;
}

const checkOf = (tenantId: string, b: Omit<CursorBody, 'c'>) =>
  createHash('sha256')
    .update(JSON.stringify(['renkei-feed-cursor', tenantId, b.f, b.p, b.i, b.s]))
    .digest('base64url')
    .slice(0, 16);

/** The cursor after `last` (opaque base64url), carrying the feed's `updatedSince`. */
export function cursorAfter(
  tenantId: string,
  feed: ChangeFeed,
  last: FeedPosition,
  updatedSince: Date | null,
): string {
  const body = { f: feed, p: last.position, i: last.id, s: updatedSince?.toISOString() ?? null };
  return Buffer.from(JSON.stringify({ ...body, c: checkOf(tenantId, body) })).toString('base64url');
}

const badCursor = () =>
  invalid([
    fieldError(
      'cursor',
      'cursor が正しくありません。前のページの nextCursor をそのまま送ってください',
      'Invalid cursor: send the nextCursor of the previous page as it was given',
    ),
  ]);

function readCursor(tenantId: string, feed: ChangeFeed, text: string): CursorBody {
  if (!/^[A-Za-z0-9_-]{1,600}$/.test(text)) throw badCursor();
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  if (typeof body !== 'object' || body === null) throw badCursor();
  const b = body as Partial<CursorBody>;
  if (
    b.f !== feed ||
    typeof b.p !== 'string' ||
    !isFeedPosition(b.p) ||
    typeof b.i !== 'string' ||
    b.i.length > 64 ||
    !(b.s === null || (typeof b.s === 'string' && !Number.isNaN(Date.parse(b.s)))) ||
    b.c !== checkOf(tenantId, { f: b.f, p: b.p, i: b.i, s: b.s })
  )
    throw badCursor();
  return b as CursorBody;
}

/** ISO 8601 with a date, a time and an offset (`Z` or `±hh:mm`), as RFC 3339 has it. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

function readUpdatedSince(value: unknown): Date | null {
  if (value === undefined) return null;
  const text = typeof value === 'string' ? value.trim() : '';
  const at = ISO_INSTANT.test(text) ? new Date(text) : null;
  if (at === null || Number.isNaN(at.getTime()))
    throw invalid([
      fieldError(
        'updatedSince',
        'updatedSince は ISO 8601 の日時(例: 2026-12-01T09:00:00+09:00)で指定してください',
        'updatedSince must be an ISO 8601 date-time with an offset, e.g. 2026-12-01T09:00:00+09:00',
      ),
    ]);
  return at;
}

function readLimit(value: unknown): number {
  if (value === undefined) return FEED_LIMIT_DEFAULT;
  const text = typeof value === 'string' ? value.trim() : '';
  const n = /^\d{1,6}$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > FEED_LIMIT_MAX)
    throw invalid([
      fieldError(
        'limit',
        `limit は 1 から ${FEED_LIMIT_MAX} までの整数で指定してください`,
        `limit must be an integer from 1 to ${FEED_LIMIT_MAX}`,
      ),
    ]);
  return n;
}

/**
 * Reads `updatedSince`, `cursor` and `limit` of a feed request. With a cursor the feed goes on
 * from it, with the `updatedSince` it was started with: one sent again must be the same instant.
 */
export function readFeedQuery(
  tenantId: string,
  feed: ChangeFeed,
  query: Record<string, unknown>,
): FeedQuery {
  const limit = readLimit(query.limit);
  const updatedSince = readUpdatedSince(query.updatedSince);
  if (query.cursor === undefined) return { after: FEED_START, updatedSince, limit };
  const cursor = readCursor(tenantId, feed, typeof query.cursor === 'string' ? query.cursor : '');
  const carried = cursor.s === null ? null : new Date(cursor.s);
  if (updatedSince !== null && updatedSince.getTime() !== carried?.getTime())
    throw invalid([
      fieldError(
        'updatedSince',
        'cursor と一緒に送る updatedSince は、最初のページと同じ日時にしてください(省略もできます)',
        'With a cursor, updatedSince must be the instant the feed was started with (or left out)',
      ),
    ]);
  return { after: { position: cursor.p, id: cursor.i }, updatedSince: carried, limit };
}
