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
      `create table \`stock_recompute_runs\` (\`id\` text not null, \`tenant_id\` text not null, \`state\` text not null default 'queued', \`changes\` json not null, \`reread_orders\` integer not null default false, \`phase\` text null, \`cursor\` text null, \`orders_total\` integer not null default 0, \`orders_done\` integer not null default 0, \`products_total\` integer not null default 0, \`products_done\` integer not null default 0, \`requested_by\` text null, \`started_at\` datetime null, \`finished_at\` datetime null, \`last_error\` text null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`stock_recompute_runs_tenant_id_foreign\` foreign key(\`tenant_id\`) references \`tenants\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`,
    );
    this.addSql(
      `create index \`stock_recompute_runs_tenant_id_index\` on \`stock_recompute_runs\` (\`tenant_id\`);`,
    );
    this.addSql(
      `create index \`stock_recompute_runs_tenant_state_idx\` on \`stock_recompute_runs\` (\`tenant_id\`, \`state\`);`,
    );
    this.addSql(
      `alter table \`listed_products\` add column \`stock_recompute_requests\` integer not null default 0;`,
    );
    this.addSql(
      `create index \`listed_products_tenant_stock_recompute_idx\` on \`listed_products\` (\`tenant_id\`, \`stock_recompute_requests\`);`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index \`listed_products_tenant_stock_recompute_idx\`;`);
    this.addSql(`alter table \`listed_products\` drop column \`stock_recompute_requests\`;`);
    this.addSql(`drop table if exists \`stock_recompute_runs\`;`);
  }
}
