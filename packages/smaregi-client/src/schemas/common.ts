/**
 * Building blocks of the zod schemas. Responses are parsed loosely (unknown fields kept, optional
 * fields may be missing or null), so that Smaregi adding a field never breaks a sync; inputs are
 * strict, so that a typo in a field name fails before anything is sent.
 */
import { z } from 'zod';

/** POS sends every number and ID as a JSON string. */
export const posString = z.string();
/** An optional POS field: missing, null or a string. */
export const posOptional = z.string().nullish();

/**
 * An integer for a POS input, accepted as a number or a digit string and sent as a string
 * (POS wants `"12"`, not `12`).
 */
export function posIntInput(name: string, min: number, max: number) {
  return z.union([z.string(), z.number()]).transform((value, ctx) => {
    const text = typeof value === 'number' ? String(value) : value.trim();
    if (!/^-?\d+$/.test(text)) {
      ctx.addIssue({ code: 'custom', message: `${name} は整数で指定してください` });
      return z.NEVER;
    }
    const n = Number(text);
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      ctx.addIssue({ code: 'custom', message: `${name} は${min}以上${max}以下で指定してください` });
      return z.NEVER;
    }
    return String(n);
  });
}

/** A POS ID for an input: positive integer, number or string, sent as a string. */
export function posIdInput(name: string) {
  return posIntInput(name, 1, 999_999_999_999_999);
}

/** Printable ASCII (`^[ -~]+$`), the rule of product codes and order codes. */
export function printableAscii(name: string, max: number) {
  return z
    .string()
    .min(1, `${name} は1文字以上で指定してください`)
    .max(max, `${name} は${max}文字以下で指定してください`)
    .regex(/^[ -~]+$/, `${name} は半角英数記号で指定してください`);
}

/**
 * A date-time with an offset. Smaregi's format is `YYYY-MM-DDThh:mm:ssTZD` (`+09:00`); this is
 * LENIENT on purpose and also takes `Z` and fractional seconds (docs/smaregi-wire.md §5.4). What
 * Renkei sends is the strict form (JST with `+09:00`).
 */
export const dateTimeWithOffset = z.iso.datetime({ offset: true });

/** Paging parameters of every list (limit 1..1000, page >= 1). */
export const pagingInput = {
  limit: z.number().int().min(1).max(1000).optional(),
  page: z.number().int().min(1).optional(),
  /** `field` or `field:desc`, comma list. */
  sort: z.string().min(1).optional(),
};

/** Integer money / quantity of 受注管理 (JSON integers, not strings). */
export function osInt(name: string, min: number, max: number) {
  return z
    .number({ error: `${name} は整数で指定してください` })
    .int(`${name} は整数で指定してください`)
    .min(min, `${name} は${min}以上で指定してください`)
    .max(max, `${name} は${max}以下で指定してください`);
}

/** Smaregi refuses date-time ranges longer than 31 days (getstock, gettransactions [OFF]). */
export const MAX_DATE_RANGE_DAYS = 31;

/**
 * Checks an `updDateTimeFrom` / `updDateTimeTo` pair before sending: from <= to, at most 31 days.
 * Use with `.superRefine(checkUpdRange)` on list input schemas.
 */
export function checkUpdRange(
  value: { updDateTimeFrom?: string | undefined; updDateTimeTo?: string | undefined },
  ctx: z.RefinementCtx,
): void {
  if (!value.updDateTimeFrom || !value.updDateTimeTo) return;
  const from = Date.parse(value.updDateTimeFrom);
  const to = Date.parse(value.updDateTimeTo);
  if (to < from) {
    ctx.addIssue({
      code: 'custom',
      path: ['updDateTimeTo'],
      message: 'updDateTimeTo は updDateTimeFrom 以降を指定してください',
    });
  } else if (to - from > MAX_DATE_RANGE_DAYS * 86_400_000) {
    ctx.addIssue({
      code: 'custom',
      path: ['updDateTimeTo'],
      message: `更新日時の範囲は${MAX_DATE_RANGE_DAYS}日以内で指定してください`,
    });
  }
}
