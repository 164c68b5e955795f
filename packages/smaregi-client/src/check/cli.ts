/**
 * The command line of `pnpm smaregi:check` (docs/smaregi-wire.md §12): reads the environment,
 * builds a client and prints the report. Exit code 0 when every operation works, 1 when one does
 * not, 2 when the configuration is incomplete.
 */
import { z } from 'zod';
import { smaregiEnvironment } from '../auth.js';
import { createSmaregiClient } from '../client.js';
import { RENKEI_APP_SCOPES } from '../scopes.js';
import { checkPassed, formatCheckReport, runSmaregiCheck } from './run-check.js';

const url = z.url({ protocol: /^https?$/ });

export const checkEnvSchema = z.object({
  /** `sandbox` (default) or `production`: hosts and rate limits. */
  SMAREGI_ENV: z.enum(['sandbox', 'production']).default('sandbox'),
  SMAREGI_CLIENT_ID: z.string().min(1),
  SMAREGI_CLIENT_SECRET: z.string().min(1),
  SMAREGI_CONTRACT_ID: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  /** Host overrides (e.g. the local simulator). */
  SMAREGI_ID_BASE_URL: url.optional(),
  SMAREGI_API_BASE_URL: url.optional(),
  /** Space separated; default the scopes of every operation Renkei uses. */
  SMAREGI_APP_SCOPES: z.string().optional(),
});

export interface CheckIo {
  env: Record<string, string | undefined>;
  out: (text: string) => void;
}

/** Runs the check as the command does; returns the exit code. */
export async function runCheckCommand(io: CheckIo): Promise<number> {
  const parsed = checkEnvSchema.safeParse(io.env);
  if (!parsed.success) {
    io.out(
      `smaregi:check: configuration incomplete\n${parsed.error.issues
        .map((i) => `  ${i.path.join('.')}: ${i.message}`)
        .join('\n')}`,
    );
    return 2;
  }
  const env = parsed.data;
  const preset = smaregiEnvironment(env.SMAREGI_ENV);
  const scopes = env.SMAREGI_APP_SCOPES?.split(/\s+/).filter((s) => s !== '');
  const client = createSmaregiClient({
    environment: {
      idBaseUrl: env.SMAREGI_ID_BASE_URL ?? preset.idBaseUrl,
      apiBaseUrl: env.SMAREGI_API_BASE_URL ?? preset.apiBaseUrl,
    },
    rateLimits: { readsPerSecond: preset.readsPerSecond, writesPerSecond: preset.writesPerSecond },
    clientId: env.SMAREGI_CLIENT_ID,
    clientSecret: env.SMAREGI_CLIENT_SECRET,
    appScopes: scopes && scopes.length > 0 ? scopes : RENKEI_APP_SCOPES,
    requestTimeoutMs: 15_000,
    retry: { maxAttempts: 2 },
  });
  io.out(`environment ${env.SMAREGI_ENV}: ${client.hosts.idBaseUrl}, ${client.hosts.apiBaseUrl}`);
  const report = await runSmaregiCheck({ client, contractId: env.SMAREGI_CONTRACT_ID });
  io.out(formatCheckReport(report));
  return checkPassed(report) ? 0 : 1;
}
