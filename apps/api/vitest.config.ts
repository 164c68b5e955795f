import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    passWithNoTests: false,
    // Every REST answer a test gets is checked against the OpenAPI document (issue 15).
    setupFiles: ['test/openapi-contract.setup.ts'],
  },
});
