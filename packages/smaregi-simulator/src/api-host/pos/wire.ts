import { z } from 'zod';

/**
 * zod helpers for POS request bodies: every number, ID and code is a JSON string
 * (`"string format: int"`, docs/smaregi-wire.md §4 [OFF]); a JSON number is refused, naming the
 * field.
 */
export function intString(name: string, min: number, max: number) {
  return z
    .string({ error: `${name}は整数を文字列で指定してください` })
    .regex(/^-?\d{1,15}$/, { error: `${name}は整数を文字列で指定してください` })
    .refine((v) => Number(v) >= min && Number(v) <= max, {
      error: `${name}は${min}以上${max}以下で指定してください`,
    });
}

export function idString(name: string) {
  return z
    .string({ error: `${name}は数字の文字列で指定してください` })
    .regex(/^\d{1,15}$/, { error: `${name}は15桁以内の数字の文字列で指定してください` });
}

export function codeString<const T extends readonly [string, ...string[]]>(
  name: string,
  values: T,
) {
  return z.enum(values, {
    error: `${name}は${values.map((v) => `"${v}"`).join(', ')}のいずれかで指定してください`,
  });
}

export function text(name: string, max: number) {
  return z
    .string({ error: `${name}は文字列で指定してください` })
    .max(max, { error: `${name}は${max}文字以下で指定してください` });
}

/** Printable ASCII `^[ -~]+$` (productCode, orderCode, paymentMethodCode). */
export const PRINTABLE_ASCII = /^[ -~]+$/;

export function decimalString(name: string) {
  return z
    .string({ error: `${name}は数値を文字列で指定してください` })
    .regex(/^-?\d{1,10}(\.\d{1,5})?$/, {
      error: `${name}は小数5桁以内の数値を文字列で指定してください`,
    });
}
