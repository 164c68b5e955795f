import {
  commaSeparated,
  DEMO_SMAREGI_APP,
  httpUrl,
  optional,
  parseEnv,
  port,
  processEnv,
  resolveShared,
  sharedEnvShape,
  spaceSeparated,
  type EnvSource,
  type SharedConfig,
} from '@renkei/config';
import { SMAREGI_ENVIRONMENTS } from '@renkei/smaregi-client';
import { z } from 'zod';

export { ConfigError } from '@renkei/config';

/*
 * The API's configuration, validated once at start-up (docs/conventions.md item 4): the variables
 * shared with the worker (@renkei/config) plus the API's own; every one is listed in
 * docs/operations.md. With no configuration at all the API runs in demo mode: SQLite under
 * ./data, the local Smaregi simulator, demo client credentials, a token key generated into ./data.
 */

const SMAREGI_SCOPES_DEFAULT =
  'openid email offline_access pos.products:read pos.products:write pos.stock:read pos.stock:write pos.stores:read pos.transactions:read order-shipment.stores:read order-shipment.orders:read order-shipment.orders:write order-shipment.stock:read';

export const envSchema = z.object({
  ...sharedEnvShape,
  PORT: port(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Public base URL of this API as the browser and Smaregi see it (OAuth redirect, cookies). */
  PUBLIC_URL: httpUrl.default('http://localhost:3000'),
  /**
   * Extra origins allowed to call mutations and to receive the [認証] callback (the admin dev
   * server; the API by its other loopback name), comma separated.
   */
  ADMIN_ORIGINS: z
    .string()
    .default('http://localhost:5173,http://127.0.0.1:5173,http://127.0.0.1:3000'),
  /** SQLite file and, in demo mode, the generated token key. */
  RENKEI_DATA_DIR: z.string().min(1).default('./data'),
  /** Scopes of the merchant's user token asked at [認証], space separated. */
  SMAREGI_SCOPES: z.string().default(SMAREGI_SCOPES_DEFAULT),
  /** The custom header Smaregi sends with webhooks (name and secret value, from the developer portal). */
  SMAREGI_WEBHOOK_HEADER: z.string().min(1).default(DEMO_SMAREGI_APP.webhookHeader),
  SMAREGI_WEBHOOK_SECRET: optional(z.string().min(16)),
  /** Built admin SPA to serve at `/` (default: apps/admin/dist of this checkout, when present). */
  RENKEI_ADMIN_DIST: optional(z.string()),
  /**
   * Largest admin (tRPC) request body: the CSV import travels base64-encoded inside it. The REST
   * intake (5 MB) and webhooks (256 KB) have fixed limits of their own.
   */
  BODY_LIMIT: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^\d+(b|kb|mb)?$/, { error: 'BODY_LIMIT: a size in bytes, or such as 512kb or 8mb' })
    .default('8mb'),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  LOGIN_LOCK_SECONDS: z.coerce.number().int().min(1).default(900),
  /** Failed logins allowed from one client address (IPv6: one /64) per window, over all emails. */
  LOGIN_IP_MAX_FAILURES: z.coerce.number().int().min(1).default(20),
  LOGIN_IP_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).default(12),
  /**
   * Requests one API key may make per second over the REST API (all its routes together; shared
   * by every API process on PostgreSQL); more are answered 429 with Retry-After.
   */
  RENKEI_API_KEY_RATE_PER_SECOND: z.coerce.number().int().min(1).max(1_000_000).default(100),
  /**
   * Which proxies' X-Forwarded-For to believe for the client address (login limits per address,
   * audit): `false`, `true`, a hop count, or a comma-separated list of addresses, subnets or
   * Express's names (`loopback`, `linklocal`, `uniquelocal`). Default: `loopback` in production
   * (a proxy on the same machine), otherwise `false`.
   */
  TRUST_PROXY: z
    .string()
    .trim()
    .regex(/^(true|false|\d+|[\w.:/]+(\s*,\s*[\w.:/]+)*)$/, {
      error:
        'TRUST_PROXY: true, false, a hop count or a comma-separated list of addresses / subnets',
    })
    .optional(),
});

export type Env = z.output<typeof envSchema>;

