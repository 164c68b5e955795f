import { Migration } from '@mikro-orm/migrations';

/**
 * The order list's search by the beginning of the order number (受注番号) reads a range of
 * numbers from the (tenant, order number) index. PostgreSQL ranges follow the column's collation,
 * and under a language collation (ja_JP, en_US: punctuation weighed last, case folded first) the
 * range from `AZ-00` is not "every number beginning with AZ-00". The column therefore compares by
 * code point (collation "C", as SQLite's BINARY does); its index is rebuilt with it. Equality is
 * unchanged, every row keeps its value, and nothing sorts orders by number.
 * (SQLite needs no migration: its index on the column already compares by code point.)
 */
export class Migration20261201080000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "orders" alter column "order_number" type varchar(255) collate "C";`);
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table "orders" alter column "order_number" type varchar(255) collate "default";`,
    );
  }
}
