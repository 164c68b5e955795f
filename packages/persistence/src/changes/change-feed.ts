import { PostgreSqlPlatform } from '@mikro-orm/postgresql';
import type { Em } from '../config.js';

/*
 * The change feeds of the REST API v1: a tenant's orders (`GET /api/v1/orders`) and the stock
 * figures of its listed products (`GET /api/v1/stock`), read in the order their changes were
 * committed, from a position a client keeps (its cursor).
 *
 * Every order and every listed product carries the position of its last change and when it was
 * made, set by database triggers on every write path (Migration20261203010000). Positions are
 * commit-ordered: on SQLite a counter bumped under the one write lock; on PostgreSQL the writing
 * transaction's ID, read only below the oldest transaction still running, so that nothing can
 * commit later at a position already passed. A row comes again only when it changed after the
 * page that carried it: it then holds a later position. Rows of a position are read by ID.
 *
 * The price on PostgreSQL: a transaction that stays open holds back every change made after it
 * began writing, until it ends (a lag, never a loss). The snapshot's xmin is server-wide, so this
 * holds for a transaction in any database of the server, not only Renkei's.
 */

/** Which feed: orders, or the stock figures of listed products. */
export type ChangeFeed = 'orders' | 'stock';

/** Where a client stands in a feed: after the change at `position` of the row `id`. */
export interface FeedPosition {
  /** The change position, as decimal text (a 64-bit integer on PostgreSQL). */
  position: string;
  id: string;
}

/** The start of a feed: before every change. */
export const FEED_START: FeedPosition = { position: '0', id: '' };

export interface FeedPageQuery {
  after: FeedPosition;
  /** Only rows whose last change was made at or after this instant. */
  changedSince?: Date | null;
  limit: number;
}

export interface FeedPageRows {
  /** The rows of the page in feed order, each with its position. */
  rows: FeedPosition[];
  /** Whether further changes are already readable after the last row. */
  more: boolean;
}

const TABLES = {
  orders: { table: 'orders', position: 'feed_position', changedAt: 'feed_changed_at' },
  stock: {
    table: 'listed_products',
    position: 'stock_feed_position',
    changedAt: 'stock_feed_changed_at',
  },
} as const;

const DECIMAL = /^(0|[1-9][0-9]{0,18})$/;

/** Whether a text is a position a feed can hold (a non-negative 64-bit integer). */
export function isFeedPosition(text: string): boolean {
  return DECIMAL.test(text) && BigInt(text) <= 9_223_372_036_854_775_807n;
}

/**
 * One page of a tenant's feed after `after`: up to `limit` rows in (position, ID) order, read
 * from the index (tenant, position, ID), and whether more follow. On PostgreSQL only positions of
 * transactions that have all ended are read (see above).
 */
export async function changeFeedPage(
  em: Em,
  feed: ChangeFeed,
  tenantId: string,
  query: FeedPageQuery,
): Promise<FeedPageRows> {
  if (!isFeedPosition(query.after.position)) throw new Error('not a feed position');
  const { table, position, changedAt } = TABLES[feed];
  const postgres = em.getPlatform() instanceof PostgreSqlPlatform;
  const params: unknown[] = [tenantId];
  let sql: string;
  if (postgres) {
    sql =
      `select "id", "${position}"::text as "position" from "${table}" ` +
      `where "tenant_id" = ? and ("${position}", "id") > (?::bigint, ?) ` +
      // Every transaction below the snapshot's xmin has ended: its rows are final here.
      `and "${position}" < pg_snapshot_xmin(pg_current_snapshot())::text::bigint`;
    params.push(query.after.position, query.after.id);
  } else {
    sql =
      `select \`id\`, \`${position}\` as \`position\` from \`${table}\` ` +
      `where \`tenant_id\` = ? and (\`${position}\`, \`id\`) > (?, ?)`;
    params.push(Number(query.after.position), query.after.id);
  }
  if (query.changedSince != null) {
    sql += postgres ? ` and "${changedAt}" >= ?` : ` and \`${changedAt}\` >= ?`;
    params.push(postgres ? query.changedSince.toISOString() : query.changedSince.getTime());
  }
  sql += postgres
    ? ` order by "${position}", "id" limit ?`
    : ` order by \`${position}\`, \`id\` limit ?`;
  params.push(query.limit + 1);
  const found = await em
    .getConnection()
    .execute<{ id: string; position: string | number | bigint }[]>(sql, params);
  const rows = found.slice(0, query.limit).map((r) => ({ id: r.id, position: String(r.position) }));
  return { rows, more: found.length > query.limit };
}
