import { Migration } from '@mikro-orm/migrations';

/**
 * Smaregi's order webhooks name an order by its 受注 ID (orderHeadId), and the worker finds the
 * order by it (apps/worker/src/orders/order-events.ts): without an index on (tenant,
 * smaregi_order_head_id) each event read every order of the tenant. Index only: no row changes.
 */
export class Migration20261202070000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create index \`orders_tenant_smaregi_head_idx\` on \`orders\` (\`tenant_id\`, \`smaregi_order_head_id\`);`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index \`orders_tenant_smaregi_head_idx\`;`);
  }
}
