import { z } from 'zod';

/*
 * The conventions every MODELED 受注管理 operation shares (docs/smaregi-wire.md §11): app tokens
 * only, integer money in the confirmed range, numeric-string IDs, and the modeled caps.
 */

/** 受注管理 is called with the app's own token (client credentials), never a user's. */
export const APP_ONLY = { tokenKinds: ['app'] } as const;
/** Money fields: integers 0..999,999,999 [OFF]. */
export const MAX_MONEY = 999_999_999;
/** Modeled caps. */
export const MAX_ORDER_LINES = 1000;
export const MAX_QUANTITY = 99_999;
export const MAX_BULK_SHIPPING = 100;

/** A money field: an integer in 0..999,999,999, with the API's Japanese message naming it. */
export const money = (name: string) =>
  z
    .number({ error: `${name}は整数で指定してください` })
    .int({ error: `${name}は整数で指定してください` })
    .min(0, { error: `${name}は0以上${MAX_MONEY}以下の整数で指定してください` })
    .max(MAX_MONEY, { error: `${name}は0以上${MAX_MONEY}以下の整数で指定してください` });

/** An ID field: a string of 1..15 digits. */
export const idText = (name: string) =>
  z
    .string({ error: `${name}は数字の文字列で指定してください` })
    .regex(/^\d{1,15}$/, { error: `${name}は数字の文字列で指定してください` });
