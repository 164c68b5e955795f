import { Migration } from '@mikro-orm/migrations';

/**
 * The order list's indexes (受注一覧, 100,000 orders and more): newest 受注日時 first, alone or
 * after one filter (shop, status, sync state, allocation), and the 出荷日 range. Each filter's
 * index ends with `ordered_at`, so a page is read in index order and counted on the index.
 * (tenant, status) is replaced by (tenant, status, ordered_at), which serves every query it
 * served. Indexes only: no row changes.
 */
export class Migration20261201060000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create index "orders_tenant_ordered_idx" on "orders" ("tenant_id", "ordered_at");`,
    );
    this.addSql(
      `create index "orders_tenant_shop_ordered_idx" on "orders" ("tenant_id", "shop_id", "ordered_at");`,
    );
    this.addSql(
      `create index "orders_tenant_status_ordered_idx" on "orders" ("tenant_id", "status_id", "ordered_at");`,
    );
    this.addSql(
      `create index "orders_tenant_sync_ordered_idx" on "orders" ("tenant_id", "sync_state", "ordered_at");`,
    );
    this.addSql(
      `create index "orders_tenant_allocation_ordered_idx" on "orders" ("tenant_id", "allocation_status", "ordered_at");`,
    );
    this.addSql(
      `create index "orders_tenant_shipping_date_idx" on "orders" ("tenant_id", "shipping_date");`,
    );
    this.addSql(`drop index "orders_tenant_status_idx";`);
  }

  override async down(): Promise<void> {
    this.addSql(`create index "orders_tenant_status_idx" on "orders" ("tenant_id", "status_id");`);
    this.addSql(`drop index "orders_tenant_shipping_date_idx";`);
    this.addSql(`drop index "orders_tenant_allocation_ordered_idx";`);
    this.addSql(`drop index "orders_tenant_sync_ordered_idx";`);
    this.addSql(`drop index "orders_tenant_status_ordered_idx";`);
    this.addSql(`drop index "orders_tenant_shop_ordered_idx";`);
    this.addSql(`drop index "orders_tenant_ordered_idx";`);
  }
}
