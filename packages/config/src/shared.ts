import { z } from 'zod';
import {
  bool,
  contractRateLimits,
  httpUrl,
  logLevel,
  nodeEnv,
  optional,
  perSecond,
  spaceSeparated,
  type ContractLimitFigures,
} from './fields.js';
import { ConfigError } from './parse.js';

/*
 * The variables the API and the worker share, with one meaning in both, so that one environment
 * file serves both services (docs/operations.md, "Configuration"). Each service extends
 * `sharedEnvShape` with its own variables and derives its settings with `resolveShared`.
 */

/**
 * The demo app of the local Smaregi simulator (packages/smaregi-simulator registers it under these
 * credentials): used in demo mode when the real ones are not configured. Public on purpose.
 */
export const DEMO_SMAREGI_APP = {
  clientId: 'renkei-demo-client',
  clientSecret: 'renkei-demo-secret',
  /** The custom header and value the demo app's webhooks carry. */
  webhookHeader: 'X-Renkei-Webhook-Secret',
  webhookSecret: 'renkei-demo-webhook-secret',
} as const;

/** Where `pnpm simulator` listens by default: the hosts demo mode talks to. */
export const DEMO_SIMULATOR = {
  host: '127.0.0.1',
  idPort: 4011,
  apiPort: 4010,
  idBaseUrl: 'http://127.0.0.1:4011',
  apiBaseUrl: 'http://127.0.0.1:4010',
} as const;

/** Smaregi's two environments: the developer sandbox and production. */
export const SMAREGI_ENVIRONMENT_NAMES = ['sandbox', 'production'] as const;
export type SmaregiEnvironmentName = (typeof SMAREGI_ENVIRONMENT_NAMES)[number];

/** Base URLs of the ID host and the API host of one Smaregi environment. */
export interface SmaregiHosts {
  idBaseUrl: string;
  apiBaseUrl: string;
}

/**
 * Default request rates per environment, per app and contract (docs/smaregi-wire.md §5.2: the
 * figures are from a secondary source). Kept here until packages/smaregi-client publishes its own.
 */
export const SMAREGI_RATE_LIMIT_DEFAULTS = {
  sandbox: { readsPerSecond: 10, writesPerSecond: 4 },
  production: { readsPerSecond: 50, writesPerSecond: 20 },
} as const satisfies Record<
  SmaregiEnvironmentName,
  { readsPerSecond: number; writesPerSecond: number }
>;

const nonEmpty = z.string().min(1);

/** The shared variables (zod shape: extend it with the service's own). */
export const sharedEnvShape = {
  NODE_ENV: nodeEnv,
  /** PostgreSQL URL; SQLite file `renkei.sqlite` in RENKEI_DATA_DIR when unset. */
  DATABASE_URL: optional(nonEmpty),
  /**
   * Token encryption keys `id:base64(32 bytes)`, comma separated, the first one encrypts; the same
   * value in every service. Required outside demo mode.
   */
  RENKEI_TOKEN_KEYS: optional(nonEmpty),
  /** Demo mode. Default: on when SMAREGI_CLIENT_ID is unset. */
  RENKEI_DEMO: optional(bool),
  /** Which Smaregi: chooses the default hosts and rate limits below. */
  SMAREGI_ENV: z.enum(SMAREGI_ENVIRONMENT_NAMES).default('sandbox'),
  /** Default: the simulator in demo mode, otherwise the ID host of SMAREGI_ENV. */
  SMAREGI_ID_BASE_URL: optional(httpUrl),
  /** Default: the simulator in demo mode, otherwise the API host of SMAREGI_ENV. */
  SMAREGI_API_BASE_URL: optional(httpUrl),
  SMAREGI_CLIENT_ID: optional(nonEmpty),
  SMAREGI_CLIENT_SECRET: optional(nonEmpty),
  /** Scopes of the app access token, space separated. Default: every scope the app was granted. */
  SMAREGI_APP_SCOPES: optional(z.string()),
  /** Per app and contract, as agreed with Smaregi. Default: the figures of SMAREGI_ENV. */
  SMAREGI_READS_PER_SECOND: optional(perSecond),
  SMAREGI_WRITES_PER_SECOND: optional(perSecond),
  /**
   * Contracts whose limits differ from the two above, `contractId=reads/writes` comma separated
   * (a hosted deployment serving contracts on different terms). Default: none.
   */
  SMAREGI_CONTRACT_RATE_LIMITS: optional(contractRateLimits),
  LOG_LEVEL: logLevel,
  /**
   * Self-hosted: outbound webhooks may go to private and loopback addresses and plain http: URLs
   * even with NODE_ENV=production (refused there otherwise: docs/webhooks.md). Default off. The
   * rule itself is the domain's `webhookUrlPolicy`.
   */
  RENKEI_WEBHOOK_ALLOW_PRIVATE_URLS: optional(bool),
};

