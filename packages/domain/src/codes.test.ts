import { describe, expect, it } from 'vitest';
import {
  checkOrderCodePrefix,
  checkSmaregiProductCode,
  normalizeCode,
  shopOrderCode,
  toSmaregiOrderCode,
} from './codes.js';

describe('normalizeCode', () => {
  it.each([
    ['full-width letters and digits', 'ＴＳ００１', 'TS001'],
    ['full-width hyphen-minus', 'ＴＳ－００１', 'TS-001'],
    ['minus sign U+2212', 'TS\u2212001', 'TS-001'],
    ['en dash / em dash / horizontal bar', 'A\u2013B\u2014C\u2015D', 'A-B-C-D'],
    ['hyphen U+2010 and non-breaking hyphen U+2011', 'A\u2010B\u2011C', 'A-B-C'],
    ['wave dash U+301C', 'A\u301cB', 'A~B'],
    ['full-width tilde U+FF5E', 'A\uff5eB', 'A~B'],
    ['ideographic spaces around', '\u3000\u3000TS-001\u3000', 'TS-001'],
    ['ASCII spaces, tabs and newlines around', ' \tTS-001 \n', 'TS-001'],
    ['zero-width space / joiner / BOM inside', 'TS\u200b-\u200d0\ufeff01', 'TS-001'],
    ['half-width katakana becomes full-width', 'ｱｲｳ', 'アイウ'],
    ['katakana prolonged sound mark is kept', 'コーヒー', 'コーヒー'],
    ['inner spaces are kept', 'A B', 'A B'],
    ['empty', '', ''],
  ])('%s', (_label, input, expected) => {
    expect(normalizeCode(input)).toBe(expected);
  });

  it.each([[null], [undefined], [42], [{}]])('is total: %j gives the empty string', (input) => {
    expect(normalizeCode(input)).toBe('');
  });

  it('is idempotent', () => {
    for (const s of ['ＴＳ－００１', ' A\u301cB ', 'ｶﾞ-1'])
      expect(normalizeCode(normalizeCode(s))).toBe(normalizeCode(s));
  });
});

describe('toSmaregiOrderCode', () => {
  it.each([
    ['ASCII order number', 'RT-20250101-0001', { ok: true, code: 'RT-20250101-0001' }],
    [
      'full-width order number',
      'ＲＴ－２０２５０１０１－０００１',
      { ok: true, code: 'RT-20250101-0001' },
    ],
    ['surrounded by ideographic spaces', '\u3000123-456\u3000', { ok: true, code: '123-456' }],
    ['exactly 50 characters', 'A'.repeat(50), { ok: true, code: 'A'.repeat(50) }],
    ['51 characters', 'A'.repeat(51), { ok: false, reason: 'tooLong', code: 'A'.repeat(51) }],
    ['Japanese letters', '注文123', { ok: false, reason: 'notPrintableAscii', code: '注文123' }],
    ['only spaces', '\u3000 ', { ok: false, reason: 'empty', code: '' }],
    ['not a string', 12345, { ok: false, reason: 'empty', code: '' }],
  ])('%s', (_label, input, expected) => {
    expect(toSmaregiOrderCode(input)).toEqual(expected);
  });
});

describe('checkSmaregiProductCode', () => {
  it.each([
    ['JAN code', '4900000000001', true],
    ['20 characters', 'X'.repeat(20), true],
    ['21 characters', 'X'.repeat(21), false],
    ['Japanese', '商品A', false],
    ['empty', '', false],
  ])('%s', (_label, input, ok) => {
    expect(checkSmaregiProductCode(input).ok).toBe(ok);
  });
});

describe('order-code prefix (受注番号の接頭辞)', () => {
  it('accepts none, normalises a full-width prefix, and refuses spaces, Japanese and long ones', () => {
    expect(checkOrderCodePrefix('')).toEqual({ ok: true, code: '' });
    expect(checkOrderCodePrefix('ＡＺ－')).toEqual({ ok: true, code: 'AZ-' });
    expect(checkOrderCodePrefix('R T-').ok).toBe(false);
    expect(checkOrderCodePrefix('楽天-')).toMatchObject({ ok: false, reason: 'notPrintableAscii' });
    expect(checkOrderCodePrefix('ABCDEFGHIJK')).toMatchObject({ ok: false, reason: 'tooLong' });
  });

  it('puts the prefix before the order number and checks the two as one order code', () => {
    expect(shopOrderCode('RT-', '１００１')).toEqual({ ok: true, code: 'RT-1001' });
    expect(shopOrderCode(null, 'R-1')).toEqual({ ok: true, code: 'R-1' });
    expect(shopOrderCode('RT-', '')).toMatchObject({ ok: false, reason: 'empty' });
    // 48 characters fit alone; with the prefix they are over Smaregi's 50.
    expect(shopOrderCode(null, 'x'.repeat(48)).ok).toBe(true);
    expect(shopOrderCode('RT-', 'x'.repeat(48))).toMatchObject({ ok: false, reason: 'tooLong' });
  });
});
