/**
 * Entry of a process measured by the back-pressure part (`pressure.ts`): the real entry named by
 * RENKEI_BENCH_ENTRY (the worker's or the API's src/main.ts), plus, on SIGUSR2, a full garbage
 * collection whose outcome — the live heap, what the process really keeps — is written to
 * `$RENKEI_BENCH_STATS.live.json`. The heap figure of the statistics preload is whatever V8 has
 * not collected yet: under load it climbs for tens of seconds between full collections whether
 * or not anything is kept, so it cannot tell a backlog held in memory from garbage.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface LiveHeap {
  at: number;
  heapUsed: number;
  rss: number;
}

const entry = process.env.RENKEI_BENCH_ENTRY;
const out = process.env.RENKEI_BENCH_STATS;
if (!entry || !out) throw new Error('RENKEI_BENCH_ENTRY and RENKEI_BENCH_STATS must be set');

// `gc` without starting node with --expose-gc (which would also apply to nothing else here).
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

process.on('SIGUSR2', () => {
  gc();
  const m = process.memoryUsage();
  const live: LiveHeap = { at: Date.now(), heapUsed: m.heapUsed, rss: m.rss };
  writeFileSync(`${out}.live.tmp`, JSON.stringify(live));
  renameSync(`${out}.live.tmp`, `${out}.live.json`);
});

await import(pathToFileURL(entry).href);
