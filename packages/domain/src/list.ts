/**
 * The array itself, or an empty one when a caller passed something else. Keeps the element type
 * (a bare `Array.isArray` check widens readonly arrays to `any[]`).
 */
export function listOf<T>(value: readonly T[] | null | undefined): readonly T[] {
  return Array.isArray(value) ? (value as readonly T[]) : [];
}
