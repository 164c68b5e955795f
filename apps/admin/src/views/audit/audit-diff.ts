/*
 * The 操作履歴 shows what an entry changed as "field: before → after", not as the JSON it keeps.
 * An entry records the changed thing's fields before and after (null before a creation, null
 * after a deletion); the changes are the fields whose values differ.
 */

/** One field of an entry: its value before and after (undefined: the entry has no such side). */
export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

export type AuditChanges =
  /** Something changed: the fields that differ. */
  | { kind: 'changed'; fields: FieldChange[] }
  /** Something was made: its fields that have a value. */
  | { kind: 'created'; fields: FieldChange[] }
  /** Something was removed: the fields it had. */
  | { kind: 'deleted'; fields: FieldChange[] }
  /** Nothing recorded, or nothing differs. */
  | { kind: 'none' };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** No value: a missing field, null, an empty text or an empty list read the same. */
const isEmpty = (value: unknown): boolean =>
  value === undefined ||
  value === null ||
  value === '' ||
  (Array.isArray(value) && value.length === 0);

/** Same value, comparing lists and objects by content (object keys in any order). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (isEmpty(a) && isEmpty(b)) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((key) => sameValue(a[key], b[key]));
  }
  return Object.is(a, b);
}

/** What an entry changed, from the `before` and `after` it recorded. */
export function auditChanges(before: unknown, after: unknown): AuditChanges {
  if (isEmpty(before) && isEmpty(after)) return { kind: 'none' };
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(after), ...Object.keys(before)])];
    const fields = keys
      .filter((field) => !sameValue(before[field], after[field]))
      .map((field) => ({ field, before: before[field], after: after[field] }));
    return fields.length === 0 ? { kind: 'none' } : { kind: 'changed', fields };
  }
  if (isEmpty(before) && isRecord(after)) {
    const fields = Object.entries(after)
      .filter(([, value]) => !isEmpty(value))
      .map(([field, value]) => ({ field, before: undefined, after: value }));
    return fields.length === 0 ? { kind: 'none' } : { kind: 'created', fields };
  }
  if (isRecord(before) && isEmpty(after)) {
    const fields = Object.entries(before)
      .filter(([, value]) => !isEmpty(value))
      .map(([field, value]) => ({ field, before: value, after: undefined }));
    return fields.length === 0 ? { kind: 'none' } : { kind: 'deleted', fields };
  }
  // A value that is not a set of fields (not written by today's API): shown whole.
  return sameValue(before, after)
    ? { kind: 'none' }
    : { kind: 'changed', fields: [{ field: '', before, after }] };
}

/** The words and formats a value is shown with (from the merchant's language). */
export interface ValueWords {
  empty: string;
  yes: string;
  no: string;
  /** Between the items of a list. */
  separator: string;
  /** An instant (`2026-12-01T03:00:00.000Z`) as the merchant reads times. */
  dateTime: (iso: string) => string;
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A recorded value as the merchant reads it: yes / no, times in their format, the name of a
 * status, shop or payment method instead of its ID (`names`), lists joined, nothing as "(なし)".
 */
export function formatValue(
  value: unknown,
  words: ValueWords,
  names: ReadonlyMap<string, string> = new Map(),
): string {
  if (isEmpty(value)) return words.empty;
  if (typeof value === 'boolean') return value ? words.yes : words.no;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') {
    const name = names.get(value);
    if (name !== undefined) return name;
    return INSTANT.test(value) && !Number.isNaN(Date.parse(value)) ? words.dateTime(value) : value;
  }
  if (Array.isArray(value))
    return value.map((item) => formatValue(item, words, names)).join(words.separator);
  return JSON.stringify(value);
}
