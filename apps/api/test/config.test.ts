import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadCliEnv, loadConfig, startupWarnings } from '../src/env.js';
import { CSRF_HEADER } from '../src/http/csrf.js';
import { createTestApp } from './helpers.js';

/* Secure by default (issue 12, item 7): production never falls into the public demo by accident. */

const REAL = {
  SMAREGI_CLIENT_ID: 'client-id',
  SMAREGI_CLIENT_SECRET: 'client-secret',
  SMAREGI_WEBHOOK_SECRET: 'webhook-secret-0123456789',
  RENKEI_TOKEN_KEYS: `k1:${randomBytes(32).toString('base64')}`,
};

describe('loadConfig: demo mode and production', () => {
  it('runs the demo with no configuration outside production, without a warning', () => {
    for (const NODE_ENV of [undefined, 'development', 'test']) {
      const config = loadConfig(NODE_ENV === undefined ? {} : { NODE_ENV });
      expect(config.demo).toBe(true);
      expect(startupWarnings(config)).toEqual([]);
    }
  });

  it('refuses to start in demo mode in production without RENKEI_DEMO=true, naming what is missing', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /demo mode[\s\S]*SMAREGI_CLIENT_ID, SMAREGI_CLIENT_SECRET, SMAREGI_WEBHOOK_SECRET, RENKEI_TOKEN_KEYS[\s\S]*RENKEI_DEMO=true/,
    );
    // Some credentials set but not the client ID: still no silent demo; the rest is named.
    expect(() =>
      loadConfig({ NODE_ENV: 'production', RENKEI_TOKEN_KEYS: REAL.RENKEI_TOKEN_KEYS }),
    ).toThrow(/SMAREGI_CLIENT_ID, SMAREGI_CLIENT_SECRET, SMAREGI_WEBHOOK_SECRET(?!, RENKEI)/);
    // Credentials half set (client ID without the rest): refused as before.
    expect(() => loadConfig({ NODE_ENV: 'production', SMAREGI_CLIENT_ID: 'id' })).toThrow(
      /required: SMAREGI_CLIENT_SECRET, SMAREGI_WEBHOOK_SECRET, RENKEI_TOKEN_KEYS/,
    );
  });

  it('runs the demo in production only with RENKEI_DEMO=true, and then warns at every start', () => {
    const config = loadConfig({ NODE_ENV: 'production', RENKEI_DEMO: 'true' });
    expect(config.demo).toBe(true);
    expect(startupWarnings(config)).toEqual([
      expect.stringMatching(/DEMO MODE IN PRODUCTION[\s\S]*public/),
    ]);
  });

  it('starts a real production configuration without demo and without a warning', () => {
    const config = loadConfig({ NODE_ENV: 'production', ...REAL });
    expect(config.demo).toBe(false);
    expect(startupWarnings(config)).toEqual([]);
  });

  it('has a per-address login limit by default (20 failures per 15 minutes), configurable', () => {
    expect(loadConfig({}).login).toEqual({
      maxFailures: 5,
      lockSeconds: 900,
      ipMaxFailures: 20,
      ipWindowSeconds: 900,
    });
    expect(
      loadConfig({ LOGIN_IP_MAX_FAILURES: '50', LOGIN_IP_WINDOW_SECONDS: '60' }).login,
    ).toMatchObject({ ipMaxFailures: 50, ipWindowSeconds: 60 });
  });

  it('believes X-Forwarded-For only from the proxies TRUST_PROXY names', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', ...REAL }).trustProxy).toEqual(['loopback']);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 192.168.1.5' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '192.168.1.5',
    ]);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(() => loadConfig({ TRUST_PROXY: 'every; body' })).toThrow(/TRUST_PROXY/);
  });
});

describe('BODY_LIMIT', () => {
  it('is the largest admin request body (8 MB by default), refused above it with 413', async () => {
    expect(loadConfig({}).bodyLimit).toBe('8mb');
    expect(loadConfig({ BODY_LIMIT: ' 512KB ' }).bodyLimit).toBe('512kb');
    expect(() => loadConfig({ BODY_LIMIT: 'lots' })).toThrow(/BODY_LIMIT/);
    const t = await createTestApp('sqlite', { BODY_LIMIT: '1kb' });
    try {
      const login = (password: string) =>
        request(t.app)
          .post('/api/trpc/auth.login')
          .set('Origin', 'http://localhost:3000')
          .set(CSRF_HEADER, '1')
          .send({ email: 'nobody@example.com', password });
      expect((await login('x'.repeat(2000))).status).toBe(413);
      expect((await login('short password')).status).not.toBe(413);
    } finally {
      await t.close();
    }
  });
});

describe('SMAREGI_ENV and the shared Smaregi settings', () => {
  it('gives the API the same Smaregi app as the worker: sandbox by default, production on request', () => {
    expect(loadConfig({}).smaregi).toMatchObject({
      environment: 'sandbox',
      idBaseUrl: 'http://127.0.0.1:4011',
      clientId: 'renkei-demo-client',
      webhookSecret: 'renkei-demo-webhook-secret',
    });
    expect(loadConfig({ ...REAL, SMAREGI_ENV: 'production' }).smaregi).toMatchObject({
      environment: 'production',
      idBaseUrl: 'https://id.smaregi.jp',
      apiBaseUrl: 'https://api.smaregi.jp',
      redirectUri: 'http://localhost:3000/api/smaregi/callback',
    });
  });
});

describe('loadCliEnv', () => {
  it('reads the new admin password for `pnpm cli create-tenant`, an empty one as unset', () => {
    expect(loadCliEnv({ RENKEI_NEW_PASSWORD: 'correct horse' }).RENKEI_NEW_PASSWORD).toBe(
      'correct horse',
    );
    expect(loadCliEnv({ RENKEI_NEW_PASSWORD: '' }).RENKEI_NEW_PASSWORD).toBeUndefined();
  });
});
