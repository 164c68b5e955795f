import {
  forkEm,
  tenantRepositories,
  TenantResolver,
  type Em,
  type TenantRepositories,
} from '@renkei/persistence';
import type { AppDeps } from '../deps.js';
import { sha256Hex } from '../security/secrets.js';

/** The signed-in admin, as the procedures see it. */
export interface SessionUser {
  tenantId: string;
  userId: string;
  email: string;
  /** SHA-256 of the session cookie (the admin_sessions primary key). */
  sessionId: string;
}

/** Cookie operations the auth router needs (the HTTP adapter sets real cookies; tests record them). */
export interface CookieJar {
  setSession(token: string, expires: Date): void;
  clearSession(): void;
}

export interface Context {
  deps: AppDeps;
  em: Em;
  user: SessionUser | null;
  ip: string | null;
  userAgent: string | null;
  cookies: CookieJar;
}

/** Context of a signed-in admin: the tenant comes from the session, never from the input. */
export interface AuthedContext extends Context {
  user: SessionUser;
  repos: TenantRepositories;
}

export const SESSION_COOKIE = 'renkei_session';

const noCookies: CookieJar = { setSession: () => undefined, clearSession: () => undefined };

/**
 * Builds the context of one request. The HTTP adapter passes the session cookie; tests call this
 * directly (with `sessionToken` from a login, or none for an anonymous caller).
 */
export async function createContext(
  deps: AppDeps,
  request: {
    sessionToken?: string | undefined;
    ip?: string | null;
    userAgent?: string | null;
    cookies?: CookieJar;
  } = {},
): Promise<Context> {
  const em = forkEm(deps.orm);
  let user: SessionUser | null = null;
  if (request.sessionToken !== undefined && request.sessionToken !== '') {
    const sessionId = sha256Hex(request.sessionToken);
    const session = await new TenantResolver(em).sessionById(sessionId);
    if (session !== null && session.expiresAt.getTime() > deps.now().getTime()) {
      user = {
        tenantId: session.tenant.id,
        userId: session.user.id,
        email: session.user.email,
        sessionId,
      };
    }
  }
  return {
    deps,
    em,
    user,
    ip: request.ip ?? null,
    userAgent: request.userAgent ?? null,
    cookies: request.cookies ?? noCookies,
  };
}

/** Repositories of the context's tenant. */
export function reposFor(em: Em, tenantId: string): TenantRepositories {
  return tenantRepositories(em, tenantId);
}
