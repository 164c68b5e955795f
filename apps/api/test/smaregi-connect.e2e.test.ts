import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { AuditEntry, forkEm, Job, SmaregiToken, WebhookEvent } from '@renkei/persistence';
import { testDialects } from '@renkei/persistence/testing';
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_CONTRACT_ID,
  DEMO_LOGIN,
  DEMO_PRODUCT_CODES,
  DEMO_STORE_IDS,
  startSimulator,
  type RunningSimulator,
} from '@renkei/smaregi-simulator';
import type { TRPCError } from '@trpc/server';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  seedTenant,
  signedInCaller,
  type SeededTenant,
  type TestApp,
} from './helpers.js';

const WEBHOOK_HEADER = 'x-renkei-webhook-secret';
const WEBHOOK_SECRET = 'test-webhook-secret-0123456789';

/** Plays the merchant's browser on the simulator's login and consent pages; returns the callback query. */
async function consentInSimulator(
  sim: RunningSimulator,
  authorizeUrl: string,
): Promise<URLSearchParams> {
  const txn = (html: string) => /name="transaction_id" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const loginPage = await (await fetch(authorizeUrl)).text();
  const consentPage = await (
    await fetch(`${sim.idBaseUrl}/authorize`, {
      method: 'POST',
      body: new URLSearchParams({
        step: 'login',
        transaction_id: txn(loginPage),
        contract_id: DEMO_LOGIN.contractId,
        login_id: DEMO_LOGIN.loginId,
        password: DEMO_LOGIN.password,
      }),
    })
  ).text();
  const redirect = await fetch(`${sim.idBaseUrl}/authorize`, {
    method: 'POST',
    body: new URLSearchParams({
      step: 'consent',
      transaction_id: txn(consentPage),
      decision: 'allow',
    }),
    redirect: 'manual',
  });
  const location = new URL(redirect.headers.get('location') ?? '');
  expect(location.pathname).toBe('/api/smaregi/callback');
  return location.searchParams;
}

