import { renderMessageBoth, type LocalizedMessage, type MessageRef } from '@renkei/domain';

/*
 * Sync events (and an order's reason, a product's error, a drift's note) were stored as one text,
 * "日本語 / English", before they had message codes (Migration20261130214000,
 * Migration20261201010000). These helpers turn such a text into its two halves once, when the
 * rows are migrated, and back into the old form for a downgrade. Nothing else splits messages.
 */

const OLD_SEPARATOR = ' / ';

/**
 * The halves of an old message. A message that quoted another bilingual text ("拒否しました: A /
 * B / Refused: A / B") has as many separators in each half, so with an odd count the middle one
 * divides them; with an even count the halves cannot be told apart and the first one is taken.
 * Without a separator both languages get the same text.
 */
export function splitLegacyMessage(message: string): LocalizedMessage {
  const at: number[] = [];
  for (
    let i = message.indexOf(OLD_SEPARATOR);
    i >= 0;
    i = message.indexOf(OLD_SEPARATOR, i + OLD_SEPARATOR.length)
  )
    at.push(i);
  if (at.length === 0) return { ja: message, en: message };
  const split = at.length % 2 === 1 ? at[(at.length - 1) / 2]! : at[0]!;
  return { ja: message.slice(0, split), en: message.slice(split + OLD_SEPARATOR.length) };
}

/** The old single-text form of a stored message (for `down()`). */
export function legacyMessageText(code: string, params: unknown): string {
  const { ja, en } = renderMessageBoth({ code, params } as MessageRef);
  return ja === en ? ja : `${ja}${OLD_SEPARATOR}${en}`;
}

/** Parses a JSON column as the driver returns it (PostgreSQL: parsed, SQLite: text). */
export function jsonColumn(value: unknown): unknown {
  return typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
}
