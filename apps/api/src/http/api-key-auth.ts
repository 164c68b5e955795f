import { forkEm, TenantResolver, type Orm } from '@renkei/persistence';
import type { Request } from 'express';
import { sha256Hex } from '../security/secrets.js';

/** How long a resolved key is trusted before the database is asked again (revocation delay). */
const CACHE_MS = 30_000;

/**
 * Resolves the intake API key (`Authorization: Bearer <key>` or `X-API-Key`) to its tenant. Keys
 * are compared by SHA-256 (unique index). A short cache keeps the hot intake path to one lookup
 * per key per 30 s; a revoked key stops working within that time.
 */
export class ApiKeyAuthenticator {
  readonly #cache = new Map<
    string,
    { tenantId: string | null; keyId: string | null; until: number }
  >();
  constructor(
    private readonly orm: Orm,
    private readonly now: () => number = Date.now,
  ) {}

  static keyOf(req: Request): string | null {
    const auth = req.get('authorization');
    if (auth !== undefined && /^Bearer\s+/i.test(auth))
      return auth.replace(/^Bearer\s+/i, '').trim() || null;
    const header = req.get('x-api-key');
    return header === undefined || header.trim() === '' ? null : header.trim();
  }

  async tenantFor(key: string): Promise<string | null> {
    const hash = sha256Hex(key);
    const cached = this.#cache.get(hash);
    if (cached !== undefined && cached.until > this.now()) return cached.tenantId;
    const em = forkEm(this.orm);
    const row = await new TenantResolver(em).apiKeyByHash(hash);
    if (row !== null) {
      row.lastUsedAt = new Date(this.now());
      await em.flush();
    }
    if (this.#cache.size > 10_000) this.#cache.clear();
    this.#cache.set(hash, {
      tenantId: row?.tenant.id ?? null,
      keyId: row?.id ?? null,
      until: this.now() + CACHE_MS,
    });
    return row?.tenant.id ?? null;
  }

  /**
   * Forgets a key (by its SHA-256): the next request with it asks the database, so a key revoked
   * through this process stops working at once (other processes: within their cache time).
   */
  forget(keyHash: string): void {
    this.#cache.delete(keyHash);
  }
}
