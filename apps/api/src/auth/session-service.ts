import { AdminSession, TenantResolver, type Em } from '@renkei/persistence';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { AppError } from '../errors.js';
import { randomToken, sha256Hex } from '../security/secrets.js';
import { dummyPasswordHash, verifyPassword } from './password.js';

const e = (ja: string, en: string) => ({ error: `${ja} / ${en}` });

/** Login form. */
export const loginInputSchema = z.strictObject({
  email: z
    .string(e('メールアドレスを入力してください', 'Email (email) is required'))
    .trim()
    .min(3, e('メールアドレスを入力してください', 'Email (email) is required'))
    .max(254, e('メールアドレスが長すぎます', 'Email (email) is too long')),
  password: z
    .string(e('パスワードを入力してください', 'Password (password) is required'))
    .min(1, e('パスワードを入力してください', 'Password (password) is required'))
    .max(200, e('パスワードが長すぎます', 'Password (password) is too long')),
});

export interface LoginResult {
  token: string;
  expiresAt: Date;
  tenantId: string;
  userId: string;
  email: string;
}

/**
 * Checks the credentials and opens a session. The same error for an unknown email and a wrong
 * password, and the same work (a dummy hash) for both, so the answer tells nothing about which
 * emails exist. Locked-out emails are refused before the password is even checked.
 */
export async function login(
  deps: AppDeps,
  em: Em,
  input: z.output<typeof loginInputSchema>,
  client: { userAgent: string | null },
): Promise<LoginResult> {
  const email = input.email.toLowerCase();
  const keys = [`email:${email}`];
  const wait = deps.loginLimiter.retryAfterSeconds(keys);
  if (wait > 0) {
    throw new AppError(
      'TOO_MANY_REQUESTS',
      {
        ja: `ログインの失敗が続いたため、${wait}秒後まで受け付けません`,
        en: `Too many failed logins; try again in ${wait} s`,
      },
      [],
      { retryAfterSeconds: wait },
    );
  }
  const user = await new TenantResolver(em).userByEmail(email);
  const ok = await verifyPassword(
    input.password,
    user?.passwordHash ?? (await dummyPasswordHash()),
  );
  if (user === null || !ok) {
    deps.loginLimiter.recordFailure(keys);
    throw new AppError('UNAUTHORIZED', {
      ja: 'メールアドレスまたはパスワードが違います',
      en: 'Wrong email or password',
    });
  }
  deps.loginLimiter.recordSuccess(keys);
  const token = randomToken(32);
  const now = deps.now();
  const expiresAt = new Date(now.getTime() + deps.config.sessionTtlMs);
  em.create(AdminSession, {
    id: sha256Hex(token),
    tenant: user.tenant,
    user,
    createdAt: now,
    lastSeenAt: now,
    expiresAt,
    userAgent: client.userAgent?.slice(0, 500) ?? null,
  });
  user.lastLoginAt = now;
  await em.flush();
  // Housekeeping on the way: this user's expired sessions are of no use to anyone.
  await em.nativeDelete(AdminSession, { user: user.id, expiresAt: { $lt: now } });
  return { token, expiresAt, tenantId: user.tenant.id, userId: user.id, email: user.email };
}

/** Ends a session (the row is deleted, so the cookie is worthless even if it was copied). */
export async function logout(em: Em, sessionId: string): Promise<void> {
  await em.nativeDelete(AdminSession, { id: sessionId });
}
