import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { JournalEntry } from '@renkei/smaregi-simulator';

export interface WorkerProcess {
  child: ChildProcess;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  /** The /healthz base URL once the worker logged its start. */
  ready: Promise<string>;
  output: () => string;
}

/** Starts the real worker entry point (`src/main.ts`) with the given environment. */
export function startWorkerProcess(env: Record<string, string>): WorkerProcess {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, '../../src/main.ts')],
    {
      cwd: join(import.meta.dirname, '../..'),
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let resolveReady: (url: string) => void = () => undefined;
  let rejectReady: (error: Error) => void = () => undefined;
  const ready = new Promise<string>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  const onData = (chunk: Buffer): void => {
    out += chunk.toString();
    const m = /"health":"(http:\/\/[^"]+)\/healthz"/.exec(out);
    if (m?.[1] !== undefined) resolveReady(m[1]);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      rejectReady(new Error(`worker exited (${code}) before it was ready:\n${out}`));
      resolve(code);
    }),
  );
  return { child, exited, ready, output: () => out };
}

/** The most requests that arrived in any half-open one-second window [t, t+1s). */
export function maxPerSecond(entries: readonly JournalEntry[]): number {
  const times = entries.map((e) => e.timeMs).sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while ((times[end] ?? 0) - (times[start] ?? 0) >= 1000) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

/** Reads one counter value from Prometheus text (`labels` empty: a metric without labels). */
export function metricValue(text: string, name: string, labels: string): number {
  const line = text
    .split('\n')
    .find((l) =>
      labels === '' ? l.startsWith(`${name} `) : l.startsWith(`${name}{`) && l.includes(labels),
    );
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}

/** The worker's own log lines (pino JSON), parsed; other output is skipped. */
export function logLines(output: string): { time: number; msg: string; [k: string]: unknown }[] {
  return output.split('\n').flatMap((line) => {
    if (!line.startsWith('{')) return [];
    try {
      return [JSON.parse(line) as { time: number; msg: string }];
    } catch {
      return [];
    }
  });
}
