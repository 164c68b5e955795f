import { Migration } from '@mikro-orm/migrations';

/**
 * The 連携ログ's indexes (a tenant with a million sync events): newest first after one filter —
 * the kind, the outcome or the subject type — each ending with `at`, so a page is read in index
 * order and its count stays on the index instead of reading every event of the tenant. (An
 * order's events keep (tenant, subject type, subject ID); a date range reads (tenant, at).)
 * Indexes only: no row changes.
 */
export class Migration20261202030000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create index "sync_events_tenant_kind_at_idx" on "sync_events" ("tenant_id", "kind", "at");`,
    );
    this.addSql(
      `create index "sync_events_tenant_outcome_at_idx" on "sync_events" ("tenant_id", "outcome", "at");`,
    );
    this.addSql(
      `create index "sync_events_tenant_subject_type_at_idx" on "sync_events" ("tenant_id", "subject_type", "at");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "sync_events_tenant_subject_type_at_idx";`);
    this.addSql(`drop index "sync_events_tenant_outcome_at_idx";`);
    this.addSql(`drop index "sync_events_tenant_kind_at_idx";`);
  }
}
