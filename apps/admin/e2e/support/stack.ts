import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/*
 * The real stack the browser tests run against: the Smaregi simulator, the API (serving the built
 * admin at `/`) and the worker, on free ports of 127.0.0.1, with a throwaway SQLite folder. The
 * global setup starts it and hands `StackInfo` to the test processes in an environment variable
 * (Playwright's workers inherit the runner's environment after the global setup).
 */

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const API_DIR = `${REPO_ROOT}apps/api`;
export const WORKER_DIR = `${REPO_ROOT}apps/worker`;
/** The built admin; RENKEI_E2E_ADMIN_DIST points elsewhere (two runs on one machine at once). */
export const ADMIN_DIST = process.env.RENKEI_E2E_ADMIN_DIST ?? `${REPO_ROOT}apps/admin/dist`;
/** Loaded into every service process so that it stops when the test runner dies (see the file). */
const CHILD_GUARD = fileURLToPath(new URL('./child-guard.ts', import.meta.url));

/** The environment variable carrying `StackInfo` as JSON from the global setup to the tests. */
export const STACK_ENV = 'RENKEI_E2E_STACK';

/** A login on the simulator's ID host (the consent screen of [認証]). */
export interface SmaregiLogin {
  contractId: string;
  loginId: string;
  password: string;
}

/** A merchant: a tenant of its own with its admin user, and a Smaregi contract of its own. */
export interface Merchant {
  tenantId: string;
  tenantName: string;
  email: string;
  password: string;
  /** The merchant's own simulator contract (with the demo shop's data), free for [認証]. */
  smaregiLogin: SmaregiLogin;
  /** An intake API key (`Authorization: Bearer ...` on POST /api/v1/orders), when asked for. */
  intakeKey?: string;
}

export interface StackInfo {
  /** The admin SPA (served by the API at `/`). */
  adminUrl: string;
  apiUrl: string;
  simulator: {
    idUrl: string;
    apiUrl: string;
    /** The simulator's control API (`/__sim`, see packages/smaregi-simulator/README.md). */
    controlUrl: string;
  };
  workerHealthUrl: string;
  /** A fresh merchant made by the global setup, shared by the specs that only read. */
  merchant: Merchant & { intakeKey: string };
  /** The shared merchant's intake key (same as `merchant.intakeKey`). */
  intakeKey: string;
  /** The shared merchant's Smaregi login (same as `merchant.smaregiLogin`). */
  smaregiLogin: SmaregiLogin;
  /**
   * The simulator's DEMO_LOGIN (contract sb_renkei_demo). The API's demo tenant auto-connects to
   * that contract, so [認証] with it is refused as `contractTaken`: tests use their own contract.
   */
  demoSmaregiLogin: SmaregiLogin;
  /** What `createMerchant` needs to run the API's CLI on the same database. */
  cli: { env: Record<string, string> };
}

export function readStack(): StackInfo {
  const raw = process.env[STACK_ENV];
  if (raw === undefined || raw === '')
    throw new Error(`${STACK_ENV} is not set: run the browser tests with \`pnpm test:e2e\``);
  return JSON.parse(raw) as StackInfo;
}