export type SharedEnv = z.output<z.ZodObject<typeof sharedEnvShape>>;

/** What both services derive from the shared variables. */
export interface SharedConfig {
  demo: boolean;
  databaseUrl: string | undefined;
  tokenKeys: string | undefined;
  smaregi: {
    environment: SmaregiEnvironmentName;
    idBaseUrl: string;
    apiBaseUrl: string;
    clientId: string;
    clientSecret: string;
    /** Scopes of the app access token; undefined: every scope the app was granted. */
    appScopes: string[] | undefined;
    readsPerSecond: number;
    writesPerSecond: number;
    /** By contract ID, the contracts with limits of their own. */
    contractRateLimits: Record<string, ContractLimitFigures>;
  };
}

export interface ResolveOptions<K extends string> {
  /** Variables a real (non-demo) start needs, in the order the error names them. */
  required: readonly K[];
  /** What demo mode exposes, named in the production refusal (e.g. the public demo login). */
  demoExposes?: string;
  /** Hosts of each Smaregi environment (packages/smaregi-client's `SMAREGI_ENVIRONMENTS`). */
  environments: Record<SmaregiEnvironmentName, SmaregiHosts>;
}

/**
 * Decides demo mode and the Smaregi app from the shared variables.
 *
 * Secure by default: demo mode publishes credentials that anyone can read in the README, so with
 * NODE_ENV=production a service never falls into it by a forgotten variable, only with
 * RENKEI_DEMO=true set on purpose.
 */
export function resolveShared<E extends SharedEnv, K extends keyof E & string>(
  env: E,
  options: ResolveOptions<K>,
): SharedConfig {
  const demo = env.RENKEI_DEMO ?? env.SMAREGI_CLIENT_ID === undefined;
  const missing = options.required.filter((k) => env[k] === undefined);
  if (!demo && missing.length > 0)
    throw new ConfigError(`outside demo mode these are required: ${missing.join(', ')}`);
  if (demo && env.NODE_ENV === 'production' && env.RENKEI_DEMO !== true)
    throw new ConfigError(
      `NODE_ENV=production refuses to start in demo mode${options.demoExposes === undefined ? '' : ` (${options.demoExposes})`}: set ${(missing.length > 0 ? missing : ['SMAREGI_CLIENT_ID']).join(', ')}, or RENKEI_DEMO=true to run the demo on purpose`,
    );
  const environment = env.SMAREGI_ENV;
  // The sandbox of demo mode is the local simulator; a real app talks to Smaregi's hosts.
  const hosts =
    demo && environment === 'sandbox' ? DEMO_SIMULATOR : options.environments[environment];
  const limits = SMAREGI_RATE_LIMIT_DEFAULTS[environment];
  return {
    demo,
    databaseUrl: env.DATABASE_URL,
    tokenKeys: env.RENKEI_TOKEN_KEYS,
    smaregi: {
      environment,
      idBaseUrl: withoutTrailingSlash(env.SMAREGI_ID_BASE_URL ?? hosts.idBaseUrl),
      apiBaseUrl: withoutTrailingSlash(env.SMAREGI_API_BASE_URL ?? hosts.apiBaseUrl),
      clientId: env.SMAREGI_CLIENT_ID ?? DEMO_SMAREGI_APP.clientId,
      clientSecret: env.SMAREGI_CLIENT_SECRET ?? DEMO_SMAREGI_APP.clientSecret,
      appScopes:
        env.SMAREGI_APP_SCOPES === undefined ? undefined : spaceSeparated(env.SMAREGI_APP_SCOPES),
      readsPerSecond: env.SMAREGI_READS_PER_SECOND ?? limits.readsPerSecond,
      writesPerSecond: env.SMAREGI_WRITES_PER_SECOND ?? limits.writesPerSecond,
      contractRateLimits: env.SMAREGI_CONTRACT_RATE_LIMITS ?? {},
    },
  };
}

function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
