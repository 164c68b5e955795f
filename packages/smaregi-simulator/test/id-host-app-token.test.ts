import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_APP_SCOPES,
  DEMO_CONTRACT_ID,
  OIDC_SCOPES,
  type RunningSimulator,
} from '../src/index.js';
import { basic, DEMO_APP_TOKEN_SCOPES, form, manualClock, start } from './helpers.js';

describe('ID host: POST /app/{contract_id}/token (client credentials)', () => {
  let sim: RunningSimulator;
  const clock = manualClock();
  beforeAll(async () => {
    sim = await start({ now: clock.now });
  });
  afterAll(() => sim.close());

  const url = (contract = DEMO_CONTRACT_ID) => `${sim.idBaseUrl}/app/${contract}/token`;

  it('answers 400 invalid_request when scope is missing or empty (docs/smaregi-wire.md §2.1)', async () => {
    const missing: Record<string, string>[] = [
      { grant_type: 'client_credentials' },
      { grant_type: 'client_credentials', scope: '  ' },
    ];
    for (const fields of missing) {
      const res = await form(url(), fields, { authorization: basic() });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: 'invalid_request' });
      expect(String((res.body as { error_description: string }).error_description)).toContain(
        'scope',
      );
    }
  });

  it('grants every scope the app has and the contract approved when all are asked for', async () => {
    const res = await form<Record<string, unknown>>(
      url(),
      { grant_type: 'client_credentials', scope: DEMO_APP_TOKEN_SCOPES },
      { authorization: basic() },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(Object.keys(res.body).sort()).toEqual([
      'access_token',
      'expires_in',
      'scope',
      'token_type',
    ]);
    expect(res.body.token_type).toBe('Bearer');
    expect(res.body.expires_in).toBe(3600);
    const expected = DEMO_APP_SCOPES.filter((s) => !(OIDC_SCOPES as readonly string[]).includes(s));
    expect(String(res.body.scope).split(' ')).toEqual(expected);
    const claims = decodeJwt(String(res.body.access_token));
    expect(claims.sub).toBe(DEMO_CONTRACT_ID);
    expect(claims.aud).toBe('renkei-demo-client');
    expect(claims.exp! - claims.iat!).toBe(3600);
    expect(claims.nbf).toBe(claims.iat);
    expect(claims.iat).toBe(Math.floor(clock.now().getTime() / 1000));
    expect(claims.scopes).toEqual(expected);
    expect(typeof claims.jti).toBe('string');
  });

  it('grants exactly the requested scopes', async () => {
    const res = await form<{ scope: string }>(
      url(),
      { grant_type: 'client_credentials', scope: 'pos.products:read pos.stock:read' },
      { authorization: basic() },
    );
    expect(res.status).toBe(200);
    expect(res.body.scope).toBe('pos.products:read pos.stock:read');
  });

  it('refuses a scope the app does not have (invalid_scope)', async () => {
    const res = await form(
      url(),
      { grant_type: 'client_credentials', scope: 'pos.products:read pos.customers:write' },
      { authorization: basic() },
    );
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'invalid_scope' });
    expect(String((res.body as { error_description: string }).error_description)).toContain(
      'pos.customers:write',
    );
  });

  it('leaves out scopes the contract has not approved, and refuses when none is left', async () => {
    sim.control.addContract({ contractId: 'sb_limited', scopes: ['pos.products:read'] });
    const ok = await form(
      url('sb_limited'),
      { grant_type: 'client_credentials', scope: 'pos.products:read pos.stock:read' },
      { authorization: basic() },
    );
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ scope: 'pos.products:read' });
    const res = await form(
      url('sb_limited'),
      { grant_type: 'client_credentials', scope: 'pos.stock:read' },
      { authorization: basic() },
    );
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'invalid_scope' });
  });

  it('accepts client_id / client_secret in the form body (RFC 6749 §2.3.1), not both methods', async () => {
    const fields = { grant_type: 'client_credentials', scope: 'pos.products:read' };
    const ok = await form(url(), {
      ...fields,
      client_id: 'renkei-demo-client',
      client_secret: 'renkei-demo-secret',
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ scope: 'pos.products:read' });
    const wrong = await form(url(), {
      ...fields,
      client_id: 'renkei-demo-client',
      client_secret: 'nope',
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ error: 'invalid_client' });
    const both = await form(
      url(),
      { ...fields, client_id: 'renkei-demo-client', client_secret: 'renkei-demo-secret' },
      { authorization: basic() },
    );
    expect(both.status).toBe(400);
    expect(both.body).toMatchObject({ error: 'invalid_request' });
  });

  it('refuses OpenID scopes on client credentials', async () => {
    const res = await form(
      url(),
      { grant_type: 'client_credentials', scope: 'openid' },
      { authorization: basic() },
    );
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'invalid_scope' });
  });

  it('answers 401 invalid_client without Basic auth or with a wrong secret', async () => {
    const none = await form(url(), { grant_type: 'client_credentials', scope: 'pos.stock:read' });
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ error: 'invalid_client' });
    expect(none.headers.get('www-authenticate')).toContain('Basic');
    const wrong = await form(
      url(),
      { grant_type: 'client_credentials' },
      { authorization: basic('renkei-demo-client', 'nope') },
    );
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ error: 'invalid_client' });
    const unknown = await form(
      url(),
      { grant_type: 'client_credentials' },
      { authorization: basic('someone-else', 'x') },
    );
    expect(unknown.status).toBe(401);
  });

  it('refuses a contract that does not use the app (unauthorized_client)', async () => {
    const res = await form(
      url('sb_nobody'),
      { grant_type: 'client_credentials', scope: 'pos.stock:read' },
      { authorization: basic() },
    );
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'unauthorized_client' });
  });

  it('refuses other grant types and non-form bodies', async () => {
    const res = await form(url(), { grant_type: 'password' }, { authorization: basic() });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'unsupported_grant_type' });
    const json = await fetch(url(), {
      method: 'POST',
      headers: { authorization: basic(), 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials' }),
    });
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('journals token requests on the ID host with client and contract', () => {
    const entries = sim.control.journal({
      host: 'id',
      pathPrefix: `/app/${DEMO_CONTRACT_ID}/token`,
    });
    expect(entries.length).toBeGreaterThan(3);
    expect(entries.find((e) => e.status === 200)).toMatchObject({
      host: 'id',
      method: 'POST',
      clientId: 'renkei-demo-client',
      contractId: DEMO_CONTRACT_ID,
      status: 200,
      fault: null,
    });
  });
});
