import type { OmsOrder } from '@renkei/domain';
import { configure } from 'safe-stable-stringify';

/*
 * Content comparison of orders for the intake's idempotency: a stored order (read back with
 * `toOmsOrder`) and an incoming one (`asStoredOmsOrder`) are the same order when every field
 * serialises alike, whatever the order of keys.
 */

/** JSON with keys sorted at every depth; a cycle throws (order content has none). */
const stableStringify = configure({ deterministic: true, circularValue: Error, bigint: false });

/** Stable JSON (sorted keys) of a value. */
export function canonicalJson(value: unknown): string {
  // undefined (an absent field) has no JSON; it compares equal only to another absent field.
  return stableStringify(value) ?? 'undefined';
}

/** The top-level fields of the two orders whose content differs, sorted (none: same order). */
export function differingFields(a: OmsOrder, b: OmsOrder): string[] {
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
  return [...keys].filter((k) => canonicalJson(ra[k]) !== canonicalJson(rb[k])).sort();
}
