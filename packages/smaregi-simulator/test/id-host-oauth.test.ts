import { createHash, randomBytes } from 'node:crypto';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_CLIENT_ID,
  DEMO_CONTRACT_ID,
  DEMO_LOGIN,
  type RunningSimulator,
} from '../src/index.js';
import { api, basic, form, start } from './helpers.js';

const REDIRECT = 'http://localhost:3000/api/smaregi/callback';

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function transactionId(html: string): string {
  const m = /name="transaction_id" value="([^"]+)"/.exec(html);
  if (!m?.[1]) throw new Error(`no transaction id in ${html.slice(0, 200)}`);
  return m[1];
}

describe('ID host: authorization code + PKCE, token, refresh, userinfo', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await start({ redirectUris: [REDIRECT, 'http://localhost:5173/callback'] });
    sim.control.addApp({
      clientId: 'another-app',
      clientSecret: 'another-secret',
      name: '別アプリ',
      scopes: ['openid', 'pos.products:read'],
      redirectUris: [REDIRECT],
    });
  });
  afterAll(() => sim.close());

  function authorizeUrl(params: Record<string, string>): string {
    const url = new URL(`${sim.idBaseUrl}/authorize`);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    return url.toString();
  }

  /** Walks the login form and the consent screen; returns the redirect Location. */
  async function authorize(
    options: {
      scope?: string;
      challenge?: string;
      decision?: 'allow' | 'deny';
      state?: string;
    } = {},
  ): Promise<URL> {
    const page = await fetch(
      authorizeUrl({
        response_type: 'code',
        client_id: DEMO_CLIENT_ID,
        redirect_uri: REDIRECT,
        scope:
          options.scope ??
          'openid email offline_access pos.products:read order-shipment.orders:read',
        state: options.state ?? 'state-123',
        ...(options.challenge
          ? { code_challenge: options.challenge, code_challenge_method: 'S256' }
          : {}),
      }),
    );
    expect(page.status).toBe(200);
    const loginHtml = await page.text();
    expect(loginHtml).toContain('スマレジにログイン');
    const consent = await form(`${sim.idBaseUrl}/authorize`, {
      step: 'login',
      transaction_id: transactionId(loginHtml),
      contract_id: DEMO_LOGIN.contractId,
      login_id: DEMO_LOGIN.loginId,
      password: DEMO_LOGIN.password,
    });
    expect(consent.status).toBe(200);
    expect(consent.text).toContain('アクセスの許可');
    expect(consent.text).toContain('pos.products:read');
    const done = await form(`${sim.idBaseUrl}/authorize`, {
      step: 'consent',
      transaction_id: transactionId(consent.text),
      decision: options.decision ?? 'allow',
    });
    expect(done.status).toBe(302);
    return new URL(done.headers.get('location')!);
  }

  async function exchange(
    code: string,
    verifier: string,
    overrides: Record<string, string> = {},
    auth = basic(),
  ) {
    return form<Record<string, string>>(
      `${sim.idBaseUrl}/authorize/token`,
      {
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
        code_verifier: verifier,
        ...overrides,
      },
      { authorization: auth },
    );
  }

  it('login → consent → code → token with PKCE → userinfo → API', async () => {
    const { verifier, challenge } = pkce();
    const location = await authorize({ challenge });
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    expect(location.searchParams.get('state')).toBe('state-123');
    const code = location.searchParams.get('code')!;
    expect(code).toBeTruthy();

    const token = await exchange(code, verifier);
    expect(token.status).toBe(200);
    expect(token.body).toMatchObject({
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'openid email offline_access pos.products:read order-shipment.orders:read',
    });
    expect(typeof token.body.refresh_token).toBe('string');
    expect(decodeJwt(token.body.id_token!)).toMatchObject({
      aud: DEMO_CLIENT_ID,
      contract_id: DEMO_CONTRACT_ID,
    });

    for (const method of ['GET', 'POST']) {
      const info = await fetch(`${sim.idBaseUrl}/userinfo`, {
        method,
        headers: { authorization: `Bearer ${token.body.access_token}` },
      });
      expect(info.status).toBe(200);
      const body = (await info.json()) as {
        contract: { id: string; user_id: string; is_owner: boolean };
        email: string;
      };
      expect(body.contract).toEqual({
        id: DEMO_CONTRACT_ID,
        user_id: DEMO_LOGIN.userId,
        is_owner: true,
      });
      expect(body.email).toBe(DEMO_LOGIN.loginId);
    }

    // A user token works on POS within its scopes, and never on 受注管理 (AppAccessToken only).
    expect((await api(sim, token.body.access_token!, 'GET', '/pos/products?limit=1')).status).toBe(
      200,
    );
    expect((await api(sim, token.body.access_token!, 'GET', '/pos/stock')).status).toBe(403);
    const orders = await api<{ detail: string }>(
      sim,
      token.body.access_token!,
      'GET',
      '/order-shipment/orders',
    );
    expect(orders.status).toBe(403);
    expect(orders.body.detail).toContain('アプリアクセストークン');

    // Refresh gives a new access token.
    const refreshed = await form<Record<string, string>>(
      `${sim.idBaseUrl}/authorize/token`,
      { grant_type: 'refresh_token', refresh_token: token.body.refresh_token! },
      { authorization: basic() },
    );
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.access_token).not.toBe(token.body.access_token);
    expect(
      (await api(sim, refreshed.body.access_token!, 'GET', '/pos/products?limit=1')).status,
    ).toBe(200);
  });

  it('a reused code fails and revokes the tokens it issued', async () => {
    const { verifier, challenge } = pkce();
    const code = (await authorize({ challenge })).searchParams.get('code')!;
    const first = await exchange(code, verifier);
    expect(first.status).toBe(200);
    const second = await exchange(code, verifier);
    expect(second.status).toBe(400);
    expect(second.body.error).toBe('invalid_grant');
    expect((await api(sim, first.body.access_token!, 'GET', '/pos/products?limit=1')).status).toBe(
      401,
    );
    const refresh = await form(
      `${sim.idBaseUrl}/authorize/token`,
      { grant_type: 'refresh_token', refresh_token: first.body.refresh_token! },
      { authorization: basic() },
    );
    expect(refresh.body).toMatchObject({ error: 'invalid_grant' });
    const info = await fetch(`${sim.idBaseUrl}/userinfo`, {
      headers: { authorization: `Bearer ${first.body.access_token}` },
    });
    expect(info.status).toBe(401);
    expect(await info.json()).toMatchObject({ error: 'invalid_token' });
  });

  it('refuses a wrong verifier, a wrong redirect_uri and another client (invalid_grant)', async () => {
    const { verifier, challenge } = pkce();
    const code = (await authorize({ challenge })).searchParams.get('code')!;
    expect((await exchange(code, pkce().verifier)).body).toMatchObject({ error: 'invalid_grant' });
    expect(
      (await exchange(code, verifier, { redirect_uri: 'http://localhost:5173/callback' })).body,
    ).toMatchObject({ error: 'invalid_grant' });
    expect(
      (await exchange(code, verifier, {}, basic('another-app', 'another-secret'))).body,
    ).toMatchObject({ error: 'invalid_grant' });
    expect((await exchange(code, verifier, {}, basic(DEMO_CLIENT_ID, 'wrong'))).status).toBe(401);
    const json = await fetch(`${sim.idBaseUrl}/authorize/token`, {
      method: 'POST',
      headers: { authorization: basic(), 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
        code_verifier: verifier,
      }),
    });
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({ error: 'invalid_request' });
    // Failed attempts did not spend the code.
    expect((await exchange(code, verifier)).status).toBe(200);
  });

  it('requires the verifier when a challenge was sent', async () => {
    const { challenge } = pkce();
    const code = (await authorize({ challenge })).searchParams.get('code')!;
    const res = await form(
      `${sim.idBaseUrl}/authorize/token`,
      { grant_type: 'authorization_code', code, redirect_uri: REDIRECT },
      { authorization: basic() },
    );
    expect(res.body).toMatchObject({ error: 'invalid_grant' });
  });

  it('shows an error page (no redirect) for an unknown client or an unregistered redirect_uri', async () => {
    const unknown = await fetch(
      authorizeUrl({
        response_type: 'code',
        client_id: 'nobody',
        redirect_uri: REDIRECT,
        scope: 'openid',
        state: 's',
      }),
      { redirect: 'manual' },
    );
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('client_id');
    const wrongUri = await fetch(
      authorizeUrl({
        response_type: 'code',
        client_id: DEMO_CLIENT_ID,
        redirect_uri: 'https://evil.example/cb',
        scope: 'openid',
        state: 's',
      }),
      { redirect: 'manual' },
    );
    expect(wrongUri.status).toBe(400);
    expect(wrongUri.headers.get('location')).toBeNull();
    const prefix = await fetch(
      authorizeUrl({
        response_type: 'code',
        client_id: DEMO_CLIENT_ID,
        redirect_uri: `${REDIRECT}/x`,
        scope: 'openid',
        state: 's',
      }),
      { redirect: 'manual' },
    );
    expect(prefix.status).toBe(400);
  });

  it.each([
    [{ state: '' }, 'invalid_request'],
    [{ response_type: 'token' }, 'unsupported_response_type'],
    [{ scope: 'openid pos.customers:read' }, 'invalid_scope'],
    [{ code_challenge: pkce().challenge, code_challenge_method: 'plain' }, 'invalid_request'],
    [{ code_challenge: pkce().challenge }, 'invalid_request'],
  ])('redirects back with an error for %j', async (overrides, error) => {
    const params: Record<string, string> = {
      response_type: 'code',
      client_id: DEMO_CLIENT_ID,
      redirect_uri: REDIRECT,
      scope: 'openid',
      state: 'st',
      ...overrides,
    };
    if (params.state === '') delete params.state;
    const res = await fetch(authorizeUrl(params), { redirect: 'manual' });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe(error);
  });

  it('a wrong password shows the login form again with an error; deny redirects access_denied', async () => {
    const page = await fetch(
      authorizeUrl({
        response_type: 'code',
        client_id: DEMO_CLIENT_ID,
        redirect_uri: REDIRECT,
        scope: 'openid',
        state: 'x',
      }),
    );
    const res = await form(`${sim.idBaseUrl}/authorize`, {
      step: 'login',
      transaction_id: transactionId(await page.text()),
      contract_id: DEMO_CONTRACT_ID,
      login_id: DEMO_LOGIN.loginId,
      password: 'wrong',
    });
    expect(res.status).toBe(401);
    expect(res.text).toContain('正しくありません');
    const denied = await authorize({ decision: 'deny', state: 'deny-state' });
    expect(denied.searchParams.get('error')).toBe('access_denied');
    expect(denied.searchParams.get('state')).toBe('deny-state');
  });

  it('refuses an app token on /userinfo (no openid) with 403 insufficient_scope', async () => {
    const t = await form<{ access_token: string }>(
      `${sim.idBaseUrl}/app/${DEMO_CONTRACT_ID}/token`,
      { grant_type: 'client_credentials', scope: 'pos.products:read' },
      { authorization: basic() },
    );
    const info = await fetch(`${sim.idBaseUrl}/userinfo`, {
      headers: { authorization: `Bearer ${t.body.access_token}` },
    });
    expect(info.status).toBe(403);
    expect(await info.json()).toMatchObject({ error: 'insufficient_scope' });
  });
});

