import { Migration } from '@mikro-orm/migrations';

/**
 * The operation ledger records who holds a lease and gets the index of its per-tenant due scans;
 * the jobs table's priority takes the one `CallPriority` scale (higher first, like the rate
 * budget): existing rows are mapped from the old lower-first numbers by job name.
 */
export class Migration20261130210000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "operations" add column "leased_by" varchar(100) null;`);
    this.addSql(
      `create index "operations_tenant_kind_state_next_idx" on "operations" ("tenant_id", "kind", "state", "next_attempt_at");`,
    );
    this.addSql(JOB_PRIORITY_UP);
  }

  override async down(): Promise<void> {
    this.addSql(JOB_PRIORITY_DOWN);
    this.addSql(`drop index "operations_tenant_kind_state_next_idx";`);
    this.addSql(`alter table "operations" drop column "leased_by";`);
  }
}

// Old scale: orders 0, order-shipment webhooks 0, other webhooks 10, products 20 (lower first).
// New scale (CallPriority): registerOrder 30, allocation 25, webhookReread 20, stock 10, products 0.
const JOB_PRIORITY_UP = `update "jobs" set "priority" = case
  when "name" = 'order.register' then 30
  when "name" = 'order.statusChanged' then 25
  when "name" = 'products.import' then 0
  when "name" = 'webhook.process' and "priority" = 0 then 20
  when "name" = 'webhook.process' then 10
  else 30 - "priority" end;`;
const JOB_PRIORITY_DOWN = `update "jobs" set "priority" = case
  when "name" in ('order.register', 'order.statusChanged') then 0
  when "name" = 'products.import' then 20
  when "name" = 'webhook.process' and "priority" = 20 then 0
  when "name" = 'webhook.process' then 10
  else 30 - "priority" end;`;
