import type { z } from 'zod';
import type { LocalizedMessage } from './messages.js';

/*
 * Bilingual validation messages for the zod input schemas.
 *
 * A zod issue carries one message string, and the same schemas serve tRPC `.input()`, the REST
 * intake and the admin forms, none of which pass an error map. So each field's schema carries its
 * own error function that writes the message in Japanese and English, joined by
 * {@link BILINGUAL_SEPARATOR}; {@link fieldErrorsOf} splits them again for a UI that shows one
 * language. Both halves name the field (the English half also gives the JSON key).
 */

/** Separates the Japanese and English halves of a validation message. */
export const BILINGUAL_SEPARATOR = ' / ';

/** A field's name in both languages plus its JSON key. */
export interface FieldLabel {
  ja: string;
  en: string;
  key: string;
}

const expectedNames: Record<string, [string, string]> = {
  string: ['文字列', 'a string'],
  number: ['数値', 'a number'],
  int: ['整数', 'an integer'],
  boolean: ['true または false', 'true or false'],
  array: ['配列', 'a list'],
  object: ['オブジェクト', 'an object'],
  nonoptional: ['値', 'a value'],
};

type RawIssue = z.core.$ZodRawIssue;

function text(label: FieldLabel, iss: RawIssue): [string, string] {
  const en = `${label.en} (${label.key})`;
  const ja = label.ja;
  switch (iss.code) {
    case 'invalid_type': {
      if (iss.input === undefined) return [`${ja}は必須です`, `${en} is required`];
      const [eJa, eEn] = expectedNames[String(iss.expected)] ?? [
        String(iss.expected),
        String(iss.expected),
      ];
      return [`${ja}は${eJa}で指定してください`, `${en} must be ${eEn}`];
    }
    case 'too_small': {
      const min = Number(iss.minimum);
      if (iss.origin === 'string')
        return min <= 1
          ? [`${ja}を入力してください`, `${en} must not be empty`]
          : [`${ja}は${min}文字以上で入力してください`, `${en} must be at least ${min} characters`];
      if (iss.origin === 'array')
        return [`${ja}は${min}件以上必要です`, `${en} needs at least ${min} item(s)`];
      return [`${ja}は${min}以上で指定してください`, `${en} must be at least ${min}`];
    }
    case 'too_big': {
      const max = Number(iss.maximum);
      if (iss.origin === 'string')
        return [
          `${ja}は${max}文字以下で入力してください`,
          `${en} must be at most ${max} characters`,
        ];
      if (iss.origin === 'array')
        return [`${ja}は${max}件以下にしてください`, `${en} allows at most ${max} items`];
      return [
        `${ja}は${max.toLocaleString('en-US')}以下で指定してください`,
        `${en} must be at most ${max.toLocaleString('en-US')}`,
      ];
    }
    case 'invalid_format':
      if (iss.format === 'datetime')
        return [
          `${ja}はタイムゾーン付きの日時(例: 2025-01-31T10:00:00+09:00)で指定してください`,
          `${en} must be a date-time with offset (e.g. 2025-01-31T10:00:00+09:00)`,
        ];
      if (iss.format === 'date')
        return [`${ja}は日付(YYYY-MM-DD)で指定してください`, `${en} must be a date (YYYY-MM-DD)`];
      return [`${ja}は半角英数記号で入力してください`, `${en} must be printable ASCII`];
    case 'invalid_value': {
      const values = iss.values.map(String).join(', ');
      return [
        `${ja}は次のいずれかを指定してください: ${values}`,
        `${en} must be one of: ${values}`,
      ];
    }
    case 'unrecognized_keys': {
      const keys = iss.keys.join(', ');
      return [`${ja}に不明な項目があります: ${keys}`, `${en} has unknown fields: ${keys}`];
    }
    default:
      return [`${ja}が正しくありません`, `${en} is not valid`];
  }
}

/**
 * The zod error function of one field: pass it as `{ error: fieldError(label) }` to the schema
 * and to each of its checks.
 */
export function fieldError(label: FieldLabel): (iss: RawIssue) => string {
  return (iss) => text(label, iss).join(BILINGUAL_SEPARATOR);
}

/** Joins a Japanese and an English message the way the schemas do (for `refine` messages). */
export function bilingual(message: LocalizedMessage): string {
  return `${message.ja}${BILINGUAL_SEPARATOR}${message.en}`;
}

/** A validation error of one field, ready for a form or an API response. */
export interface FieldError {
  /** Dotted path of the field, e.g. `lines.0.quantity`; empty for the whole input. */
  path: string;
  message: LocalizedMessage;
}

/**
 * Turns a zod error from one of this package's schemas into per-field bilingual messages.
 * Unknown keys (a misspelt `shipping_fee`, `__proto__`) give one error per key whose path is the
 * key itself (under its object's path), so a form or an integrator sees which key to remove.
 */
export function fieldErrorsOf(error: z.ZodError): FieldError[] {
  return error.issues.flatMap((issue): FieldError[] => {
    const at = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => {
        const path = [...at, key].join('.');
        return {
          path,
          message: { ja: `不明な項目です: ${path}`, en: `Unknown field: ${path}` },
        };
      });
    }
    return [{ path: at.join('.'), message: splitMessage(issue.message) }];
  });
}

function splitMessage(text: string): LocalizedMessage {
  const at = text.indexOf(BILINGUAL_SEPARATOR);
  return at < 0
    ? { ja: text, en: text }
    : { ja: text.slice(0, at), en: text.slice(at + BILINGUAL_SEPARATOR.length) };
}
