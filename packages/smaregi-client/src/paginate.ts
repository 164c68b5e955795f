/**
 * Paging as async iterators (docs/conventions.md item 6, after octokit/plugin-paginate-rest.js).
 *
 * Smaregi lists are bare arrays without totals or link headers; the last page is the first one
 * shorter than `limit` (docs/smaregi-wire.md §5.1). Only one page is held at a time, so memory
 * stays flat however long the list is.
 */

/** Largest page the POS API serves [OFF]. */
export const MAX_PAGE_SIZE = 1000;

/**
 * Page size of 受注管理 lists: its maximum `limit` is unpublished, so Renkei asks for the POS
 * default (100) until it is known (docs/smaregi-wire.md §5.1).
 */
export const ORDER_SHIPMENT_PAGE_SIZE = 100;

export interface PageRequest {
  page: number;
  limit: number;
}

export interface PaginateOptions {
  limit?: number | undefined;
  startPage?: number | undefined;
  prefetch?: boolean | undefined;
  /**
   * The server's maximum page size is not published (受注管理, docs/smaregi-wire.md §5.1): a
   * page shorter than `limit` may be a full page cut at that maximum, so it ends the list only
   * when it is empty or shorter than an earlier page (a cap cuts every full page alike). Costs
   * at most one extra read at the end of a list.
   */
  maxLimitUnknown?: boolean | undefined;
  /**
   * With `maxLimitUnknown`: what the client has learned of this list's pages so far. Once the
   * server has served a page of `limit` items, its maximum is at least `limit`, so a shorter page
   * is the last one and the extra read is saved.
   */
  served?: ServedPageSize | undefined;
}

/**
 * The largest page a server has served for one list (an operation), remembered by the client:
 * its maximum page size is not published (受注管理), but it is at least the largest page seen.
 */
export class ServedPageSize {
  #largest = 0;

  get largest(): number {
    return this.#largest;
  }

  saw(items: number): void {
    if (items > this.#largest) this.#largest = items;
  }
}

/** One {@link ServedPageSize} per list of a client (pages are the server's, not a contract's). */
export class ServedPageSizes {
  readonly #byOperation = new Map<string, ServedPageSize>();

  of(operation: string): ServedPageSize {
    let served = this.#byOperation.get(operation);
    if (served === undefined) {
      served = new ServedPageSize();
      this.#byOperation.set(operation, served);
    }
    return served;
  }
}

/**
 * Yields every page from `startPage` on until a short (or empty) page. With `prefetch`, the next
 * page is requested while the caller still works on the current one (one extra read at the very
 * end when the last page is exactly full); the rate budget still spaces the requests.
 */
export async function* paginatePages<T>(
  fetchPage: (request: PageRequest) => Promise<T[]>,
  options: PaginateOptions = {},
): AsyncGenerator<T[], void, undefined> {
  const limit = options.limit ?? MAX_PAGE_SIZE;
  const served = options.served;
  // A server known to serve pages of `limit` ends a list with its first shorter page.
  const maxLimitUnknown =
    options.maxLimitUnknown === true && (served === undefined || served.largest < limit);
  let page = options.startPage ?? 1;
  let largest = 0;
  let pending: Promise<T[]> | undefined = fetchPage({ page, limit });
  try {
    while (pending !== undefined) {
      const items = await pending;
      pending = undefined;
      const more =
        items.length >= limit || (maxLimitUnknown && items.length > 0 && items.length >= largest);
      largest = Math.max(largest, items.length);
      served?.saw(items.length);
      if (more && options.prefetch) pending = fetchPage({ page: page + 1, limit });
      page++;
      if (items.length > 0) yield items;
      if (!more) return;
      pending ??= fetchPage({ page, limit });
    }
  } finally {
    // A consumer that stops early must not leave a rejected prefetch unhandled.
    pending?.catch(() => undefined);
  }
}

/** Yields every item of every page (see `paginatePages`). */
export async function* paginateItems<T>(
  fetchPage: (request: PageRequest) => Promise<T[]>,
  options: PaginateOptions = {},
): AsyncGenerator<T, void, undefined> {
  for await (const items of paginatePages(fetchPage, options)) yield* items;
}
