import { z } from 'zod';
import type { LocalizedMessage } from './messages.js';

/*
 * The validation messages of one input field. Each names the field in the reader's language (the
 * English text also gives the JSON key), so a form or an integrator knows what to change.
 */

/** A field's name in both languages plus its JSON key. */
export interface FieldLabel {
  ja: string;
  en: string;
  key: string;
}

/** The kinds of value a field can expect, as zod names them. */
export type ExpectedKind =
  'string' | 'number' | 'int' | 'boolean' | 'array' | 'object' | 'nonoptional' | (string & {});

/** A zod issue without our own wording, rendered with zod's own locales (ja and en). */
export type GenericIssue = z.core.$ZodIssue;

/** The named parameters of every validation message. */
export interface FieldMessageParams {
  fieldRequired: { field: FieldLabel };
  fieldWrongType: { field: FieldLabel; expected: ExpectedKind };
  fieldEmpty: { field: FieldLabel };
  fieldTooShort: { field: FieldLabel; min: number };
  fieldTooFewItems: { field: FieldLabel; min: number };
  fieldTooSmall: { field: FieldLabel; min: number };
  fieldTooLong: { field: FieldLabel; max: number };
  fieldTooManyItems: { field: FieldLabel; max: number };
  fieldTooBig: { field: FieldLabel; max: number };
  fieldNotDateTime: { field: FieldLabel };
  fieldNotDate: { field: FieldLabel };
  fieldNotAscii: { field: FieldLabel };
  fieldNotOneOf: { field: FieldLabel; values: string[] };
  fieldUnknownKeys: { field: FieldLabel; keys: string[] };
  fieldInvalid: { field: FieldLabel };
  /** A key the schema does not know, e.g. a misspelt `shipping_fee` (`path` is its dotted path). */
  unknownField: { path: string };
  /** The 引当済みにするステータス is also one of the 在庫引当を照会するステータス. */
  allocatedStatusIsTrigger: Record<string, never>;
  /** Any other zod issue (a schema without a label): zod's Japanese and English locales. */
  zodIssue: { issue: GenericIssue };
}

export type FieldMessageCode = keyof FieldMessageParams;

const expectedNames: Record<string, LocalizedMessage> = {
  string: { ja: '文字列', en: 'a string' },
  number: { ja: '数値', en: 'a number' },
  int: { ja: '整数', en: 'an integer' },
  boolean: { ja: 'true または false', en: 'true or false' },
  array: { ja: '配列', en: 'a list' },
  object: { ja: 'オブジェクト', en: 'an object' },
  nonoptional: { ja: '値', en: 'a value' },
};

const en = (f: FieldLabel): string => `${f.en} (${f.key})`;
const localeJa = z.locales.ja().localeError;

/**
 * zod's Japanese text of an issue. The issue no longer holds its input, so a wrong type reads as
 * "undefined"; its English message was written by zod when the input was still known.
 */
function japaneseOf(issue: GenericIssue): string {
  const out = localeJa(issue as unknown as z.core.$ZodRawIssue);
  return typeof out === 'string' ? out : (out?.message ?? issue.message);
}

export const fieldTemplates: {
  [K in FieldMessageCode]: (p: FieldMessageParams[K]) => LocalizedMessage;
} = {
  fieldRequired: (p) => ({ ja: `${p.field.ja}は必須です`, en: `${en(p.field)} is required` }),
  fieldWrongType: (p) => {
    const e = expectedNames[p.expected] ?? { ja: p.expected, en: p.expected };
    return { ja: `${p.field.ja}は${e.ja}で指定してください`, en: `${en(p.field)} must be ${e.en}` };
  },
  fieldEmpty: (p) => ({
    ja: `${p.field.ja}を入力してください`,
    en: `${en(p.field)} must not be empty`,
  }),
  fieldTooShort: (p) => ({
    ja: `${p.field.ja}は${p.min}文字以上で入力してください`,
    en: `${en(p.field)} must be at least ${p.min} characters`,
  }),
  fieldTooFewItems: (p) => ({
    ja: `${p.field.ja}は${p.min}件以上必要です`,
    en: `${en(p.field)} needs at least ${p.min} item(s)`,
  }),
  fieldTooSmall: (p) => ({
    ja: `${p.field.ja}は${p.min}以上で指定してください`,
    en: `${en(p.field)} must be at least ${p.min}`,
  }),
  fieldTooLong: (p) => ({
    ja: `${p.field.ja}は${p.max}文字以下で入力してください`,
    en: `${en(p.field)} must be at most ${p.max} characters`,
  }),
  fieldTooManyItems: (p) => ({
    ja: `${p.field.ja}は${p.max}件以下にしてください`,
    en: `${en(p.field)} allows at most ${p.max} items`,
  }),
  fieldTooBig: (p) => ({
    ja: `${p.field.ja}は${p.max.toLocaleString('en-US')}以下で指定してください`,
    en: `${en(p.field)} must be at most ${p.max.toLocaleString('en-US')}`,
  }),
  fieldNotDateTime: (p) => ({
    ja: `${p.field.ja}はタイムゾーン付きの日時(例: 2025-01-31T10:00:00+09:00)で指定してください`,
    en: `${en(p.field)} must be a date-time with offset (e.g. 2025-01-31T10:00:00+09:00)`,
  }),
  fieldNotDate: (p) => ({
    ja: `${p.field.ja}は日付(YYYY-MM-DD)で指定してください`,
    en: `${en(p.field)} must be a date (YYYY-MM-DD)`,
  }),
  fieldNotAscii: (p) => ({
    ja: `${p.field.ja}は半角英数記号で入力してください`,
    en: `${en(p.field)} must be printable ASCII`,
  }),
  fieldNotOneOf: (p) => ({
    ja: `${p.field.ja}は次のいずれかを指定してください: ${p.values.join(', ')}`,
    en: `${en(p.field)} must be one of: ${p.values.join(', ')}`,
  }),
  fieldUnknownKeys: (p) => ({
    ja: `${p.field.ja}に不明な項目があります: ${p.keys.join(', ')}`,
    en: `${en(p.field)} has unknown fields: ${p.keys.join(', ')}`,
  }),
  fieldInvalid: (p) => ({
    ja: `${p.field.ja}が正しくありません`,
    en: `${en(p.field)} is not valid`,
  }),
  unknownField: (p) => ({ ja: `不明な項目です: ${p.path}`, en: `Unknown field: ${p.path}` }),
  allocatedStatusIsTrigger: () => ({
    ja: '引当済みにするステータスは、在庫引当を照会するステータスと別のものを選んでください',
    en: 'Allocated status (allocatedStatus) must not be one of the allocation trigger statuses',
  }),
  zodIssue: (p) => ({ ja: japaneseOf(p.issue), en: p.issue.message }),
};
