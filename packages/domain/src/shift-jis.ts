import iconv from 'iconv-lite';

/*
 * Shift_JIS without silent loss. Carrier software reads the shipping CSV in Shift_JIS (Windows-31J,
 * the table Excel and iconv-lite's `Shift_JIS` use), which lacks some characters customers type:
 * iconv-lite writes each of them as `?`, so an address would quietly lose a character. Here
 *
 * 1. a character with a customary Shift_JIS equivalent is folded to it: the Unicode mappings of
 *    JIS X 0208 that Windows does not use (〜 U+301C → ～ U+FF5E, − U+2212 → －, ‖ → ∥, — → ―,
 *    ¢ £ ¬ → ￠ ￡ ￢), look-alikes (– → －, • → ・, NBSP → space), the 異体字 𠮷 → 吉, the
 *    compatibility form of a character (NFKC), or a Latin letter without its accent (é → e);
 * 2. any other character is written as 〓 (the geta mark printers use for a missing glyph) and
 *    listed, so the caller can show where the file differs from the order.
 *
 * A character is "in Shift_JIS" when it survives the round trip encode → decode unchanged (¥
 * U+00A5 does not: iconv-lite writes 0x5C, which reads back as a backslash).
 */

/** Written in place of a character Shift_JIS lacks and that has no customary equivalent. */
export const SHIFT_JIS_SUBSTITUTE = '〓';

/** Customary Shift_JIS (Windows-31J) equivalents of characters it lacks. */
export const SHIFT_JIS_FOLDS: Readonly<Record<string, string>> = {
  '\u301C': '\uFF5E', // 〜 WAVE DASH → ～ FULLWIDTH TILDE
  '\u223C': '\uFF5E', // ∼ TILDE OPERATOR → ～
  '\u2212': '\uFF0D', // − MINUS SIGN → － FULLWIDTH HYPHEN-MINUS
  '\u2013': '\uFF0D', // – EN DASH (番地 1–2–3) → －
  '\u2011': '\u2010', // NON-BREAKING HYPHEN → ‐ HYPHEN
  '\u2014': '\u2015', // — EM DASH → ― HORIZONTAL BAR
  '\u2016': '\u2225', // ‖ DOUBLE VERTICAL LINE → ∥ PARALLEL TO
  '\u00A2': '\uFFE0', // ¢ → ￠
  '\u00A3': '\uFFE1', // £ → ￡
  '\u00AC': '\uFFE2', // ¬ → ￢
  '\u00A5': '\uFFE5', // ¥ → ￥ (0x5C would read back as a backslash)
  '\u203E': '\uFFE3', // ‾ OVERLINE → ￣
  '\u00A0': ' ', // NO-BREAK SPACE → space
  '\u2022': '\u30FB', // • BULLET → ・
  '\u00B7': '\u30FB', // · MIDDLE DOT → ・
  '\u{20BB7}': '\u5409', // 𠮷 (つちよし) → 吉
};

/** One kind of character folded, and how often. */
export interface ShiftJisFold {
  character: string;
  replacement: string;
  count: number;
}

/** One kind of character Shift_JIS lacks, written as 〓, and how often. */
export interface ShiftJisLoss {
  character: string;
  /** `U+29E3D`: the character may not display where the report is read. */
  codePoint: string;
  count: number;
}

export interface ShiftJisText {
  /** The text with every character in Shift_JIS. */
  text: string;
  folded: ShiftJisFold[];
  unencodable: ShiftJisLoss[];
}

const roundTrips = new Map<string, boolean>();

/** Whether Shift_JIS has the character (it survives encode → decode). */
export function inShiftJis(character: string): boolean {
  let known = roundTrips.get(character);
  if (known === undefined) {
    known = iconv.decode(iconv.encode(character, 'Shift_JIS'), 'Shift_JIS') === character;
    roundTrips.set(character, known);
  }
  return known;
}

function allInShiftJis(text: string): boolean {
  for (const c of text) if (!inShiftJis(c)) return false;
  return text !== '';
}

