import { describe, expect, it } from 'vitest';
import { redactForm, redactHeaders, redactJson, redactText } from './redact.js';

describe('redaction', () => {
  it('redacts secret headers, keeping the others', () => {
    expect(
      redactHeaders(
        new Headers({
          Authorization: 'Bearer abc',
          'X-Api-Token': 't',
          Accept: 'application/json',
        }),
      ),
    ).toEqual({
      authorization: '[REDACTED]',
      'x-api-token': '[REDACTED]',
      accept: 'application/json',
    });
  });

  it('redacts OAuth form parameters, including the code, but not the grant type', () => {
    const form = new URLSearchParams({
      grant_type: 'authorization_code',
      code: 'c',
      code_verifier: 'v',
      redirect_uri: 'http://x/cb',
      refresh_token: 'r',
      client_secret: 's',
    });
    expect(redactForm(form)).toEqual({
      grant_type: 'authorization_code',
      code: '[REDACTED]',
      code_verifier: '[REDACTED]',
      redirect_uri: 'http://x/cb',
      refresh_token: '[REDACTED]',
      client_secret: '[REDACTED]',
    });
  });

  it('redacts secret-named JSON keys at any depth, not product or order codes', () => {
    expect(
      redactJson({
        productCode: 'A-1',
        nested: [{ access_token: 'x', password: 'p', orderCode: 'O-1' }],
      }),
    ).toEqual({
      productCode: 'A-1',
      nested: [{ access_token: '[REDACTED]', password: '[REDACTED]', orderCode: 'O-1' }],
    });
  });

  it('masks JWTs and long token-like runs in non-JSON text', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzYl94In0.c2lnbmF0dXJl';
    expect(redactText(`oops ${jwt} and ${'a'.repeat(40)} end`)).toBe(
      'oops [REDACTED] and [REDACTED] end',
    );
    expect(redactText('{"access_token":"x","scope":"pos"}')).toBe(
      '{"access_token":"[REDACTED]","scope":"pos"}',
    );
  });
});
