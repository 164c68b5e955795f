import { describe, expect, it } from 'vitest';
import { kindForApiAnswer } from './errors.js';

describe('kindForApiAnswer', () => {
  it.each([
    [400, '受注番号[R-1]は既に登録されています (orderHeadId: 5)', 'already_registered'],
    [400, 'productCode[P-1]は既に登録されています', 'already_registered'],
    // The wording is the signal, only on a 400: anything else keeps its status's kind.
    [400, '受注番号は必須です', 'invalid_request'],
    [409, '既に登録されています', 'conflict'],
    [500, '既に登録されています', 'server'],
  ] as const)('%i "%s" → %s', (status, detail, kind) => {
    expect(kindForApiAnswer(status, { title: 'x', detail })).toBe(kind);
  });

  it('falls back to the status without a problem body', () => {
    expect(kindForApiAnswer(400)).toBe('invalid_request');
    expect(kindForApiAnswer(400, { title: 'Bad Request' })).toBe('invalid_request');
  });
});
