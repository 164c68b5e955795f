import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import type { MessageRef } from '@renkei/domain';
import { idColumn } from '../ids.js';
import { storedMessage } from '../stored-message.js';
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
  /**
   * What the merchant reads, as a code of the domain's message catalog with its parameters:
   * rendered in the reader's language when read (see {@link syncEventMessage}).
   */
  messageCode!: string;
  messageParams!: Record<string, unknown>;
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
    messageCode: { type: 'string', length: 50 },
    messageParams: { type: 'json' },
    detail: { type: 'json', nullable: true },
    operationId: { type: 'string', length: 36, nullable: true },
    at: { ...dateTimeColumn, onCreate: () => new Date() },
  },
});

/**
 * The message of a sync event, ready to render. A code this version does not know (a row written
 * by a newer one) shows as its code rather than failing the whole log.
 */
export function syncEventMessage(
  event: Pick<SyncEvent, 'messageCode' | 'messageParams'>,
): MessageRef {
  return storedMessage(event.messageCode, event.messageParams)!;
}
