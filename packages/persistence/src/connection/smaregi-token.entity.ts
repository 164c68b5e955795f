import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { idColumn } from '../ids.js';
import { dateTimeColumn } from '../columns.js';
import { Tenant } from '../tenancy/tenant.entity.js';

export const TOKEN_KINDS = ['userAccess', 'userRefresh', 'appAccess'] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number];

/**
 * One Smaregi token, encrypted at rest (AES-256-GCM by the API's token vault: `ciphertext` holds
 * `iv.tag.data` in base64url, `keyId` names the key so keys can rotate, the tenant ID is the
 * associated data so a row copied to another tenant does not decrypt).
 */
export class SmaregiToken {
  [OptionalProps]?: 'updatedAt';
  id!: string;
  tenant!: Tenant;
  kind!: TokenKind;
  contractId!: string;
  ciphertext!: string;
  keyId!: string;
  scope?: string | null;
  expiresAt?: Date | null;
  updatedAt: Date = new Date();
}

export const SmaregiTokenSchema = new EntitySchema<SmaregiToken>({
  class: SmaregiToken,
  tableName: 'smaregi_tokens',
  uniques: [{ name: 'smaregi_tokens_tenant_kind_unique', properties: ['tenant', 'kind'] }],
  properties: {
    id: { ...idColumn },
    tenant: { kind: 'm:1', entity: () => Tenant, deleteRule: 'cascade' },
    kind: { type: 'string', length: 20 },
    contractId: { type: 'string', length: 100 },
    ciphertext: { type: 'text', hidden: true },
    keyId: { type: 'string', length: 64 },
    scope: { type: 'text', nullable: true },
    expiresAt: { ...dateTimeColumn, nullable: true },
    updatedAt: { ...dateTimeColumn, onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});
