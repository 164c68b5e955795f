import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { idColumn } from '../ids.js';
import { dateTimeColumn } from '../columns.js';
import { Tenant } from './tenant.entity.js';

/**
 * What a key may do on the REST API v1: create and change orders, read them, read stock, manage
 * the tenant's outbound webhook endpoints. A key holds any of them, chosen when it is made.
 */
export const API_KEY_SCOPES = ['orders:write', 'orders:read', 'stock:read', 'webhooks:manage'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/**
 * The scopes of a key made without a choice, which every key made before scopes existed was given
 * (Migration20261202060000). `webhooks:manage` came later and is never given unasked: a key can
 * register URLs that receive the tenant's orders only when the merchant chose so. The column's
 * default stays this text, so no stored key gains the new scope and no migration is needed.
 */
export const DEFAULT_API_KEY_SCOPES = [
  'orders:write',
  'orders:read',
  'stock:read',
] as const satisfies readonly ApiKeyScope[];

/** The `scopes` column of a key holding these scopes (space-separated, as OAuth's `scope`). */
export const scopesColumn = (scopes: readonly ApiKeyScope[]): string =>
  API_KEY_SCOPES.filter((s) => scopes.includes(s)).join(' ');

/** A key's scopes, in {@link API_KEY_SCOPES} order (a word of another version is ignored). */
export function scopesOf(key: Pick<ApiKey, 'scopes'>): ApiKeyScope[] {
  const words = new Set(key.scopes.split(' '));
  return API_KEY_SCOPES.filter((s) => words.has(s));
}

const DEFAULT_SCOPES = scopesColumn(DEFAULT_API_KEY_SCOPES);

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
  scopes: string = DEFAULT_SCOPES;
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
    scopes: { type: 'string', length: 200, default: DEFAULT_SCOPES },
    createdAt: { ...dateTimeColumn, onCreate: () => new Date() },
    lastUsedAt: { ...dateTimeColumn, nullable: true },
    revokedAt: { ...dateTimeColumn, nullable: true },
  },
});
