import { Migration } from '@mikro-orm/migrations';

/**
 * 出品商品一覧 sorts スマレジ商品ID by number ('9' before '10'): a Smaregi ID is a number written
 * without leading zeros, so by the length of its text, then by the text (products/product-list.ts).
 * An index serves that order after the tenant, the ID breaking ties of products without a Smaregi
 * ID. Index only: no row changes.
 */
export class Migration20261202080000 extends Migration {
  override async up(): Promise<void> {
    // A product without a Smaregi ID sorts as the lowest, as on SQLite: the index keeps nulls
    // first so that both directions are read from it.
    this.addSql(
      `create index "listed_products_tenant_smaregi_number_idx" on "listed_products" ("tenant_id", length("smaregi_product_id") nulls first, "smaregi_product_id" nulls first, "id");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "listed_products_tenant_smaregi_number_idx";`);
  }
}
