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
 * The [認証] button (DESIGN.md §6 flow 1): authorize with state + PKCE, callback, code exchange,
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

/** Starts the flow: returns the Smaregi /authorize URL to send the browser to. */
export async function startConnection(
  scope: TenantScope,
  sessionId: string,
): Promise<{ authorizeUrl: string }> {
  const { deps } = scope;
  const state = createState();
  const pkce = createPkcePair();
  const now = deps.now();
  scope.repos.oauthStates.create({
    id: sha256Hex(state),
    sessionId,
    codeVerifier: pkce.codeVerifier,
    redirectUri: deps.config.smaregi.redirectUri,
    createdAt: now,
    expiresAt: new Date(now.getTime() + STATE_TTL_MS),
  });
  audit(scope, 'connection.start', 'connection', null, null, null);
  await scope.em.flush();
  const authorizeUrl = deps.smaregi.auth.buildAuthorizeUrl({
    redirectUri: deps.config.smaregi.redirectUri,
    scopes: deps.config.smaregi.scopes,
    state,
    codeChallenge: pkce.codeChallenge,
  });
  return { authorizeUrl };
}

export type CallbackOutcome =
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
    };

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
  const sessionTenant =
    input.sessionId === null
      ? null
      : ((await new TenantResolver(em).sessionById(input.sessionId))?.tenant.id ?? null);
  if (input.state === undefined || input.state === '') {
    await rejectAudit(deps, sessionTenant, 'missingParameters', input.ip);
    return { ok: false, reason: 'missingParameters' };
  }
  const stateRow = await new TenantResolver(em).oauthState(sha256Hex(input.state));
  if (stateRow === null) {
    await rejectAudit(deps, sessionTenant, 'unknownState', input.ip);
    return { ok: false, reason: 'unknownState' };
  }
  const tenantId = stateRow.tenant.id;
  const now = deps.now();
  if (stateRow.consumedAt != null) {
    await rejectAudit(deps, tenantId, 'replayed', input.ip);
    return { ok: false, reason: 'replayed' };
  }
  if (input.sessionId === null || stateRow.sessionId !== input.sessionId) {
    await rejectAudit(deps, tenantId, 'wrongSession', input.ip);
    return { ok: false, reason: 'wrongSession' };
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
    return { ok: false, reason };
  }
  if (input.error !== undefined || input.code === undefined || input.code === '') {
    await rejectAudit(
      deps,
      tenantId,
      input.error !== undefined ? 'denied' : 'missingParameters',
      input.ip,
    );
    return { ok: false, reason: input.error !== undefined ? 'denied' : 'missingParameters' };
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
      return { ok: false, reason: 'contractTaken' };
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
    return { ok: false, reason: 'exchangeFailed' };
  }

  const scope: TenantScope = {
    deps,
    em,
    tenantId,
    repos: tenantRepositories(em, tenantId),
    actor: { userId: null, label: 'oauth-callback', ip: input.ip },
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
  return { ok: true, tenantId, contractId };
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
