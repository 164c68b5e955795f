import {
  createPkcePair,
  createState,
  isSmaregiApiError,
  type UserTokens,
} from '@renkei/smaregi-client';
import {
  forkEm,
  OAuthState,
  SmaregiToken,
  Tenant,
  TenantResolver,
  tenantRepositories,
  type SmaregiConnection,
  type TokenKind,
} from '@renkei/persistence';
import type { AppDeps } from '../deps.js';
import { audit, type TenantScope } from '../services/scope.js';
import { sha256Hex } from '../security/secrets.js';

/*
 * The [認証] button (docs/flows.md §1): authorize with state + PKCE, callback, code exchange,
 * userinfo → contract ID, app token for the contract, tokens encrypted at rest.
 * The state row is bound to the admin session that started the flow and consumed by a
 * conditional update, so a replayed, forged or cross-session callback finds nothing to use and
 * stores nothing (it only leaves an audit entry).
 */

const STATE_TTL_MS = 10 * 60_000;

export const CONNECTION_LABELS = {
  unauthenticated: { ja: '未認証', en: 'Not connected' },
  active: { ja: '有効化済み', en: 'Connected' },
  reauthRequired: { ja: '要再認証', en: 'Re-authorisation required' },
} as const;

export function connectionView(connection: SmaregiConnection) {
  return {
    status: connection.status,
    label: CONNECTION_LABELS[connection.status],
    reason: connection.statusReason ?? null,
    contractId: connection.contractId ?? null,
    scopes: connection.scopes,
    connectedAt: connection.connectedAt?.toISOString() ?? null,
    statusChangedAt: connection.statusChangedAt.toISOString(),
    lastError: connection.lastError ?? null,
  };
}

const CALLBACK_PATH = '/api/smaregi/callback';

/**
 * The redirect URI for a flow started from `origin` (the admin page's `window.location.origin`):
 * the callback on that origin when it is one of the configured admin origins, else the configured
 * one. The session cookie belongs to the host the merchant is on (e.g. the Vite dev server on
 * 127.0.0.1:5173, which forwards /api), so Smaregi must send the browser back through that host
 * or the callback would not see the session that started the flow. Anything else is ignored:
 * the browser is only ever sent to an origin the operator configured.
 */
export function redirectUriFor(config: AppDeps['config'], origin: string | undefined): string {
  if (origin === undefined || !URL.canParse(origin)) return config.smaregi.redirectUri;
  const wanted = new URL(origin).origin;
  // The public URL's own origin keeps the configured URI (PUBLIC_URL may carry a path prefix).
  if (wanted === new URL(config.publicUrl).origin) return config.smaregi.redirectUri;
  const allowed = config.allowedOrigins.some(
    (o) => URL.canParse(o) && new URL(o).origin === wanted,
  );
  return allowed ? `${wanted}${CALLBACK_PATH}` : config.smaregi.redirectUri;
}

/** Where the admin lives for a redirect URI: its URL without the callback path. */
function adminBaseOf(redirectUri: string): string {
  return redirectUri.endsWith(CALLBACK_PATH)
    ? redirectUri.slice(0, -CALLBACK_PATH.length)
    : new URL(redirectUri).origin;
}

/**
 * The e-mail of the admin who authorised the current connection (the actor of the latest
 * `connection.connected` audit entry), or null when not connected or connected another way (the
 * demo's auto-connect). An entry older than the connection's `connectedAt` belongs to an earlier
 * connection and is not taken.
 */
export async function authorizedBy(
  scope: Pick<TenantScope, 'repos'>,
  connection: SmaregiConnection,
): Promise<string | null> {
  if (connection.status === 'unauthenticated' || connection.connectedAt == null) return null;
  const [latest] = await scope.repos.audit.find(
    { action: 'connection.connected', at: { $gte: connection.connectedAt } },
    { orderBy: { at: 'desc' }, limit: 1 },
  );
  return latest?.actorUserId == null ? null : latest.actorLabel;
}

