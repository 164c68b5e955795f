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
      `create table "webhook_endpoints" ("id" varchar(36) not null, "tenant_id" varchar(36) not null, "url" varchar(2000) not null, "description" varchar(500) null, "event_types" jsonb not null, "secret_ciphertext" text not null, "secret_key_id" varchar(100) not null, "state" varchar(20) not null default 'active', "failing_since" timestamptz null, "last_delivered_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "webhook_endpoints_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create table "outbound_events" ("id" varchar(48) not null, "tenant_id" varchar(36) not null, "type" varchar(50) not null, "payload" jsonb not null, "occurred_at" timestamptz not null, constraint "outbound_events_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create table "webhook_deliveries" ("id" varchar(36) not null, "tenant_id" varchar(36) not null, "endpoint_id" varchar(36) not null, "event_id" varchar(48) not null, "state" varchar(20) not null default 'pending', "attempts" int not null default 0, "retry_from" timestamptz not null, "next_attempt_at" timestamptz null, "last_status" int null, "last_latency_ms" int null, "last_response_snippet" varchar(500) null, "last_error" text null, "delivered_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "webhook_deliveries_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create table "webhook_delivery_attempts" ("id" varchar(36) not null, "tenant_id" varchar(36) not null, "delivery_id" varchar(36) not null, "attempted_at" timestamptz not null, "status" int null, "latency_ms" int not null, "response_snippet" varchar(500) null, "error" text null, constraint "webhook_delivery_attempts_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create table "outbound_stock_changes" ("id" varchar(36) not null, "tenant_id" varchar(36) not null, "product_code" varchar(100) not null, "figures" jsonb not null, "version" int not null default 1, "changed_at" timestamptz not null, constraint "outbound_stock_changes_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "webhook_endpoints_tenant_state_idx" on "webhook_endpoints" ("tenant_id", "state");`,
    );
    this.addSql(
      `create index "outbound_events_tenant_occurred_idx" on "outbound_events" ("tenant_id", "occurred_at");`,
    );
    this.addSql(
      `create index "webhook_deliveries_tenant_endpoint_created_idx" on "webhook_deliveries" ("tenant_id", "endpoint_id", "created_at");`,
    );
    this.addSql(
      `alter table "webhook_deliveries" add constraint "webhook_deliveries_endpoint_event_unique" unique ("endpoint_id", "event_id");`,
    );
    this.addSql(
      `create index "webhook_delivery_attempts_delivery_at_idx" on "webhook_delivery_attempts" ("delivery_id", "attempted_at");`,
    );
    this.addSql(
      `alter table "outbound_stock_changes" add constraint "outbound_stock_changes_tenant_product_unique" unique ("tenant_id", "product_code");`,
    );
    this.addSql(
      `alter table "webhook_endpoints" add constraint "webhook_endpoints_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "outbound_events" add constraint "outbound_events_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "webhook_deliveries" add constraint "webhook_deliveries_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "webhook_deliveries" add constraint "webhook_deliveries_endpoint_id_foreign" foreign key ("endpoint_id") references "webhook_endpoints" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "webhook_deliveries" add constraint "webhook_deliveries_event_id_foreign" foreign key ("event_id") references "outbound_events" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "webhook_delivery_attempts" add constraint "webhook_delivery_attempts_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "webhook_delivery_attempts" add constraint "webhook_delivery_attempts_delivery_id_foreign" foreign key ("delivery_id") references "webhook_deliveries" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "outbound_stock_changes" add constraint "outbound_stock_changes_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`,
    );
    // The outbound lane claims its jobs by name in time order (WorkerQueries.claimJobsNamed).
    this.addSql(
      `create index "jobs_name_state_run_at_idx" on "jobs" ("name", "state", "run_at", "id");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "jobs_name_state_run_at_idx";`);
    this.addSql(`drop table if exists "outbound_stock_changes" cascade;`);
    this.addSql(`drop table if exists "webhook_delivery_attempts" cascade;`);
    this.addSql(`drop table if exists "webhook_deliveries" cascade;`);
    this.addSql(`drop table if exists "outbound_events" cascade;`);
    this.addSql(`drop table if exists "webhook_endpoints" cascade;`);
  }
}
