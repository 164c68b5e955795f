import { Migration } from '@mikro-orm/migrations';

/**
 * 販売区分 of each shop's 受注店舗, as last read from Smaregi: the worker holds the orders of a
 * shop whose 税込 / 税別 does not match it. Existing shops keep every value and start unknown
 * (null, which holds nothing) until Renkei next reads their 受注店舗.
 */
export class Migration20261201020000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table \`shops\` add column \`order_store_sell_division\` text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`shops\` drop column \`order_store_sell_division\`;`);
  }
}
