/**
 * `pnpm test` (CI): runs the example against a fresh demo API, as an integrator would.
 *
 * 1. starts apps/api in demo mode on a free port of 127.0.0.1 with a throwaway SQLite folder
 *    (Smaregi pointed at a closed port: the example needs only Renkei);
 * 2. fetches /api/v1/openapi.json and generates src/generated/renkei-api.d.ts (git-ignored) with
 *    openapi-typescript;
 * 3. typechecks the example against those types (tsc), so a change of the document that breaks
 *    a client fails here;
 * 4. runs the example; any failure stops with the API's output.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('..', import.meta.url));
const apiDir = fileURLToPath(new URL('../../../apps/api/', import.meta.url));
const require = createRequire(import.meta.url);
const binOf = (pkg: string, bin: string) =>
  join(dirname(require.resolve(`${pkg}/package.json`)), bin);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        resolve(typeof address === 'object' && address !== null ? address.port : 0),
      );
    });
  });
}

/** Runs a Node script to its end; throws with its output when it fails. */
function run(what: string, args: string[], env: Record<string, string> = {}): void {
  console.log(`== ${what}`);
  const result = spawnSync(process.execPath, args, {
    cwd: here,
    env: { ...process.env, ...env },
    stdio: 'inherit',
    timeout: 120_000,
  });
  if (result.status !== 0)
    throw new Error(
      `${what} failed (exit ${result.status ?? result.signal ?? result.error?.message})`,
    );
}

const dataDir = mkdtempSync(join(tmpdir(), 'renkei-example-'));
let api: ChildProcess | undefined;
let apiOutput = '';
try {
  const port = await freePort();
  const deadPort = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  console.log(`== starting the demo API on ${baseUrl}`);
  api = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: apiDir,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      TZ: 'Asia/Tokyo',
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: baseUrl,
      RENKEI_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      SMAREGI_ID_BASE_URL: `http://127.0.0.1:${deadPort}`,
      SMAREGI_API_BASE_URL: `http://127.0.0.1:${deadPort}`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk: Buffer) => (apiOutput = (apiOutput + chunk.toString()).slice(-20_000));
  api.stdout?.on('data', keep);
  api.stderr?.on('data', keep);
  const exited = new Promise<never>((_, reject) =>
    api!.once('exit', (code) =>
      reject(new Error(`the API exited (code ${code}) before it answered`)),
    ),
  );
  const up = (async () => {
    for (let i = 0; i < 300; i += 1) {
      try {
        if ((await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(1000) })).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error('the API did not answer /readyz within 60 s');
  })();
  await Promise.race([up, exited]);

  console.log('== fetching the OpenAPI document');
  const res = await fetch(`${baseUrl}/api/v1/openapi.json`);
  if (!res.ok) throw new Error(`GET /api/v1/openapi.json: HTTP ${res.status}`);
  const generated = join(here, 'src', 'generated');
  mkdirSync(generated, { recursive: true });
  const documentFile = join(generated, 'openapi.json');
  writeFileSync(documentFile, await res.text());

  run('generating the types (openapi-typescript)', [
    binOf('openapi-typescript', 'bin/cli.js'),
    documentFile,
    '-o',
    join(generated, 'renkei-api.d.ts'),
    // A request field with a default (isEnclosure, the fees) may be left out: optional, as the
    // document says (openapi-typescript otherwise makes every defaulted field required).
    '--default-non-nullable',
    'false',
  ]);
  run('typechecking the example (tsc)', [binOf('typescript', 'bin/tsc'), '-p', 'tsconfig.json']);
  run('running the example', ['--import', 'tsx', 'src/oms-client.ts'], {
    RENKEI_URL: baseUrl,
  });
  console.log('== the example ran against the demo API');
} catch (error) {
  console.error(`\nFAILED: ${error instanceof Error ? error.message : String(error)}`);
  if (apiOutput !== '') console.error(`\n-- the API's output (last part) --\n${apiOutput}`);
  process.exitCode = 1;
} finally {
  if (api !== undefined && api.exitCode === null) {
    const gone = new Promise((resolve) => api!.once('exit', resolve));
    api.kill('SIGTERM');
    const force = setTimeout(() => api!.kill('SIGKILL'), 10_000);
    await gone;
    clearTimeout(force);
  }
  rmSync(dataDir, { recursive: true, force: true });
}