/** Starts the flow: returns the Smaregi /authorize URL to send the browser to. */
export async function startConnection(
  scope: TenantScope,
  sessionId: string,
  origin?: string,
): Promise<{ authorizeUrl: string }> {
  const { deps } = scope;
  const state = createState();
  const pkce = createPkcePair();
  const now = deps.now();
  const redirectUri = redirectUriFor(deps.config, origin);
  scope.repos.oauthStates.create({
    id: sha256Hex(state),
    sessionId,
    codeVerifier: pkce.codeVerifier,
    redirectUri,
    createdAt: now,
    expiresAt: new Date(now.getTime() + STATE_TTL_MS),
  });
  audit(scope, 'connection.start', 'connection', null, null, null);
  await scope.em.flush();
  const authorizeUrl = deps.smaregi.auth.buildAuthorizeUrl({
    redirectUri,
    scopes: deps.config.smaregi.scopes,
    state,
    codeChallenge: pkce.codeChallenge,
  });
  return { authorizeUrl };
}

/**
 * What the callback did. `adminBase` is where to send the browser back to: the admin on the
 * origin whose redirect URI the flow used (the configured public URL when the state is unknown).
 */
export type CallbackOutcome = { adminBase: string } & (
  | { ok: true; tenantId: string; contractId: string }
  | {
      ok: false;
      reason:
        | 'missingParameters'
        | 'unknownState'
        | 'replayed'
        | 'expired'
        | 'wrongSession'
        | 'denied'
        | 'exchangeFailed'
        | 'contractTaken';
    }
);

export interface CallbackInput {
  state?: string | undefined;
  code?: string | undefined;
  error?: string | undefined;
  /** SHA-256 of the browser's admin session cookie, if any. */
  sessionId: string | null;
  ip: string | null;
}

function rejectAudit(
  deps: AppDeps,
  tenantId: string | null,
  reason: string,
  ip: string | null,
): Promise<void> {
  if (tenantId === null) {
    deps.logger.warn({ reason }, 'Smaregi callback rejected (no tenant to attribute it to)');
    return Promise.resolve();
  }
  const em = forkEm(deps.orm);
  const scope: TenantScope = {
    deps,
    em,
    tenantId,
    repos: tenantRepositories(em, tenantId),
    actor: { userId: null, label: 'oauth-callback', ip },
  };
  audit(scope, 'connection.callbackRejected', 'connection', null, null, { reason });
  deps.logger.warn({ reason, tenantId }, 'Smaregi callback rejected');
  return em.flush();
}

async function storeToken(
  scope: TenantScope,
  kind: TokenKind,
  contractId: string,
  value: string,
  expiresAt: number | null,
  scopeText: string | null,
): Promise<void> {
  const { ciphertext, keyId } = scope.deps.vault.encrypt(value, scope.tenantId);
  const row =
    (await scope.repos.tokens.findKind(kind)) ??
    scope.em.create(SmaregiToken, {
      tenant: scope.em.getReference(Tenant, scope.tenantId),
      kind,
      contractId,
      ciphertext,
      keyId,
    });
  Object.assign(row, {
    contractId,
    ciphertext,
    keyId,
    expiresAt: expiresAt === null ? null : new Date(expiresAt),
    scope: scopeText,
  });
}

