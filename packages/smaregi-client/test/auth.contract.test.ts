/**
 * Auth flows against the simulator's ID host over HTTP: authorization code + PKCE through the
 * real login and 許可 forms, userinfo, refresh, client credentials, and the OAuth errors.
 */
import { DEMO_LOGIN } from '@renkei/smaregi-simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPkcePair, createState, type SmaregiApiError } from '../src/index.js';
import {
  caught,
  DEMO_CLIENT_SECRET,
  DEMO_CONTRACT_ID,
  exposedText,
  startHarness,
  type Harness,
} from './helpers.js';

const REDIRECT_URI = 'http://127.0.0.1:9/api/smaregi/callback';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ redirectUris: [REDIRECT_URI], rateLimits: false });
});
afterAll(() => h.close());

function transactionId(html: string): string {
  const match = /name="transaction_id" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error(`no transaction_id in page: ${html.slice(0, 200)}`);
  return match[1];
}

/** Walks the merchant's browser through login and consent; returns the callback URL. */
async function authorizeInBrowser(authorizeUrl: string): Promise<URL> {
  const loginPage = await fetch(authorizeUrl);
  expect(loginPage.status).toBe(200);
  const txn = transactionId(await loginPage.text());
  const consentPage = await fetch(`${h.sim.idBaseUrl}/authorize`, {
    method: 'POST',
    body: new URLSearchParams({
      step: 'login',
      transaction_id: txn,
      contract_id: DEMO_LOGIN.contractId,
      login_id: DEMO_LOGIN.loginId,
      password: DEMO_LOGIN.password,
    }),
  });
  expect(consentPage.status).toBe(200);
  const consentHtml = await consentPage.text();
  expect(consentHtml).toContain('許可');
  const redirect = await fetch(`${h.sim.idBaseUrl}/authorize`, {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams({
      step: 'consent',
      transaction_id: transactionId(consentHtml),
      decision: 'allow',
    }),
  });
  expect(redirect.status).toBe(302);
  return new URL(redirect.headers.get('location') ?? '');
}

