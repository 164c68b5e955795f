import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPostgresDatabase, dropPostgresDatabase } from '@renkei/persistence/testing';
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  type RunningSimulator,
} from '@renkei/smaregi-simulator';
import type { ProcessStats } from './process-stats.js';

/*
 * The parts of a deployment the scale bench starts: a PostgreSQL server (the one in
 * BENCH_PG_URL / RENKEI_TEST_PG_URL, or a throwaway cluster of scripts/pg-throwaway.sh), a
 * database per run, and real worker processes (src/main.ts) with the statistics preload.
 */

const root = join(import.meta.dirname, '../../../..');
const workerDir = join(import.meta.dirname, '../..');

export interface PgServer {
  url: string;
  stop(): void;
}

export function startPostgres(): PgServer {
  const given = process.env.BENCH_PG_URL ?? process.env.RENKEI_TEST_PG_URL;
  if (given) return { url: given, stop: () => undefined };
  const script = join(root, 'scripts/pg-throwaway.sh');
  const out = execFileSync(script, ['start'], { encoding: 'utf8' });
  const url = /RENKEI_TEST_PG_URL=(\S+)/.exec(out)?.[1];
  const dir = /RENKEI_PG_DIR=(\S+)/.exec(out)?.[1];
  if (!url || !dir) throw new Error(`pg-throwaway.sh start said:\n${out}`);
  return { url, stop: () => execFileSync(script, ['stop', dir], { stdio: 'ignore' }) };
}

export async function freshDatabase(
  server: string,
  prefix: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const db = await createPostgresDatabase(server, prefix);
  return { url: db.url, drop: () => dropPostgresDatabase(server, db.name) };
}

/**
 * What every measured Renkei process of one run shares: the database, a token key of its own
 * (not the demo's), and the simulator's hosts and demo app as a real Smaregi app.
 */
export function deploymentEnv(databaseUrl: string, sim: RunningSimulator): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    RENKEI_DEMO: 'false',
    RENKEI_TOKEN_KEYS: `scale:${randomBytes(32).toString('base64')}`,
    SMAREGI_ID_BASE_URL: sim.idBaseUrl,
    SMAREGI_API_BASE_URL: sim.apiBaseUrl,
    SMAREGI_CLIENT_ID: DEMO_CLIENT_ID,
    SMAREGI_CLIENT_SECRET: DEMO_CLIENT_SECRET,
  };
}

export interface MeasuredProcess {
  child: ChildProcess;
  exited: Promise<number | null>;
  /** Resolves once the process logged that it started. */
  ready: Promise<void>;
  output(): string;
  stats(): ProcessStats | undefined;
}

/** Starts `entry` (a TypeScript file) with tsx and the statistics preload. */
export function startMeasured(
  entry: string,
  cwd: string,
  env: Record<string, string>,
  statsFile: string,
  readyPattern: RegExp,
): MeasuredProcess {
  const child = spawn(
    process.execPath,
    [
      // RENKEI_BENCH_CPU_PROFILE=<folder>: a V8 CPU profile of each process is written there.
      ...(process.env.RENKEI_BENCH_CPU_PROFILE
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.RENKEI_BENCH_CPU_PROFILE}`]
        : []),
      '--import',
      'tsx',
      '--import',
      join(import.meta.dirname, 'process-stats.ts'),
      entry,
    ],
    {
      cwd,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        ...env,
        RENKEI_BENCH_STATS: statsFile,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let resolveReady: () => void = () => undefined;
  let rejectReady: (e: Error) => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  const onData = (chunk: Buffer): void => {
    out += chunk.toString();
    if (out.length > 2_000_000) out = out.slice(-1_000_000);
    if (readyPattern.test(out)) resolveReady();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      rejectReady(new Error(`process exited (${code}) before it was ready:\n${out.slice(-4000)}`));
      resolve(code);
    }),
  );
  return {
    child,
    exited,
    ready,
    output: () => out,
    stats: () =>
      existsSync(statsFile)
        ? (JSON.parse(readFileSync(statsFile, 'utf8')) as ProcessStats)
        : undefined,
  };
}

/** A real worker process (src/main.ts) on PostgreSQL with pg-boss. */
export function startWorker(env: Record<string, string>, statsFile: string): MeasuredProcess {
  return startMeasured(
    join(workerDir, 'src/main.ts'),
    workerDir,
    // info: the start line ("renkei worker started") is how readiness is seen.
    { LOG_LEVEL: 'info', ...env },
    statsFile,
    /renkei worker started/,
  );
}

export async function stopAll(processes: readonly MeasuredProcess[]): Promise<void> {
  for (const p of processes) if (p.child.exitCode === null) p.child.kill('SIGTERM');
  await Promise.race([
    Promise.all(processes.map((p) => p.exited)),
    new Promise((r) => setTimeout(r, 15_000)),
  ]);
  for (const p of processes) if (p.child.exitCode === null) p.child.kill('SIGKILL');
}

/** Waits until the stats file shows a write after `after` (the preload writes every 250 ms). */
export async function statsAfter(p: MeasuredProcess, after: number): Promise<ProcessStats> {
  for (let i = 0; i < 40; i++) {
    const s = p.stats();
    if (s && s.at > after) return s;
    await new Promise((r) => setTimeout(r, 100));
  }
  const s = p.stats();
  if (!s) throw new Error(`no statistics from process ${p.child.pid}`);
  return s;
}
