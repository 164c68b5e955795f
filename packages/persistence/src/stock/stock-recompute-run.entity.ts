import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { idColumn } from '../ids.js';
import { dateTimeColumn } from '../columns.js';
import { Tenant } from '../tenancy/tenant.entity.js';

export const STOCK_RECOMPUTE_RUN_STATES = [
  'queued',
  'running',
  'succeeded',
  'failed',
  'canceled',
] as const;
export type StockRecomputeRunState = (typeof STOCK_RECOMPUTE_RUN_STATES)[number];

/**
 * The steps of a run, in order: re-read the allocation of the open orders from Smaregi (only when
 * 有効在庫数計算設定 changed and Smaregi's allocation counts again), recompute every product's
 * figures, then let Renkei's planner allocate (OMS購入数 only).
 */
export const STOCK_RECOMPUTE_PHASES = ['orders', 'stock', 'plan'] as const;
export type StockRecomputePhase = (typeof STOCK_RECOMPUTE_PHASES)[number];

/** A setting that changed, as saved. */
export interface StockSettingChange {
  from: string;
  to: string;
}

/**
 * 在庫数合算設定 / 有効在庫数計算設定 changed: every product's 有効在庫数 (and every open order's
 * allocation, when the mode changed) is recomputed at once by the worker. The run commits its
 * phase, cursor and counters as it goes, so a restarted worker resumes it where it stopped, and
 * the counters are the progress the admin shows. A newer change supersedes a run not yet finished
 * (`canceled`), carrying its order re-read along.
 */
export class StockRecomputeRun {
  [OptionalProps]?:
    | 'state'
    | 'rereadOrders'
    | 'ordersTotal'
    | 'ordersDone'
    | 'productsTotal'
    | 'productsDone'
    | 'createdAt'
    | 'updatedAt';
  id!: string;
  tenant!: Tenant;
  state: StockRecomputeRunState = 'queued';
  /** The settings that changed (`stockBasis`, `effectiveStockMode`). */
  changes!: Record<string, StockSettingChange>;
  /** Whether the open orders' allocation is read again from Smaregi (mode changed). */
  rereadOrders = false;
  phase?: StockRecomputePhase | null;
  /** The last order (phase orders) or Smaregi product (phase stock) done, in ID order. */
  cursor?: string | null;
  ordersTotal = 0;
  ordersDone = 0;
  productsTotal = 0;
  productsDone = 0;
  requestedBy?: string | null;
  startedAt?: Date | null;
  finishedAt?: Date | null;
  lastError?: string | null;
  createdAt: Date = new Date();
  updatedAt: Date = new Date();
}

export const StockRecomputeRunSchema = new EntitySchema<StockRecomputeRun>({
  class: StockRecomputeRun,
  tableName: 'stock_recompute_runs',
  indexes: [{ name: 'stock_recompute_runs_tenant_state_idx', properties: ['tenant', 'state'] }],
  properties: {
    id: { ...idColumn },
    tenant: { kind: 'm:1', entity: () => Tenant, deleteRule: 'cascade' },
    state: { type: 'string', length: 20, default: 'queued' },
    changes: { type: 'json' },
    rereadOrders: { type: 'boolean', default: false },
    phase: { type: 'string', length: 20, nullable: true },
    cursor: { type: 'string', length: 100, nullable: true },
    ordersTotal: { type: 'integer', default: 0 },
    ordersDone: { type: 'integer', default: 0 },
    productsTotal: { type: 'integer', default: 0 },
    productsDone: { type: 'integer', default: 0 },
    requestedBy: { type: 'string', length: 254, nullable: true },
    startedAt: { ...dateTimeColumn, nullable: true },
    finishedAt: { ...dateTimeColumn, nullable: true },
    lastError: { type: 'text', nullable: true },
    createdAt: { ...dateTimeColumn, onCreate: () => new Date() },
    updatedAt: { ...dateTimeColumn, onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});
