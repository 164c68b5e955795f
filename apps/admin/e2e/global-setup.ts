import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FullConfig } from '@playwright/test';
import { DEMO_LOGIN, startSimulator, type RunningSimulator } from '@renkei/smaregi-simulator';
import {
  ADMIN_DIST,
  API_DIR,
  baseEnv,
  createMerchant,
  freePort,
  Service,
  STACK_ENV,
  WORKER_DIR,
  type StackInfo,
} from './support/stack';

/** The demo app's webhook header (the API's and the simulator's demo defaults). */
const WEBHOOK_HEADER = 'x-renkei-webhook-secret';
const WEBHOOK_SECRET = 'renkei-demo-webhook-secret';

/**
 * Starts the real stack once for the whole run: the simulator in this process, the API (which
 * serves the built admin) and the worker as child processes on a throwaway SQLite folder, and a
 * fresh merchant. Returns the teardown (Playwright runs it after the last test, also on failure).
 */
export default async function globalSetup(config: FullConfig): Promise<() => Promise<void>> {
  const started = Date.now();
  if (!existsSync(join(ADMIN_DIST, 'index.html')))
    throw new Error(`${ADMIN_DIST}/index.html is missing: build the admin first (pnpm test:e2e)`);
  const outputDir = config.projects[0]?.outputDir ?? join(process.cwd(), 'test-results');
  const dataDir = mkdtempSync(join(tmpdir(), 'renkei-admin-e2e-'));
  const logDir = join(dataDir, 'logs');
  mkdirSync(logDir);

  const services: Service[] = [];
  let sim: RunningSimulator | undefined;
  const simLog: string[] = [];
  // A runner that exits without the teardown (an uncaught error) still takes the services along.
  const killAll = (): void => services.forEach((s) => s.killNow());
  process.once('exit', killAll);

  const teardown = async (): Promise<void> => {
    await Promise.all(services.map((s) => s.stop(10_000)));
    await sim?.close();
    process.off('exit', killAll);
    writeFileSync(join(logDir, 'simulator.log'), simLog.map((l) => `${l}\n`).join(''));
    // The services' logs are kept next to the traces (CI artifact), the database is not.
    try {
      cpSync(logDir, join(outputDir, 'stack-logs'), { recursive: true });
    } catch {
      // nothing to keep
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    const apiPort = await freePort();
    const workerPort = await freePort();
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    sim = await startSimulator({
      seed: 1,
      redirectUris: [`${apiUrl}/api/smaregi/callback`],
      webhook: {
        url: `${apiUrl}/webhooks/smaregi`,
        secretHeaderName: WEBHOOK_HEADER,
        secretHeaderValue: WEBHOOK_SECRET,
      },
      // Webhook deliveries and failures, kept with the services' logs.
      log: (line) => simLog.push(`[${new Date().toISOString()}] ${line}`),
    });

    // One environment for the API, the worker and the CLI: the same database and Smaregi hosts.
    // Demo mode (no SMAREGI_CLIENT_ID): the demo app's credentials match the simulator's demo
    // app; the demo tenant exists and connects itself, and no test uses it.
    const shared = {
      ...baseEnv(),
      RENKEI_DATA_DIR: dataDir,
      SMAREGI_ID_BASE_URL: sim.idBaseUrl,
      SMAREGI_API_BASE_URL: sim.apiBaseUrl,
      LOG_LEVEL: 'warn',
    };
    const apiEnv = {
      ...shared,
      PORT: String(apiPort),
      HOST: '127.0.0.1',
      PUBLIC_URL: apiUrl,
      ADMIN_ORIGINS: apiUrl,
      RENKEI_ADMIN_DIST: ADMIN_DIST,
    };
    const api = new Service('API', 'src/main.ts', {
      cwd: API_DIR,
      env: apiEnv,
      logFile: join(logDir, 'api.log'),
    });
    services.push(api);
    await api.waitUntilUp(`${apiUrl}/readyz`);

    // After the API: it migrates the database and writes the demo token key the worker reads.
    const worker = new Service('worker', 'src/main.ts', {
      cwd: WORKER_DIR,
      env: {
        ...shared,
        WORKER_PORT: String(workerPort),
        WORKER_HOST: '127.0.0.1',
        WORKER_SHUTDOWN_DEADLINE_MS: '3000',
        // The worker's story of each order, kept in test-results/stack-logs/worker.log.
        LOG_LEVEL: 'info',
      },
      logFile: join(logDir, 'worker.log'),
    });
    services.push(worker);
    const workerHealthUrl = `http://127.0.0.1:${workerPort}/healthz`;
    await worker.waitUntilUp(workerHealthUrl);

    const simulator = {
      idUrl: sim.idBaseUrl,
      apiUrl: sim.apiBaseUrl,
      controlUrl: `${sim.apiBaseUrl}/__sim`,
    };
    const cli = { env: { ...apiEnv, LOG_LEVEL: 'error' } };
    const merchant = await createMerchant({ simulator, cli }, { intakeKey: true });
    const stack: StackInfo = {
      adminUrl: apiUrl,
      apiUrl,
      simulator,
      workerHealthUrl,
      merchant: { ...merchant, intakeKey: merchant.intakeKey ?? '' },
      intakeKey: merchant.intakeKey ?? '',
      smaregiLogin: merchant.smaregiLogin,
      demoSmaregiLogin: {
        contractId: DEMO_LOGIN.contractId,
        loginId: DEMO_LOGIN.loginId,
        password: DEMO_LOGIN.password,
      },
      cli,
    };
    // Playwright's test workers are started after this and inherit the runner's environment.
    process.env[STACK_ENV] = JSON.stringify(stack);
    console.log(
      `[e2e] stack up in ${((Date.now() - started) / 1000).toFixed(1)} s: admin ${apiUrl}, simulator ${sim.apiBaseUrl}`,
    );
    return teardown;
  } catch (error) {
    await teardown();
    throw error;
  }
}
