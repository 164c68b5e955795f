/**
 * Limits of the Smaregi 受注管理 API that the rules enforce before anything is sent.
 *
 * Source: docs/smaregi-wire.md §9, which cites §4.6 (confirmed: money fields are integers
 * 0..999,999,999, `orderCode` is 1..50 printable ASCII) and §4.1 (product codes: at most 20
 * printable ASCII), and marks as modeled: quantity 1..99,999, at most 1,000 detail lines.
 */

/** Largest amount Smaregi accepts in a money field (`carriage`, `total`, `salesPrice` ...). */
export const SMAREGI_MONEY_MAX = 999_999_999;
/** Largest quantity of one order line (modeled, docs/smaregi-wire.md §9). */
export const SMAREGI_QUANTITY_MAX = 99_999;
/** Longest order code (受注番号) Smaregi accepts. */
export const SMAREGI_ORDER_CODE_MAX_LENGTH = 50;
/** Longest product code (商品コード) Smaregi accepts. */
export const SMAREGI_PRODUCT_CODE_MAX_LENGTH = 20;
/** Most detail lines in one order registration (modeled, docs/smaregi-wire.md §9). */
export const SMAREGI_ORDER_DETAILS_MAX = 1000;

/** `^[ -~]+$`: the printable ASCII range Smaregi requires for codes. */
export const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;
