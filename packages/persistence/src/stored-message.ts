import { isDeepStrictEqual } from 'node:util';
import { isMessageCode, type MessageRef } from '@renkei/domain';

/*
 * A message kept on a row (an order's reason, a product's error, a drift's note, a sync event):
 * two columns, `<name>Code` (a code of the domain's message catalog) and `<name>Params` (its named
 * parameters as JSON). Whoever reads it renders it in the reader's language; nothing stores a
 * text joined from two languages. Rows written before the codes carry `legacyText`
 * (Migration20261130214000 and Migration20261201010000).
 */

/** The stored columns of one message, named after it (`syncReason` → `syncReasonCode` ...). */
export type MessageColumns<P extends string> = { [K in `${P}Code`]: string | null } & {
  [K in `${P}Params`]: Record<string, unknown> | null;
};

/**
 * The message of stored columns, ready to render; null without a code. A code this version does
 * not know (a row written by a newer one) shows as its code rather than failing the whole page.
 */
export function storedMessage(code: string | null | undefined, params: unknown): MessageRef | null {
  if (code == null) return null;
  return isMessageCode(code)
    ? ({ code, params: params ?? {} } as MessageRef)
    : { code: 'legacyText', params: { ja: code, en: code } };
}

/** The columns that store `ref` (both null for none), for an assignment or a bulk update. */
export function messageColumns<P extends string>(
  name: P,
  ref: MessageRef | null,
): MessageColumns<P> {
  return {
    [`${name}Code`]: ref?.code ?? null,
    [`${name}Params`]: ref === null ? null : (ref.params as Record<string, unknown>),
  } as MessageColumns<P>;
}

/**
 * Whether two messages say the same (code and parameters). PostgreSQL's jsonb gives keys back in
 * its own order, so the parameters are compared as values, not as text.
 */
export function sameMessage(a: MessageRef | null, b: MessageRef | null): boolean {
  if (a === null || b === null) return a === b;
  return a.code === b.code && isDeepStrictEqual(a.params, b.params);
}
