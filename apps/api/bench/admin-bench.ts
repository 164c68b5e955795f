import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { openDatabase, type Dialect, type Orm } from '@renkei/persistence';
import { createTestDatabase } from '@renkei/persistence/testing';
import { pino } from 'pino';
import { createDeps } from '../src/create-deps.js';
import type { AppDeps } from '../src/deps.js';
import { loadConfig } from '../src/env.js';
import { createContext } from '../src/trpc/context.js';
import { createCaller } from '../src/trpc/root.js';

/*
 * What the admin screens' benchmarks (orders-list, order-page, products-list) share: the API's
 * dependencies on a throwaway database of either dialect, a merchant's session, the latency of
 * one call measured after a warm-up, and the run over the dialects asked for.
 */

export interface BenchStack {
  orm: Orm;
  deps: AppDeps;
  /** Closes the database and removes the data folder. */
  close(): Promise<void>;
}

/**
 * The API's dependencies on an empty database: a SQLite file, or a PostgreSQL test database;
 * `env` overrides the configuration (a REST bench lifts the per-key request budget).
 */
export async function openBenchStack(
  dialect: Dialect,
  name: string,
  env: Record<string, string> = {},
): Promise<BenchStack> {
  const dataDir = mkdtempSync(join(tmpdir(), `renkei-bench-${name}-`));
  const db =
    dialect === 'sqlite'
      ? await (async () => {
          const orm = await openDatabase({
            location: { dialect: 'sqlite', path: join(dataDir, 'bench.sqlite') },
          });
          return { orm, close: () => orm.close(true) };
        })()
      : await createTestDatabase('postgresql');
  const config = loadConfig({
    RENKEI_DATA_DIR: dataDir,
    RENKEI_TOKEN_KEYS: `bench:${randomBytes(32).toString('base64')}`,
    SMAREGI_ID_BASE_URL: 'http://127.0.0.1:9',
    SMAREGI_API_BASE_URL: 'http://127.0.0.1:9',
    SMAREGI_WEBHOOK_SECRET: 'bench-webhook-secret-0123456789',
    LOG_LEVEL: 'silent',
    ...env,
  });
  return {
    orm: db.orm,
    deps: createDeps(config, db.orm, { logger: pino({ level: 'silent' }) }),
    async close() {
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Signs the merchant in through tRPC, as the admin does; returns the session token. */
export async function sessionOf(
  deps: AppDeps,
  login: { email: string; password: string },
): Promise<string> {
  let token = '';
  const anonymous = createCaller(
    await createContext(deps, {
      cookies: { setSession: (t) => (token = t), clearSession: () => undefined },
    }),
  );
  await anonymous.auth.login({ email: login.email, password: login.password });
  return token;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? NaN;

/** p50 and p95 of `runs` calls after `warmup` calls not counted. */
export async function measure(
  run: () => Promise<unknown>,
  { warmup, runs }: { warmup: number; runs: number },
): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < warmup; i++) await run();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  samples.sort((x, y) => x - y);
  return { p50: percentile(samples, 0.5), p95: percentile(samples, 0.95) };
}

/**
 * Runs the bench on each dialect of BENCH_DIALECTS (default both; PostgreSQL only with
 * RENKEI_TEST_PG_URL) and fails the process when a bound is not met.
 */
export async function benchDialects(
  title: string,
  benchDialect: (dialect: Dialect) => Promise<boolean>,
): Promise<void> {
  const only = process.env.BENCH_DIALECTS?.split(',');
  const dialects: Dialect[] = [];
  if (only === undefined || only.includes('sqlite')) dialects.push('sqlite');
  if (only === undefined || only.includes('postgresql')) {
    if ((process.env.RENKEI_TEST_PG_URL ?? '') !== '') dialects.push('postgresql');
    else console.log(`${title} on postgresql: skipped (set RENKEI_TEST_PG_URL to a server)`);
  }
  let allMet = true;
  for (const dialect of dialects) allMet = (await benchDialect(dialect)) && allMet;
  if (!allMet) process.exitCode = 1;
}
