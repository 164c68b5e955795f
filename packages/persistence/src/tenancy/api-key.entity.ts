import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { idColumn } from '../ids.js';
import { dateTimeColumn } from '../columns.js';
import { Tenant } from './tenant.entity.js';

/**
 * Per-tenant key for the REST order intake. Only the SHA-256 of the key is stored: keys are 32+
 * random bytes, so a fast hash is enough (a slow KDF protects low-entropy passwords, not these),
 * and the lookup by hash stays O(1) on every intake request.
 */
export class ApiKey {
  [OptionalProps]?: 'createdAt';
  id!: string;
  tenant!: Tenant;
  name!: string;
  keyHash!: string;
  /** First characters of the key, shown in the admin so the merchant can tell keys apart. */
  keyPrefix!: string;
  createdAt: Date = new Date();
  lastUsedAt?: Date | null;
  revokedAt?: Date | null;
}

export const ApiKeySchema = new EntitySchema<ApiKey>({
  class: ApiKey,
  tableName: 'api_keys',
  properties: {
    id: { ...idColumn },
    tenant: { kind: 'm:1', entity: () => Tenant, deleteRule: 'cascade' },
    name: { type: 'string', length: 200 },
    keyHash: { type: 'string', length: 64, unique: 'api_keys_key_hash_unique' },
    keyPrefix: { type: 'string', length: 16 },
    createdAt: { ...dateTimeColumn, onCreate: () => new Date() },
    lastUsedAt: { ...dateTimeColumn, nullable: true },
    revokedAt: { ...dateTimeColumn, nullable: true },
  },
});
