import { Migration } from '@mikro-orm/migrations';

/**
 * The warehouse (倉庫) and auto-allocation (自動引当) of each shop's 受注店舗 become Renkei's own
 * settings (docs/smaregi-wire.md §4.4). Existing shops keep every value; the new columns start
 * null, which means "unknown" until Smaregi's answer or the merchant fills them in.
 */
export class Migration20261130212000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "shops" add column "warehouse_store_id" varchar(50) null, add column "warehouse_origin" varchar(10) null, add column "auto_allocation" boolean null, add column "auto_allocation_origin" varchar(10) null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table "shops" drop column "warehouse_store_id", drop column "warehouse_origin", drop column "auto_allocation", drop column "auto_allocation_origin";`,
    );
  }
}
