import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { idColumn } from '../ids.js';
import { dateTimeColumn } from '../columns.js';
import { Tenant } from '../tenancy/tenant.entity.js';

export const IMPORT_RUN_STATES = ['queued', 'running', 'succeeded', 'failed', 'canceled'] as const;
export type ImportRunState = (typeof IMPORT_RUN_STATES)[number];

/**
 * What a run does with the products Renkei already has: `createNew` is
 * [スマレジから新規商品情報一括取得] (only products not yet in the list are created; known ones
 * are counted as skipped and left as they are), `createAndUpdate` is [スマレジから商品情報一括更新]
 * (new ones are created, known ones take Smaregi's code, name and price).
 */
export const IMPORT_RUN_MODES = ['createNew', 'createAndUpdate'] as const;
export type ImportRunMode = (typeof IMPORT_RUN_MODES)[number];

/**
 * スマレジから新規商品情報一括取得: one run of the product import. The worker pages through
 * Smaregi's products and commits `cursor` (the next page to read) with each page's upserts, so a
 * crashed run resumes where it stopped; the counters are the progress the admin shows.
 * Smaregi does not say how many products it has, so `expectedTotal` is the estimate taken when the
 * run was asked for (null when there is nothing to go by: the first import). A merchant may cancel
 * a queued or running run (`canceledBy`); the worker's page commit only lands on a running run.
 */
export class ProductImportRun {
  [OptionalProps]?:
    | 'state'
    | 'pagesDone'
    | 'processed'
    | 'created'
    | 'updated'
    | 'skipped'
    | 'failed'
    | 'mode'
    | 'createdAt'
    | 'updatedAt';
  id!: string;
  tenant!: Tenant;
  state: ImportRunState = 'queued';
  /** Runs from before modes existed did what `createAndUpdate` does. */
  mode: ImportRunMode = 'createAndUpdate';
  expectedTotal?: number | null;
  cursor?: string | null;
  pagesDone = 0;
  processed = 0;
  created = 0;
  updated = 0;
  skipped = 0;
  failed = 0;
  requestedBy?: string | null;
  canceledBy?: string | null;
  startedAt?: Date | null;
  finishedAt?: Date | null;
  lastError?: string | null;
  createdAt: Date = new Date();
  updatedAt: Date = new Date();
}

export const ProductImportRunSchema = new EntitySchema<ProductImportRun>({
  class: ProductImportRun,
  tableName: 'product_import_runs',
  indexes: [{ name: 'product_import_runs_tenant_state_idx', properties: ['tenant', 'state'] }],
  properties: {
    id: { ...idColumn },
    tenant: { kind: 'm:1', entity: () => Tenant, deleteRule: 'cascade' },
    state: { type: 'string', length: 20, default: 'queued' },
    mode: { type: 'string', length: 20, default: 'createAndUpdate' },
    expectedTotal: { type: 'integer', nullable: true },
    cursor: { type: 'string', length: 200, nullable: true },
    pagesDone: { type: 'integer', default: 0 },
    processed: { type: 'integer', default: 0 },
    created: { type: 'integer', default: 0 },
    updated: { type: 'integer', default: 0 },
    skipped: { type: 'integer', default: 0 },
    failed: { type: 'integer', default: 0 },
    requestedBy: { type: 'string', length: 254, nullable: true },
    canceledBy: { type: 'string', length: 254, nullable: true },
    startedAt: { ...dateTimeColumn, nullable: true },
    finishedAt: { ...dateTimeColumn, nullable: true },
    lastError: { type: 'text', nullable: true },
    createdAt: { ...dateTimeColumn, onCreate: () => new Date() },
    updatedAt: { ...dateTimeColumn, onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});
