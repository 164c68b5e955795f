import { randomBytes } from 'node:crypto';
import type { Express } from 'express';
import { notes } from '../control/request-notes.js';
import type { SimulatorContext } from '../context.js';
import type { AppRegistration } from '../state/contract.js';
import { consentPage, errorPage, loginPage } from './html.js';
import { isOidcScope, redirectWith, single } from './oauth.js';

/**
 * `GET /authorize` (login form, then the 許可 screen) and its form posts (docs/smaregi-wire.md §2.2
 * [CODE]). Checks client_id, the exact redirect_uri, state and PKCE S256; the login and consent
 * pages are modeled on Smaregi's.
 */
/** Modeled: an unfinished login/consent transaction lives 30 minutes. */
const TRANSACTION_TTL_MS = 30 * 60 * 1000;

interface PendingAuthorization {
  transactionId: string;
  app: AppRegistration;
  redirectUri: string;
  state: string;
  scopes: string[];
  codeChallenge: string | null;
  nonce: string | null;
  expMs: number;
  contractId: string | null;
  userId: string | null;
  userName: string | null;
}

/**
 * Registers the authorization endpoint. `nonces` carries the OIDC nonce of each issued code to
 * the token endpoint.
 */
export function registerAuthorizeRoutes(
  app: Express,
  ctx: SimulatorContext,
  nonces: Map<string, string>,
): void {
  const pending = new Map<string, PendingAuthorization>();

  app.get('/authorize', (req, res) => {
    const q = req.query as Record<string, unknown>;
    const clientId = single(q.client_id);
    notes(res).clientId = clientId ?? null;
    const client = clientId ? ctx.platform.apps.get(clientId) : undefined;
    if (!client) {
      res.status(400).type('html').send(errorPage('client_id が正しくありません'));
      return;
    }
    const redirectUri = single(q.redirect_uri);
    if (!redirectUri || !client.redirectUris.includes(redirectUri)) {
      res
        .status(400)
        .type('html')
        .send(errorPage('redirect_uri がアプリに登録されたURIと一致しません'));
      return;
    }
    const state = single(q.state);
    const fail = (error: string, description: string): void =>
      redirectWith(res, redirectUri, {
        error,
        error_description: description,
        ...(state ? { state } : {}),
      });
    if (single(q.response_type) !== 'code') {
      fail('unsupported_response_type', 'response_type は code を指定してください');
      return;
    }
    if (!state) {
      fail('invalid_request', 'state を指定してください');
      return;
    }
    const scopes = (single(q.scope) ?? '').split(' ').filter((s) => s !== '');
    if (scopes.length === 0) {
      fail('invalid_scope', 'scope を指定してください');
      return;
    }
    const unknown = scopes.filter((s) => !client.scopes.includes(s));
    if (unknown.length > 0) {
      fail('invalid_scope', `アプリに設定されていないスコープです: ${unknown.join(' ')}`);
      return;
    }
    const challenge = single(q.code_challenge);
    const method = single(q.code_challenge_method);
    if (method !== undefined && method !== 'S256') {
      fail('invalid_request', 'code_challenge_method は S256 を指定してください');
      return;
    }
    if (challenge !== undefined && !/^[A-Za-z0-9\-._~]{43,128}$/.test(challenge)) {
      fail('invalid_request', 'code_challenge の形式が正しくありません');
      return;
    }
    if (challenge !== undefined && method === undefined) {
      // RFC 7636 would default to "plain", which the simulator (like a careful server) refuses.
      fail('invalid_request', 'code_challenge_method は S256 を指定してください');
      return;
    }
    const transactionId = randomBytes(16).toString('base64url');
    // Forget abandoned logins so the map stays small.
    for (const [id, t] of pending) if (t.expMs <= ctx.now().getTime()) pending.delete(id);
    pending.set(transactionId, {
      transactionId,
      app: client,
      redirectUri,
      state,
      scopes,
      codeChallenge: challenge ?? null,
      nonce: single(q.nonce) ?? null,
      expMs: ctx.now().getTime() + TRANSACTION_TTL_MS,
      contractId: null,
      userId: null,
      userName: null,
    });
    res.type('html').send(loginPage({ transactionId, appName: client.name }));
  });

  app.post('/authorize', (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const txn = pending.get(single(body.transaction_id) ?? '');
    if (!txn || txn.expMs <= ctx.now().getTime()) {
      res
        .status(400)
        .type('html')
        .send(errorPage('認可リクエストが見つからないか期限切れです。最初からやり直してください'));
      return;
    }
    notes(res).clientId = txn.app.clientId;
    const step = single(body.step);
    if (step === 'login') {
      const contractId = single(body.contract_id) ?? '';
      const loginId = single(body.login_id) ?? '';
      const password = single(body.password) ?? '';
      const contract = ctx.platform.contract(contractId);
      const user = contract?.users.get(loginId);
      if (!contract || !user || user.password !== password) {
        res
          .status(401)
          .type('html')
          .send(
            loginPage({
              transactionId: txn.transactionId,
              appName: txn.app.name,
              error: '契約ID、ログインIDまたはパスワードが正しくありません',
              contractId,
              loginId,
            }),
          );
        return;
      }
      notes(res).contractId = contractId;
      const approved = ctx.platform.approvedScopes(contractId, txn.app.clientId);
      if (!approved) {
        pending.delete(txn.transactionId);
        redirectWith(res, txn.redirectUri, {
          error: 'access_denied',
          error_description: 'この契約ではアプリが利用されていません',
          state: txn.state,
        });
        return;
      }
      const notApproved = txn.scopes.filter((s) => !isOidcScope(s) && !approved.includes(s));
      if (notApproved.length > 0) {
        pending.delete(txn.transactionId);
        redirectWith(res, txn.redirectUri, {
          error: 'invalid_scope',
          error_description: `契約で承認されていないスコープです: ${notApproved.join(' ')}`,
          state: txn.state,
        });
        return;
      }
      txn.contractId = contractId;
      txn.userId = user.userId;
      txn.userName = user.name;
      res.type('html').send(
        consentPage({
          transactionId: txn.transactionId,
          appName: txn.app.name,
          contractId,
          userName: user.name,
          scopes: txn.scopes,
        }),
      );
      return;
    }
    if (step === 'consent' && txn.contractId && txn.userId) {
      notes(res).contractId = txn.contractId;
      pending.delete(txn.transactionId);
      if (single(body.decision) !== 'allow') {
        redirectWith(res, txn.redirectUri, {
          error: 'access_denied',
          error_description: 'ユーザーが許可しませんでした',
          state: txn.state,
        });
        return;
      }
      const code = ctx.tokens.createCode({
        clientId: txn.app.clientId,
        redirectUri: txn.redirectUri,
        contractId: txn.contractId,
        userId: txn.userId,
        scopes: txn.scopes,
        codeChallenge: txn.codeChallenge,
      });
      if (txn.nonce) nonces.set(code.code, txn.nonce);
      redirectWith(res, txn.redirectUri, { code: code.code, state: txn.state });
      return;
    }
    res.status(400).type('html').send(errorPage('リクエストが正しくありません'));
  });
}