/** Handles Smaregi's redirect back. Never throws for bad input: returns why it refused. */
export async function completeConnection(
  deps: AppDeps,
  input: CallbackInput,
): Promise<CallbackOutcome> {
  const em = forkEm(deps.orm);
  const session =
    input.sessionId === null ? null : await new TenantResolver(em).sessionById(input.sessionId);
  const sessionTenant = session?.tenant.id ?? null;
  const fallback = { adminBase: deps.config.publicUrl };
  if (input.state === undefined || input.state === '') {
    await rejectAudit(deps, sessionTenant, 'missingParameters', input.ip);
    return { ...fallback, ok: false, reason: 'missingParameters' };
  }
  const stateRow = await new TenantResolver(em).oauthState(sha256Hex(input.state));
  if (stateRow === null) {
    await rejectAudit(deps, sessionTenant, 'unknownState', input.ip);
    return { ...fallback, ok: false, reason: 'unknownState' };
  }
  const back = { adminBase: adminBaseOf(stateRow.redirectUri) };
  const tenantId = stateRow.tenant.id;
  const now = deps.now();
  if (stateRow.consumedAt != null) {
    await rejectAudit(deps, tenantId, 'replayed', input.ip);
    return { ...back, ok: false, reason: 'replayed' };
  }
  if (session === null || stateRow.sessionId !== input.sessionId) {
    await rejectAudit(deps, tenantId, 'wrongSession', input.ip);
    return { ...back, ok: false, reason: 'wrongSession' };
  }
  // Consume the state exactly once, even if the same callback arrives twice at the same moment.
  const consumed = await em.nativeUpdate(
    OAuthState,
    { id: stateRow.id, consumedAt: null, expiresAt: { $gt: now } },
    { consumedAt: now },
  );
  if (consumed !== 1) {
    const reason = stateRow.expiresAt.getTime() <= now.getTime() ? 'expired' : 'replayed';
    await rejectAudit(deps, tenantId, reason, input.ip);
    return { ...back, ok: false, reason };
  }
  if (input.error !== undefined || input.code === undefined || input.code === '') {
    const reason = input.error !== undefined ? 'denied' : 'missingParameters';
    await rejectAudit(deps, tenantId, reason, input.ip);
    return { ...back, ok: false, reason };
  }

  let user: UserTokens;
  let contractId: string;
  let app: { accessToken: string; expiresAt: number; scopes: string[] };
  try {
    user = await deps.smaregi.auth.exchangeCode({
      code: input.code,
      redirectUri: stateRow.redirectUri,
      codeVerifier: stateRow.codeVerifier,
    });
    contractId = (await deps.smaregi.auth.getUserInfo(user.accessToken)).contract.id;
    const owner = await new TenantResolver(em).connectionByContract(contractId);
    if (owner !== null && owner.tenant.id !== tenantId) {
      await rejectAudit(deps, tenantId, 'contractTaken', input.ip);
      return { ...back, ok: false, reason: 'contractTaken' };
    }
    app = await deps.smaregi.auth.requestAppToken(contractId);
  } catch (error) {
    deps.logger.warn(
      {
        err: isSmaregiApiError(error)
          ? { kind: error.kind, status: error.status, message: error.message }
          : error,
        tenantId,
      },
      'Smaregi code exchange failed',
    );
    await rejectAudit(deps, tenantId, 'exchangeFailed', input.ip);
    return { ...back, ok: false, reason: 'exchangeFailed' };
  }

  const scope: TenantScope = {
    deps,
    em,
    tenantId,
    repos: tenantRepositories(em, tenantId),
    // The admin whose session started (and now completes) the flow: "who authorised it".
    actor: { userId: session.user.id, label: session.user.email, ip: input.ip },
  };
  {
    const connection = await scope.repos.connection.getOrCreate();
    const before = connectionView(connection);
    await storeToken(
      scope,
      'userAccess',
      contractId,
      user.accessToken,
      user.expiresAt,
      user.scopes.join(' '),
    );
    if (user.refreshToken !== undefined)
      await storeToken(scope, 'userRefresh', contractId, user.refreshToken, null, null);
    await storeToken(
      scope,
      'appAccess',
      contractId,
      app.accessToken,
      app.expiresAt,
      app.scopes.join(' '),
    );
    Object.assign(connection, {
      contractId,
      status: 'active',
      statusReason: null,
      scopes: app.scopes,
      connectedAt: now,
      statusChangedAt: now,
      lastError: null,
    });
    audit(
      scope,
      'connection.connected',
      'connection',
      connection.id,
      before,
      connectionView(connection),
    );
    await em.flush(); // tokens, connection and audit entry in one transaction
  }
  return { ...back, ok: true, tenantId, contractId };
}

/** Disconnects: tokens destroyed, contract unlinked (webhooks for it stop mapping), status 未認証. */
export async function disconnect(scope: TenantScope): Promise<SmaregiConnection> {
  const connection = await scope.repos.connection.getOrCreate();
  const before = connectionView(connection);
  const contractId = connection.contractId;
  await scope.repos.tokens.destroyAll();
  Object.assign(connection, {
    contractId: null,
    status: 'unauthenticated',
    statusReason: null,
    scopes: [],
    connectedAt: null,
    statusChangedAt: scope.deps.now(),
  });
  audit(
    scope,
    'connection.disconnect',
    'connection',
    connection.id,
    before,
    connectionView(connection),
  );
  await scope.em.flush();
  if (contractId != null) await scope.deps.smaregi.forgetToken(contractId);
  return connection;
}