/** The customary equivalent of a character Shift_JIS lacks, if it has one. */
export function shiftJisEquivalent(character: string): string | undefined {
  const listed = SHIFT_JIS_FOLDS[character];
  if (listed !== undefined) return listed;
  const compatible = character.normalize('NFKC');
  if (compatible !== character && allInShiftJis(compatible)) return compatible;
  const unaccented = character.normalize('NFD').replace(/\p{M}+/gu, '');
  if (unaccented !== character && /^\p{Script=Latin}+$/u.test(unaccented))
    return allInShiftJis(unaccented) ? unaccented : undefined;
  return undefined;
}

function codePointOf(character: string): string {
  return `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Makes `text` writable in Shift_JIS: folds what has an equivalent, writes 〓 for the rest, and
 * tells both (each kind of character once, with its count, in order of first appearance).
 */
export function toShiftJisText(text: string): ShiftJisText {
  const folded = new Map<string, ShiftJisFold>();
  const unencodable = new Map<string, ShiftJisLoss>();
  let out = '';
  for (const c of text) {
    if (inShiftJis(c)) {
      out += c;
      continue;
    }
    const replacement = shiftJisEquivalent(c);
    if (replacement !== undefined) {
      out += replacement;
      const seen = folded.get(c) ?? { character: c, replacement, count: 0 };
      seen.count += 1;
      folded.set(c, seen);
    } else {
      out += SHIFT_JIS_SUBSTITUTE;
      const seen = unencodable.get(c) ?? { character: c, codePoint: codePointOf(c), count: 0 };
      seen.count += 1;
      unencodable.set(c, seen);
    }
  }
  return { text: out, folded: [...folded.values()], unencodable: [...unencodable.values()] };
}

/**
 * The Shift_JIS bytes of `text` after {@link toShiftJisText}, with what was folded or lost. No
 * character is ever written as a silent `?`.
 */
export function encodeShiftJis(text: string): ShiftJisText & { bytes: Buffer } {
  const result = toShiftJisText(text);
  return { ...result, bytes: iconv.encode(result.text, 'Shift_JIS') };
}

/** A character of a table (CSV) that Shift_JIS lacks: where it is. */
export interface ShiftJisCellLoss {
  /** Record of the file, the header being 1 (the row number a spreadsheet shows). */
  line: number;
  /** Index of the row in the rows given (0-based). */
  rowIndex: number;
  /** Header of the column. */
  column: string;
  character: string;
  codePoint: string;
}

export interface ShiftJisTable {
  header: string[];
  rows: string[][];
  /** Totals over the whole table, each kind of character once. */
  folded: ShiftJisFold[];
  unencodable: ShiftJisLoss[];
  /** Every place a character was written as 〓, cell by cell in file order. */
  losses: ShiftJisCellLoss[];
}

/** {@link toShiftJisText} cell by cell, telling the line and column of every character lost. */
export function toShiftJisTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): ShiftJisTable {
  const folded = new Map<string, ShiftJisFold>();
  const unencodable = new Map<string, ShiftJisLoss>();
  const losses: ShiftJisCellLoss[] = [];
  const convert = (cell: string, rowIndex: number, columnIndex: number): string => {
    const r = toShiftJisText(cell);
    for (const f of r.folded) {
      const seen = folded.get(f.character) ?? { ...f, count: 0 };
      seen.count += f.count;
      folded.set(f.character, seen);
    }
    for (const u of r.unencodable) {
      const seen = unencodable.get(u.character) ?? { ...u, count: 0 };
      seen.count += u.count;
      unencodable.set(u.character, seen);
      if (rowIndex >= 0)
        for (let i = 0; i < u.count; i++)
          losses.push({
            line: rowIndex + 2,
            rowIndex,
            column: header[columnIndex] ?? String(columnIndex + 1),
            character: u.character,
            codePoint: u.codePoint,
          });
    }
    return r.text;
  };
  const outHeader = header.map((cell, c) => convert(cell, -1, c));
  const outRows = rows.map((row, r) => row.map((cell, c) => convert(cell, r, c)));
  return {
    header: outHeader,
    rows: outRows,
    folded: [...folded.values()],
    unencodable: [...unencodable.values()],
    losses,
  };
}
