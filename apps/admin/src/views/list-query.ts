import type { LocationQuery, LocationQueryRaw } from 'vue-router';

/*
 * A server-paged list's state in the address (`/orders?syncState=held&page=2`,
 * `/products?sync=failed&sort=name`): a reload, the back button and a shared link land on the same
 * list. The lists keep their own fields (order-filters.ts, product-filters.ts); reading the address
 * and writing it back is done here, once, the same way for each: one value per key, unknown values
 * dropped (an old bookmark never breaks a list), empty fields and page 1 left out.
 */

/** The text of one address field ('' when missing; the first when repeated). */
export function queryText(value: LocationQuery[string] | undefined): string {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first.trim() : '';
}

/** The value when it is one the list knows, else '' (the field is then not in use). */
export function knownOrEmpty<T extends string>(value: string, known: readonly T[]): T | '' {
  return (known as readonly string[]).includes(value) ? (value as T) : '';
}

/** The page the address asks for (1 when missing or not a page number). */
export function pageFromQuery(query: LocationQuery): number {
  const page = Number(queryText(query.page));
  return Number.isInteger(page) && page >= 1 ? page : 1;
}

/** The address of some fields and a page: empty fields and page 1 left out. */
export function queryOfFields(fields: Record<string, string>, page = 1): LocationQueryRaw {
  const query: LocationQueryRaw = {};
  for (const [key, raw] of Object.entries(fields)) {
    const value = raw.trim();
    if (value !== '') query[key] = value;
  }
  if (page > 1) query.page = String(page);
  return query;
}
