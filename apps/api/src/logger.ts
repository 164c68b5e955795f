import { pino, type Logger } from 'pino';

/**
 * Structured JSON logs. Anything that can carry a secret is redacted by path: cookies, auth and
 * webhook secret headers, tokens, passwords, API keys, PKCE verifiers.
 */
export function createLogger(level: string, webhookHeader = 'x-renkei-webhook-secret'): Logger {
  return pino({
    level,
    base: { service: 'renkei-api' },
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        `req.headers["${webhookHeader}"]`,
        'req.headers["x-api-key"]',
        'res.headers["set-cookie"]',
        '*.password',
        '*.accessToken',
        '*.refreshToken',
        '*.access_token',
        '*.refresh_token',
        '*.codeVerifier',
        '*.code_verifier',
        '*.apiKey',
        '*.clientSecret',
      ],
      censor: '[redacted]',
    },
  });
}
export type { Logger };
