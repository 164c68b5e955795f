/** A tree of messages: every leaf is a string. */
export type MessageTree = { readonly [key: string]: string | MessageTree };

/** The same keys as `T`, each leaf any string: the English half must mirror the Japanese one. */
export type SameShape<T> = {
  readonly [K in keyof T]: T[K] extends string ? string : SameShape<T[K]>;
};

/**
 * One feature's messages in both languages. Japanese is the source of truth; the compiler fails
 * when the English half misses a key or has one more.
 */
export function defineMessages<const T extends MessageTree>(messages: {
  ja: T;
  en: SameShape<T>;
}): { ja: T; en: SameShape<T> } {
  return messages;
}
