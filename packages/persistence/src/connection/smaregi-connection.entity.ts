import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { idColumn } from '../ids.js';
import { dateTimeColumn } from '../columns.js';
import { Tenant } from '../tenancy/tenant.entity.js';

/** 未認証 / 有効化済み / 要再認証 */
export const CONNECTION_STATUSES = ['unauthenticated', 'active', 'reauthRequired'] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];

/**
 * The tenant's link to its Smaregi contract. `contractId` is unique across tenants: the webhook
 * receiver maps `Smaregi-Contract-Id` to exactly one tenant through it.
 */
export class SmaregiConnection {
  [OptionalProps]?: 'status' | 'scopes' | 'statusChangedAt' | 'updatedAt';
  id!: string;
  tenant!: Tenant;
  contractId?: string | null;
  status: ConnectionStatus = 'unauthenticated';
  /** Why re-authorisation is needed (`invalid_grant`, `app subscription ended`...). */
  statusReason?: string | null;
  scopes: string[] = [];
  connectedAt?: Date | null;
  statusChangedAt: Date = new Date();
  lastError?: string | null;
  /**
   * The worker's read of the contract's 受注店舗 (their 販売区分 hold orders): when the latest
   * read was started by any worker process (a claim, so that two processes do not both read),
   * and when the latest one ended. Kept here, not in a process, because the order loop's tick
   * moves between processes (apps/worker, `OrderStoreRefresh`).
   */
  orderStoresReadStartedAt?: Date | null;
  orderStoresReadAt?: Date | null;
  updatedAt: Date = new Date();
}

export const SmaregiConnectionSchema = new EntitySchema<SmaregiConnection>({
  class: SmaregiConnection,
  tableName: 'smaregi_connections',
  properties: {
    id: { ...idColumn },
    tenant: {
      kind: '1:1',
      entity: () => Tenant,
      owner: true,
      deleteRule: 'cascade',
      unique: 'smaregi_connections_tenant_unique',
    },
    contractId: {
      type: 'string',
      length: 100,
      nullable: true,
      unique: 'smaregi_connections_contract_unique',
    },
    status: { type: 'string', length: 20, default: 'unauthenticated' },
    statusReason: { type: 'text', nullable: true },
    scopes: { type: 'json' },
    connectedAt: { ...dateTimeColumn, nullable: true },
    statusChangedAt: { ...dateTimeColumn, onCreate: () => new Date() },
    lastError: { type: 'text', nullable: true },
    orderStoresReadStartedAt: { ...dateTimeColumn, nullable: true },
    orderStoresReadAt: { ...dateTimeColumn, nullable: true },
    updatedAt: { ...dateTimeColumn, onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});
