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
  ) {}

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
    await em.flush();
  }

  async delete(contractId: string): Promise<void> {
    const tenantId = await this.tenantOf(contractId);
    if (tenantId === null) return;
    await forkEm(this.orm).nativeDelete(SmaregiToken, { tenant: tenantId, kind: 'appAccess' });
  }
}
