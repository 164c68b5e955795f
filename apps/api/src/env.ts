import { z } from 'zod';

/*
 * The API's configuration, validated once at start-up (docs/conventions.md item 4). Nothing else
 * reads process.env. With no configuration at all the API runs in demo mode: SQLite under ./data,
 * the local Smaregi simulator, demo client credentials, a token key generated into ./data.
 */

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const url = z.url({ protocol: /^https?$/ });

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Public base URL of this API as the browser and Smaregi see it (OAuth redirect, cookies). */
  PUBLIC_URL: url.default('http://localhost:3000'),
  /**
   * Extra origins allowed to call mutations and to receive the [認証] callback (the admin dev
   * server; the API by its other loopback name), comma separated.
   */
  ADMIN_ORIGINS: z
    .string()
    .default('http://localhost:5173,http://127.0.0.1:5173,http://127.0.0.1:3000'),
  /** PostgreSQL URL; SQLite under RENKEI_DATA_DIR when unset. */
  DATABASE_URL: z.string().optional(),
  RENKEI_DATA_DIR: z.string().min(1).default('./data'),
  /**
   * Token encryption keys `id:base64(32 bytes)`, comma separated, the first one encrypts. Required
   * outside demo mode; in demo mode a key is generated into RENKEI_DATA_DIR on first start.
   */
  RENKEI_TOKEN_KEYS: z.string().optional(),
  /** Demo mode (seed, simulator defaults, public demo intake key). Default: on when SMAREGI_CLIENT_ID is unset. */
  RENKEI_DEMO: bool.optional(),
  SMAREGI_ID_BASE_URL: url.default('http://127.0.0.1:4011'),
  SMAREGI_API_BASE_URL: url.default('http://127.0.0.1:4010'),
  SMAREGI_CLIENT_ID: z.string().min(1).optional(),
  SMAREGI_CLIENT_SECRET: z.string().min(1).optional(),
  /** Scopes requested from Smaregi, space separated. */
  SMAREGI_SCOPES: z
    .string()
    .default(
      'openid email offline_access pos.products:read pos.products:write pos.stock:read pos.stock:write pos.stores:read pos.transactions:read order-shipment.stores:read order-shipment.orders:read order-shipment.orders:write order-shipment.stock:read',
    ),
  /** The custom header Smaregi sends with webhooks (name and secret value, from the developer portal). */
  SMAREGI_WEBHOOK_HEADER: z.string().min(1).default('x-renkei-webhook-secret'),
  SMAREGI_WEBHOOK_SECRET: z.string().min(16).optional(),
  /** Built admin SPA to serve at `/` (default: apps/admin/dist of this checkout, when present). */
  RENKEI_ADMIN_DIST: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Max JSON body for the admin and intake (the CSV import travels inside it). */
  BODY_LIMIT: z.string().default('2mb'),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  LOGIN_LOCK_SECONDS: z.coerce.number().int().min(1).default(900),
  /** Failed logins allowed from one client address (IPv6: one /64) per window, over all emails. */
  LOGIN_IP_MAX_FAILURES: z.coerce.number().int().min(1).default(20),
  LOGIN_IP_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).default(12),
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

/** The demo credentials of the simulator (mirrors packages/smaregi-simulator's demo constants). */
const DEMO_SMAREGI = {
  clientId: 'renkei-demo-client',
  clientSecret: 'renkei-demo-secret',
  webhookSecret: 'renkei-demo-webhook-secret',
} as const;

export interface Config {
  env: Env;
  demo: boolean;
  port: number;
  host: string;
  publicUrl: string;
  allowedOrigins: string[];
  databaseUrl: string | undefined;
  dataDir: string;
  tokenKeys: string | undefined;
  smaregi: {
    idBaseUrl: string;
    apiBaseUrl: string;
    clientId: string;
    clientSecret: string;
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
  /** Cookies get `Secure` unless the public URL is a loopback http URL. */
  secureCookies: boolean;
}

/** Thrown when the environment is invalid; the message names every bad variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
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
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const env = parsed.data;
  const demo = env.RENKEI_DEMO ?? env.SMAREGI_CLIENT_ID === undefined;
  const missing = (
    [
      'SMAREGI_CLIENT_ID',
      'SMAREGI_CLIENT_SECRET',
      'SMAREGI_WEBHOOK_SECRET',
      'RENKEI_TOKEN_KEYS',
    ] as const
  ).filter((k) => env[k] === undefined);
  if (!demo && missing.length > 0)
    throw new ConfigError(`outside demo mode these are required: ${missing.join(', ')}`);
  // Secure by default: demo mode publishes a login and an intake key that anyone can read in the
  // README, so a production start never falls into it by a forgotten variable.
  if (demo && env.NODE_ENV === 'production' && env.RENKEI_DEMO !== true)
    throw new ConfigError(
      `NODE_ENV=production refuses to start in demo mode (public demo login and intake key): set ${(missing.length > 0 ? missing : ['SMAREGI_CLIENT_ID']).join(', ')}, or RENKEI_DEMO=true to run the demo on purpose`,
    );
  const publicUrl = env.PUBLIC_URL.replace(/\/+$/, '');
  const pub = new URL(publicUrl);
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(pub.hostname);
  return {
    env,
    demo,
    port: env.PORT,
    host: env.HOST,
    publicUrl,
    allowedOrigins: [
      pub.origin,
      ...env.ADMIN_ORIGINS.split(',')
        .map((o) => o.trim())
        .filter((o) => o !== ''),
    ],
    databaseUrl: env.DATABASE_URL === '' ? undefined : env.DATABASE_URL,
    dataDir: env.RENKEI_DATA_DIR,
    tokenKeys: env.RENKEI_TOKEN_KEYS,
    smaregi: {
      idBaseUrl: env.SMAREGI_ID_BASE_URL.replace(/\/+$/, ''),
      apiBaseUrl: env.SMAREGI_API_BASE_URL.replace(/\/+$/, ''),
      clientId: env.SMAREGI_CLIENT_ID ?? DEMO_SMAREGI.clientId,
      clientSecret: env.SMAREGI_CLIENT_SECRET ?? DEMO_SMAREGI.clientSecret,
      scopes: env.SMAREGI_SCOPES.split(/\s+/).filter((s) => s !== ''),
      redirectUri: `${publicUrl}/api/smaregi/callback`,
      webhookHeader: env.SMAREGI_WEBHOOK_HEADER.toLowerCase(),
      webhookSecret: env.SMAREGI_WEBHOOK_SECRET ?? DEMO_SMAREGI.webhookSecret,
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
    secureCookies: !(pub.protocol === 'http:' && loopback),
  };
}