export interface Config extends SharedConfig {
  env: Env;
  port: number;
  host: string;
  publicUrl: string;
  allowedOrigins: string[];
  dataDir: string;
  smaregi: SharedConfig['smaregi'] & {
    /** Scopes of the merchant's user token asked at [認証]. */
    scopes: string[];
    redirectUri: string;
    webhookHeader: string;
    webhookSecret: string;
  };
  bodyLimit: string;
  /** Express's `trust proxy` setting (see TRUST_PROXY). */
  trustProxy: boolean | number | string[];
  /** Folder of the built admin SPA, or undefined to use the checkout's apps/admin/dist. */
  adminDist: string | undefined;
  login: {
    maxFailures: number;
    lockSeconds: number;
    ipMaxFailures: number;
    ipWindowSeconds: number;
  };
  sessionTtlMs: number;
  /** Requests per second per API key (RENKEI_API_KEY_RATE_PER_SECOND). */
  apiKeyRatePerSecond: number;
  /** Cookies get `Secure` unless the public URL is a loopback http URL. */
  secureCookies: boolean;
}

/**
 * Warnings to log at every start: a production process running the public demo (only possible
 * with RENKEI_DEMO=true set explicitly).
 */
export function startupWarnings(config: Pick<Config, 'env' | 'demo'>): string[] {
  if (config.demo && config.env.NODE_ENV === 'production')
    return [
      'DEMO MODE IN PRODUCTION (RENKEI_DEMO=true): the demo login and the demo intake key are public; anyone can sign in and send orders. Unset RENKEI_DEMO and configure the Smaregi credentials for a real deployment.',
    ];
  return [];
}

function trustProxyOf(env: Env): boolean | number | string[] {
  const raw = env.TRUST_PROXY;
  if (raw === undefined) return env.NODE_ENV === 'production' ? ['loopback'] : false;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  if (/^\d+$/.test(raw)) return Number(raw);
  return raw.split(',').map((s) => s.trim());
}

/** Validates the environment and derives the configuration. */
export function loadConfig(source: EnvSource = processEnv()): Config {
  const env = parseEnv(envSchema, source);
  const shared = resolveShared(env, {
    required: [
      'SMAREGI_CLIENT_ID',
      'SMAREGI_CLIENT_SECRET',
      'SMAREGI_WEBHOOK_SECRET',
      'RENKEI_TOKEN_KEYS',
    ],
    demoExposes: 'public demo login and intake key',
    environments: SMAREGI_ENVIRONMENTS,
  });
  const publicUrl = env.PUBLIC_URL.replace(/\/+$/, '');
  const pub = new URL(publicUrl);
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(pub.hostname);
  return {
    ...shared,
    env,
    port: env.PORT,
    host: env.HOST,
    publicUrl,
    allowedOrigins: [pub.origin, ...commaSeparated(env.ADMIN_ORIGINS)],
    dataDir: env.RENKEI_DATA_DIR,
    smaregi: {
      ...shared.smaregi,
      scopes: spaceSeparated(env.SMAREGI_SCOPES),
      redirectUri: `${publicUrl}/api/smaregi/callback`,
      webhookHeader: env.SMAREGI_WEBHOOK_HEADER.toLowerCase(),
      webhookSecret: env.SMAREGI_WEBHOOK_SECRET ?? DEMO_SMAREGI_APP.webhookSecret,
    },
    bodyLimit: env.BODY_LIMIT,
    trustProxy: trustProxyOf(env),
    adminDist: env.RENKEI_ADMIN_DIST,
    login: {
      maxFailures: env.LOGIN_MAX_FAILURES,
      lockSeconds: env.LOGIN_LOCK_SECONDS,
      ipMaxFailures: env.LOGIN_IP_MAX_FAILURES,
      ipWindowSeconds: env.LOGIN_IP_WINDOW_SECONDS,
    },
    sessionTtlMs: env.SESSION_TTL_HOURS * 3600_000,
    apiKeyRatePerSecond: env.RENKEI_API_KEY_RATE_PER_SECOND,
    secureCookies: !(pub.protocol === 'http:' && loopback),
  };
}

/** What the administration commands (`pnpm cli`) read besides the API's configuration. */
export const cliEnvSchema = z.object({
  /** The new admin's password for `create-tenant`, kept out of the shell history. */
  RENKEI_NEW_PASSWORD: optional(z.string().min(1)),
});

export function loadCliEnv(source: EnvSource = processEnv()): z.output<typeof cliEnvSchema> {
  return parseEnv(cliEnvSchema, source);
}
