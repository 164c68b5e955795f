import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, startupWarnings } from '../src/env.js';

describe('loadConfig', () => {
  it('runs in demo mode with no configuration, on the API data folder when started from apps/worker', () => {
    const c = loadConfig({}, '/repo/apps/worker');
    expect(c.demo).toBe(true);
    expect(c.sqlitePath).toBe('/repo/apps/api/data/renkei.sqlite');
    expect(c.queue).toBe('inprocess');
    expect(c.smaregi.clientId).toBe('renkei-demo-client');
    expect(c.smaregi.writesPerSecond).toBe(4);
  });

  it('uses pg-boss with PostgreSQL and keeps absolute data folders as given', () => {
    const c = loadConfig(
      { DATABASE_URL: 'postgresql://x@127.0.0.1/db', RENKEI_DATA_DIR: '/var/lib/renkei' },
      '/srv',
    );
    expect(c.queue).toBe('pgboss');
    expect(c.sqlitePath).toBe('/var/lib/renkei/renkei.sqlite');
  });

  it('names every bad variable', () => {
    expect(() => loadConfig({ WORKER_PORT: 'abc', SMAREGI_API_BASE_URL: 'ftp://x' })).toThrow(
      /WORKER_PORT[\s\S]*SMAREGI_API_BASE_URL|SMAREGI_API_BASE_URL[\s\S]*WORKER_PORT/,
    );
  });

  it('requires real credentials outside demo mode', () => {
    expect(() => loadConfig({ RENKEI_DEMO: 'false' })).toThrow(ConfigError);
    expect(() => loadConfig({ RENKEI_DEMO: 'false' })).toThrow(
      /SMAREGI_CLIENT_ID, SMAREGI_CLIENT_SECRET, RENKEI_TOKEN_KEYS/,
    );
  });

  it('refuses to fall into demo mode in production, naming what is missing', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /demo mode[\s\S]*SMAREGI_CLIENT_ID, SMAREGI_CLIENT_SECRET, RENKEI_TOKEN_KEYS[\s\S]*RENKEI_DEMO=true/,
    );
    // Outside production the demo stays the zero-configuration default, without a warning.
    expect(startupWarnings(loadConfig({ NODE_ENV: 'development' }))).toEqual([]);
  });

  it('runs the demo in production only when RENKEI_DEMO=true is explicit, and then warns at start', () => {
    const c = loadConfig({ NODE_ENV: 'production', RENKEI_DEMO: 'true' });
    expect(c.demo).toBe(true);
    expect(startupWarnings(c)).toEqual([expect.stringMatching(/DEMO MODE IN PRODUCTION/)]);
    const real = loadConfig({
      NODE_ENV: 'production',
      SMAREGI_CLIENT_ID: 'id',
      SMAREGI_CLIENT_SECRET: 'secret',
      RENKEI_TOKEN_KEYS: `k1:${Buffer.alloc(32).toString('base64')}`,
    });
    expect(real.demo).toBe(false);
    expect(startupWarnings(real)).toEqual([]);
  });

  it('refuses private webhook URLs in production unless the self-hosted switch is on', () => {
    const production = {
      NODE_ENV: 'production',
      SMAREGI_CLIENT_ID: 'id',
      SMAREGI_CLIENT_SECRET: 'secret',
      RENKEI_TOKEN_KEYS: `k1:${Buffer.alloc(32).toString('base64')}`,
    };
    expect(loadConfig(production).webhooks).toEqual({
      concurrency: 32,
      endpointConcurrency: 16,
      timeoutMs: 10_000,
      urlPolicy: { allowPrivateAddresses: false, requireHttps: true },
    });
    expect(
      loadConfig({ ...production, RENKEI_WEBHOOK_ALLOW_PRIVATE_URLS: 'true' }).webhooks.urlPolicy,
    ).toEqual({ allowPrivateAddresses: true, requireHttps: false });
    // Development (and the local demo) allows a receiver on localhost without the switch.
    expect(loadConfig({}).webhooks.urlPolicy).toEqual({
      allowPrivateAddresses: true,
      requireHttps: false,
    });
    expect(() => loadConfig({ RENKEI_WEBHOOK_ALLOW_PRIVATE_URLS: 'maybe' })).toThrow(
      /RENKEI_WEBHOOK_ALLOW_PRIVATE_URLS/,
    );
    expect(() => loadConfig({ WORKER_WEBHOOK_CONCURRENCY: '0' })).toThrow(
      /WORKER_WEBHOOK_CONCURRENCY/,
    );
  });

  it('refuses a lease shorter than the request timeout (an expired lease must mean the call is over)', () => {
    expect(() =>
      loadConfig({ WORKER_LEASE_MS: '1000', SMAREGI_REQUEST_TIMEOUT_MS: '5000' }),
    ).toThrow(/WORKER_LEASE_MS/);
  });
});

