import { AdminSession, TenantResolver, type Em } from '@renkei/persistence';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { AppError } from '../errors.js';
import { randomToken, sha256Hex } from '../security/secrets.js';
import { LoginLockedError } from './login-limiter.js';

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
 * Checks the credentials and opens a session. The attempt is counted (per email and per client
 * address) before the password is checked, so no burst gets more checks than the limit. The same
 * error for an unknown email and a wrong password, and the same work (a hash against a dummy
 * hash) for both, so neither the answer nor its time tells which emails exist; a locked login is
 * refused the same way whether the email exists or not.
 */
export async function login(
  deps: AppDeps,
  em: Em,
  input: z.output<typeof loginInputSchema>,
  client: { userAgent: string | null; ip?: string | null },
): Promise<LoginResult> {
  const email = input.email.toLowerCase();
  const ip = client.ip ?? null;
  try {
    await deps.loginLimiter.begin(email, ip);
  } catch (error) {
    if (!(error instanceof LoginLockedError)) throw error;
    deps.logger.warn(
      { ip, retryAfterSeconds: error.retryAfterSeconds },
      'login refused: too many attempts',
    );
    throw lockedError(error.retryAfterSeconds);
  }
  const user = await new TenantResolver(em).userByEmail(email);
  const ok = await deps.passwords.verify(
    input.password,
    user?.passwordHash ?? (await deps.passwords.dummyHash()),
  );
  if (user === null || !ok) {
    throw new AppError('UNAUTHORIZED', {
      ja: 'メールアドレスまたはパスワードが違います',
      en: 'Wrong email or password',
    });
  }
  await deps.loginLimiter.succeeded(email, ip);
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

/** The refusal of a locked login: when to try again, in both languages, nothing about the email. */
function lockedError(seconds: number): AppError {
  const minutes = Math.ceil(seconds / 60);
  const ja = seconds < 60 ? `${seconds}秒後` : `約${minutes}分後(${seconds}秒後)`;
  const en = seconds < 60 ? `${seconds} s` : `about ${minutes} min (${seconds} s)`;
  return new AppError(
    'TOO_MANY_REQUESTS',
    {
      ja: `ログインの試行が多すぎるため、一時的に受け付けを停止しています。${ja}にもう一度お試しください`,
      en: `Too many login attempts; logins are paused for now. Try again in ${en}`,
    },
    [],
    { retryAfterSeconds: seconds },
  );
}
