import { describe, expect, it } from 'vitest';
import { formatJst, isCalendarDate, parseOffsetDateTime } from './time.js';

describe('Smaregi date-times', () => {
  it('formats instants in JST with the offset', () => {
    expect(formatJst(new Date('2026-11-28T15:30:05Z'))).toBe('2026-11-29T00:30:05+09:00');
  });

  it.each([
    ['2026-11-28T10:00:00+09:00', true],
    ['2026-11-28T01:00:00Z', true],
    ['2026-11-28T10:00:00.123-05:00', true],
    ['2026-11-28T10:00:00', false],
    ['2026-11-28 10:00:00+09:00', false],
    ['2026-02-30T10:00:00+09:00', false],
    ['2026-11-28T24:00:00+09:00', false],
    ['2026-11-28', false],
  ])('parseOffsetDateTime(%s) valid=%s', (text, valid) => {
    expect(parseOffsetDateTime(text) !== null).toBe(valid);
  });

  it('reads the offset', () => {
    expect(parseOffsetDateTime('2026-11-28T09:00:00+09:00')!.toISOString()).toBe(
      '2026-11-28T00:00:00.000Z',
    );
  });

  it.each([
    ['2024-02-29', true],
    ['2026-02-29', false],
    ['2026-13-01', false],
    ['2026-1-01', false],
  ])('isCalendarDate(%s)=%s', (text, valid) => {
    expect(isCalendarDate(text)).toBe(valid);
  });
});
