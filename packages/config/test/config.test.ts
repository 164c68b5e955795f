import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  bool,
  ConfigError,
  optional,
  parseEnv,
  resolveShared,
  sharedEnvShape,
  type SmaregiHosts,
} from '../src/index.js';

const environments: Record<'sandbox' | 'production', SmaregiHosts> = {
  sandbox: { idBaseUrl: 'https://id.sandbox.test', apiBaseUrl: 'https://api.sandbox.test' },
  production: { idBaseUrl: 'https://id.prod.test', apiBaseUrl: 'https://api.prod.test' },
};
const shared = z.object(sharedEnvShape);
const resolve = (source: Record<string, string>) =>
  resolveShared(parseEnv(shared, source), {
    required: ['SMAREGI_CLIENT_ID', 'SMAREGI_CLIENT_SECRET', 'RENKEI_TOKEN_KEYS'],
    environments,
  });

describe('parseEnv', () => {
  it('names every bad variable in one ConfigError', () => {
    const schema = z.object({ A: z.coerce.number().int(), B: z.url(), C: z.string() });
    let error: unknown;
    try {
      parseEnv(schema, { A: 'x', B: 'nope', C: 'fine' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/^invalid configuration:\n {2}A: [^\n]+\n {2}B: /);
    expect((error as Error).message).not.toMatch(/ C: /);
  });

  it('reads true/false, 1/0 and yes/no in any case, and nothing else, as a boolean', () => {
    const schema = z.object({ FLAG: bool });
    for (const [raw, value] of [
      ['true', true],
      ['YES', true],
      ['1', true],
      ['false', false],
      ['No', false],
      ['0', false],
    ] as const)
      expect(parseEnv(schema, { FLAG: raw }).FLAG).toBe(value);
    expect(() => parseEnv(schema, { FLAG: 'on' })).toThrow(/FLAG/);
  });

  it('takes an empty optional variable as unset (an env file with `DATABASE_URL=`)', () => {
    const schema = z.object({ URL: optional(z.url()) });
    expect(parseEnv(schema, { URL: '' }).URL).toBeUndefined();
    expect(() => parseEnv(schema, { URL: 'x' })).toThrow(/URL/);
  });
});

describe('resolveShared', () => {
  it('is the demo with nothing configured: simulator hosts, demo app, sandbox limits', () => {
    const c = resolve({});
    expect(c.demo).toBe(true);
    expect(c.smaregi).toEqual({
      environment: 'sandbox',
      idBaseUrl: 'http://127.0.0.1:4011',
      apiBaseUrl: 'http://127.0.0.1:4010',
      clientId: 'renkei-demo-client',
      clientSecret: 'renkei-demo-secret',
      appScopes: undefined,
      readsPerSecond: 10,
      writesPerSecond: 4,
      contractRateLimits: {},
    });
  });

  it('uses the hosts of SMAREGI_ENV for a real app, and its rate limits', () => {
    const real = { SMAREGI_CLIENT_ID: 'id', SMAREGI_CLIENT_SECRET: 's', RENKEI_TOKEN_KEYS: 'k' };
    expect(resolve(real).smaregi).toMatchObject({
      idBaseUrl: 'https://id.sandbox.test',
      readsPerSecond: 10,
    });
    expect(resolve({ ...real, SMAREGI_ENV: 'production' }).smaregi).toMatchObject({
      apiBaseUrl: 'https://api.prod.test',
      readsPerSecond: 50,
      writesPerSecond: 20,
    });
  });

  it('gives contracts named in SMAREGI_CONTRACT_RATE_LIMITS their own limits, and refuses a bad entry by name', () => {
    const real = { SMAREGI_CLIENT_ID: 'id', SMAREGI_CLIENT_SECRET: 's', RENKEI_TOKEN_KEYS: 'k' };
    expect(resolve(real).smaregi.contractRateLimits).toEqual({});
    expect(
      resolve({ ...real, SMAREGI_CONTRACT_RATE_LIMITS: 'sb_a=50/20, sb_b=10/4' }).smaregi
        .contractRateLimits,
    ).toEqual({
      sb_a: { readsPerSecond: 50, writesPerSecond: 20 },
      sb_b: { readsPerSecond: 10, writesPerSecond: 4 },
    });
    for (const [value, says] of [
      ['sb_a=50', '"sb_a=50" is not contractId=reads/writes'],
      ['sb_a=50/0', '"sb_a=50/0" is not contractId=reads/writes'],
      ['sb_a=50/x', '"sb_a=50/x" is not contractId=reads/writes'],
      ['sb_a=５０/２０', '"sb_a=５０/２０" is not contractId=reads/writes'],
      ['ｻﾝﾌﾟﾙ=50/20', '"ｻﾝﾌﾟﾙ=50/20" is not contractId=reads/writes'],
      ['sb_a=5/2,sb_a=6/3', 'contract sb_a is named twice'],
    ] as const)
      expect(() => resolve({ ...real, SMAREGI_CONTRACT_RATE_LIMITS: value })).toThrow(
        new RegExp(`SMAREGI_CONTRACT_RATE_LIMITS: ${says.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`),
      );
  });

  it('refuses a half-configured real app, naming what is missing in order', () => {
    expect(() => resolve({ SMAREGI_CLIENT_ID: 'id' })).toThrow(
      'outside demo mode these are required: SMAREGI_CLIENT_SECRET, RENKEI_TOKEN_KEYS',
    );
  });

  it('never falls into demo mode in production unless RENKEI_DEMO=true says so', () => {
    expect(() => resolve({ NODE_ENV: 'production' })).toThrow(
      /NODE_ENV=production refuses to start in demo mode: set SMAREGI_CLIENT_ID, SMAREGI_CLIENT_SECRET, RENKEI_TOKEN_KEYS, or RENKEI_DEMO=true/,
    );
    expect(resolve({ NODE_ENV: 'production', RENKEI_DEMO: 'yes' }).demo).toBe(true);
  });
});
