import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testDialects } from '@renkei/persistence/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSRF_HEADER } from '../src/http/csrf.js';
import { createTestApp, seedTenant, type SeededTenant, type TestApp } from './helpers.js';

describe.each(testDialects())('CSRF, sessions and login limits over HTTP (%s)', (dialect) => {
  let t: TestApp;
  let a: SeededTenant;
  let cookie: string;
  const ORIGIN = 'http://localhost:3000';

  const mutation = (path: string, body: unknown) =>
    request(t.app)
      .post(`/api/trpc/${path}`)
      .set('Cookie', cookie)
      .set('Origin', ORIGIN)
      .set(CSRF_HEADER, '1')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(body));
  const settings = async () =>
    (await request(t.app).get('/api/trpc/settings.get').set('Cookie', cookie)).body.result.data;

  beforeAll(async () => {
    t = await createTestApp(dialect, { LOGIN_MAX_FAILURES: '3' });
    a = await seedTenant(t.deps);
    const res = await request(t.app)
      .post('/api/trpc/auth.login')
      .set('Origin', ORIGIN)
      .set(CSRF_HEADER, '1')
      .set('Content-Type', 'application/json')
      .send({ email: a.email, password: a.password });
    expect(res.status).toBe(200);
    const setCookie = res.headers['set-cookie'] as unknown as string[];
    expect(setCookie[0]).toMatch(/HttpOnly/);
    expect(setCookie[0]).toMatch(/SameSite=Lax/);
    expect(setCookie[0]).not.toMatch(/Secure/); // http://localhost public URL
    cookie = setCookie[0]!.split(';')[0]!;
  });
  afterAll(() => t.close());

  it('accepts a same-origin mutation with the CSRF header', async () => {
    const res = await mutation('settings.update', { syncEnclosures: true });
    expect(res.status).toBe(200);
    expect((await settings()).syncEnclosures).toBe(true);
  });

  const attacks: [string, (r: request.Test) => request.Test][] = [
    [
      'a foreign Origin',
      (r) =>
        r
          .set('Origin', 'https://evil.example')
          .set(CSRF_HEADER, '1')
          .set('Content-Type', 'application/json'),
    ],
    [
      'an opaque (null) Origin',
      (r) => r.set('Origin', 'null').set(CSRF_HEADER, '1').set('Content-Type', 'application/json'),
    ],
    [
      'Sec-Fetch-Site cross-site without Origin',
      (r) =>
        r
          .set('Sec-Fetch-Site', 'cross-site')
          .set(CSRF_HEADER, '1')
          .set('Content-Type', 'application/json'),
    ],
    [
      'no CSRF header (a cross-site form)',
      (r) => r.set('Origin', ORIGIN).set('Content-Type', 'application/json'),
    ],
    [
      'a text/plain body',
      (r) => r.set('Origin', ORIGIN).set(CSRF_HEADER, '1').set('Content-Type', 'text/plain'),
    ],
    [
      'a urlencoded form',
      (r) =>
        r
          .set('Origin', ORIGIN)
          .set(CSRF_HEADER, '1')
          .set('Content-Type', 'application/x-www-form-urlencoded'),
    ],
  ];
  it.each(attacks)('refuses %s with 403 and changes nothing', async (_name, attack) => {
    const before = await settings();
    const res = await attack(
      request(t.app).post('/api/trpc/settings.update').set('Cookie', cookie),
    ).send(JSON.stringify({ syncEnclosures: !before.syncEnclosures }));
    expect(res.status).toBe(403);
    expect(await settings()).toEqual(before);
  });

  it('refuses a cross-site login too (login CSRF)', async () => {
    const res = await request(t.app)
      .post('/api/trpc/auth.login')
      .set('Origin', 'https://evil.example')
      .set(CSRF_HEADER, '1')
      .set('Content-Type', 'application/json')
      .send({ email: a.email, password: a.password });
    expect(res.status).toBe(403);
  });

  it('locks an email after repeated failures, even for the right password, then says when to retry', async () => {
    const other = await seedTenant(t.deps);
    const attempt = (password: string) =>
      request(t.app)
        .post('/api/trpc/auth.login')
        .set('Origin', ORIGIN)
        .set(CSRF_HEADER, '1')
        .set('Content-Type', 'application/json')
        .send({ email: other.email, password });
    for (let i = 0; i < 3; i++) expect((await attempt('wrong password')).status).toBe(401);
    const locked = await attempt(other.password);
    expect(locked.status).toBe(429);
    expect(locked.body.error.data.messages.ja).toContain('秒後');
    const unknown = await request(t.app)
      .post('/api/trpc/auth.login')
      .set('Origin', ORIGIN)
      .set(CSRF_HEADER, '1')
      .set('Content-Type', 'application/json')
      .send({ email: 'nobody@example.com', password: 'x' });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.data.messages.en).toBe('Wrong email or password');
  });

  it('returns per-field validation errors for forms', async () => {
    const res = await mutation('shops.create', { name: '', mallKind: 'mars', taxMode: 'included' });
    expect(res.status).toBe(400);
    const fields = (res.body.error.data.fieldErrors as { path: string }[])
      .map((f) => f.path)
      .sort();
    expect(fields).toEqual(['mallKind', 'name']);
  });

  it('sets helmet headers, serves health and metrics', async () => {
    const health = await request(t.app).get('/healthz');
    expect(health.headers['x-content-type-options']).toBe('nosniff');
    expect(health.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect((await request(t.app).get('/readyz')).body.status).toBe('ready');
    const metrics = await request(t.app).get('/metrics');
    expect(metrics.text).toContain('renkei_api_http_request_duration_seconds');
  });

  it('logs out: the cookie is cleared and the session row is gone', async () => {
    const res = await mutation('auth.logout', {});
    expect(res.status).toBe(200);
    expect((res.headers['set-cookie'] as unknown as string[])[0]).toMatch(
      /Expires=Thu, 01 Jan 1970/,
    );
    const after = await request(t.app).get('/api/trpc/settings.get').set('Cookie', cookie);
    expect(after.status).toBe(401);
  });
});

describe('the built admin SPA', () => {
  it('is served at / with index.html for client-side routes, never over the API', async () => {
    const dist = mkdtempSync(join(tmpdir(), 'renkei-admin-'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Renkei</title>');
    const t = await createTestApp('sqlite', { RENKEI_ADMIN_DIST: dist });
    try {
      expect((await request(t.app).get('/')).text).toContain('<title>Renkei</title>');
      expect((await request(t.app).get('/orders/123')).text).toContain('<title>Renkei</title>');
      expect((await request(t.app).get('/api/nope')).status).toBe(404);
    } finally {
      await t.close();
      rmSync(dist, { recursive: true, force: true });
    }
  });
});