describe.each(testDialects())(
  'Smaregi connection end to end against the simulator (%s)',
  (dialect) => {
    let sim: RunningSimulator;
    let t: TestApp;
    let a: SeededTenant;
    let b: SeededTenant;
    let server: Server;
    let tokenA = '';
    let tokenB = '';

    beforeAll(async () => {
      sim = await startSimulator({ seed: 7 });
      t = await createTestApp(dialect, {
        SMAREGI_ID_BASE_URL: sim.idBaseUrl,
        SMAREGI_API_BASE_URL: sim.apiBaseUrl,
        SMAREGI_CLIENT_ID: DEMO_CLIENT_ID,
        SMAREGI_CLIENT_SECRET: DEMO_CLIENT_SECRET,
        SMAREGI_WEBHOOK_HEADER: WEBHOOK_HEADER,
        SMAREGI_WEBHOOK_SECRET: WEBHOOK_SECRET,
      });
      a = await seedTenant(t.deps, 'A');
      b = await seedTenant(t.deps, 'B');
      tokenB = (await signedInCaller(t.deps, b)).token;
      server = t.app.listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      const port = (server.address() as AddressInfo).port;
      sim.control.setWebhookEndpoint({
        url: `http://127.0.0.1:${port}/webhooks/smaregi`,
        secretHeaderName: WEBHOOK_HEADER,
        secretHeaderValue: WEBHOOK_SECRET,
      });
      sim.control.setAppSubscriptionUrl(
        `http://127.0.0.1:${port}/webhooks/smaregi/app-subscription`,
      );
    });
    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
      await sim.close();
      await t.close();
    });

    const callback = (query: URLSearchParams, sessionToken: string) =>
      request(t.app)
        .get(`/api/smaregi/callback?${query.toString()}`)
        .set('Cookie', `renkei_session=${sessionToken}`);
    const tokens = () =>
      forkEm(t.deps.orm).find(SmaregiToken, { tenant: a.tenantId }, { orderBy: { kind: 'asc' } });
    const rejections = async (tenantId: string) =>
      (
        await forkEm(t.deps.orm).find(AuditEntry, {
          tenant: tenantId,
          action: 'connection.callbackRejected',
        })
      ).map((e) => (e.after as { reason: string }).reason);

    it('starts 未認証, refuses a callback from another session, then connects (有効化済み) with encrypted tokens', async () => {
      const { caller, token } = await signedInCaller(t.deps, a);
      tokenA = token;
      expect((await caller.connection.status()).label.ja).toBe('未認証');

      // A callback carried to a different admin session (e.g. a link sent to a victim) stores nothing.
      const stolen = await consentInSimulator(sim, (await caller.connection.start()).authorizeUrl);
      const refused = await callback(stolen, tokenB);
      expect(refused.status).toBe(303);
      expect(refused.headers.location).toContain('reason=wrongSession');
      expect(await tokens()).toHaveLength(0);

      const { authorizeUrl } = await caller.connection.start();
      const url = new URL(authorizeUrl);
      expect(url.searchParams.get('code_challenge_method')).toBe('S256');
      expect(url.searchParams.get('redirect_uri')).toBe(
        'http://localhost:3000/api/smaregi/callback',
      );
      const query = await consentInSimulator(sim, authorizeUrl);
      const res = await callback(query, tokenA);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(
        'http://localhost:3000/settings/connection?smaregi=connected',
      );

      const status = await caller.connection.status();
      expect(status).toMatchObject({ status: 'active', contractId: DEMO_CONTRACT_ID });
      expect(status.label.ja).toBe('有効化済み');
      expect(status.scopes).toContain('order-shipment.orders:write');
      expect(status.connectedAt).not.toBeNull();
      expect(status.authorizedBy).toBe(a.email); // the admin whose session gave the consent
      const connected = await forkEm(t.deps.orm).findOneOrFail(AuditEntry, {
        tenant: a.tenantId,
        action: 'connection.connected',
      });
      expect(connected.actorLabel).toBe(a.email);

      const rows = await tokens();
      expect(rows.map((r) => r.kind)).toEqual(['appAccess', 'userAccess', 'userRefresh']);
      for (const row of rows) {
        expect(row.ciphertext).not.toMatch(/^eyJ/); // never a plaintext JWT at rest
        expect(t.deps.vault.decrypt(row.ciphertext, row.keyId, a.tenantId).length).toBeGreaterThan(
          10,
        );
        expect(() => t.deps.vault.decrypt(row.ciphertext, row.keyId, b.tenantId)).toThrow();
      }

      // Replaying the same callback stores nothing and leaves an audit entry.
      const before = (await tokens()).map((r) => r.ciphertext);
      const replay = await callback(query, tokenA);
      expect(replay.headers.location).toContain('reason=replayed');
      expect((await tokens()).map((r) => r.ciphertext)).toEqual(before);
      expect(await rejections(a.tenantId)).toEqual(
        expect.arrayContaining(['wrongSession', 'replayed']),
      );
    });

    it('returns to the admin origin the flow started from when it is an allowed one, else to the configured one', async () => {
      const { caller, token } = await signedInCaller(t.deps, a);
      // The admin's dev server (pnpm start): the cookie lives on 127.0.0.1:5173, so must the callback.
      const fromDevServer = await caller.connection.start({ origin: 'http://127.0.0.1:5173' });
      expect(new URL(fromDevServer.authorizeUrl).searchParams.get('redirect_uri')).toBe(
        'http://127.0.0.1:5173/api/smaregi/callback',
      );
      const query = await consentInSimulator(sim, fromDevServer.authorizeUrl);
      const res = await callback(query, token);
      expect(res.headers.location).toBe(
        'http://127.0.0.1:5173/settings/connection?smaregi=connected',
      );
      const replay = await callback(query, token);
      expect(replay.headers.location).toBe(
        'http://127.0.0.1:5173/settings/connection?smaregi=error&reason=replayed',
      );
      expect((await caller.connection.status()).authorizedBy).toBe(a.email);

      // An origin nobody configured is ignored: Smaregi is never told to send the browser there.
      const foreign = await caller.connection.start({ origin: 'https://evil.example' });
      expect(new URL(foreign.authorizeUrl).searchParams.get('redirect_uri')).toBe(
        'http://localhost:3000/api/smaregi/callback',
      );
      const own = await caller.connection.start({ origin: 'http://localhost:3000' });
      expect(new URL(own.authorizeUrl).searchParams.get('redirect_uri')).toBe(
        'http://localhost:3000/api/smaregi/callback',
      );
      const garbage = await caller.connection.start({ origin: 'not a url' });
      expect(new URL(garbage.authorizeUrl).searchParams.get('redirect_uri')).toBe(
        'http://localhost:3000/api/smaregi/callback',
      );
    });

    it('refuses a forged state and a missing state, storing nothing', async () => {
      const before = (await tokens()).map((r) => r.ciphertext);
      const forged = await callback(
        new URLSearchParams({ code: 'x', state: 'forged-state' }),
        tokenA,
      );
      expect(forged.headers.location).toBe(
        'http://localhost:3000/settings/connection?smaregi=error&reason=unknownState',
      );
      const missing = await callback(new URLSearchParams({ code: 'x' }), tokenA);
      expect(missing.headers.location).toContain('reason=missingParameters');
      expect((await tokens()).map((r) => r.ciphertext)).toEqual(before);
      expect(await rejections(a.tenantId)).toEqual(
        expect.arrayContaining(['unknownState', 'missingParameters']),
      );
    });

    it('reads live lists through the client and maps a shop and a payment method from them', async () => {
      const { caller } = await signedInCaller(t.deps, a);
      const stores = await caller.shops.orderStores();
      expect(stores.length).toBeGreaterThanOrEqual(2);
      const store = stores[0]!;
      const shop = await caller.shops.update({
        id: a.shopId,
        name: '楽天市場店',
        mallKind: 'rakuten',
        taxMode: 'included',
        orderStoreId: store.storeId,
      });
      expect(shop.orderStoreName).toBe(store.storeName);
      const notAStore = await caller.shops
        .update({
          id: a.shopId,
          name: '楽天市場店',
          mallKind: 'rakuten',
          taxMode: 'included',
          orderStoreId: DEMO_STORE_IDS.shibuya,
        })
        .catch((e: unknown) => e);
      expect((notAStore as { code: string }).code).toBe('BAD_REQUEST');

      const methods = await caller.paymentMethods.smaregiList();
      expect(methods.length).toBeGreaterThan(0);
      const mapped = await caller.paymentMethods.update({
        id: a.paymentMethodId,
        name: 'クレジットカード',
        smaregiPaymentMethodId: methods[0]!.paymentMethodId,
      });
      expect(mapped.smaregiPaymentMethodName).toBe(methods[0]!.paymentMethodName);

      const readiness = await caller.readiness.get();
      expect(readiness.liveError).toBeNull();
      expect(readiness.items.find((i) => i.id === 'connection')?.passed).toBe(true);
      expect(readiness.items.find((i) => i.id === 'shopsMapped')?.passed).toBe(true);

      // 商品連携設定 [連携しない] (the default): no import, and the error says which setting.
      const refused = await caller.products.startImport().catch((e: unknown) => e);
      expect((refused as { code: string }).code).toBe('PRECONDITION_FAILED');
      expect((refused as Error).message).toMatch(/商品連携設定|Product sync/);
      await caller.settings.update({ productSyncEnabled: true });
      const imported = await caller.products.startImport();
      expect(imported.alreadyRunning).toBe(false);
      expect((await caller.products.startImport()).run.id).toBe(imported.run.id);
    });

    it('checks product codes against Smaregi when they are saved', async () => {
      const { caller } = await signedInCaller(t.deps, a);
      const saved = await caller.settings.update({
        dummyProductCode: DEMO_PRODUCT_CODES.dummy,
        adjustmentProductCode: DEMO_PRODUCT_CODES.adjustment,
      });
      expect(saved).toMatchObject({
        dummyProductCode: DEMO_PRODUCT_CODES.dummy,
        adjustmentProductCode: DEMO_PRODUCT_CODES.adjustment,
      });
      const unknown = (await caller.settings
        .update({ dummyProductCode: 'NO-SUCH-PRODUCT' })
        .catch((e: unknown) => e)) as TRPCError;
      expect(unknown.code).toBe('BAD_REQUEST');
      const { fieldErrors } = unknown.cause as unknown as {
        fieldErrors: { path: string; message: { ja: string; en: string } }[];
      };
      expect(fieldErrors).toEqual([
        {
          path: 'dummyProductCode',
          message: {
            ja: 'ダミー商品番号「NO-SUCH-PRODUCT」の商品がスマレジにありません。スマレジに商品を登録してから設定してください',
            en: 'Smaregi has no product with the dummy product code "NO-SUCH-PRODUCT"; register the product in Smaregi first',
          },
        },
      ]);
      expect((await caller.settings.get()).dummyProductCode).toBe(DEMO_PRODUCT_CODES.dummy);
    });

    it('receives Smaregi webhooks for the contract into the inbox, once per event ID', async () => {
      const product = sim.control.productByCode('DUMMY', DEMO_CONTRACT_ID);
      expect(product).toBeDefined();
      sim.control.adjustStock({
        contractId: DEMO_CONTRACT_ID,
        storeId: DEMO_STORE_IDS.shibuya,
        productId: product!.productId,
        amount: 3,
      });
      await sim.control.flush({ now: true });
      const events = await forkEm(t.deps.orm).find(WebhookEvent, { tenant: a.tenantId });
      expect(events.map((e) => e.event)).toEqual(['pos:stock']);
      expect(
        await forkEm(t.deps.orm).count(Job, { tenant: a.tenantId, name: 'webhook.process' }),
      ).toBe(1);

      const delivery = {
        'Smaregi-Event': 'pos:stock',
        'Smaregi-Contract-Id': DEMO_CONTRACT_ID,
        'Smaregi-Event-Id': events[0]!.eventId,
        [WEBHOOK_HEADER]: WEBHOOK_SECRET,
        'Content-Type': 'application/json',
      };
      const body = {
        contractId: DEMO_CONTRACT_ID,
        event: 'pos:stock',
        action: 'edited',
        ids: [{ id: '1', productId: product!.productId, storeId: '1' }],
      };
      const duplicate = await request(t.app)
        .post('/webhooks/smaregi')
        .set(delivery)
        .send(JSON.stringify(body));
      expect(duplicate.status).toBe(200);
      expect(duplicate.body.duplicate).toBe(true);
      expect(await forkEm(t.deps.orm).count(WebhookEvent, { tenant: a.tenantId })).toBe(1);

      const wrongSecret = await request(t.app)
        .post('/webhooks/smaregi')
        .set({ ...delivery, [WEBHOOK_HEADER]: 'nope', 'Smaregi-Event-Id': 'e-2' })
        .send(JSON.stringify(body));
      expect(wrongSecret.status).toBe(401);
      const unknown = await request(t.app)
        .post('/webhooks/smaregi')
        .set({ ...delivery, 'Smaregi-Contract-Id': 'sb_other', 'Smaregi-Event-Id': 'e-3' })
        .send(JSON.stringify({ ...body, contractId: 'sb_other' }));
      expect(unknown.status).toBe(202);
      const malformed = await request(t.app)
        .post('/webhooks/smaregi')
        .set({ ...delivery, 'Smaregi-Event-Id': 'e-4' })
        .send('not json');
      expect(malformed.status).toBe(400);
      expect(await forkEm(t.deps.orm).count(WebhookEvent, {})).toBe(1);
    });

    it('accepts POS webhooks without Smaregi-Event-Id, deduplicated on the body', async () => {
      const product = sim.control.productByCode('DUMMY', DEMO_CONTRACT_ID)!;
      const body = JSON.stringify({
        contractId: DEMO_CONTRACT_ID,
        event: 'pos:stock',
        action: 'edited',
        ids: [{ id: '990001', productId: product.productId, storeId: '1' }],
      });
      const delivery = {
        'Smaregi-Event': 'pos:stock',
        'Smaregi-Contract-Id': DEMO_CONTRACT_ID,
        [WEBHOOK_HEADER]: WEBHOOK_SECRET,
        'Content-Type': 'application/json',
      };
      const before = await forkEm(t.deps.orm).count(WebhookEvent, { tenant: a.tenantId });
      const first = await request(t.app).post('/webhooks/smaregi').set(delivery).send(body);
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ received: true });
      const again = await request(t.app).post('/webhooks/smaregi').set(delivery).send(body);
      expect(again.body).toEqual({ duplicate: true });
      const stored = await forkEm(t.deps.orm).find(
        WebhookEvent,
        { tenant: a.tenantId },
        { orderBy: { receivedAt: 'desc' } },
      );
      expect(stored).toHaveLength(before + 1);
      expect(stored[0]!.eventId).toMatch(/^body-sha256:[0-9a-f]{64}@\d+$/);
    });

    it('receives app subscription notices on their own URL: no secret, checked against our app and contract', async () => {
      sim.control.sendAppSubscription({ contractId: DEMO_CONTRACT_ID, action: 'change-plan' });
      await sim.control.flush({ now: true });
      const delivered = sim.control
        .webhookDeliveries()
        .filter((d) => d.event === 'AppSubscription');
      expect(delivered.at(-1)).toMatchObject({ status: 200 });
      expect(delivered.at(-1)!.headers[WEBHOOK_HEADER]).toBeUndefined();
      const notices = await forkEm(t.deps.orm).find(WebhookEvent, {
        tenant: a.tenantId,
        event: 'AppSubscription',
      });
      expect(notices.map((n) => n.action)).toEqual(['change-plan']);

      const body = {
        contractId: DEMO_CONTRACT_ID,
        event: 'AppSubscription',
        action: 'change-plan',
        date: '2026-11-28',
        clientId: DEMO_CLIENT_ID,
      };
      const post = (b: unknown, headers: Record<string, string> = {}) =>
        request(t.app)
          .post('/webhooks/smaregi/app-subscription')
          .set({ 'Content-Type': 'application/json', ...headers })
          .send(JSON.stringify(b));
      expect((await post(body)).body).toEqual({ received: true });
      expect((await post(body)).body).toEqual({ duplicate: true });
      const otherApp = await post({ ...body, clientId: 'someone-else' });
      expect(otherApp.status).toBe(403);
      expect(otherApp.body.error).toContain('clientId');
      expect((await post({ ...body, clientId: undefined })).status).toBe(403);
      expect((await post({ ...body, contractId: 'sb_other' })).status).toBe(202);
      const notNotice = await post({ ...body, event: 'pos:stock', ids: [] });
      expect(notNotice.status).toBe(400);
      expect(
        await forkEm(t.deps.orm).count(WebhookEvent, {
          tenant: a.tenantId,
          event: 'AppSubscription',
        }),
      ).toBe(2);
    });

    it('disconnects: tokens destroyed, status 未認証, the contract no longer maps webhooks', async () => {
      const { caller } = await signedInCaller(t.deps, a);
      const status = await caller.connection.disconnect();
      expect(status.label.ja).toBe('未認証');
      expect(status.authorizedBy).toBeNull();
      expect((await caller.connection.status()).authorizedBy).toBeNull();
      expect(await tokens()).toHaveLength(0);
      expect(
        (await caller.shops.orderStores().catch((e: unknown) => e)) as { code: string },
      ).toMatchObject({ code: 'PRECONDITION_FAILED' });
    });
  },
);
