import { Migration } from '@mikro-orm/migrations';

/**
 * 受注番号の接頭辞 (order-code prefix) per shop: put before the order number in the Smaregi order
 * code, so that two shops mapped to one 受注店舗 never send the same code. Existing shops keep
 * every value and start without a prefix (null): their codes stay what they were.
 */
export class Migration20261130215000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table \`shops\` add column \`order_code_prefix\` text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`shops\` drop column \`order_code_prefix\`;`);
  }
}
