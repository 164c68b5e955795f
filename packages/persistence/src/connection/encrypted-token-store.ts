import { createHash } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import pg from 'pg';
import { forkEm, type Orm } from '../config.js';
import { TenantResolver } from '../repositories.js';
import type { TokenVault } from '../security/token-vault.js';
import { Tenant } from '../tenancy/tenant.entity.js';
import { SmaregiToken } from './smaregi-token.entity.js';

/**
 * An app access token as `@renkei/smaregi-client`'s `TokenStore` sees it (declared here
 * structurally so storage does not depend on the HTTP client).
 */
export interface StoredAppToken {
  accessToken: string;
  /** Epoch ms. */
  expiresAt: number;
  scopes: string[];
}

/** Options of {@link EncryptedTokenStore}. */
export interface EncryptedTokenStoreOptions {
  /**
   * How long `withLock` waits for another process that is refreshing the same contract's token
   * before it gives up with an error (PostgreSQL `lock_timeout`). Default 45 s: longer than one
   * token request with the client's default 30 s timeout, so a healthy holder is always waited
   * for, while a stuck one cannot block callers forever.
   */
  lockWaitMs?: number;
}

/** Thrown by `withLock` when another process held the contract's token lock for too long. */
export class TokenLockTimeoutError extends Error {
  constructor(contractId: string, waitedMs: number) {
    super(
      `EncryptedTokenStore.withLock: another process held the token lock of contract ${contractId} for more than ${waitedMs} ms`,
    );
    this.name = 'TokenLockTimeoutError';
  }
}

/**
 * The advisory lock key of a contract's token: the first 8 bytes of SHA-256 over a namespaced
 * name, as a signed 64-bit integer (decimal string, so no precision is lost in JavaScript).
 * Namespacing keeps it apart from the other advisory locks taken on the same database.
 */
export function tokenLockKey(contractId: string): string {
  const digest = createHash('sha256').update(`smaregi-token:${contractId}`).digest();
  return digest.readBigInt64BE(0).toString();
}

/**
 * The client's `TokenStore` backed by the database: app access tokens are kept encrypted (token
 * vault, tenant as associated data) in `smaregi_tokens`, so the API and every worker share one
 * token per contract instead of each asking Smaregi for its own. Pass it as
 * `createSmaregiClient({ tokenStore: new EncryptedTokenStore(orm, vault) })`.
 */
export class EncryptedTokenStore {
  constructor(
    private readonly orm: Orm,
    private readonly vault: TokenVault,
    private readonly options: EncryptedTokenStoreOptions = {},
  ) {
    const wait = options.lockWaitMs;
    if (wait !== undefined && (!Number.isInteger(wait) || wait <= 0)) {
      throw new Error('EncryptedTokenStore: lockWaitMs must be a positive integer (ms)');
    }
  }

