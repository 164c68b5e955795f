import type { z } from 'zod';

/** Thrown when the environment is invalid; the message names every bad variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** A service's environment: variable name → value, unset variables absent or undefined. */
export type EnvSource = Record<string, string | undefined>;

/**
 * The process environment. The only read of `process.env` in the services (the lint rule of
 * tooling/eslint/base.js allows it here, in tests and in scripts): everything else takes its
 * configuration as an argument, so tests pass an environment instead of changing the process's.
 */
export function processEnv(): EnvSource {
  return process.env;
}

/**
 * Validates `source` against `schema`, or throws a {@link ConfigError} with one line per bad
 * variable (`  NAME: message`).
 */
export function parseEnv<S extends z.ZodType>(schema: S, source: EnvSource): z.output<S> {
  const parsed = schema.safeParse(source);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
  throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
}