/** A port that was free a moment ago (the services need theirs before they start). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The least environment a Node service needs; everything else is given explicitly. */
export function baseEnv(): Record<string, string> {
  const env: Record<string, string> = { NODE_ENV: 'test', TZ: 'Asia/Tokyo' };
  for (const name of ['PATH', 'HOME', 'TMPDIR', 'LANG'] as const) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

const OUTPUT_TAIL = 20_000;

/** A service started as a child process; its output goes to a log file and a short tail. */
export class Service {
  readonly child: ChildProcess;
  private tail = '';
  private readonly log: WriteStream;
  private exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private readonly exitWaiters: (() => void)[] = [];

  constructor(
    readonly name: string,
    script: string,
    options: { cwd: string; env: Record<string, string>; logFile: string },
  ) {
    this.log = createWriteStream(options.logFile);
    // Not detached: the service is in the runner's process group, so a Ctrl-C reaches it too;
    // the child guard covers a runner that is killed outright.
    this.child = spawn(process.execPath, ['--import', 'tsx', '--import', CHILD_GUARD, script], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: false,
    });
    const read = (chunk: Buffer): void => {
      this.log.write(chunk);
      this.tail = (this.tail + chunk.toString()).slice(-OUTPUT_TAIL);
    };
    this.child.stdout?.on('data', read);
    this.child.stderr?.on('data', read);
    // The guard watches stdin; a write error after the child died must not crash the runner.
    this.child.stdin?.on('error', () => undefined);
    // 'close' (not 'exit'): the output is complete, so nothing is written after the log ends.
    this.child.once('close', (code, signal) => {
      this.exited = { code, signal };
      this.log.end();
      for (const wake of this.exitWaiters.splice(0)) wake();
    });
  }

  output(): string {
    return this.tail;
  }

  get running(): boolean {
    return this.exited === undefined;
  }

  /**
   * Waits until `url` answers 200, failing loudly with the service's output when it exits first
   * or does not come up within `timeoutMs`.
   */
  async waitUntilUp(url: string, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exited !== undefined) {
        throw new Error(
          `${this.name} exited (code ${this.exited.code}, signal ${this.exited.signal}) before ${url} answered:\n${this.tail}`,
        );
      }
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await sleep(200);
    }
    throw new Error(
      `${this.name} did not answer ${url} within ${timeoutMs / 1000} s:\n${this.tail}`,
    );
  }

  /** SIGTERM, then SIGKILL after `deadlineMs`; resolves once the process is gone. */
  async stop(deadlineMs = 10_000): Promise<void> {
    if (this.exited !== undefined) return;
    const gone = new Promise<void>((resolve) => this.exitWaiters.push(resolve));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), deadlineMs);
    await gone;
    clearTimeout(timer);
  }

  /** Last resort when the runner exits without the teardown (synchronous: 'exit' handlers). */
  killNow(): void {
    if (this.exited === undefined) this.child.kill('SIGKILL');
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Runs the API's CLI (`apps/api/src/cli.ts`) on the stack's database and returns its JSON. */
export async function runApiCli(
  env: Record<string, string>,
  args: string[],
): Promise<Record<string, unknown>> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: API_DIR,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  const command = args[0] ?? '';
  if (code !== 0) throw new Error(`cli ${command} failed (exit ${code}):\n${err}${out}`);
  const line = out.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    throw new Error(`cli ${command} printed no JSON:\n${out}${err}`);
  }
}

/** Something unique and short for names, emails and contract IDs. */
function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

export interface CreateMerchantOptions {
  /** The tenant's name (shown in the admin's header). Default: `E2E 商店 <suffix>`. */
  name?: string;
  /** Also create an intake API key. */
  intakeKey?: boolean;
  /** Give the simulator contract the demo shop's stores, products and payment methods (default true). */
  withDemoShop?: boolean;
}

/**
 * A brand-new merchant: a simulator contract of its own (so that [認証] is never refused as
 * taken by another test's tenant), and a tenant with its admin user made by the API's CLI.
 */
export async function createMerchant(
  stack: Pick<StackInfo, 'simulator' | 'cli'>,
  options: CreateMerchantOptions = {},
): Promise<Merchant> {
  const suffix = uniqueSuffix();
  const smaregiLogin: SmaregiLogin = {
    contractId: `sb_e2e_${suffix}`,
    loginId: `owner-${suffix}@e2e.example`,
    password: `smaregi-${suffix}`,
  };
  const res = await fetch(`${stack.simulator.controlUrl}/contracts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      contractId: smaregiLogin.contractId,
      user: { loginId: smaregiLogin.loginId, password: smaregiLogin.password, name: 'E2E 店長' },
      withDemoShop: options.withDemoShop ?? true,
    }),
  });
  if (res.status !== 201)
    throw new Error(`simulator refused the contract: ${res.status} ${await res.text()}`);

  const tenantName = options.name ?? `E2E 商店 ${suffix}`;
  const email = `merchant-${suffix}@e2e.example`;
  const password = `pw-${suffix}-${randomBytes(6).toString('hex')}`;
  const created = await runApiCli(stack.cli.env, [
    'create-tenant',
    '--name',
    tenantName,
    '--email',
    email,
    '--password',
    password,
  ]);
  const merchant: Merchant = {
    tenantId: String(created.tenantId),
    tenantName,
    email,
    password,
    smaregiLogin,
  };
  if (options.intakeKey) {
    const key = await runApiCli(stack.cli.env, [
      'create-api-key',
      '--email',
      email,
      '--name',
      'E2E',
    ]);
    merchant.intakeKey = String(key.apiKey);
  }
  return merchant;
}
