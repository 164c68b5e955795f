import type { Server } from 'node:http';
import { testDialects } from '@renkei/persistence/testing';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scryptPasswords } from '../src/auth/password.js';
import { createApp } from '../src/app.js';
import { createDeps } from '../src/create-deps.js';
import { CSRF_HEADER } from '../src/http/csrf.js';
import { createContext } from '../src/trpc/context.js';
import { createCaller } from '../src/trpc/root.js';
import { createTestApp, seedTenant, type SeededTenant, type TestApp } from './helpers.js';

/*
 * Login limits under concurrency (issue 12, item 4). Each test gets a fresh API (fresh counts);
 * requests go to one listening server so that a burst really is simultaneous. Default limits:
 * 5 failures per email (LOGIN_MAX_FAILURES), 20 per client address (LOGIN_IP_MAX_FAILURES).
 */

const ORIGIN = 'http://localhost:3000';
/** Each checked attempt is a real scrypt hash (32 MiB, ~0.1-0.5 s on a small machine). */
const SLOW = 60_000;

interface Checks {
  /** The stored hashes the password was checked against, in order. */
  against: string[];
}

/** Wraps the app's password checker to record each check, optionally holding wrong ones. */
function observePasswords(t: TestApp, hold?: Promise<void>): Checks {
  const checks: Checks = { against: [] };
  t.deps.passwords = {
    dummyHash: scryptPasswords.dummyHash,
    verify: async (password, stored) => {
      checks.against.push(stored);
      const ok = await scryptPasswords.verify(password, stored);
      if (!ok && hold !== undefined) await hold;
      return ok;
    },
  };
  return checks;
}

