import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { idColumn } from '../ids.js';
import { dateTimeColumn } from '../columns.js';
import { Tenant } from '../tenancy/tenant.entity.js';

/**
 * pending → in_flight (marked before the remote call, with a lease) → succeeded | failed, or
 * unknown when the call's outcome could not be observed (timeout, reset, 5xx, expired lease):
 * an unknown operation is resolved by reading Smaregi before anything is sent again.
 */
export const OPERATION_STATES = ['pending', 'in_flight', 'succeeded', 'failed', 'unknown'] as const;
export type OperationState = (typeof OPERATION_STATES)[number];

/** Kinds of remote effects in the ledger (docs/reliability.md item 1). */
export const OPERATION_KINDS = [
  'registerOrder',
  'allocateOrder',
  'shipOrders',
  'cancelOrder',
  'changeStock',
  'importProducts',
  'applyWebhook',
] as const;
export type OperationKind = (typeof OPERATION_KINDS)[number];

/**
 * Operation ledger: one row per intended remote effect, unique on (tenant, kind, businessKey),
 * written in the same transaction as the change that caused it.
 */
export class Operation {
  [OptionalProps]?: 'state' | 'attempts' | 'createdAt' | 'updatedAt';
  id!: string;
  tenant!: Tenant;
  kind!: OperationKind;
  /** e.g. `order:<orderId>` for registerOrder. */
  businessKey!: string;
  state: OperationState = 'pending';
  attempts = 0;
  leaseUntil?: Date | null;
  /** The worker process holding the lease (diagnostics; the lease itself decides). */
  leasedBy?: string | null;
  nextAttemptAt?: Date | null;
  lastError?: string | null;
  /** The ID Smaregi gave the effect (orderHeadId...). */
  remoteId?: string | null;
  subjectType?: string | null;
  subjectId?: string | null;
  payload?: Record<string, unknown> | null;
  createdAt: Date = new Date();
  updatedAt: Date = new Date();
}

export const OperationSchema = new EntitySchema<Operation>({
  class: Operation,
  tableName: 'operations',
  uniques: [
    { name: 'operations_tenant_kind_key_unique', properties: ['tenant', 'kind', 'businessKey'] },
  ],
  indexes: [
    { name: 'operations_state_next_idx', properties: ['state', 'nextAttemptAt'] },
    { name: 'operations_tenant_subject_idx', properties: ['tenant', 'subjectType', 'subjectId'] },
    // The due and deferred scans of one tenant and kind (order loop, webhook inbox).
    {
      name: 'operations_tenant_kind_state_next_idx',
      properties: ['tenant', 'kind', 'state', 'nextAttemptAt'],
    },
  ],
  properties: {
    id: { ...idColumn },
    tenant: { kind: 'm:1', entity: () => Tenant, deleteRule: 'cascade' },
    kind: { type: 'string', length: 30 },
    businessKey: { type: 'string', length: 200 },
    state: { type: 'string', length: 20, default: 'pending' },
    attempts: { type: 'integer', default: 0 },
    leaseUntil: { ...dateTimeColumn, nullable: true },
    leasedBy: { type: 'string', length: 100, nullable: true },
    nextAttemptAt: { ...dateTimeColumn, nullable: true },
    lastError: { type: 'text', nullable: true },
    remoteId: { type: 'string', length: 100, nullable: true },
    subjectType: { type: 'string', length: 30, nullable: true },
    subjectId: { type: 'string', length: 36, nullable: true },
    payload: { type: 'json', nullable: true },
    createdAt: { ...dateTimeColumn, onCreate: () => new Date() },
    updatedAt: { ...dateTimeColumn, onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});
