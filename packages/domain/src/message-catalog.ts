import {
  eventTemplates,
  type EventMessageCode,
  type EventMessageParams,
} from './event-messages.js';
import {
  fieldTemplates,
  type FieldMessageCode,
  type FieldMessageParams,
} from './field-messages.js';
import {
  problemCodes,
  problemMessage,
  type LocalizedMessage,
  type MessageParams,
  type ProblemCode,
} from './messages.js';

/*
 * The one catalog of what a merchant can read: problems of the rules (messages.ts), sync-log
 * events (event-messages.ts) and validation errors (field-messages.ts). Whoever writes a message
 * keeps its code and named parameters (`MessageRef`); whoever shows it renders it in the reader's
 * language, so nothing stores or sends a text joined from two languages. A misspelt code or
 * parameter name is a compile error, and a code without a Japanese or English text does not
 * compile either (each template returns both).
 */

/** The languages Renkei speaks; Japanese is the default (the merchants are Japanese). */
export const locales = ['ja', 'en'] as const;
export type Locale = (typeof locales)[number];
export const DEFAULT_LOCALE: Locale = 'ja';

type Params = EventMessageParams & FieldMessageParams;

/** Every message code with named parameters of its own. */
export type ParamMessageCode = EventMessageCode | FieldMessageCode;
/** Every message code. */
export type MessageCode = ProblemCode | ParamMessageCode;

/** A message as code and parameters: what is stored and passed around, rendered at read time. */
export type MessageRef =
  | { [K in ParamMessageCode]: { code: K; params: Params[K] } }[ParamMessageCode]
  | { code: ProblemCode; params: MessageParams };

/** A message reference of one code. */
export type MessageRefOf<K extends ParamMessageCode> = { code: K; params: Params[K] };

const templates: { [K in ParamMessageCode]: (p: Params[K]) => LocalizedMessage } = {
  ...eventTemplates,
  ...fieldTemplates,
};

const isProblemCode = (code: string): code is ProblemCode =>
  (problemCodes as readonly string[]).includes(code);

/** Every code of the catalog (the problem codes first). */
export const messageCodes: readonly MessageCode[] = [
  ...problemCodes,
  ...(Object.keys(templates) as ParamMessageCode[]),
];

/** Whether `code` is a code of the catalog (a stored row may come from another version). */
export function isMessageCode(code: string): code is MessageCode {
  return isProblemCode(code) || Object.hasOwn(templates, code);
}

/** The message in both languages (for the admin, which picks one with its own locale). */
export function renderMessageBoth(ref: MessageRef): LocalizedMessage {
  if (isProblemCode(ref.code)) return problemMessage(ref.code, ref.params as MessageParams);
  const template = templates[ref.code] as (p: unknown) => LocalizedMessage;
  return template(ref.params);
}

/** The message in one language. */
export function renderMessage(ref: MessageRef, locale: Locale): string {
  return renderMessageBoth(ref)[locale];
}