describe('loadConfig: where the data folder is, and why', () => {
  it('says why a relative or unset RENKEI_DATA_DIR means the API folder', () => {
    const unset = loadConfig({}, '/repo/apps/worker');
    expect(unset.dataDir).toBe('/repo/apps/api/data');
    expect(unset.dataDirOrigin).toMatch(/RENKEI_DATA_DIR unset[\s\S]*apps\/api/);
    const relative = loadConfig({ RENKEI_DATA_DIR: 'var' }, '/srv/renkei');
    expect(relative.sqlitePath).toBe('/srv/renkei/var/renkei.sqlite');
    expect(relative.dataDirOrigin).toMatch(/RENKEI_DATA_DIR var, from the working directory/);
  });
});

describe('loadConfig: SMAREGI_ENV', () => {
  const real = {
    SMAREGI_CLIENT_ID: 'id',
    SMAREGI_CLIENT_SECRET: 'secret',
    RENKEI_TOKEN_KEYS: `k1:${Buffer.alloc(32).toString('base64')}`,
  };

  it('talks to the simulator in demo mode and to the Smaregi sandbox with a real app', () => {
    expect(loadConfig({}).smaregi).toMatchObject({
      environment: 'sandbox',
      apiBaseUrl: 'http://127.0.0.1:4010',
      readsPerSecond: 10,
      writesPerSecond: 4,
    });
    expect(loadConfig(real).smaregi).toMatchObject({
      idBaseUrl: 'https://id.smaregi.dev',
      apiBaseUrl: 'https://api.smaregi.dev',
    });
  });

  it('production: the .jp hosts and the production rate limits, each still overridable', () => {
    const prod = loadConfig({ ...real, SMAREGI_ENV: 'production' });
    expect(prod.smaregi).toMatchObject({
      idBaseUrl: 'https://id.smaregi.jp',
      apiBaseUrl: 'https://api.smaregi.jp',
      readsPerSecond: 50,
      writesPerSecond: 20,
    });
    const agreed = loadConfig({
      ...real,
      SMAREGI_ENV: 'production',
      SMAREGI_WRITES_PER_SECOND: '10',
      SMAREGI_API_BASE_URL: 'https://proxy.example/',
    });
    expect(agreed.smaregi).toMatchObject({
      writesPerSecond: 10,
      readsPerSecond: 50,
      apiBaseUrl: 'https://proxy.example',
    });
    expect(() => loadConfig({ SMAREGI_ENV: 'staging' })).toThrow(/SMAREGI_ENV/);
  });

  it('asks for the app scopes SMAREGI_APP_SCOPES lists, or leaves them to the app', () => {
    expect(loadConfig({}).smaregi.appScopes).toBeUndefined();
    expect(
      loadConfig({ SMAREGI_APP_SCOPES: ' pos.products:read  pos.stock:write ' }).smaregi.appScopes,
    ).toEqual(['pos.products:read', 'pos.stock:write']);
  });
});