  /**
   * Runs `fn` while holding the contract's token lock, shared by every process on the database,
   * so that processes finding the token expired together make one token request between them
   * (the client re-reads the store inside `fn` and only asks Smaregi if the token is still stale).
   *
   * PostgreSQL: a transaction-scoped advisory lock (`pg_advisory_xact_lock`) on a dedicated
   * connection, held until `fn` settles; the server releases it if this process dies. The wait is
   * bounded by `lock_timeout` ({@link EncryptedTokenStoreOptions.lockWaitMs}), after which a
   * {@link TokenLockTimeoutError} is thrown. The connection is opened for the call and not taken
   * from the ORM's pool: `fn` reads and writes the token through the pool, and a lock connection
   * taken from that same pool could starve it (N contracts refreshing at once with a pool of N
   * would each hold one connection while waiting for another). It is opened once per token
   * refresh, which is rare. `fn`'s reads run on other connections in READ COMMITTED, so they see
   * the token another process committed before releasing the lock.
   *
   * SQLite: `fn` runs directly. A SQLite database is served by a single worker process by design
   * (see the README), and within one process the client already makes a single request per
   * contract.
   */
  async withLock<T>(contractId: string, fn: () => Promise<T>): Promise<T> {
    if (!(this.orm.config.getDriver() instanceof PostgreSqlDriver)) return fn();
    const url = this.orm.config.get('clientUrl');
    if (url === undefined) throw new Error('EncryptedTokenStore.withLock: no PostgreSQL URL');
    const waitMs = this.options.lockWaitMs ?? 45_000;
    const client = new pg.Client({ connectionString: url, application_name: 'renkei-token-lock' });
    // A dropped connection emits 'error'; without a listener that would crash the process. The
    // query in flight (if any) rejects on its own, and the lock dies with the connection.
    client.on('error', () => undefined);
    await client.connect();
    let healthy = true;
    try {
      await client.query('BEGIN');
      // SET LOCAL takes no bind parameters; waitMs is a validated integer.
      await client.query(`SET LOCAL lock_timeout = ${String(waitMs)}`);
      try {
        await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [tokenLockKey(contractId)]);
      } catch (error) {
        if ((error as { code?: unknown }).code === '55P03') {
          throw new TokenLockTimeoutError(contractId, waitMs);
        }
        throw error;
      }
      return await fn();
    } catch (error) {
      healthy = false;
      throw error;
    } finally {
      // Ending the transaction releases the lock; COMMIT and ROLLBACK do the same here (the
      // transaction wrote nothing). If that fails, closing the connection releases it too.
      await client.query(healthy ? 'COMMIT' : 'ROLLBACK').catch(() => undefined);
      await client.end().catch(() => undefined);
    }
  }

  private async tenantOf(contractId: string): Promise<string | null> {
    const connection = await new TenantResolver(forkEm(this.orm)).connectionByContract(contractId);
    return connection?.tenant.id ?? null;
  }

  async get(contractId: string): Promise<StoredAppToken | undefined> {
    const em = forkEm(this.orm);
    const connection = await new TenantResolver(em).connectionByContract(contractId);
    if (connection === null) return undefined;
    const row = await em.findOne(SmaregiToken, {
      tenant: connection.tenant.id,
      kind: 'appAccess',
      contractId,
    });
    if (row === null) return undefined;
    try {
      return {
        accessToken: this.vault.decrypt(row.ciphertext, row.keyId, connection.tenant.id),
        expiresAt: row.expiresAt?.getTime() ?? 0,
        scopes: (row.scope ?? '').split(' ').filter((s) => s !== ''),
      };
    } catch {
      // A token that no longer decrypts (key removed) is as good as none: fetch a new one.
      return undefined;
    }
  }

  async set(contractId: string, token: StoredAppToken): Promise<void> {
    const tenantId = await this.tenantOf(contractId);
    if (tenantId === null) return; // disconnected meanwhile: do not keep a token for nobody
    const em = forkEm(this.orm);
    const { ciphertext, keyId } = this.vault.encrypt(token.accessToken, tenantId);
    const row =
      (await em.findOne(SmaregiToken, { tenant: tenantId, kind: 'appAccess' })) ??
      em.create(SmaregiToken, {
        tenant: em.getReference(Tenant, tenantId),
        kind: 'appAccess',
        contractId,
        ciphertext,
        keyId,
      });
    row.contractId = contractId;
    row.ciphertext = ciphertext;
    row.keyId = keyId;
    row.scope = token.scopes.join(' ');
    row.expiresAt = new Date(token.expiresAt);
    try {
      await em.flush();
    } catch (error) {
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
      // Another process inserted the contract's first token between our read and our insert
      // (a caller without the lock, e.g. an older process): the newest token wins, as an update.
      // The error is not passed on: its message carries the ciphertext.
      await forkEm(this.orm).nativeUpdate(
        SmaregiToken,
        { tenant: tenantId, kind: 'appAccess' },
        { contractId, ciphertext, keyId, scope: row.scope, expiresAt: row.expiresAt },
      );
    }
  }

  async delete(contractId: string): Promise<void> {
    const tenantId = await this.tenantOf(contractId);
    if (tenantId === null) return;
    await forkEm(this.orm).nativeDelete(SmaregiToken, { tenant: tenantId, kind: 'appAccess' });
  }
}
