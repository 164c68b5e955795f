import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    passWithNoTests: false,
    // Vitest's default is one file at a time on a 2-core machine (cores - 1). This suite mostly
    // waits (worker loops, child processes, timers), so two files at once take about three
    // quarters of the time: 394 s in a local run on 2 cores, against 519 s one at a time in CI.
    // The crash-points file then takes about 290 s; its tests stay well inside their timeouts.
    // The files share nothing: each has its own database, simulator and ports.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
