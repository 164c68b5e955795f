import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { idColumn } from '../ids.js';
import { dateTimeColumn } from '../columns.js';
import { Tenant } from './tenant.entity.js';

/**
 * What a key may do on the REST API v1: create and change orders, read them, read stock. A key
 * holds any of them; keys made before scopes existed hold all three (Migration20261202060000), so
 * no integrator's key stopped working.
 */
export const API_KEY_SCOPES = ['orders:write', 'orders:read', 'stock:read'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** The `scopes` column of a key holding these scopes (space-separated, as OAuth's `scope`). */
export const scopesColumn = (scopes: readonly ApiKeyScope[]): string =>
  API_KEY_SCOPES.filter((s) => scopes.includes(s)).join(' ');

/** A key's scopes, in {@link API_KEY_SCOPES} order (a word of another version is ignored). */
export function scopesOf(key: Pick<ApiKey, 'scopes'>): ApiKeyScope[] {
  const words = new Set(key.scopes.split(' '));
  return API_KEY_SCOPES.filter((s) => words.has(s));
}

const ALL_SCOPES = scopesColumn(API_KEY_SCOPES);

/**
 * Per-tenant key for the REST API v1. Only the SHA-256 of the key is stored: keys are 32+
 * random bytes, so a fast hash is enough (a slow KDF protects low-entropy passwords, not these),
 * and the lookup by hash stays O(1) on every intake request.
 */
export class ApiKey {
  [OptionalProps]?: 'createdAt' | 'scopes';
  id!: string;
  tenant!: Tenant;
  name!: string;
  keyHash!: string;
  /** First characters of the key, shown in the admin so the merchant can tell keys apart. */
  keyPrefix!: string;
  /** {@link API_KEY_SCOPES} held, space-separated (read with {@link scopesOf}). */
  scopes: string = ALL_SCOPES;
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
    scopes: { type: 'string', length: 200, default: ALL_SCOPES },
    createdAt: { ...dateTimeColumn, onCreate: () => new Date() },
    lastUsedAt: { ...dateTimeColumn, nullable: true },
    revokedAt: { ...dateTimeColumn, nullable: true },
  },
});
