import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, startupWarnings } from '../src/env.js';

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
