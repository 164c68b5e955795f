import {
  forkEm,
  scopesOf,
  tenantRepositories,
  TenantResolver,
  type ApiKeyScope,
  type Orm,
} from '@renkei/persistence';
import type { Request, Response } from 'express';
import type { AppDeps } from '../deps.js';
import type { ApiKeyRateLimiter, KeyRateDecision } from '../auth/api-key-rate-limiter.js';
import { AppError } from '../errors.js';
import { sha256Hex } from '../security/secrets.js';
import type { TenantScope } from '../services/scope.js';
import { sendProblem } from './problem.js';

/** How long a resolved key is trusted before the database is asked again (revocation delay). */
const CACHE_MS = 30_000;

/** The API key a request was made with: its tenant, which key, and what it may do. */
export interface ApiPrincipal {
  tenantId: string;
  keyId: string;
  name: string;
  keyPrefix: string;
  scopes: readonly ApiKeyScope[];
}

/**
 * The audit actor label of a key's changes: `api-key` (the intake's label, which the admin's
 * 操作履歴 shows as APIキー) followed by the key's name and prefix, so the merchant can tell
 * which integration made the change.
 */
export const apiKeyActorLabel = (p: ApiPrincipal): string => `api-key ${p.name} (${p.keyPrefix})`;

/**
 * A unit of work of the key's tenant for one REST request: the services the admin uses then read
 * and change only that tenant's rows, and record changes under the key's name.
 */
export function apiKeyScope(deps: AppDeps, principal: ApiPrincipal, req: Request): TenantScope {
  const em = forkEm(deps.orm);
  return {
    deps,
    em,
    tenantId: principal.tenantId,
    repos: tenantRepositories(em, principal.tenantId),
    actor: { userId: null, label: apiKeyActorLabel(principal), ip: req.ip ?? null },
  };
}

/**
 * Resolves the REST API key (`Authorization: Bearer <key>` or `X-API-Key`) to its tenant and
 * scopes, and holds each key to its per-second budget (auth/api-key-rate-limiter.ts). Keys are
 * compared by SHA-256 (unique index). A short cache keeps the hot intake path to one lookup per
 * key per 30 s; a revoked key stops working within that time.
 */
export class ApiKeyAuthenticator {
  readonly #cache = new Map<string, { principal: ApiPrincipal | null; until: number }>();
  constructor(
    private readonly orm: Orm,
    private readonly rate: ApiKeyRateLimiter,
    private readonly now: () => number = Date.now,
  ) {}

  static keyOf(req: Request): string | null {
    const auth = req.get('authorization');
    if (auth !== undefined && /^Bearer\s+/i.test(auth))
      return auth.replace(/^Bearer\s+/i, '').trim() || null;
    const header = req.get('x-api-key');
    return header === undefined || header.trim() === '' ? null : header.trim();
  }

  /** The key's tenant, scopes and name, or null for an unknown or revoked key. */
  async principalFor(key: string): Promise<ApiPrincipal | null> {
    const hash = sha256Hex(key);
    const cached = this.#cache.get(hash);
    if (cached !== undefined && cached.until > this.now()) return cached.principal;
    const em = forkEm(this.orm);
    const row = await new TenantResolver(em).apiKeyByHash(hash);
    if (row !== null) {
      row.lastUsedAt = new Date(this.now());
      await em.flush();
    }
    const principal =
      row === null
        ? null
        : {
            tenantId: row.tenant.id,
            keyId: row.id,
            name: row.name,
            keyPrefix: row.keyPrefix,
            scopes: scopesOf(row),
          };
    if (this.#cache.size > 10_000) this.#cache.clear();
    this.#cache.set(hash, { principal, until: this.now() + CACHE_MS });
    return principal;
  }

  async tenantFor(key: string): Promise<string | null> {
    return (await this.principalFor(key))?.tenantId ?? null;
  }

  /**
   * The request's key when it holds `scope` and has budget left; otherwise answers 401 (no or
   * unknown key), 429 (over the key's per-second budget, with `Retry-After`) or 403 naming the
   * missing scope (problem+json, `WWW-Authenticate` as RFC 6750 says) and returns null. Every
   * request of a known key takes from its budget, and every answer to it carries the
   * `RateLimit-*` headers: every keyed route passes here, so none escapes the limit.
   */
  async authorize(req: Request, res: Response, scope: ApiKeyScope): Promise<ApiPrincipal | null> {
    const key = ApiKeyAuthenticator.keyOf(req);
    const principal = key === null ? null : await this.principalFor(key);
    if (principal === null) {
      res.set('WWW-Authenticate', 'Bearer');
      sendProblem(
        res,
        new AppError('UNAUTHORIZED', {
          ja: 'APIキーが正しくありません',
          en: 'Missing or invalid API key',
        }),
      );
      return null;
    }
    if (!withinBudget(res, await this.rate.take(principal.keyId))) return null;
    if (!principal.scopes.includes(scope)) {
      res.set('WWW-Authenticate', `Bearer error="insufficient_scope", scope="${scope}"`);
      sendProblem(
        res,
        new AppError(
          'FORBIDDEN',
          {
            ja: `このAPIキーには権限 ${scope} がありません。管理画面のAPIキーで権限を持つキーを発行してください`,
            en: `This API key lacks the scope ${scope}; issue a key with it in the admin's API keys`,
          },
          [],
          { missingScope: scope, scopes: principal.scopes },
        ),
      );
      return null;
    }
    return principal;
  }

  /**
   * Forgets a key (by its SHA-256): the next request with it asks the database, so a key revoked
   * through this process stops working at once (other processes: within their cache time).
   */
  forget(keyHash: string): void {
    this.#cache.delete(keyHash);
  }
}

/**
 * Writes the key's budget into the answer (RateLimit header fields, IETF httpapi draft 07:
 * `RateLimit-Limit`, `-Remaining`, `-Reset` in seconds, `RateLimit-Policy: <limit>;w=<seconds>`);
 * over the budget, answers 429 with `Retry-After` and returns false.
 */
function withinBudget(res: Response, d: KeyRateDecision): boolean {
  res.set({
    'RateLimit-Limit': String(d.limit),
    'RateLimit-Remaining': String(d.remaining),
    'RateLimit-Reset': String(d.resetSeconds),
    'RateLimit-Policy': `${d.limit};w=${d.windowSeconds}`,
  });
  if (d.allowed) return true;
  res.set('Retry-After', String(d.resetSeconds));
  sendProblem(
    res,
    new AppError(
      'TOO_MANY_REQUESTS',
      {
        ja: `このAPIキーのリクエストが多すぎます(毎秒${d.limit}件まで)。${d.resetSeconds}秒後にもう一度送ってください`,
        en: `Too many requests with this API key (at most ${d.limit} per second); retry in ${d.resetSeconds} s`,
      },
      [],
      { limit: d.limit, retryAfterSeconds: d.resetSeconds },
    ),
  );
  return false;
}