describe('ID host: concurrent reuse of one code', () => {
  it('revokes the token of the first exchange even when both race', async () => {
    const sim = await start();
    try {
      const { verifier, challenge } = pkce();
      const url = new URL(`${sim.idBaseUrl}/authorize`);
      for (const [k, v] of Object.entries({
        response_type: 'code',
        client_id: DEMO_CLIENT_ID,
        redirect_uri: REDIRECT,
        scope: 'openid pos.products:read',
        state: 's',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      })) {
        url.searchParams.set(k, v);
      }
      const login = await (await fetch(url)).text();
      const consent = await form(`${sim.idBaseUrl}/authorize`, {
        step: 'login',
        transaction_id: transactionId(login),
        contract_id: DEMO_CONTRACT_ID,
        login_id: DEMO_LOGIN.loginId,
        password: DEMO_LOGIN.password,
      });
      const done = await form(`${sim.idBaseUrl}/authorize`, {
        step: 'consent',
        transaction_id: transactionId(consent.text),
        decision: 'allow',
      });
      const code = new URL(done.headers.get('location')!).searchParams.get('code')!;
      const fields = {
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
        code_verifier: verifier,
      };
      const results = await Promise.all(
        [1, 2].map(() =>
          form<Record<string, string>>(`${sim.idBaseUrl}/authorize/token`, fields, {
            authorization: basic(),
          }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, 400]);
      const issued = results.find((r) => r.status === 200)!.body.access_token!;
      expect((await api(sim, issued, 'GET', '/pos/products?limit=1')).status).toBe(401);
    } finally {
      await sim.close();
    }
  });
});
