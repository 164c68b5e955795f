import { afterEach } from 'vitest';
import { contractViolations, installResponseRecorder, takeRecorded } from './openapi-contract.js';

/*
 * Vitest setup file (vitest.config.ts): every REST answer under /api/v1 that a test makes the API
 * give is checked against the OpenAPI document after the test, which fails on any violation
 * (see openapi-contract.ts). Set RENKEI_CONTRACT_CHECK=off to look at a failure without it.
 */
if (process.env.RENKEI_CONTRACT_CHECK !== 'off') {
  installResponseRecorder();
  afterEach(async () => {
    const problems = await contractViolations(takeRecorded());
    if (problems.length > 0)
      throw new Error(
        `${problems.length} answer(s) break the OpenAPI document (src/http/openapi.ts):\n  ${[...new Set(problems)].join('\n  ')}`,
      );
  });
}
