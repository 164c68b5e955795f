import { z } from 'zod';

/*
 * Building blocks of the services' environment schemas. Every variable arrives as a string; these
 * turn it into the value the service uses, with a message naming what was expected.
 */

/** `true`/`false`, also `1`/`0` and `yes`/`no` (any case). */
export const bool = z.stringbool({ truthy: ['true', '1', 'yes'], falsy: ['false', '0', 'no'] });

/** An `http:` or `https:` URL. */
export const httpUrl = z.url({ protocol: /^https?$/ });

/**
 * An optional variable where an empty value counts as unset (`DATABASE_URL=` in an env file, or a
 * compose file that passes a variable through empty).
 */
export function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (v === '' ? undefined : v), schema.optional());
}

/** A TCP port (0 = any free port). */
export const port = (fallback: number) =>
  z.coerce.number().int().min(0).max(65535).default(fallback);

/** A duration in milliseconds, 1 ms to one day. */
export const milliseconds = (fallback: number) =>
  z.coerce.number().int().min(1).max(86_400_000).default(fallback);

/** A request rate per second, as Smaregi counts it per app and contract. */
export const perSecond = z.coerce.number().positive().max(1000);

export const nodeEnv = z.enum(['development', 'test', 'production']).default('development');

/** pino's levels. */
export const logLevel = z
  .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  .default('info');

/** Splits a space-separated list (scopes), dropping empty items. */
export function spaceSeparated(value: string): string[] {
  return value.split(/\s+/).filter((s) => s !== '');
}

/** Splits a comma-separated list (origins), trimming items and dropping empty ones. */
export function commaSeparated(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Reads/s and writes/s of one contract (see {@link contractRateLimits}). */
export interface ContractLimitFigures {
  readsPerSecond: number;
  writesPerSecond: number;
}

/**
 * Contracts with limits of their own: `contractId=reads/writes`, comma separated, e.g.
 * `sb_abc=50/20,sb_def=10/4`. A contract named twice, a missing figure or a figure that is not
 * a rate (positive, at most 1000) is refused with the entry at fault.
 */
export const contractRateLimits = z.string().transform((value, ctx) => {
  const out: Record<string, ContractLimitFigures> = {};
  for (const entry of value
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '')) {
    // Contract IDs as Smaregi gives them (the client's rule): 1-64 of A-Z a-z 0-9 _ -.
    const match = /^([A-Za-z0-9_-]{1,64})=([^/\s]+)\/([^/\s]+)$/.exec(entry);
    const reads = match ? perSecond.safeParse(match[2]) : undefined;
    const writes = match ? perSecond.safeParse(match[3]) : undefined;
    if (!match || !reads?.success || !writes?.success) {
      ctx.addIssue({
        code: 'custom',
        message: `"${entry}" is not contractId=reads/writes (a contract ID of A-Z a-z 0-9 _ -, rates per second between 0 and 1000, e.g. sb_abc=50/20)`,
      });
      return z.NEVER;
    }
    if (out[match[1]!] !== undefined) {
      ctx.addIssue({ code: 'custom', message: `contract ${match[1]} is named twice` });
      return z.NEVER;
    }
    out[match[1]!] = { readsPerSecond: reads.data, writesPerSecond: writes.data };
  }
  return out;
});
