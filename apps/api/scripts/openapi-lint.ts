/**
 * `pnpm --filter @renkei/api openapi:lint` (part of the package's `test`): writes the OpenAPI
 * document exactly as `GET /api/v1/openapi.json` serves it (`openApiDocument`, built from a fresh
 * demo-mode API on an in-memory database) to a temporary file and lints it with Redocly CLI under
 * redocly.yaml. Any error or warning fails the run.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '@renkei/persistence';
import { pino } from 'pino';
import { createDeps } from '../src/create-deps.js';
import { loadConfig } from '../src/env.js';
import { openApiDocument } from '../src/http/openapi.js';

const apiDir = fileURLToPath(new URL('..', import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'renkei-openapi-'));
const orm = await openDatabase({ location: { dialect: 'sqlite', path: ':memory:' } });
let status = 1;
try {
  const config = loadConfig({ RENKEI_DATA_DIR: folder, LOG_LEVEL: 'silent' });
  const deps = createDeps(config, orm, { logger: pino({ level: 'silent' }) });
  const file = join(folder, 'openapi.json');
  writeFileSync(file, JSON.stringify(await openApiDocument(deps), null, 2));
  // Redocly's own entry point, run by this Node (no shell, no npx look-up).
  const require = createRequire(import.meta.url);
  const cli = join(dirname(require.resolve('@redocly/cli/package.json')), 'bin', 'cli.js');
  const run = spawnSync(
    process.execPath,
    [cli, 'lint', file, '--config', join(apiDir, 'redocly.yaml'), '--max-problems', '200'],
    {
      stdio: 'inherit',
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    },
  );
  status = run.status ?? 1;
  if (status !== 0)
    console.error(
      '\nopenapi:lint: the OpenAPI document (src/http/openapi.ts) has problems; see above',
    );
} finally {
  await orm.close(true);
  rmSync(folder, { recursive: true, force: true });
}
process.exit(status);
