import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    passWithNoTests: false,
    // Two files at once even on 2 cores (Vitest's default there is one: cores - 1); the files
    // share nothing but the PostgreSQL server, and the feed tests first wait until the other
    // files' transactions have ended (`feedsCaughtUp`). See apps/worker/vitest.config.ts.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
