import { raw } from '@mikro-orm/core';
import type { QueryBuilder } from '@mikro-orm/knex';
import type { Em } from './config.js';
import type { Page } from './tenant-scoped.repository.js';

/*
 * Lists whose count no index gives — the 連携ログ's million events, a search in 100,000 products
 * (every row read) — count their matches up to COUNT_LIMIT: past it, counting costs more than the
 * page, and a merchant narrows such a list rather than paging to its end. The admin shows
 * 「10,000件以上」.
 */

/** Such a list counts its matches up to this many (200 pages of 50). */
export const COUNT_LIMIT = 10_000;

/** A page whose total stops at {@link COUNT_LIMIT}; `totalCapped`: more than `total` match. */
export interface CappedPage<T> extends Page<T> {
  totalCapped: boolean;
}

/** The total of a page from a count of up to `COUNT_LIMIT + 1` matches. */
export function cappedTotal(counted: number): { total: number; totalCapped: boolean } {
  return { total: Math.min(counted, COUNT_LIMIT), totalCapped: counted > COUNT_LIMIT };
}

/** How many rows `matching` (a query builder with the list's condition) finds, up to the limit. */
export async function countUpToLimit<T extends object>(
  em: Em,
  matching: QueryBuilder<T, string>,
): Promise<{ total: number; totalCapped: boolean }> {
  const rows = matching
    .select(raw('1'))
    .limit(COUNT_LIMIT + 1)
    .getKnexQuery();
  const [counted] = await em.execute<{ count: number | string }[]>(
    em.getKnex().count({ count: '*' }).from(rows.as('matching')),
  );
  return cappedTotal(Number(counted?.count ?? 0));
}
