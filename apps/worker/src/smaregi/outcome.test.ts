import { describe, expect, it } from 'vitest';
import { SmaregiApiError, type SmaregiErrorKind } from '@renkei/smaregi-client';
import { classifyWriteFailure, isTransientRead } from './outcome.js';

const apiError = (kind: SmaregiErrorKind, status?: number, detail?: string) =>
  new SmaregiApiError(`test ${kind}`, {
    kind,
    operation: 'orderShipment.orders.register',
    ...(status === undefined ? {} : { status }),
    ...(detail === undefined ? {} : { problem: { title: 'x', detail, status } }),
  });

describe('classifyWriteFailure', () => {
  it.each([
    ['timeout', undefined, undefined, 'unknown'],
    ['network', undefined, undefined, 'unknown'],
    ['server', 500, 'Internal Server Error', 'unknown'],
    ['server', 503, undefined, 'unknown'],
    ['bad_response', 200, undefined, 'unknown'],
    ['rate_limited', 429, undefined, 'noEffect'],
    ['unauthorized', 401, undefined, 'reauth'],
    // The client decides "already registered" (docs/smaregi-wire.md §5.3); the worker trusts the kind.
    [
      'already_registered',
      400,
      '受注番号[RT-1]は既に登録されています (orderHeadId: 5)',
      'duplicate',
    ],
    ['invalid_request', 400, '受注番号[RT-1]は既に登録されています', 'rejected'],
    ['invalid_request', 400, 'details[0].productId[9]の商品が見つかりません', 'rejected'],
    ['invalid_request', undefined, undefined, 'rejected'],
    ['forbidden_scope', 403, undefined, 'rejected'],
    ['not_found', 404, undefined, 'rejected'],
    ['conflict', 409, undefined, 'rejected'],
  ] as const)('%s %s %s → %s', (kind, status, detail, expected) => {
    expect(classifyWriteFailure(apiError(kind, status, detail)).kind).toBe(expected);
  });

  it('treats anything that is not a Smaregi error (an abort at shutdown) as unknown: read first', () => {
    expect(classifyWriteFailure(new DOMException('aborted', 'AbortError')).kind).toBe('unknown');
  });

  it("carries Smaregi's own words and the status for the merchant", () => {
    expect(
      classifyWriteFailure(apiError('invalid_request', 400, '合計が一致しません')).message,
    ).toBe('合計が一致しません (HTTP 400)');
  });
});

describe('isTransientRead', () => {
  it('retries reads on 429, 5xx, timeouts and resets, not on 4xx', () => {
    expect(isTransientRead(apiError('server', 502))).toBe(true);
    expect(isTransientRead(apiError('rate_limited', 429))).toBe(true);
    expect(isTransientRead(apiError('not_found', 404))).toBe(false);
    expect(isTransientRead(apiError('invalid_request', 400))).toBe(false);
  });
});
