import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import {
  encodeShiftJis,
  inShiftJis,
  SHIFT_JIS_FOLDS,
  toShiftJisTable,
  toShiftJisText,
} from './shift-jis.js';

const decode = (bytes: Buffer) => iconv.decode(bytes, 'Shift_JIS');

describe('encodeShiftJis: real addresses and names', () => {
  it.each([
    // [as typed, as written in Shift_JIS, folded, lost]
    ['東京都渋谷区神南1〜2丁目', '東京都渋谷区神南1～2丁目', ['〜'], []],
    ['大阪府大阪市北区梅田3−1−1', '大阪府大阪市北区梅田3－1－1', ['−'], []],
    ['札幌市中央区北1条西2丁目1–3', '札幌市中央区北1条西2丁目1－3', ['–'], []],
    ['𠮷野家 渋谷店', '吉野家 渋谷店', ['𠮷'], []],
    ['髙橋 一郎', '髙橋 一郎', [], []],
    ['中央区銀座①ビル 2F', '中央区銀座①ビル 2F', [], []],
    ['﨑山 花子 様', '﨑山 花子 様', [], []],
    ['𩸽の開き 3枚', '〓の開き 3枚', [], ['𩸽']],
    ['ハートの♥クッキー', 'ハートの〓クッキー', [], ['♥']],
    ['Café Ōsaka', 'Cafe Osaka', ['é', 'Ō'], []],
    ['価格 ¥1,000 — 税込', '価格 ￥1,000 ― 税込', ['¥', '—'], []],
    ['半角ｶﾅ ~ \\ ?', '半角ｶﾅ ~ \\ ?', [], []],
  ])('%s', (typed, written, folded, lost) => {
    const r = encodeShiftJis(typed);
    expect(decode(r.bytes)).toBe(written);
    expect(r.text).toBe(written);
    expect(r.folded.map((f) => f.character)).toEqual(folded);
    expect(r.unencodable.map((u) => u.character)).toEqual(lost);
  });

  it('never writes a silent ?: a ? in the file is one the text had', () => {
    for (const text of ['〜−‖¢£¬—♥𠮷𩸽', '渋谷区?番地']) {
      const bytes = encodeShiftJis(text).bytes;
      const questionMarks = [...bytes].filter((b) => b === 0x3f).length;
      expect(questionMarks).toBe([...text].filter((c) => c === '?').length);
    }
  });

  it('counts each character and names its code point', () => {
    expect(toShiftJisText('♥〜♥𩸽〜').unencodable).toEqual([
      { character: '♥', codePoint: 'U+2665', count: 2 },
      { character: '𩸽', codePoint: 'U+29E3D', count: 1 },
    ]);
    expect(toShiftJisText('♥〜♥𩸽〜').folded).toEqual([
      { character: '〜', replacement: '～', count: 2 },
    ]);
  });

  it('folds every listed character to one Shift_JIS has, and lists only ones it lacks', () => {
    for (const [from, to] of Object.entries(SHIFT_JIS_FOLDS)) {
      expect(inShiftJis(from), from).toBe(false);
      expect([...to].every(inShiftJis), `${from} → ${to}`).toBe(true);
    }
  });
});

describe('toShiftJisTable', () => {
  it('tells the record (header = 1), column and character of every loss, and totals', () => {
    const t = toShiftJisTable(
      ['受注番号', 'お届け先住所', '商品名'],
      [
        ['A-1', '東京都港区1〜2', 'クッキー'],
        ['A-2', '北海道函館市', '𩸽の開き♥'],
        ['A-3', '𩸽町', 'セット'],
      ],
    );
    expect(t.rows[1]).toEqual(['A-2', '北海道函館市', '〓の開き〓']);
    expect(t.losses).toEqual([
      { line: 3, rowIndex: 1, column: '商品名', character: '𩸽', codePoint: 'U+29E3D' },
      { line: 3, rowIndex: 1, column: '商品名', character: '♥', codePoint: 'U+2665' },
      { line: 4, rowIndex: 2, column: 'お届け先住所', character: '𩸽', codePoint: 'U+29E3D' },
    ]);
    expect(t.unencodable).toEqual([
      { character: '𩸽', codePoint: 'U+29E3D', count: 2 },
      { character: '♥', codePoint: 'U+2665', count: 1 },
    ]);
    expect(t.folded).toEqual([{ character: '〜', replacement: '～', count: 1 }]);
  });
});
