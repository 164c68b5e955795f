import { Migration } from '@mikro-orm/migrations';

/**
 * 出品商品一覧 with 100,000 products (apps/api/bench/products-list.bench.ts): an index for each
 * sort after the tenant — 商品名, 有効在庫数 and 更新日時, each ending with the ID that breaks
 * ties (商品ID and スマレジ商品ID have their unique indexes) — one for the sync state filter in
 * 商品ID order, one for 商品管理番号 (order lines naming a product by it, and the search), and one
 * for the products with a drift not resolved yet. (tenant, name) becomes (tenant, name, id) under
 * the same name. Indexes only: no row changes.
 */
export class Migration20261202020000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop index \`listed_products_tenant_name_idx\`;`);
    this.addSql(
      `create index \`listed_products_tenant_name_idx\` on \`listed_products\` (\`tenant_id\`, \`name\`, \`id\`);`,
    );
    this.addSql(
      `create index \`listed_products_tenant_stock_idx\` on \`listed_products\` (\`tenant_id\`, \`effective_stock\`, \`id\`);`,
    );
    this.addSql(
      `create index \`listed_products_tenant_updated_idx\` on \`listed_products\` (\`tenant_id\`, \`updated_at\`, \`id\`);`,
    );
    this.addSql(
      `create index \`listed_products_tenant_sync_code_idx\` on \`listed_products\` (\`tenant_id\`, \`sync_state\`, \`product_code_key\`);`,
    );
    this.addSql(
      `create index \`listed_products_tenant_management_number_idx\` on \`listed_products\` (\`tenant_id\`, \`management_number\`);`,
    );
    this.addSql(
      `create index \`stock_drifts_tenant_open_idx\` on \`stock_drifts\` (\`tenant_id\`, \`resolved_at\`, \`product_id\`);`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index \`stock_drifts_tenant_open_idx\`;`);
    this.addSql(`drop index \`listed_products_tenant_management_number_idx\`;`);
    this.addSql(`drop index \`listed_products_tenant_sync_code_idx\`;`);
    this.addSql(`drop index \`listed_products_tenant_updated_idx\`;`);
    this.addSql(`drop index \`listed_products_tenant_stock_idx\`;`);
    this.addSql(`drop index \`listed_products_tenant_name_idx\`;`);
    this.addSql(
      `create index \`listed_products_tenant_name_idx\` on \`listed_products\` (\`tenant_id\`, \`name\`);`,
    );
  }
}
