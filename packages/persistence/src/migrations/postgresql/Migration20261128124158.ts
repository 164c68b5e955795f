import { Migration } from '@mikro-orm/migrations';

export class Migration20261128124158 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "tenants" ("id" varchar(36) not null, "name" varchar(200) not null, "demo" boolean not null default false, "created_at" timestamptz not null, constraint "tenants_pkey" primary key ("id"));`,
    );

    this.addSql(
      `create table "sync_events" ("id" varchar(36) not null, "tenant_id" varchar(36) not null, "subject_type" varchar(20) not null, "subject_id" varchar(36) null, "kind" varchar(50) not null, "outcome" varchar(10) not null, "message" text not null, "detail" jsonb null, "operation_id" varchar(36) null, "at" timestamptz not null, constraint "sync_events_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "sync_events_tenant_subject_idx" on "sync_events" ("tenant_id", "subject_type", "subject_id");`,
    );
    this.addSql(`create index "sync_events_tenant_at_idx" on "sync_events" ("tenant_id", "at");`);

    this.addSql(
      `create table "smaregi_tokens" ("id" varchar(36) not null, "tenant_id" varchar(36) not null, "kind" varchar(20) not null, "contract_id" varchar(100) not null, "ciphertext" text not null, "key_id" varchar(64) not null, "scope" text null, "expires_at" timestamptz null, "updated_at" timestamptz not null, constraint "smaregi_tokens_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "smaregi_tokens" add constraint "smaregi_tokens_tenant_kind_unique" unique ("tenant_id", "kind");`,
    );

    this.addSql(
      `create table "smaregi_connections" ("id" varchar(36) not null, "tenant_id" varchar(36) not null, "contract_id" varchar(100) null, "status" varchar(20) not null default 'unauthenticated', "status_reason" text null, "scopes" jsonb not null, "connected_at" timestamptz null, "status_changed_at" timestamptz not null, "last_error" text null, "updated_at" timestamptz not null, constraint "smaregi_connections_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "smaregi_connections" add constraint "smaregi_connections_tenant_unique" unique ("tenant_id");`,
    );
    this.addSql(
      `alter table "smaregi_connections" add constraint "smaregi_connections_contract_unique" unique ("contract_id");`,
    );

    this.addSql(
      `create table "shops" ("id" varchar(36) not null, "tenant_id" varchar(36) not null, "name" varchar(200) not null, "mall_kind" varchar(20) not null, "tax_mode" varchar(10) not null, "active" boolean not null default true, "order_store_id" varchar(50) null, "order_store_name" varchar(200) null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "shops_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "shops_tenant_idx" on "shops" ("tenant_id");`);

    this.addSql(
      `create table "product_import_runs" ("id" varchar(36) not null, "tenant_id" varchar(36) not null, "state" varchar(20) not null default 'queued', "cursor" varchar(200) null, "pages_done" int not null default 0, "processed" int not null default 0, "created" int not null default 0, "updated" int not null default 0, "skipped" int not null default 0, "failed" int not null default 0, "requested_by" varchar(254) null, "started_at" timestamptz null, "finished_at" timestamptz null, "last_error" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "product_import_runs_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "product_import_runs_tenant_state_idx" on "product_import_runs" ("tenant_id", "state");`,
    );

    this.addSql(
      `create table "payment_methods" ("id" varchar(36) not null, "tenant_id" varchar(36) not null, "code" varchar(64) null, "name" varchar(200) not null, "active" boolean not null default true, "smaregi_payment_method_id" varchar(50) null, "smaregi_payment_method_name" varchar(200) null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "payment_methods_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "payment_methods_tenant_code_idx" on "payment_methods" ("tenant_id", "code");`,
    );

    this.addSql(
      `create table "order_statuses" ("id" varchar(36) not null, "tenant_id" varchar(36) not null, "name" varchar(100) not null, "category" varchar(20) not null, "sort_order" int not null default 0, "active" boolean not null default true, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "order_statuses_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "order_statuses_tenant_idx" on "order_statuses" ("tenant_id");`);

    this.addSql(
      `create table "orders" ("id" varchar(36) not null, "tenant_id" varchar(36) not null, "shop_id" varchar(36) not null, "order_number" varchar(255) not null, "order_code" varchar(50) not null, "status_id" varchar(36) not null, "ordered_at" timestamptz not null, "payment_method_id" varchar(36) not null, "ship_to_name" varchar(255) null, "ship_to_postal_code" varchar(16) null, "ship_to_address" varchar(500) null, "ship_to_phone" varchar(32) null, "delivery_date" varchar(10) null, "shipping_date" varchar(10) null, "slip_number" varchar(50) null, "shipping_fee" int not null default 0, "commission" int not null default 0, "gift_wrap_fee" int not null default 0, "point_use" int not null default 0, "coupon" int not null default 0, "mall_coupon" int not null default 0, "adjustment" int not null default 0, "external_tax" int not null default 0, "total" int null, "intake" jsonb not null, "content_hash" varchar(64) not null, "source" varchar(10) not null, "sync_state" varchar(20) not null default 'waiting', "sync_reason" text null, "smaregi_order_head_id" varchar(50) null, "allocation_status" varchar(20) null, "sync_attempts" int not null default 0, "last_synced_at" timestamptz null, "last_sync_error" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "orders_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "orders_tenant_status_idx" on "orders" ("tenant_id", "status_id");`);
    this.addSql(
      `create index "orders_tenant_sync_state_idx" on "orders" ("tenant_id", "sync_state");`,
    );
    this.addSql(
      `create index "orders_tenant_created_idx" on "orders" ("tenant_id", "created_at");`,
    );
    this.addSql(
      `create index "orders_tenant_number_idx" on "orders" ("tenant_id", "order_number");`,
    );
    this.addSql(
      `alter table "orders" add constraint "orders_tenant_shop_code_unique" unique ("tenant_id", "shop_id", "order_code");`,
    );

    this.addSql(
      `create table "order_lines" ("id" varchar(36) not null, "tenant_id" varchar(36) not null, "order_id" varchar(36) not null, "line_no" int not null, "product_code" varchar(100) null, "management_number" varchar(100) null, "name" varchar(255) not null, "unit_price" int not null, "quantity" int not null, "is_enclosure" boolean not null default false, "allocated_quantity" int not null default 0, constraint "order_lines_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "order_lines_tenant_product_code_idx" on "order_lines" ("tenant_id", "product_code");`,
    );
    this.addSql(
      `alter table "order_lines" add constraint "order_lines_order_line_no_unique" unique ("order_id", "line_no");`,
    );

    this.addSql(
      `create table "operations" ("id" varchar(36) not null, "tenant_id" varchar(36) not null, "kind" varchar(30) not null, "business_key" varchar(200) not null, "state" varchar(20) not null default 'pending', "attempts" int not null default 0, "lease_until" timestamptz null, "next_attempt_at" timestamptz null, "last_error" text null, "remote_id" varchar(100) null, "subject_type" varchar(30) null, "subject_id" varchar(36) null, "payload" jsonb null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "operations_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "operations_state_next_idx" on "operations" ("state", "next_attempt_at");`,
    );
    this.addSql(
      `create index "operations_tenant_subject_idx" on "operations" ("tenant_id", "subject_type", "subject_id");`,
    );
    this.addSql(
      `alter table "operations" add constraint "operations_tenant_kind_key_unique" unique ("tenant_id", "kind", "business_key");`,
    );

    this.addSql(
      `create table "oauth_states" ("id" varchar(64) not null, "tenant_id" varchar(36) not null, "session_id" varchar(64) not null, "code_verifier" varchar(128) not null, "redirect_uri" varchar(500) not null, "created_at" timestamptz not null, "expires_at" timestamptz not null, "consumed_at" timestamptz null, constraint "oauth_states_pkey" primary key ("id"));`,
    );

    this.addSql(
      `create table "listed_products" ("id" varchar(36) not null, "tenant_id" varchar(36) not null, "product_code" varchar(100) not null, "product_code_key" varchar(100) not null, "management_number" varchar(100) null, "name" varchar(255) not null, "price" int null, "smaregi_product_id" varchar(50) null, "effective_stock" int null, "stock_amount" int null, "allocated_amount" int null, "stock_updated_at" timestamptz null, "sync_state" varchar(20) not null default 'notImported', "last_synced_at" timestamptz null, "last_error" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "listed_products_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "listed_products_tenant_name_idx" on "listed_products" ("tenant_id", "name");`,
    );
    this.addSql(
      `alter table "listed_products" add constraint "listed_products_tenant_code_key_unique" unique ("tenant_id", "product_code_key");`,
    );
    this.addSql(
      `alter table "listed_products" add constraint "listed_products_tenant_smaregi_id_unique" unique ("tenant_id", "smaregi_product_id");`,
    );

    this.addSql(
      `create table "stock_levels" ("id" varchar(36) not null, "tenant_id" varchar(36) not null, "product_id" varchar(36) not null, "smaregi_store_id" varchar(50) not null, "stock_amount" int not null, "allocated_amount" int not null default 0, "source" varchar(20) not null, "updated_at" timestamptz not null, constraint "stock_levels_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "stock_levels" add constraint "stock_levels_tenant_product_store_unique" unique ("tenant_id", "product_id", "smaregi_store_id");`,
    );

    this.addSql(
      `create table "stock_drifts" ("id" varchar(36) not null, "tenant_id" varchar(36) not null, "product_id" varchar(36) not null, "smaregi_store_id" varchar(50) not null, "renkei_amount" int not null, "smaregi_amount" int not null, "detected_at" timestamptz not null, "resolved_at" timestamptz null, "note" text null, constraint "stock_drifts_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "stock_drifts_tenant_detected_idx" on "stock_drifts" ("tenant_id", "detected_at");`,
    );

    this.addSql(
      `create table "jobs" ("id" varchar(36) not null, "tenant_id" varchar(36) not null, "name" varchar(50) not null, "payload" jsonb not null, "state" varchar(20) not null default 'queued', "priority" int not null default 0, "run_at" timestamptz not null, "attempts" int not null default 0, "locked_until" timestamptz null, "locked_by" varchar(100) null, "last_error" text null, "dedup_key" varchar(200) null, "finished_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "jobs_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "jobs_claim_idx" on "jobs" ("state", "priority", "run_at");`);
    this.addSql(
      `alter table "jobs" add constraint "jobs_tenant_name_dedup_unique" unique ("tenant_id", "name", "dedup_key");`,
    );

    this.addSql(
      `create table "integration_settings" ("id" varchar(36) not null, "tenant_id" varchar(36) not null, "integration_enabled" boolean not null default false, "values" jsonb not null, "version" int not null default 1, "updated_at" timestamptz not null, constraint "integration_settings_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "integration_settings" add constraint "integration_settings_tenant_unique" unique ("tenant_id");`,
    );

    this.addSql(
      `create table "audit_entries" ("id" varchar(36) not null, "tenant_id" varchar(36) not null, "actor_user_id" varchar(36) null, "actor_label" varchar(254) not null, "action" varchar(100) not null, "entity_type" varchar(50) not null, "entity_id" varchar(100) null, "before" jsonb null, "after" jsonb null, "ip" varchar(64) null, "at" timestamptz not null, constraint "audit_entries_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "audit_entries_tenant_id_at_index" on "audit_entries" ("tenant_id", "at");`,
    );

    this.addSql(
      `create table "api_keys" ("id" varchar(36) not null, "tenant_id" varchar(36) not null, "name" varchar(200) not null, "key_hash" varchar(64) not null, "key_prefix" varchar(16) not null, "created_at" timestamptz not null, "last_used_at" timestamptz null, "revoked_at" timestamptz null, constraint "api_keys_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "api_keys" add constraint "api_keys_key_hash_unique" unique ("key_hash");`,
    );

    this.addSql(
      `create table "admin_users" ("id" varchar(36) not null, "tenant_id" varchar(36) not null, "email" varchar(254) not null, "display_name" varchar(200) not null, "password_hash" varchar(255) not null, "created_at" timestamptz not null, "last_login_at" timestamptz null, constraint "admin_users_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "admin_users" add constraint "admin_users_email_unique" unique ("email");`,
    );

    this.addSql(
      `create table "admin_sessions" ("id" varchar(64) not null, "tenant_id" varchar(36) not null, "user_id" varchar(36) not null, "created_at" timestamptz not null, "last_seen_at" timestamptz not null, "expires_at" timestamptz not null, "user_agent" varchar(500) null, constraint "admin_sessions_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "admin_sessions_expires_at_index" on "admin_sessions" ("expires_at");`,
    );

    this.addSql(
      `create table "webhook_events" ("id" varchar(36) not null, "tenant_id" varchar(36) not null, "event_id" varchar(100) not null, "event" varchar(100) not null, "action" varchar(50) null, "contract_id" varchar(100) not null, "body" jsonb not null, "state" varchar(20) not null default 'received', "received_at" timestamptz not null, "processed_at" timestamptz null, "last_error" text null, constraint "webhook_events_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "webhook_events_tenant_state_idx" on "webhook_events" ("tenant_id", "state");`,
    );
    this.addSql(
      `alter table "webhook_events" add constraint "webhook_events_tenant_event_unique" unique ("tenant_id", "event_id");`,
    );

    this.addSql(
      `alter table "sync_events" add constraint "sync_events_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "smaregi_tokens" add constraint "smaregi_tokens_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "smaregi_connections" add constraint "smaregi_connections_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "shops" add constraint "shops_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "product_import_runs" add constraint "product_import_runs_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "payment_methods" add constraint "payment_methods_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "order_statuses" add constraint "order_statuses_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "orders" add constraint "orders_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "orders" add constraint "orders_shop_id_foreign" foreign key ("shop_id") references "shops" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "orders" add constraint "orders_status_id_foreign" foreign key ("status_id") references "order_statuses" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "orders" add constraint "orders_payment_method_id_foreign" foreign key ("payment_method_id") references "payment_methods" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "order_lines" add constraint "order_lines_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "order_lines" add constraint "order_lines_order_id_foreign" foreign key ("order_id") references "orders" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "operations" add constraint "operations_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "oauth_states" add constraint "oauth_states_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "listed_products" add constraint "listed_products_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "stock_levels" add constraint "stock_levels_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "stock_levels" add constraint "stock_levels_product_id_foreign" foreign key ("product_id") references "listed_products" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "stock_drifts" add constraint "stock_drifts_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "stock_drifts" add constraint "stock_drifts_product_id_foreign" foreign key ("product_id") references "listed_products" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "jobs" add constraint "jobs_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "integration_settings" add constraint "integration_settings_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "audit_entries" add constraint "audit_entries_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "api_keys" add constraint "api_keys_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "admin_users" add constraint "admin_users_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "admin_sessions" add constraint "admin_sessions_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "admin_sessions" add constraint "admin_sessions_user_id_foreign" foreign key ("user_id") references "admin_users" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "webhook_events" add constraint "webhook_events_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "sync_events" drop constraint "sync_events_tenant_id_foreign";`);

    this.addSql(`alter table "smaregi_tokens" drop constraint "smaregi_tokens_tenant_id_foreign";`);

    this.addSql(
      `alter table "smaregi_connections" drop constraint "smaregi_connections_tenant_id_foreign";`,
    );

    this.addSql(`alter table "shops" drop constraint "shops_tenant_id_foreign";`);

    this.addSql(
      `alter table "product_import_runs" drop constraint "product_import_runs_tenant_id_foreign";`,
    );

    this.addSql(
      `alter table "payment_methods" drop constraint "payment_methods_tenant_id_foreign";`,
    );

    this.addSql(`alter table "order_statuses" drop constraint "order_statuses_tenant_id_foreign";`);

    this.addSql(`alter table "orders" drop constraint "orders_tenant_id_foreign";`);

    this.addSql(`alter table "order_lines" drop constraint "order_lines_tenant_id_foreign";`);

    this.addSql(`alter table "operations" drop constraint "operations_tenant_id_foreign";`);

    this.addSql(`alter table "oauth_states" drop constraint "oauth_states_tenant_id_foreign";`);

    this.addSql(
      `alter table "listed_products" drop constraint "listed_products_tenant_id_foreign";`,
    );

    this.addSql(`alter table "stock_levels" drop constraint "stock_levels_tenant_id_foreign";`);

    this.addSql(`alter table "stock_drifts" drop constraint "stock_drifts_tenant_id_foreign";`);

    this.addSql(`alter table "jobs" drop constraint "jobs_tenant_id_foreign";`);

    this.addSql(
      `alter table "integration_settings" drop constraint "integration_settings_tenant_id_foreign";`,
    );

    this.addSql(`alter table "audit_entries" drop constraint "audit_entries_tenant_id_foreign";`);

    this.addSql(`alter table "api_keys" drop constraint "api_keys_tenant_id_foreign";`);

    this.addSql(`alter table "admin_users" drop constraint "admin_users_tenant_id_foreign";`);

    this.addSql(`alter table "admin_sessions" drop constraint "admin_sessions_tenant_id_foreign";`);

    this.addSql(`alter table "webhook_events" drop constraint "webhook_events_tenant_id_foreign";`);

    this.addSql(`alter table "orders" drop constraint "orders_shop_id_foreign";`);

    this.addSql(`alter table "orders" drop constraint "orders_payment_method_id_foreign";`);

    this.addSql(`alter table "orders" drop constraint "orders_status_id_foreign";`);

    this.addSql(`alter table "order_lines" drop constraint "order_lines_order_id_foreign";`);

    this.addSql(`alter table "stock_levels" drop constraint "stock_levels_product_id_foreign";`);

    this.addSql(`alter table "stock_drifts" drop constraint "stock_drifts_product_id_foreign";`);

    this.addSql(`alter table "admin_sessions" drop constraint "admin_sessions_user_id_foreign";`);

    this.addSql(`drop table if exists "tenants" cascade;`);

    this.addSql(`drop table if exists "sync_events" cascade;`);

    this.addSql(`drop table if exists "smaregi_tokens" cascade;`);

    this.addSql(`drop table if exists "smaregi_connections" cascade;`);

    this.addSql(`drop table if exists "shops" cascade;`);

    this.addSql(`drop table if exists "product_import_runs" cascade;`);

    this.addSql(`drop table if exists "payment_methods" cascade;`);

    this.addSql(`drop table if exists "order_statuses" cascade;`);

    this.addSql(`drop table if exists "orders" cascade;`);

    this.addSql(`drop table if exists "order_lines" cascade;`);

    this.addSql(`drop table if exists "operations" cascade;`);

    this.addSql(`drop table if exists "oauth_states" cascade;`);

    this.addSql(`drop table if exists "listed_products" cascade;`);

    this.addSql(`drop table if exists "stock_levels" cascade;`);

    this.addSql(`drop table if exists "stock_drifts" cascade;`);

    this.addSql(`drop table if exists "jobs" cascade;`);

    this.addSql(`drop table if exists "integration_settings" cascade;`);

    this.addSql(`drop table if exists "audit_entries" cascade;`);

    this.addSql(`drop table if exists "api_keys" cascade;`);

    this.addSql(`drop table if exists "admin_users" cascade;`);

    this.addSql(`drop table if exists "admin_sessions" cascade;`);

    this.addSql(`drop table if exists "webhook_events" cascade;`);
  }
}
