import { pino, type Logger as PinoLogger, type LevelWithSilent } from 'pino';

export type Logger = PinoLogger;

/**
 * Structured JSON logs. Tokens never reach a log line: the Smaregi client redacts its errors, and
 * these paths are removed as a second guard.
 */
export function createLogger(level: LevelWithSilent = 'info'): Logger {
  return pino({
    name: 'renkei-worker',
    level,
    redact: {
      paths: [
        '*.authorization',
        '*.accessToken',
        '*.refreshToken',
        '*.access_token',
        '*.ciphertext',
      ],
      remove: true,
    },
  });
}
