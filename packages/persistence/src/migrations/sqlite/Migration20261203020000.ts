import { Migration } from '@mikro-orm/migrations';

/**
 * Outbound webhooks (docs/webhooks.md): the tenant's endpoints (URL, event types, the signing
 * secret encrypted with the token vault), the events written for them, one delivery per event and
 * endpoint with its attempts (the delivery log), and the products whose 有効在庫数 changed since
 * the last `stock.changed` event; and an index of the jobs by name and due time for the outbound
 * lane's claims. New tables and an index only: no existing row changes.
 */
export class Migration20261203020000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`webhook_endpoints\` (\`id\` text not null, \`tenant_id\` text not null, \`url\` text not null, \`description\` text null, \`event_types\` json not null, \`secret_ciphertext\` text not null, \`secret_key_id\` text not null, \`state\` text not null default 'active', \`failing_since\` datetime null, \`last_delivered_at\` datetime null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`webhook_endpoints_tenant_id_foreign\` foreign key(\`tenant_id\`) references \`tenants\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`,
    );
    this.addSql(
      `create table \`outbound_events\` (\`id\` text not null, \`tenant_id\` text not null, \`type\` text not null, \`payload\` json not null, \`occurred_at\` datetime not null, constraint \`outbound_events_tenant_id_foreign\` foreign key(\`tenant_id\`) references \`tenants\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`,
    );
    this.addSql(
      `create table \`webhook_deliveries\` (\`id\` text not null, \`tenant_id\` text not null, \`endpoint_id\` text not null, \`event_id\` text not null, \`state\` text not null default 'pending', \`attempts\` integer not null default 0, \`retry_from\` datetime not null, \`next_attempt_at\` datetime null, \`last_status\` integer null, \`last_latency_ms\` integer null, \`last_response_snippet\` text null, \`last_error\` text null, \`delivered_at\` datetime null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`webhook_deliveries_tenant_id_foreign\` foreign key(\`tenant_id\`) references \`tenants\`(\`id\`) on delete cascade on update cascade, constraint \`webhook_deliveries_endpoint_id_foreign\` foreign key(\`endpoint_id\`) references \`webhook_endpoints\`(\`id\`) on delete cascade on update cascade, constraint \`webhook_deliveries_event_id_foreign\` foreign key(\`event_id\`) references \`outbound_events\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`,
    );
    this.addSql(
      `create table \`webhook_delivery_attempts\` (\`id\` text not null, \`tenant_id\` text not null, \`delivery_id\` text not null, \`attempted_at\` datetime not null, \`status\` integer null, \`latency_ms\` integer not null, \`response_snippet\` text null, \`error\` text null, constraint \`webhook_delivery_attempts_tenant_id_foreign\` foreign key(\`tenant_id\`) references \`tenants\`(\`id\`) on delete cascade on update cascade, constraint \`webhook_delivery_attempts_delivery_id_foreign\` foreign key(\`delivery_id\`) references \`webhook_deliveries\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`,
    );
    this.addSql(
      `create table \`outbound_stock_changes\` (\`id\` text not null, \`tenant_id\` text not null, \`product_code\` text not null, \`figures\` json not null, \`version\` integer not null default 1, \`changed_at\` datetime not null, constraint \`outbound_stock_changes_tenant_id_foreign\` foreign key(\`tenant_id\`) references \`tenants\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`,
    );
    this.addSql(
      `create index \`webhook_endpoints_tenant_id_index\` on \`webhook_endpoints\` (\`tenant_id\`);`,
    );
    this.addSql(
      `create index \`webhook_endpoints_tenant_state_idx\` on \`webhook_endpoints\` (\`tenant_id\`, \`state\`);`,
    );
    this.addSql(
      `create index \`outbound_events_tenant_id_index\` on \`outbound_events\` (\`tenant_id\`);`,
    );
    this.addSql(
      `create index \`outbound_events_tenant_occurred_idx\` on \`outbound_events\` (\`tenant_id\`, \`occurred_at\`);`,
    );
    this.addSql(
      `create index \`webhook_deliveries_tenant_id_index\` on \`webhook_deliveries\` (\`tenant_id\`);`,
    );
    this.addSql(
      `create index \`webhook_deliveries_endpoint_id_index\` on \`webhook_deliveries\` (\`endpoint_id\`);`,
    );
    this.addSql(
      `create index \`webhook_deliveries_event_id_index\` on \`webhook_deliveries\` (\`event_id\`);`,
    );
    this.addSql(
      `create index \`webhook_deliveries_tenant_endpoint_created_idx\` on \`webhook_deliveries\` (\`tenant_id\`, \`endpoint_id\`, \`created_at\`);`,
    );
    this.addSql(
      `create unique index \`webhook_deliveries_endpoint_event_unique\` on \`webhook_deliveries\` (\`endpoint_id\`, \`event_id\`);`,
    );
    this.addSql(
      `create index \`webhook_delivery_attempts_tenant_id_index\` on \`webhook_delivery_attempts\` (\`tenant_id\`);`,
    );
    this.addSql(
      `create index \`webhook_delivery_attempts_delivery_id_index\` on \`webhook_delivery_attempts\` (\`delivery_id\`);`,
    );
    this.addSql(
      `create index \`webhook_delivery_attempts_delivery_at_idx\` on \`webhook_delivery_attempts\` (\`delivery_id\`, \`attempted_at\`);`,
    );
    this.addSql(
      `create index \`outbound_stock_changes_tenant_id_index\` on \`outbound_stock_changes\` (\`tenant_id\`);`,
    );
    this.addSql(
      `create unique index \`outbound_stock_changes_tenant_product_unique\` on \`outbound_stock_changes\` (\`tenant_id\`, \`product_code\`);`,
    );
    // The outbound lane claims its jobs by name in time order (WorkerQueries.claimJobsNamed).
    this.addSql(
      `create index \`jobs_name_state_run_at_idx\` on \`jobs\` (\`name\`, \`state\`, \`run_at\`, \`id\`);`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index \`jobs_name_state_run_at_idx\`;`);
    this.addSql(`drop table if exists \`outbound_stock_changes\`;`);
    this.addSql(`drop table if exists \`webhook_delivery_attempts\`;`);
    this.addSql(`drop table if exists \`webhook_deliveries\`;`);
    this.addSql(`drop table if exists \`outbound_events\`;`);
    this.addSql(`drop table if exists \`webhook_endpoints\`;`);
  }
}
