/*
 * Where Smaregi lives: the hosts of the sandbox and of production, and the rate limits each is
 * reported to enforce.
 */

/** Base URLs of the two Smaregi hosts. */
export interface SmaregiHosts {
  idBaseUrl: string;
  apiBaseUrl: string;
}

export const SMAREGI_ENVIRONMENTS = {
  sandbox: { idBaseUrl: 'https://id.smaregi.dev', apiBaseUrl: 'https://api.smaregi.dev' },
  production: { idBaseUrl: 'https://id.smaregi.jp', apiBaseUrl: 'https://api.smaregi.jp' },
} as const satisfies Record<string, SmaregiHosts>;

/** The two Smaregi environments (`SMAREGI_ENV`). */
export type SmaregiEnvironmentName = keyof typeof SMAREGI_ENVIRONMENTS;

/**
 * Hosts and per-contract rate limits of an environment (docs/smaregi-wire.md §1, §5.2). The
 * limits are the reported ones [SEC]: 10 reads / 4 writes per second in the sandbox, 50 / 20 in
 * production; Smaregi has not published official figures.
 */
export function smaregiEnvironment(name: SmaregiEnvironmentName): SmaregiHosts & {
  name: SmaregiEnvironmentName;
  readsPerSecond: number;
  writesPerSecond: number;
} {
  switch (name) {
    case 'sandbox':
      return { name, ...SMAREGI_ENVIRONMENTS.sandbox, readsPerSecond: 10, writesPerSecond: 4 };
    case 'production':
      return { name, ...SMAREGI_ENVIRONMENTS.production, readsPerSecond: 50, writesPerSecond: 20 };
    default:
      throw new TypeError(
        `smaregiEnvironment: ${String(name)} is not 'sandbox' or 'production' (SMAREGI_ENV)`,
      );
  }
}
