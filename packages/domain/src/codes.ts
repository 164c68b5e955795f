import {
  PRINTABLE_ASCII,
  SMAREGI_ORDER_CODE_MAX_LENGTH,
  SMAREGI_PRODUCT_CODE_MAX_LENGTH,
} from './limits.js';
import type { ProblemCode } from './messages.js';

/*
 * Code normalisation (商品番号・商品管理番号・受注番号).
 *
 * Malls and spreadsheets hand us the "same" code in many spellings: full-width digits
 * (ＡＢＣ－００１), ideographic spaces around it, zero-width spaces pasted from web pages, and the
 * Japanese wave dash / minus sign family. Codes are keys, so they are compared after folding all of
 * those to one ASCII spelling. Display names (商品名) are never passed through here: a merchant's
 * product name keeps every character it was typed with.
 */

/** Zero-width characters that are invisible in every UI but break key equality. */
const ZERO_WIDTH = /\u200b|\u200c|\u200d|\u2060|\ufeff|\u00ad/g;

/**
 * Wave dash / tilde look-alikes. U+301C (〜, WAVE DASH) is what Japanese input methods on macOS
 * produce and U+FF5E (～, FULLWIDTH TILDE) what Windows produces for the same key; NFKC maps only
 * the latter to "~", so the rest are folded explicitly.
 */
const WAVE_DASHES = /[\u301c\u3030\u223c\u223e\u2053\u02dc\uff5e]/g;

/**
 * Minus / hyphen look-alikes (U+2010..U+2015 hyphens and dashes, U+2212 MINUS SIGN, U+2043,
 * U+FE58, U+FE63, U+FF0D, U+02D7). The katakana prolonged sound mark ー (U+30FC) is a letter, not a
 * dash, and is deliberately left alone.
 */
const MINUS_SIGNS = /[\u2010-\u2015\u2212\u2043\u02d7\ufe58\ufe63\uff0d]/g;

/** ASCII whitespace and U+3000 (ideographic space) at either end. */
const EDGE_SPACES = /^[\s\u3000]+|[\s\u3000]+$/g;

/**
 * Normalises a code for use as a key: NFKC, zero-width characters removed, wave-dash and minus
 * variants unified to ASCII `~` and `-`, ASCII and ideographic spaces trimmed at both ends.
 * Total: any input that is not a string gives the empty string.
 *
 * @example normalizeCode('\u3000ＴＳ－００１\u200b ') === 'TS-001'
 */
export function normalizeCode(raw: unknown): string {
  if (typeof raw !== 'string') return '';
  return raw
    .normalize('NFKC')
    .replace(ZERO_WIDTH, '')
    .replace(WAVE_DASHES, '~')
    .replace(MINUS_SIGNS, '-')
    .replace(EDGE_SPACES, '');
}

/** Why a code cannot be sent to Smaregi. */
export type CodeRejection = 'empty' | 'notPrintableAscii' | 'tooLong';

/** Result of checking a code against Smaregi's rules. */
export type CodeCheck =
  { ok: true; code: string } | { ok: false; reason: CodeRejection; code: string };

function checkAscii(code: string, maxLength: number): CodeCheck {
  if (code.length === 0) return { ok: false, reason: 'empty', code };
  if (!PRINTABLE_ASCII.test(code)) return { ok: false, reason: 'notPrintableAscii', code };
  if (code.length > maxLength) return { ok: false, reason: 'tooLong', code };
  return { ok: true, code };
}

/**
 * The problem (`problemMessage`) that says why an order number cannot become a Smaregi order
 * code, with the parameters `orderCode` and `max`: the payload rules and the intake word it alike.
 */
export const ORDER_CODE_PROBLEMS = {
  empty: 'orderCodeEmpty',
  notPrintableAscii: 'orderCodeNotAscii',
  tooLong: 'orderCodeTooLong',
} as const satisfies Record<CodeRejection, ProblemCode>;

/**
 * Turns an OMS order number (受注番号) into a Smaregi `orderCode`: normalised with
 * {@link normalizeCode}, then required to be 1..50 printable ASCII characters. A full-width order
 * number such as `ＲＴ－２０２５０１０１` becomes `RT-20250101`; one containing Japanese letters is
 * rejected (Smaregi would refuse it), never silently altered.
 */
export function toSmaregiOrderCode(orderNumber: unknown): CodeCheck {
  return checkAscii(normalizeCode(orderNumber), SMAREGI_ORDER_CODE_MAX_LENGTH);
}

/** The longest 受注番号の接頭辞 (order-code prefix) a shop may set. */
export const ORDER_CODE_PREFIX_MAX_LENGTH = 10;

/**
 * Checks a shop's order-code prefix (受注番号の接頭辞, e.g. `RT-`): normalised like a code, then
 * printable ASCII of at most {@link ORDER_CODE_PREFIX_MAX_LENGTH} characters, no spaces. The empty
 * prefix (none) is valid. Two shops mapped to one 受注店舗 can receive the same order number from
 * their malls; a prefix per shop keeps their Smaregi order codes apart.
 */
export function checkOrderCodePrefix(raw: unknown): CodeCheck {
  const code = normalizeCode(raw);
  if (code === '') return { ok: true, code };
  if (!PRINTABLE_ASCII.test(code) || /\s/.test(code))
    return { ok: false, reason: 'notPrintableAscii', code };
  if (code.length > ORDER_CODE_PREFIX_MAX_LENGTH) return { ok: false, reason: 'tooLong', code };
  return { ok: true, code };
}

/**
 * The Smaregi order code of an order of a shop: the shop's prefix, then the order number,
 * checked as one code ({@link toSmaregiOrderCode}: 1..50 printable ASCII).
 */
export function shopOrderCode(prefix: string | null | undefined, orderNumber: unknown): CodeCheck {
  const number = normalizeCode(orderNumber);
  if (number === '') return { ok: false, reason: 'empty', code: '' };
  return toSmaregiOrderCode(`${normalizeCode(prefix ?? '')}${number}`);
}

/**
 * Checks a Smaregi product code (商品コード): normalised, then 1..20 printable ASCII characters.
 */
export function checkSmaregiProductCode(productCode: unknown): CodeCheck {
  return checkAscii(normalizeCode(productCode), SMAREGI_PRODUCT_CODE_MAX_LENGTH);
}
