import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EncryptedTokenStore, openDatabase, TokenVault, type Orm } from '@renkei/persistence';
import {
  createPostgresDatabase,
  dropPostgresDatabase,
  testDialects,
} from '@renkei/persistence/testing';
import type { FetchLike, SmaregiClient, TokenStore } from '@renkei/smaregi-client';
import { DEMO_CONTRACT_ID, startSimulator, type RunningSimulator } from '@renkei/smaregi-simulator';
import { seedTenant, testClient } from './support/fixture.js';

/*
 * docs/reliability.md "Concurrent refresh": several workers find the contract's app token missing
 * or refused at the same moment and make ONE token request between them. Each "worker" here is what
 * src/main.ts builds: its own ORM instance on the shared PostgreSQL database, its own
 * EncryptedTokenStore and its own client (createWorkerClient), so nothing but the database is
 * shared, exactly as between worker processes. The advisory lock in EncryptedTokenStore.withLock is
 * what makes them take turns.
 */
const WORKERS = 3;
const pg = testDialects().includes('postgresql');
const TOKEN_PATH = `/app/${DEMO_CONTRACT_ID}/token`;

describe.skipIf(!pg)(
  pg
    ? 'concurrent app token refresh across workers on PostgreSQL'
    : 'concurrent app token refresh across workers on PostgreSQL (skipped: RENKEI_TEST_PG_URL is not set)',
  () => {
    let sim: RunningSimulator;
    let db: { url: string; name: string };
    const orms: Orm[] = [];
    const vault = new TokenVault([{ id: 'k', key: randomBytes(32) }]);
    let stores: EncryptedTokenStore[];

    beforeAll(async () => {
      db = await createPostgresDatabase(process.env.RENKEI_TEST_PG_URL ?? '', 'renkei_tok');
      for (let i = 0; i < WORKERS; i++) {
        orms.push(
          await openDatabase({ location: { dialect: 'postgresql', url: db.url }, poolMax: 3 }),
        );
      }
      sim = await startSimulator({ rateLimits: false, seed: 31 });
      // Seeding reads through a client with an in-memory token, so the database starts tokenless.
      await seedTenant(orms[0]!, testClient(sim));
      stores = orms.map((orm) => new EncryptedTokenStore(orm, vault));
    }, 60_000);
    afterAll(async () => {
      for (const orm of orms) await orm.close(true);
      await sim?.close();
      if (db) await dropPostgresDatabase(process.env.RENKEI_TEST_PG_URL ?? '', db.name);
    });

    /** Token requests for the demo contract in the simulator journal since the last clear. */
    function tokenRequests(): number {
      return sim.control
        .journal()
        .filter((e) => e.host === 'id' && e.method === 'POST' && e.path === TOKEN_PATH).length;
    }

    /** Every worker calls Smaregi for the contract at the same moment (a read needs the token). */
    async function allWorkersRead(clients: SmaregiClient[]): Promise<void> {
      const results = await Promise.all(
        clients.map((c) => c.forContract(DEMO_CONTRACT_ID).pos.paymentMethods.list({ limit: 1 })),
      );
      for (const r of results) expect(r.length).toBe(1);
    }

    it('makes one token request when no worker has a token yet, and one after Smaregi expires it', async () => {
      const clients = stores.map((tokenStore) => testClient(sim, { tokenStore }));

      sim.control.clearJournal();
      await allWorkersRead(clients);
      expect(tokenRequests()).toBe(1);

      // Every token issued so far stops working: the workers get 401, forget the refused token
      // and ask for a new one, but only the first to take the lock actually requests it; the
      // others find its token in the database when their turn comes.
      expect(sim.control.expireTokens()).toBeGreaterThan(0);
      sim.control.clearJournal();
      await allWorkersRead(clients);
      expect(tokenRequests()).toBe(1);
      expect(sim.control.journal().some((e) => e.status === 401)).toBe(true);

      // And again: the lock is released after each refresh, not held by the first one.
      sim.control.expireTokens();
      sim.control.clearJournal();
      await allWorkersRead(clients);
      expect(tokenRequests()).toBe(1);
    });

    it('without the shared lock the same workers each request a token (what the lock prevents)', async () => {
      // The same encrypted stores minus withLock: the client's single flight is per process only.
      const unlocked: TokenStore[] = stores.map((s) => ({
        get: (id) => s.get(id),
        set: (id, token) => s.set(id, token),
        delete: (id) => s.delete(id),
      }));
      // Token requests are held until every worker has decided to send one, so no worker can
      // store a token before the others looked: the count below does not depend on timing.
      let arrived = 0;
      let everyoneAsked = (): void => undefined;
      const allAsked = new Promise<void>((resolve) => (everyoneAsked = resolve));
      const heldFetch: FetchLike = async (input, init) => {
        if (String(input).endsWith(TOKEN_PATH)) {
          if (++arrived === WORKERS) everyoneAsked();
          await allAsked;
        }
        return fetch(input, init);
      };
      const clients = unlocked.map((tokenStore) =>
        testClient(sim, { tokenStore, fetch: heldFetch }),
      );
      sim.control.expireTokens();
      sim.control.clearJournal();
      await allWorkersRead(clients);
      expect(tokenRequests()).toBe(WORKERS);
    });
  },
);
