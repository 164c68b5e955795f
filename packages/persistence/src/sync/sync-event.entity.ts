import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { idColumn } from '../ids.js';
import { dateTimeColumn } from '../columns.js';
import { Tenant } from '../tenancy/tenant.entity.js';

export const SYNC_SUBJECT_TYPES = [
  'order',
  'product',
  'productImport',
  'stock',
  'connection',
  'webhook',
] as const;
export type SyncSubjectType = (typeof SYNC_SUBJECT_TYPES)[number];
export const SYNC_OUTCOMES = ['info', 'success', 'warning', 'failure'] as const;
export type SyncOutcome = (typeof SYNC_OUTCOMES)[number];

/**
 * One line of sync history: what happened to an order / product / import and why. The sync log
 * is these rows for the tenant; an order's history is these rows for that order.
 */
export class SyncEvent {
  [OptionalProps]?: 'at';
  id!: string;
  tenant!: Tenant;
  subjectType!: SyncSubjectType;
  subjectId?: string | null;
  /** e.g. `order.received`, `order.registered`, `order.retryRequested`, `product.imported`. */
  kind!: string;
  outcome!: SyncOutcome;
  message!: string;
  detail?: Record<string, unknown> | null;
  operationId?: string | null;
  at: Date = new Date();
}

export const SyncEventSchema = new EntitySchema<SyncEvent>({
  class: SyncEvent,
  tableName: 'sync_events',
  indexes: [
    { name: 'sync_events_tenant_subject_idx', properties: ['tenant', 'subjectType', 'subjectId'] },
    { name: 'sync_events_tenant_at_idx', properties: ['tenant', 'at'] },
  ],
  properties: {
    id: { ...idColumn },
    tenant: { kind: 'm:1', entity: () => Tenant, deleteRule: 'cascade' },
    subjectType: { type: 'string', length: 20 },
    subjectId: { type: 'string', length: 36, nullable: true },
    kind: { type: 'string', length: 50 },
    outcome: { type: 'string', length: 10 },
    message: { type: 'text' },
    detail: { type: 'json', nullable: true },
    operationId: { type: 'string', length: 36, nullable: true },
    at: { ...dateTimeColumn, onCreate: () => new Date() },
  },
});
