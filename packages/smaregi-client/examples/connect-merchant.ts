/**
 * Task 1: connect a merchant (連携開始).
 *
 * The merchant clicks [認証] in Renkei, logs in to Smaregi and presses 許可; Renkei exchanges the
 * code, learns the contract ID from /userinfo and from then on calls the API with an app token.
 * Against the simulator, `fetch` plays the merchant's browser on the login and 許可 forms.
 *
 *   pnpm --filter @renkei/smaregi-client exec tsx examples/connect-merchant.ts
 */
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_LOGIN,
  startSimulator,
} from '@renkei/smaregi-simulator';
import { createPkcePair, createSmaregiClient, createState } from '../src/index.js';

const REDIRECT_URI = 'http://localhost:3000/api/smaregi/callback';
const sim = await startSimulator({ redirectUris: [REDIRECT_URI] });
try {
  const smaregi = createSmaregiClient({
    environment: { idBaseUrl: sim.idBaseUrl, apiBaseUrl: sim.apiBaseUrl }, // or 'sandbox'
    clientId: DEMO_CLIENT_ID,
    clientSecret: DEMO_CLIENT_SECRET,
  });

  // 1. Renkei: remember state + verifier in the session, send the browser to Smaregi.
  const { codeVerifier, codeChallenge } = createPkcePair();
  const state = createState();
  const authorizeUrl = smaregi.auth.buildAuthorizeUrl({
    redirectUri: REDIRECT_URI,
    scopes: ['openid', 'offline_access', 'pos.products:read'],
    state,
    codeChallenge,
  });

  // 2. The merchant's browser: login form, then the 許可 screen (simulated with fetch).
  const callback = await browserLogsInAndAllows(authorizeUrl);

  // 3. Renkei's callback: check state, exchange the code, learn the contract ID.
  if (callback.searchParams.get('state') !== state) throw new Error('state mismatch: refuse');
  const userTokens = await smaregi.auth.exchangeCode({
    code: callback.searchParams.get('code') ?? '',
    redirectUri: REDIRECT_URI,
    codeVerifier,
  });
  const userInfo = await smaregi.auth.getUserInfo(userTokens.accessToken);
  const contractId = userInfo.contract.id;
  console.log(`connected contract ${contractId} (user ${userInfo.name ?? userInfo.sub})`);
  console.log(
    `refresh token received: ${userTokens.refreshToken ? 'yes (store it encrypted)' : 'no'}`,
  );

  // 4. From now on: server-to-server calls with the contract's app token (fetched and cached).
  const stores = await smaregi.forContract(contractId).pos.stores.list();
  console.log(`POS stores: ${stores.map((s) => `${s.storeId}:${s.storeName}`).join(', ')}`);
} finally {
  await sim.close();
}

async function browserLogsInAndAllows(authorizeUrl: string): Promise<URL> {
  const txnOf = (html: string): string =>
    /name="transaction_id" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const login = await (await fetch(authorizeUrl)).text();
  const consent = await (
    await fetch(`${sim.idBaseUrl}/authorize`, {
      method: 'POST',
      body: new URLSearchParams({
        step: 'login',
        transaction_id: txnOf(login),
        contract_id: DEMO_LOGIN.contractId,
        login_id: DEMO_LOGIN.loginId,
        password: DEMO_LOGIN.password,
      }),
    })
  ).text();
  const allowed = await fetch(`${sim.idBaseUrl}/authorize`, {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams({
      step: 'consent',
      transaction_id: txnOf(consent),
      decision: 'allow',
    }),
  });
  return new URL(allowed.headers.get('location') ?? '');
}
