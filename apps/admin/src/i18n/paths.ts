import type { MessageTree } from './define';

/**
 * Every leaf of a message tree as its dotted path (`{ order: { received: '…' } }` gives
 * `'order.received'`): the words of a vocabulary written with dots (a sync event's kind, an audit
 * action) are found by the value itself, and the compiler can compare the two sets.
 */
export type LeafPaths<T> = {
  [K in keyof T & string]: T[K] extends string ? K : `${K}.${LeafPaths<T[K]>}`;
}[keyof T & string];

/** The leaves' paths of a message tree, in the order they are written. */
export function leafPaths<T extends MessageTree>(tree: T): LeafPaths<T>[] {
  const out: string[] = [];
  const walk = (node: MessageTree, prefix: string) => {
    for (const [key, value] of Object.entries(node)) {
      const path = prefix === '' ? key : `${prefix}.${key}`;
      if (typeof value === 'string') out.push(path);
      else walk(value, path);
    }
  };
  walk(tree, '');
  return out as LeafPaths<T>[];
}

/**
 * `true` when two sets of names are the same; otherwise the names missing from the second and
 * those it has in excess, so that `const check: SameSet<A, B> = true` fails to compile naming them.
 */
export type SameSet<A, B> = [Exclude<A, B>, Exclude<B, A>] extends [never, never]
  ? true
  : { missing: Exclude<A, B>; extra: Exclude<B, A> };
