import { describe, expect, it } from 'vitest';
import { auditChanges, formatValue, type ValueWords } from './audit-diff';

describe('what an audit entry changed', () => {
  it('lists only the fields whose values differ, in the order recorded', () => {
    const before = { name: '楽天市場店', active: true, orderStoreId: '1', orderCodePrefix: null };
    const after = { name: '楽天店', active: true, orderStoreId: '2', orderCodePrefix: null };
    expect(auditChanges(before, after)).toEqual({
      kind: 'changed',
      fields: [
        { field: 'name', before: '楽天市場店', after: '楽天店' },
        { field: 'orderStoreId', before: '1', after: '2' },
      ],
    });
  });

  it('compares lists and nested values by content, and a missing field as empty', () => {
    const before = { allocationTriggerStatuses: ['a', 'b'], options: { x: 1, y: 2 } };
    const same = { allocationTriggerStatuses: ['a', 'b'], options: { y: 2, x: 1 }, added: null };
    expect(auditChanges(before, same)).toEqual({ kind: 'none' });
    expect(auditChanges(before, { ...same, allocationTriggerStatuses: ['b', 'a'] })).toEqual({
      kind: 'changed',
      fields: [
        {
          field: 'allocationTriggerStatuses',
          before: ['a', 'b'],
          after: ['b', 'a'],
        },
      ],
    });
    // A field only one side has is a change when it holds a value.
    expect(auditChanges({ a: 1 }, { a: 1, b: 'new' })).toEqual({
      kind: 'changed',
      fields: [{ field: 'b', before: undefined, after: 'new' }],
    });
  });

  it('shows what a creation set and what a deletion removed, without the empty fields', () => {
    expect(auditChanges(null, { name: 'OMS', keyPrefix: 'rk_abc', note: '' })).toEqual({
      kind: 'created',
      fields: [
        { field: 'name', before: undefined, after: 'OMS' },
        { field: 'keyPrefix', before: undefined, after: 'rk_abc' },
      ],
    });
    expect(auditChanges({ name: '代引', code: null }, null)).toEqual({
      kind: 'deleted',
      fields: [{ field: 'name', before: '代引', after: undefined }],
    });
  });

  it('has nothing to show when nothing was recorded', () => {
    expect(auditChanges(null, null)).toEqual({ kind: 'none' });
    expect(auditChanges(undefined, {})).toEqual({ kind: 'none' });
  });

  it('shows a value that is not a set of fields whole', () => {
    expect(auditChanges('old', 'new')).toEqual({
      kind: 'changed',
      fields: [{ field: '', before: 'old', after: 'new' }],
    });
  });
});

describe('a recorded value in the merchant words', () => {
  const words: ValueWords = {
    empty: '(なし)',
    yes: 'はい',
    no: 'いいえ',
    separator: '、',
    dateTime: (iso) => `JST ${iso.slice(0, 10)}`,
  };
  const names = new Map([
    ['st-1', '新規受付'],
    ['st-2', '出荷待ち'],
  ]);

  it('words yes / no, nothing, numbers and lists', () => {
    expect(
      [true, false, null, undefined, '', [], 3].map((v) => formatValue(v, words, names)),
    ).toEqual(['はい', 'いいえ', '(なし)', '(なし)', '(なし)', '(なし)', '3']);
  });

  it('names a status by its name, not its ID, also in a list', () => {
    expect(formatValue('st-1', words, names)).toBe('新規受付');
    expect(formatValue(['st-1', 'st-2', 'gone'], words, names)).toBe('新規受付、出荷待ち、gone');
  });

  it('shows an instant as a time, and leaves a day or other text as it is', () => {
    expect(formatValue('2026-12-01T03:00:00.000Z', words)).toBe('JST 2026-12-01');
    expect(formatValue('2026-12-01', words)).toBe('2026-12-01');
    expect(formatValue('rakuten', words)).toBe('rakuten');
    expect(formatValue({ a: 1 }, words)).toBe('{"a":1}');
  });
});
