import { badRequest } from './problem.js';
import { parseOffsetDateTime } from './time.js';

/** Paging rules shared by POS and 受注管理 lists (docs/smaregi-wire.md §5.1 [OFF]). */
export const MAX_LIMIT = 1000;
export const DEFAULT_LIMIT = 100;
/**
 * Date-range filters may span at most 31 days (docs/smaregi-wire.md §5.1 [OFF getstock,
 * gettransactions]).
 */
export const MAX_RANGE_DAYS = 31;

export interface SortKey<F extends string> {
  field: F;
  desc: boolean;
}

export interface Paging<F extends string> {
  limit: number;
  page: number;
  sort: SortKey<F>[];
  fields: string[] | null;
}

type Query = Record<string, unknown>;

/** A single-valued query parameter; repeated parameters are refused. */
export function queryString(query: Query, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') badRequest(`${name}は1つだけ指定してください`);
  return value;
}

function positiveInt(query: Query, name: string, fallback: number, max?: number): number {
  const raw = queryString(query, name);
  if (raw === undefined) return fallback;
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < 1 || (max !== undefined && Number(raw) > max)) {
    badRequest(
      max === undefined
        ? `${name}は1以上の整数で指定してください`
        : `${name}は1以上${max}以下の整数で指定してください`,
    );
  }
  return Number(raw);
}

/**
 * Reads `limit`, `page`, `sort` and `fields`. `sortable` lists the wire names a list can be
 * sorted by; `fieldNames` the top-level fields `fields` may keep (null = `fields` not supported).
 */
export function parsePaging<F extends string>(
  query: Query,
  sortable: readonly F[],
  fieldNames: readonly string[] | null,
): Paging<F> {
  const limit = positiveInt(query, 'limit', DEFAULT_LIMIT, MAX_LIMIT);
  const page = positiveInt(query, 'page', 1);
  const sort: SortKey<F>[] = [];
  const rawSort = queryString(query, 'sort');
  if (rawSort !== undefined) {
    for (const part of rawSort.split(',')) {
      // Documented form: `field` (ascending) or `field:desc` [OFF POS spec].
      const [name, direction, extra] = part.trim().split(':');
      if (
        !sortable.includes(name as F) ||
        extra !== undefined ||
        (direction !== undefined && direction !== 'desc')
      ) {
        badRequest(`sortに指定できない値です: ${part}(指定可能な項目: ${sortable.join(', ')})`);
      }
      sort.push({ field: name as F, desc: direction === 'desc' });
    }
  }
  let fields: string[] | null = null;
  const rawFields = queryString(query, 'fields');
  if (rawFields !== undefined) {
    if (fieldNames === null) badRequest('fieldsはこのAPIでは指定できません');
    fields = rawFields.split(',').map((f) => f.trim());
    for (const f of fields) {
      if (!fieldNames.includes(f)) badRequest(`fieldsに指定できない項目です: ${f}`);
    }
  }
  return { limit, page, sort, fields };
}

/** A validated `*-from` / `*-to` range (either end may be open). */
export interface DateRange {
  from: number | null;
  to: number | null;
}

/** Reads `${name}-from` / `${name}-to` (ISO with offset, at most 31 days apart). */
export function parseDateRange(query: Query, name: string): DateRange | null {
  const fromText = queryString(query, `${name}-from`);
  const toText = queryString(query, `${name}-to`);
  if (fromText === undefined && toText === undefined) return null;
  const from = fromText === undefined ? null : parseOffsetDateTime(fromText);
  const to = toText === undefined ? null : parseOffsetDateTime(toText);
  if (fromText !== undefined && from === null) {
    badRequest(`${name}-fromはYYYY-MM-DDThh:mm:ssTZD形式で指定してください`);
  }
  if (toText !== undefined && to === null) {
    badRequest(`${name}-toはYYYY-MM-DDThh:mm:ssTZD形式で指定してください`);
  }
  if (from && to) {
    if (to.getTime() < from.getTime())
      badRequest(`${name}-toは${name}-from以降の日時を指定してください`);
    if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * 24 * 60 * 60 * 1000) {
      badRequest(`${name}-fromと${name}-toの期間は${MAX_RANGE_DAYS}日以内で指定してください`);
    }
  }
  return { from: from?.getTime() ?? null, to: to?.getTime() ?? null };
}

/** True if `time` (ms) lies in the range (inclusive ends). */
export function inRange(range: DateRange | null, time: number): boolean {
  if (!range) return true;
  if (range.from !== null && time < range.from) return false;
  if (range.to !== null && time > range.to) return false;
  return true;
}

/** Keeps only the requested top-level fields. */
export function pickFields<T extends object>(item: T, fields: string[] | null): Partial<T> | T {
  if (!fields) return item;
  const out: Record<string, unknown> = {};
  for (const f of fields) out[f] = (item as Record<string, unknown>)[f];
  return out as Partial<T>;
}

/** Compares two wire values: numeric strings numerically, others as strings. */
export function compareWire(
  a: string | number | boolean | null | undefined,
  b: string | number | boolean | null | undefined,
): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = a === null || a === undefined ? '' : String(a);
  const sb = b === null || b === undefined ? '' : String(b);
  if (/^-?\d+$/.test(sa) && /^-?\d+$/.test(sb)) {
    const diff = Number(sa) - Number(sb);
    if (diff !== 0) return diff;
  }
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Sorts by the sort keys (stable), falling back to the given primary key. */
export function sortItems<T, F extends string>(
  items: T[],
  sort: SortKey<F>[],
  value: (item: T, field: F) => string | number | boolean | null | undefined,
): T[] {
  return items.sort((x, y) => {
    for (const key of sort) {
      const c = compareWire(value(x, key.field), value(y, key.field));
      if (c !== 0) return key.desc ? -c : c;
    }
    return 0;
  });
}

/** One page of an already ordered array. */
export function pageOf<T>(items: readonly T[], paging: { limit: number; page: number }): T[] {
  const start = (paging.page - 1) * paging.limit;
  return items.slice(start, start + paging.limit);
}

/** A single-valued optional query parameter that must be one of `values`. */
export function enumQuery(
  query: Query,
  name: string,
  values: readonly string[],
): string | undefined {
  const raw = queryString(query, name);
  if (raw !== undefined && !values.includes(raw)) {
    badRequest(`${name}は${values.join(', ')}のいずれかで指定してください`);
  }
  return raw;
}

/** An optional numeric ID filter (`store_id=3`). */
export function idQuery(query: Query, name: string): string | undefined {
  const raw = queryString(query, name);
  if (raw !== undefined && !/^\d{1,15}$/.test(raw)) badRequest(`${name}は数字で指定してください`);
  return raw;
}
