import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { isUnauthorized, toUiError } from './errors';

/** A TRPCClientError as the client builds it from the API's formatted error body. */
function apiError(data: Record<string, unknown> | undefined): TRPCClientError<never> {
  const error = new TRPCClientError<never>('x');
  Object.defineProperty(error, 'data', { value: data });
  return error;
}

describe('toUiError: what the merchant sees of a failed call', () => {
  it('keeps both languages and puts each field error under its path', () => {
    const ui = toUiError(
      apiError({
        code: 'BAD_REQUEST',
        messages: { ja: '入力内容に誤りがあります', en: 'Invalid input' },
        fieldErrors: [
          { path: 'dummyProductCode', message: { ja: 'ダミー商品番号…', en: 'Dummy…' } },
          { path: 'dummyProductCode', message: { ja: '二つ目', en: 'second' } },
          { path: 'lines.0.quantity', message: { ja: '数量…', en: 'Quantity…' } },
        ],
      }),
    );
    expect(ui.code).toBe('BAD_REQUEST');
    expect(ui.message.ja).toBe('入力内容に誤りがあります');
    expect(ui.fieldErrors).toEqual({
      dummyProductCode: { ja: 'ダミー商品番号…', en: 'Dummy…' },
      'lines.0.quantity': { ja: '数量…', en: 'Quantity…' },
    });
  });

  it('passes details through (the readiness items of a refused start)', () => {
    const ui = toUiError(
      apiError({
        code: 'PRECONDITION_FAILED',
        messages: { ja: '連携を開始できません', en: 'Cannot start' },
        fieldErrors: [],
        details: { readiness: [{ id: 'shopsMapped' }] },
      }),
    );
    expect(ui.details).toEqual({ readiness: [{ id: 'shopsMapped' }] });
  });

  it('never shows raw text when the answer was not the API (proxy page, dropped connection)', () => {
    expect(toUiError(apiError(undefined))).toMatchObject({
      code: 'NETWORK',
      message: { ja: expect.stringContaining('サーバーに接続できません') as string },
    });
    expect(toUiError(new TypeError('Failed to fetch')).code).toBe('NETWORK');
    const odd = toUiError(new Error('<html>stack trace</html>'));
    expect(odd.message.ja).not.toContain('stack');
    expect(odd.message.en).not.toContain('<html>');
  });

  it('recognises an expired session', () => {
    expect(isUnauthorized(apiError({ code: 'UNAUTHORIZED', messages: { ja: '', en: '' } }))).toBe(
      true,
    );
    expect(isUnauthorized(apiError({ code: 'BAD_REQUEST' }))).toBe(false);
    expect(isUnauthorized(new Error('UNAUTHORIZED'))).toBe(false);
  });
});
