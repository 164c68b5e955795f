import { Migration } from '@mikro-orm/migrations';

/**
 * The worker's read of a contract's 受注店舗 is kept on the connection (when the latest read was
 * started, when the latest one ended), shared by every worker process. Until now each process
 * kept it in memory, so a tenant's 受注店舗 were read again by each process its order loop's tick
 * moved to. Existing connections have none (null): their next read is due at once, as after a
 * restart before.
 */
export class Migration20261203050000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table \`smaregi_connections\` add column \`order_stores_read_started_at\` datetime null;`,
    );
    this.addSql(
      `alter table \`smaregi_connections\` add column \`order_stores_read_at\` datetime null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`smaregi_connections\` drop column \`order_stores_read_at\`;`);
    this.addSql(
      `alter table \`smaregi_connections\` drop column \`order_stores_read_started_at\`;`,
    );
  }
}
