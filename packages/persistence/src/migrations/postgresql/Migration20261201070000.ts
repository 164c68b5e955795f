import { Migration } from '@mikro-orm/migrations';

/**
 * Stock figures that follow Smaregi (docs/flows.md §6): `listed_products.stock_recompute_requests`
 * marks a product whose 有効在庫数 must be recomputed after an order event (every existing product
 * starts unmarked), and `stock_recompute_runs` records the recompute of every product after a
 * change of 在庫数合算設定 / 有効在庫数計算設定, with its progress. No existing row changes.
 */
export class Migration20261201070000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "stock_recompute_runs" ("id" varchar(36) not null, "tenant_id" varchar(36) not null, "state" varchar(20) not null default 'queued', "changes" jsonb not null, "reread_orders" boolean not null default false, "phase" varchar(20) null, "cursor" varchar(100) null, "orders_total" int not null default 0, "orders_done" int not null default 0, "products_total" int not null default 0, "products_done" int not null default 0, "requested_by" varchar(254) null, "started_at" timestamptz null, "finished_at" timestamptz null, "last_error" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "stock_recompute_runs_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "stock_recompute_runs_tenant_state_idx" on "stock_recompute_runs" ("tenant_id", "state");`,
    );
    this.addSql(
      `alter table "stock_recompute_runs" add constraint "stock_recompute_runs_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "listed_products" add column "stock_recompute_requests" int not null default 0;`,
    );
    this.addSql(
      `create index "listed_products_tenant_stock_recompute_idx" on "listed_products" ("tenant_id", "stock_recompute_requests");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "listed_products_tenant_stock_recompute_idx";`);
    this.addSql(`alter table "listed_products" drop column "stock_recompute_requests";`);
    this.addSql(`drop table if exists "stock_recompute_runs" cascade;`);
  }
}