describe('merchant connection (authorization code + PKCE)', () => {
  it('connects: authorize → login → 許可 → code → tokens → userinfo (contract ID) → refresh', async () => {
    const client = h.client();
    const pkce = createPkcePair();
    const state = createState();
    expect(pkce.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const callback = await authorizeInBrowser(
      client.auth.buildAuthorizeUrl({
        redirectUri: REDIRECT_URI,
        scopes: ['openid', 'offline_access', 'pos.products:read'],
        state,
        codeChallenge: pkce.codeChallenge,
      }),
    );
    expect(callback.origin + callback.pathname).toBe(REDIRECT_URI);
    expect(callback.searchParams.get('state')).toBe(state);
    const code = callback.searchParams.get('code');
    expect(code).toBeTruthy();

    const tokens = await client.auth.exchangeCode({
      code: code!,
      redirectUri: REDIRECT_URI,
      codeVerifier: pkce.codeVerifier,
    });
    expect(tokens.refreshToken).toBeTruthy();
    expect(tokens.idToken).toBeTruthy();
    expect(tokens.scopes).toEqual(
      expect.arrayContaining(['openid', 'offline_access', 'pos.products:read']),
    );
    expect(tokens.expiresAt).toBeGreaterThan(Date.now());

    const info = await client.auth.getUserInfo(tokens.accessToken);
    expect(info.contract.id).toBe(DEMO_CONTRACT_ID);
    expect(info.sub).toBeTruthy();

    const refreshed = await client.auth.refreshUserToken(tokens.refreshToken!);
    expect(refreshed.accessToken).not.toBe(tokens.accessToken);
    expect((await client.auth.getUserInfo(refreshed.accessToken)).contract.id).toBe(
      DEMO_CONTRACT_ID,
    );

    // A code is single-use: the second exchange is invalid_grant → unauthorized, re-authorize.
    const errors: SmaregiApiError[] = [];
    const reused = await caught(
      client.auth.exchangeCode({
        code: code!,
        redirectUri: REDIRECT_URI,
        codeVerifier: pkce.codeVerifier,
      }),
    );
    errors.push(reused);
    expect(reused.kind).toBe('unauthorized');
    expect(reused.oauthError).toBe('invalid_grant');
    expect(reused.needsReauthorization).toBe(true);
    expect(reused.request?.body).toMatchObject({ code: '[REDACTED]', code_verifier: '[REDACTED]' });

    // The userinfo endpoint refuses a token it does not know.
    const badToken = await caught(client.auth.getUserInfo('not-a-token'));
    errors.push(badToken);
    expect(badToken.kind).toBe('unauthorized');
    expect(badToken.oauthError).toBe('invalid_token');

    const leaked = exposedText(errors, h.logLines);
    for (const secret of [
      tokens.accessToken,
      tokens.refreshToken!,
      refreshed.accessToken,
      code!,
      pkce.codeVerifier,
      DEMO_CLIENT_SECRET,
    ]) {
      expect(leaked).not.toContain(secret);
    }
  });

  it('a wrong code verifier is invalid_grant', async () => {
    const client = h.client();
    const pkce = createPkcePair();
    const callback = await authorizeInBrowser(
      client.auth.buildAuthorizeUrl({
        redirectUri: REDIRECT_URI,
        scopes: ['openid'],
        state: createState(),
        codeChallenge: pkce.codeChallenge,
      }),
    );
    const error = await caught(
      client.auth.exchangeCode({
        code: callback.searchParams.get('code')!,
        redirectUri: REDIRECT_URI,
        codeVerifier: createPkcePair().codeVerifier,
      }),
    );
    expect(error).toMatchObject({ kind: 'unauthorized', oauthError: 'invalid_grant', status: 400 });
  });
});

describe('app token (client credentials)', () => {
  it('gets one token per contract and uses it for API calls', async () => {
    const before = h.sim.control.journal({ host: 'id' }).length;
    const contract = h.client({ tokenStore: undefined }).forContract(DEMO_CONTRACT_ID);
    await Promise.all([
      contract.pos.stores.list(),
      contract.pos.products.list({ limit: 1 }),
      contract.pos.categories.list(),
    ]);
    const tokenCalls = h.sim.control
      .journal({ host: 'id' })
      .slice(before)
      .filter((e) => e.path === `/app/${DEMO_CONTRACT_ID}/token`);
    expect(tokenCalls).toHaveLength(1);
    expect(tokenCalls[0]?.status).toBe(200);
  });

  it('ensureAppToken reports the granted scopes and expiry without exposing the token', async () => {
    const info = await h.client({ tokenStore: undefined }).ensureAppToken(DEMO_CONTRACT_ID);
    expect(info.scopes).toEqual(
      expect.arrayContaining(['pos.products:read', 'order-shipment.orders:write']),
    );
    expect(info.expiresAt).toBeGreaterThan(Date.now() + 3_000_000);
  });

  it('a wrong client secret is unauthorized (invalid_client) without echoing the secret', async () => {
    const client = h.client({ clientSecret: 'wrong-secret-value-123', tokenStore: undefined });
    const error = await caught(client.forContract(DEMO_CONTRACT_ID).pos.stores.list());
    expect(error).toMatchObject({
      kind: 'unauthorized',
      oauthError: 'invalid_client',
      status: 401,
      operation: 'auth.appToken',
    });
    const text = exposedText([error], h.logLines);
    expect(text).not.toContain('wrong-secret-value-123');
    expect(text).not.toContain(
      Buffer.from(`renkei-demo-client:wrong-secret-value-123`).toString('base64'),
    );
  });

  it('asking for a scope the contract did not approve is forbidden_scope (invalid_scope)', async () => {
    const client = h.client({ appScopes: ['pos.customers:write'], tokenStore: undefined });
    const error = await caught(client.forContract(DEMO_CONTRACT_ID).pos.stores.list());
    expect(error).toMatchObject({ kind: 'forbidden_scope', oauthError: 'invalid_scope' });
  });
});
