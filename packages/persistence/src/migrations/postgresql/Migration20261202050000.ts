import { Migration } from '@mikro-orm/migrations';

/**
 * The order page's sync story: one order's events, oldest first, read from an index that holds
 * (tenant, subject type, subject ID) and then the time — an index range in story order. With only
 * (tenant, subject type, subject ID), a planner may prefer (tenant, subject type, at) for its order
 * and read every order event of the tenant to find one order's (the order page bench,
 * apps/api/bench/order-page.bench.ts). The new index replaces the old one, its prefix, so an event
 * insert keeps the same number of indexes. Indexes only: no row changes.
 */
export class Migration20261202050000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create index "sync_events_tenant_subject_at_idx" on "sync_events" ("tenant_id", "subject_type", "subject_id", "at");`,
    );
    this.addSql(`drop index "sync_events_tenant_subject_idx";`);
  }

  override async down(): Promise<void> {
    this.addSql(
      `create index "sync_events_tenant_subject_idx" on "sync_events" ("tenant_id", "subject_type", "subject_id");`,
    );
    this.addSql(`drop index "sync_events_tenant_subject_at_idx";`);
  }
}
