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
  /** An outbound webhook endpoint of the tenant (docs/webhooks.md). */
  'webhookEndpoint',
] as const;
export type SyncSubjectType = (typeof SYNC_SUBJECT_TYPES)[number];
export const SYNC_OUTCOMES = ['info', 'success', 'warning', 'failure'] as const;
export type SyncOutcome = (typeof SYNC_OUTCOMES)[number];

/**
 * Every kind of sync event Renkei records, by subject. Whoever records an event names one of
 * these (`SyncEventInput.kind`), so the 連携ログ can offer each as a filter with words for it;
 * rows written by another version may hold a kind not listed here and still read back.
 */
export const SYNC_EVENT_KINDS = [
  'order.received',
  'order.updated',
  'order.waiting',
  'order.invalid',
  'order.statusChanged',
  'order.retryRequested',
  'order.registered',
  'order.registrationFailed',
  'order.codeCollision',
  'order.needsCheck',
  'order.withdrawn',
  'order.allocated',
  'order.allocationFailed',
  'order.allocationShort',
  'order.allocationSettingMissing',
  'order.allocatedStatus',
  'order.actionSkipped',
  'order.shippingQueued',
  'order.shipped',
  'order.shippingFailed',
  'order.canceled',
  'order.cancelRetry',
  'order.cancelRefused',
  'order.reinstated',
  'products.importRequested',
  'product.imported',
  'product.importCanceled',
  'product.followedSmaregi',
  'product.changeNotTaken',
  'stock.reconciled',
  'stock.allocationSourceOff',
  'stock.warehouseMissing',
  'stock.recomputed',
  'stock.recomputeFailed',
  'connection.reauthRequired',
  'connection.subscriptionEnded',
  'connection.subscriptionNoticeUnconfirmed',
  'webhookEndpoint.failing',
  'webhookEndpoint.recovered',
] as const;
export type SyncEventKind = (typeof SYNC_EVENT_KINDS)[number];

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
  /** One of {@link SYNC_EVENT_KINDS} (a row of another version may hold another). */
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
    // One subject's story in time order: the order page (Migration20261202050000).
    {
      name: 'sync_events_tenant_subject_at_idx',
      properties: ['tenant', 'subjectType', 'subjectId', 'at'],
    },
    { name: 'sync_events_tenant_at_idx', properties: ['tenant', 'at'] },
    // The 連携ログ's filters, newest first (Migration20261202030000).
    { name: 'sync_events_tenant_kind_at_idx', properties: ['tenant', 'kind', 'at'] },
    { name: 'sync_events_tenant_outcome_at_idx', properties: ['tenant', 'outcome', 'at'] },
    { name: 'sync_events_tenant_subject_type_at_idx', properties: ['tenant', 'subjectType', 'at'] },
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
