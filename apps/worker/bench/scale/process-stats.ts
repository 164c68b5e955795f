/**
 * Preloaded into a process under measurement (`node --import tsx --import <this file>`): counts
 * its PostgreSQL round trips — every `Client.prototype.query` of each copy of `pg` in the
 * workspace, which the ORM (knex), pg-boss and the rate-budget pool all end in — and writes them
 * with `process.cpuUsage()`, the memory figures and the event loop's delay to `$RENKEI_BENCH_STATS`
 * every 250 ms and at exit. PostgreSQL itself cannot say this: pg_stat_statements is not installed and
 * pg_stat_database counts transactions, not statements.
 */
import { readdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { loopDelayMs, watchLoopDelay, type LoopDelayMs } from './loop-delay.js';

const out = process.env.RENKEI_BENCH_STATS;
const require = createRequire(import.meta.url);
let queries = 0;
/**
 * With RENKEI_BENCH_QUERY_PROFILE set, also the count of each statement (its text, parameters
 * apart), written to `$RENKEI_BENCH_STATS.queries.json`: where the round trips go.
 */
const profile = process.env.RENKEI_BENCH_QUERY_PROFILE ? new Map<string, number>() : undefined;
const statementOf = (arg: unknown): string => {
  const text =
    typeof arg === 'string'
      ? arg
      : typeof arg === 'object' && arg !== null && 'text' in arg
        ? String(arg.text)
        : '?';
  return text.replace(/\s+/g, ' ').slice(0, 1000);
};
/**
 * And the count of each transaction's shape (its statements' texts, literals apart, in order),
 * written to `$RENKEI_BENCH_STATS.transactions.json`: which units of work cost a BEGIN and a
 * COMMIT for one or two statements.
 */
const transactions = profile ? new Map<string, number>() : undefined;
const openTransaction = new WeakMap<object, string[]>();
const shapeOf = (text: string): string =>
  text
    .replace(/'[^']*'/g, '?')
    .replace(/\$\d+|\b\d+\b/g, '?')
    .replace(/\((\?(, )?)+\)/g, '(..)')
    .slice(0, 140);
function traceTransaction(client: object, text: string): void {
  if (transactions === undefined) return;
  if (/^\s*(BEGIN|START TRANSACTION)/i.test(text)) {
    openTransaction.set(client, []);
    return;
  }
  const open = openTransaction.get(client);
  if (open === undefined) return;
  if (/^\s*(COMMIT|ROLLBACK)/i.test(text)) {
    openTransaction.delete(client);
    const key = open.join('\n  ');
    transactions.set(key, (transactions.get(key) ?? 0) + 1);
  } else if (!/^\s*(SAVEPOINT|RELEASE)/i.test(text)) open.push(shapeOf(text));
}
const store = join(import.meta.dirname, '../../../../node_modules/.pnpm');
for (const dir of readdirSync(store).filter((d) => /^pg@\d/.test(d))) {
  const pg = require(join(store, dir, 'node_modules/pg')) as {
    Client: { prototype: { query: (...args: unknown[]) => unknown } };
  };
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function counted(this: unknown, ...args: unknown[]) {
    queries++;
    if (profile) {
      const key = statementOf(args[0]);
      profile.set(key, (profile.get(key) ?? 0) + 1);
      traceTransaction(this as object, key);
    }
    return original.apply(this, args);
  };
}

export interface ProcessStats {
  pid: number;
  at: number;
  cpuUserUs: number;
  cpuSystemUs: number;
  rss: number;
  heapUsed: number;
  maxRss: number;
  queries: number;
  /**
   * How late the event loop ran what was due, over the process's life (ms): a timer fires this
   * much after its time, and a request leaves this much after its permit. A request that leaves
   * late can meet a 429: its permit was recorded at the time it was given (rate-budget.ts).
   */
  eventLoopDelayMs: LoopDelayMs;
}

const loopDelay = watchLoopDelay();

let maxRss = 0;
function write(): void {
  if (out === undefined) return;
  const cpu = process.cpuUsage();
  const mem = process.memoryUsage();
  maxRss = Math.max(maxRss, mem.rss);
  const stats: ProcessStats = {
    pid: process.pid,
    at: Date.now(),
    cpuUserUs: cpu.user,
    cpuSystemUs: cpu.system,
    rss: mem.rss,
    heapUsed: mem.heapUsed,
    maxRss,
    queries,
    eventLoopDelayMs: loopDelayMs(loopDelay),
  };
  // Written aside and renamed: a reader never sees half a file.
  writeFileSync(`${out}.tmp`, JSON.stringify(stats));
  renameSync(`${out}.tmp`, out);
}

/**
 * The statement counts, once, at exit: the ORM puts literal IDs in its statements, so the map
 * has tens of thousands of texts at 100 tenants, and writing it every 250 ms made the measured
 * workers spend most of their CPU on it (and grow to a gigabyte).
 */
function writeProfile(): void {
  if (out === undefined || profile === undefined) return;
  const sorted = Object.fromEntries([...profile].sort((a, b) => b[1] - a[1]));
  writeFileSync(`${out}.queries.json`, JSON.stringify(sorted, null, 1));
  if (transactions !== undefined)
    writeFileSync(
      `${out}.transactions.json`,
      JSON.stringify(Object.fromEntries([...transactions].sort((a, b) => b[1] - a[1])), null, 1),
    );
}
setInterval(write, 250).unref();
process.on('exit', () => {
  write();
  writeProfile();
});
