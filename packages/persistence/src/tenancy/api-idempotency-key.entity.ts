import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { dateTimeColumn } from '../columns.js';
import { idColumn } from '../ids.js';
import { Tenant } from './tenant.entity.js';

/**
 * The answer given to a REST API v1 request sent with an `Idempotency-Key` header, kept per
 * tenant until `expiresAt`: the same key with the same request gets this answer again instead of
 * a second change; the same key with another request is refused (`requestHash` differs). Written
 * in the transaction of the change it answers, so a change and its key are kept together or not
 * at all.
 */
export class ApiIdempotencyKey {
  [OptionalProps]?: 'createdAt';
  id!: string;
  tenant!: Tenant;
  /** The client's `Idempotency-Key` header. */
  idempotencyKey!: string;
  /** SHA-256 (hex) of the method, path and body the key was first used with. */
  requestHash!: string;
  responseStatus!: number;
  responseBody!: unknown;
  /** The answer's `ETag`, when it had one. */
  responseEtag?: string | null;
  /** The answer's `Content-Language` (null on keys kept before Migration20261203040000). */
  responseLanguage?: string | null;
  createdAt: Date = new Date();
  expiresAt!: Date;
}

export const ApiIdempotencyKeySchema = new EntitySchema<ApiIdempotencyKey>({
  class: ApiIdempotencyKey,
  tableName: 'api_idempotency_keys',
  uniques: [
    {
      name: 'api_idempotency_keys_tenant_key_unique',
      properties: ['tenant', 'idempotencyKey'],
    },
  ],
  indexes: [
    { name: 'api_idempotency_keys_tenant_expires_idx', properties: ['tenant', 'expiresAt'] },
  ],
  properties: {
    id: { ...idColumn },
    tenant: { kind: 'm:1', entity: () => Tenant, deleteRule: 'cascade' },
    idempotencyKey: { type: 'string', length: 255 },
    requestHash: { type: 'string', length: 64 },
    responseStatus: { type: 'integer' },
    responseBody: { type: 'json' },
    responseEtag: { type: 'string', length: 100, nullable: true },
    responseLanguage: { type: 'string', length: 10, nullable: true },
    createdAt: { ...dateTimeColumn, onCreate: () => new Date() },
    expiresAt: { ...dateTimeColumn },
  },
});
