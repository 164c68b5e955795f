import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_CONTRACT_ID,
  DEMO_LOGIN,
  type RunningSimulator,
} from '../src/index.js';
import { form, start } from './helpers.js';

/**
 * The simulator's OAuth endpoints driven by oauth4webapi, a standards-following OAuth 2.0 /
 * OpenID Connect client (RFC 6749, RFC 7636, OIDC Core), instead of Renkei's own client: the
 * simulator is checked against the standard, not only against ourselves (issue 13 item 8).
 */
const REDIRECT = 'http://localhost:3000/api/smaregi/callback';
const insecure = { [oauth.allowInsecureRequests]: true } as const;

describe('OAuth conformance (oauth4webapi)', () => {
  let sim: RunningSimulator;
  let as: oauth.AuthorizationServer;
  const client: oauth.Client = { client_id: DEMO_CLIENT_ID };
  beforeAll(async () => {
    sim = await start({ redirectUris: [REDIRECT] });
    as = {
      // The `iss` of the simulator's ID tokens (docs/smaregi-wire.md §2.2: modeled).
      issuer: 'smaregi-simulator',
      authorization_endpoint: `${sim.idBaseUrl}/authorize`,
      token_endpoint: `${sim.idBaseUrl}/authorize/token`,
      userinfo_endpoint: `${sim.idBaseUrl}/userinfo`,
    };
  });
  afterAll(() => sim.close());

  /** The app-token endpoint of a contract as an authorization server of its own. */
  const appTokenServer = (): oauth.AuthorizationServer => ({
    issuer: 'smaregi-simulator',
    token_endpoint: `${sim.idBaseUrl}/app/${DEMO_CONTRACT_ID}/token`,
  });

  it.each([
    ['client_secret_basic', oauth.ClientSecretBasic(DEMO_CLIENT_SECRET)],
    ['client_secret_post', oauth.ClientSecretPost(DEMO_CLIENT_SECRET)],
  ] as const)(
    'client credentials with %s and a scope: a Bearer token with the granted scope',
    async (_name, auth) => {
      const response = await oauth.clientCredentialsGrantRequest(
        appTokenServer(),
        client,
        auth,
        { scope: 'pos.products:read order-shipment.orders:read' },
        insecure,
      );
      const tokens = await oauth.processClientCredentialsResponse(
        appTokenServer(),
        client,
        response,
      );
      expect(tokens.token_type).toBe('bearer');
      expect(tokens.expires_in).toBe(3600);
      expect(tokens.scope).toBe('pos.products:read order-shipment.orders:read');
    },
  );

  it('client credentials without scope: an RFC 6749 invalid_request error body', async () => {
    const response = await oauth.clientCredentialsGrantRequest(
      appTokenServer(),
      client,
      oauth.ClientSecretBasic(DEMO_CLIENT_SECRET),
      {},
      insecure,
    );
    const error = await oauth
      .processClientCredentialsResponse(appTokenServer(), client, response)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(oauth.ResponseBodyError);
    expect((error as oauth.ResponseBodyError).error).toBe('invalid_request');
    expect((error as oauth.ResponseBodyError).status).toBe(400);
  });

  it('a wrong secret: invalid_client with WWW-Authenticate', async () => {
    const response = await oauth.clientCredentialsGrantRequest(
      appTokenServer(),
      client,
      oauth.ClientSecretBasic('wrong'),
      { scope: 'pos.products:read' },
      insecure,
    );
    const error = await oauth
      .processClientCredentialsResponse(appTokenServer(), client, response)
      .catch((e: unknown) => e);
    // RFC 6749 §5.2: 401 with a WWW-Authenticate challenge of the scheme the client used.
    expect(error).toBeInstanceOf(oauth.WWWAuthenticateChallengeError);
    const challenge = error as oauth.WWWAuthenticateChallengeError;
    expect(challenge.status).toBe(401);
    expect(challenge.cause[0]?.scheme).toBe('basic');
    expect(await challenge.response.json()).toMatchObject({ error: 'invalid_client' });
  });

  /** Walks the simulator's login and 許可 pages (its own, modeled) from an authorize URL. */
  async function consent(authorizeUrl: URL): Promise<URL> {
    const page = await fetch(authorizeUrl);
    const html = await page.text();
    const tx = (text: string) => /name="transaction_id" value="([^"]+)"/.exec(text)?.[1] ?? '';
    const login = await form(`${sim.idBaseUrl}/authorize`, {
      step: 'login',
      transaction_id: tx(html),
      contract_id: DEMO_LOGIN.contractId,
      login_id: DEMO_LOGIN.loginId,
      password: DEMO_LOGIN.password,
    });
    const done = await form(`${sim.idBaseUrl}/authorize`, {
      step: 'consent',
      transaction_id: tx(login.text),
      decision: 'allow',
    });
    expect(done.status).toBe(302);
    return new URL(done.headers.get('location')!);
  }

  it.each([
    ['client_secret_basic', () => oauth.ClientSecretBasic(DEMO_CLIENT_SECRET)],
    ['client_secret_post', () => oauth.ClientSecretPost(DEMO_CLIENT_SECRET)],
  ] as const)(
    'authorization code + PKCE S256 + nonce (%s), ID token, userinfo and refresh',
    async (_name, auth) => {
      const verifier = oauth.generateRandomCodeVerifier();
      const state = oauth.generateRandomState();
      const nonce = oauth.generateRandomNonce();
      const url = new URL(as.authorization_endpoint!);
      url.search = new URLSearchParams({
        response_type: 'code',
        client_id: client.client_id,
        redirect_uri: REDIRECT,
        scope: 'openid email offline_access pos.products:read',
        state,
        nonce,
        code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      }).toString();
      const callback = await consent(url);
      const params = oauth.validateAuthResponse(as, client, callback, state);

      const response = await oauth.authorizationCodeGrantRequest(
        as,
        client,
        auth(),
        params,
        REDIRECT,
        verifier,
        insecure,
      );
      const tokens = await oauth.processAuthorizationCodeResponse(as, client, response, {
        expectedNonce: nonce,
        requireIdToken: true,
      });
      expect(tokens.refresh_token).toEqual(expect.any(String));
      const claims = oauth.getValidatedIdTokenClaims(tokens)!;
      expect(claims.aud).toBe(DEMO_CLIENT_ID);

      // OIDC Core §5.3.2: the UserInfo `sub` must be the ID token's `sub`.
      const info = await oauth.processUserInfoResponse(
        as,
        client,
        claims.sub,
        await oauth.userInfoRequest(as, client, tokens.access_token, insecure),
      );
      expect(info).toMatchObject({ contract: { id: DEMO_CONTRACT_ID } });

      const refreshed = await oauth.processRefreshTokenResponse(
        as,
        client,
        await oauth.refreshTokenGrantRequest(as, client, auth(), tokens.refresh_token!, insecure),
      );
      expect(refreshed.access_token).not.toBe(tokens.access_token);

      // RFC 6749 §4.1.2: the code is single-use.
      const again = await oauth.authorizationCodeGrantRequest(
        as,
        client,
        auth(),
        params,
        REDIRECT,
        verifier,
        insecure,
      );
      const reuse = await oauth
        .processAuthorizationCodeResponse(as, client, again)
        .catch((e: unknown) => e);
      expect((reuse as oauth.ResponseBodyError).error).toBe('invalid_grant');
    },
  );

  it('a wrong PKCE verifier is invalid_grant', async () => {
    const state = oauth.generateRandomState();
    const url = new URL(as.authorization_endpoint!);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: client.client_id,
      redirect_uri: REDIRECT,
      scope: 'openid',
      state,
      code_challenge: await oauth.calculatePKCECodeChallenge(oauth.generateRandomCodeVerifier()),
      code_challenge_method: 'S256',
    }).toString();
    const params = oauth.validateAuthResponse(as, client, await consent(url), state);
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      oauth.ClientSecretBasic(DEMO_CLIENT_SECRET),
      params,
      REDIRECT,
      oauth.generateRandomCodeVerifier(),
      insecure,
    );
    const error = await oauth
      .processAuthorizationCodeResponse(as, client, response)
      .catch((e: unknown) => e);
    expect((error as oauth.ResponseBodyError).error).toBe('invalid_grant');
  });
});