describe.each(testDialects())('login limits (%s)', (dialect) => {
  let t: TestApp;
  let a: SeededTenant;
  let server: Server;

  const login = (email: string, password: string, target: Server = server) =>
    request(target)
      .post('/api/trpc/auth.login')
      .set('Origin', ORIGIN)
      .set(CSRF_HEADER, '1')
      .set('Content-Type', 'application/json')
      .send({ email, password });
  const statuses = (responses: request.Response[]) => {
    const count: Record<number, number> = {};
    for (const r of responses) count[r.status] = (count[r.status] ?? 0) + 1;
    return count;
  };

  beforeEach(async () => {
    t = await createTestApp(dialect);
    a = await seedTenant(t.deps);
    server = t.app.listen(0, '127.0.0.1');
  });
  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
    await t.close();
  });

  it(
    '41 simultaneous logins (40 wrong, then the right one while those are checked): no 200, at most LOGIN_MAX_FAILURES checks',
    async () => {
      let release!: () => void;
      const checks = observePasswords(t, new Promise<void>((resolve) => (release = resolve)));
      const wrong = Array.from({ length: 40 }, (_, i) =>
        login(a.email, `wrong ${i}`).then((r) => r),
      );
      // The first five attempts are being checked (held in the hash); the other 35 are refused.
      await expect.poll(() => checks.against.length).toBe(5);
      // The right password arrives while those five checks are still running: before, no failure
      // had been recorded yet and it was let in (200).
      const right = await login(a.email, a.password);
      expect(right.status).toBe(429);
      release();
      const answers = await Promise.all(wrong);
      expect(statuses(answers)).toEqual({ 401: 5, 429: 35 });
      expect(checks.against).toHaveLength(5);
      expect((await login(a.email, a.password)).status).toBe(429);
    },
    SLOW,
  );

  it(
    'a burst of 30 wrong passwords: LOGIN_MAX_FAILURES answers 401, the rest 429 saying when to retry; an unknown email the same',
    async () => {
      const checks = observePasswords(t);
      const known = await Promise.all(Array.from({ length: 30 }, () => login(a.email, 'guess')));
      expect(statuses(known)).toEqual({ 401: 5, 429: 25 });
      const locked = known.find((r) => r.status === 429)!;
      expect(locked.headers['retry-after']).toMatch(/^\d+$/);
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(800);
      expect(locked.body.error.data.code).toBe('TOO_MANY_REQUESTS');
      expect(locked.body.error.data.messages.ja).toMatch(
        /約15分後\(\d+秒後\)にもう一度お試しください/,
      );
      expect(locked.body.error.data.messages.en).toMatch(/Try again in about 15 min \(\d+ s\)/);
      expect(checks.against).toHaveLength(5);

      // An email nobody has is limited and answered exactly alike: the lock reveals nothing.
      const unknown = await Promise.all(
        Array.from({ length: 30 }, () => login('nobody@example.com', 'guess')),
      );
      expect(statuses(unknown)).toEqual({ 401: 5, 429: 25 });
      const lockedUnknown = unknown.find((r) => r.status === 429)!;
      const withoutSeconds = (m: { ja: string; en: string }) =>
        JSON.stringify(m).replace(/\d+/g, 'N');
      expect(withoutSeconds(lockedUnknown.body.error.data.messages)).toBe(
        withoutSeconds(locked.body.error.data.messages),
      );
    },
    SLOW,
  );

  it(
    'spraying one password over 25 emails from one address: 20 checked (LOGIN_IP_MAX_FAILURES), the rest refused; other addresses unaffected',
    async () => {
      const other = await seedTenant(t.deps);
      const emails = [
        other.email,
        ...Array.from({ length: 24 }, (_, i) => `spray${i}@example.com`),
      ];
      const checks = observePasswords(t);
      const answers = await Promise.all(emails.map((email) => login(email, 'Password123!')));
      expect(statuses(answers)).toEqual({ 401: 20, 429: 5 });
      expect(checks.against).toHaveLength(20);
      // The address is locked, even for a right password.
      expect((await login(a.email, a.password)).status).toBe(429);
      // Another client address still signs in (the tRPC context carries the request's address).
      let token = '';
      const elsewhere = createCaller(
        await createContext(t.deps, {
          ip: '203.0.113.7',
          cookies: { setSession: (s) => (token = s), clearSession: () => undefined },
        }),
      );
      await elsewhere.auth.login({ email: a.email, password: a.password });
      expect(token).not.toBe('');
    },
    SLOW,
  );

  it(
    'a successful login clears the email’s failures and does not count against the address',
    async () => {
      for (let i = 0; i < 4; i++) expect((await login(a.email, 'wrong')).status).toBe(401);
      expect((await login(a.email, a.password)).status).toBe(200);
      const again = await Promise.all(Array.from({ length: 6 }, () => login(a.email, 'wrong')));
      expect(statuses(again)).toEqual({ 401: 5, 429: 1 });
    },
    SLOW,
  );

  it(
    'checks an unknown email against the dummy hash, like a known one against its own',
    async () => {
      const checks = observePasswords(t);
      const unknown = await login('nobody@example.com', 'whatever');
      const wrong = await login(a.email, 'whatever');
      expect(unknown.status).toBe(401);
      expect(wrong.status).toBe(401);
      expect(unknown.body.error.data.messages).toEqual(wrong.body.error.data.messages);
      expect(checks.against).toHaveLength(2);
      expect(checks.against[0]).toBe(await scryptPasswords.dummyHash());
      expect(checks.against[1]).not.toBe(checks.against[0]);
      expect(checks.against[1]).toMatch(/^scrypt\$/);
    },
    SLOW,
  );

  it.runIf(dialect === 'postgresql')(
    'shares the counts between API processes on one PostgreSQL database',
    async () => {
      // A second API process on the same database (its own deps and limiter instance).
      const second = createDeps(t.deps.config, t.db.orm, { logger: t.deps.logger });
      const secondServer = createApp(second).listen(0, '127.0.0.1');
      try {
        const answers = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            login(a.email, 'guess', i % 2 ? server : secondServer),
          ),
        );
        expect(statuses(answers)).toEqual({ 401: 5, 429: 15 });
        expect((await login(a.email, a.password, secondServer)).status).toBe(429);
      } finally {
        await new Promise((resolve) => secondServer.close(resolve));
      }
    },
    SLOW,
  );
});
