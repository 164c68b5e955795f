import { Migration } from '@mikro-orm/migrations';

export class Migration20261128124158 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`tenants\` (\`id\` text not null, \`name\` text not null, \`demo\` integer not null default false, \`created_at\` datetime not null, primary key (\`id\`));`,
    );

    this.addSql(
      `create table \`sync_events\` (\`id\` text not null, \`tenant_id\` text not null, \`subject_type\` text not null, \`subject_id\` text null, \`kind\` text not null, \`outcome\` text not null, \`message\` text not null, \`detail\` json null, \`operation_id\` text null, \`at\` datetime not null, constraint \`sync_events_tenant_id_foreign\` foreign key(\`tenant_id\`) references \`tenants\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`,
    );
    this.addSql(`create index \`sync_events_tenant_id_index\` on \`sync_events\` (\`tenant_id\`);`);
    this.addSql(
      `create index \`sync_events_tenant_subject_idx\` on \`sync_events\` (\`tenant_id\`, \`subject_type\`, \`subject_id\`);`,
    );
    this.addSql(
      `create index \`sync_events_tenant_at_idx\` on \`sync_events\` (\`tenant_id\`, \`at\`);`,
    );

    this.addSql(
      `create table \`smaregi_tokens\` (\`id\` text not null, \`tenant_id\` text not null, \`kind\` text not null, \`contract_id\` text not null, \`ciphertext\` text not null, \`key_id\` text not null, \`scope\` text null, \`expires_at\` datetime null, \`updated_at\` datetime not null, constraint \`smaregi_tokens_tenant_id_foreign\` foreign key(\`tenant_id\`) references \`tenants\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`,
    );
    this.addSql(
      `create index \`smaregi_tokens_tenant_id_index\` on \`smaregi_tokens\` (\`tenant_id\`);`,
    );
    this.addSql(
      `create unique index \`smaregi_tokens_tenant_kind_unique\` on \`smaregi_tokens\` (\`tenant_id\`, \`kind\`);`,
    );

    this.addSql(
      `create table \`smaregi_connections\` (\`id\` text not null, \`tenant_id\` text not null, \`contract_id\` text null, \`status\` text not null default 'unauthenticated', \`status_reason\` text null, \`scopes\` json not null, \`connected_at\` datetime null, \`status_changed_at\` datetime not null, \`last_error\` text null, \`updated_at\` datetime not null, constraint \`smaregi_connections_tenant_id_foreign\` foreign key(\`tenant_id\`) references \`tenants\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`,
    );
    this.addSql(
      `create unique index \`smaregi_connections_tenant_unique\` on \`smaregi_connections\` (\`tenant_id\`);`,
    );
    this.addSql(
      `create unique index \`smaregi_connections_contract_unique\` on \`smaregi_connections\` (\`contract_id\`);`,
    );

    this.addSql(
      `create table \`shops\` (\`id\` text not null, \`tenant_id\` text not null, \`name\` text not null, \`mall_kind\` text not null, \`tax_mode\` text not null, \`active\` integer not null default true, \`order_store_id\` text null, \`order_store_name\` text null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`shops_tenant_id_foreign\` foreign key(\`tenant_id\`) references \`tenants\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`,
    );
    this.addSql(`create index \`shops_tenant_idx\` on \`shops\` (\`tenant_id\`);`);

    this.addSql(
      `create table \`product_import_runs\` (\`id\` text not null, \`tenant_id\` text not null, \`state\` text not null default 'queued', \`cursor\` text null, \`pages_done\` integer not null default 0, \`processed\` integer not null default 0, \`created\` integer not null default 0, \`updated\` integer not null default 0, \`skipped\` integer not null default 0, \`failed\` integer not null default 0, \`requested_by\` text null, \`started_at\` datetime null, \`finished_at\` datetime null, \`last_error\` text null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`product_import_runs_tenant_id_foreign\` foreign key(\`tenant_id\`) references \`tenants\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`,
    );
    this.addSql(
      `create index \`product_import_runs_tenant_id_index\` on \`product_import_runs\` (\`tenant_id\`);`,
    );
    this.addSql(
      `create index \`product_import_runs_tenant_state_idx\` on \`product_import_runs\` (\`tenant_id\`, \`state\`);`,
    );

    this.addSql(
      `create table \`payment_methods\` (\`id\` text not null, \`tenant_id\` text not null, \`code\` text null, \`name\` text not null, \`active\` integer not null default true, \`smaregi_payment_method_id\` text null, \`smaregi_payment_method_name\` text null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`payment_methods_tenant_id_foreign\` foreign key(\`tenant_id\`) references \`tenants\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`,
    );
    this.addSql(
      `create index \`payment_methods_tenant_id_index\` on \`payment_methods\` (\`tenant_id\`);`,
    );
    this.addSql(
      `create index \`payment_methods_tenant_code_idx\` on \`payment_methods\` (\`tenant_id\`, \`code\`);`,
    );

    this.addSql(
      `create table \`order_statuses\` (\`id\` text not null, \`tenant_id\` text not null, \`name\` text not null, \`category\` text not null, \`sort_order\` integer not null default 0, \`active\` integer not null default true, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`order_statuses_tenant_id_foreign\` foreign key(\`tenant_id\`) references \`tenants\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`,
    );
    this.addSql(
      `create index \`order_statuses_tenant_idx\` on \`order_statuses\` (\`tenant_id\`);`,
    );

    this.addSql(
      `create table \`orders\` (\`id\` text not null, \`tenant_id\` text not null, \`shop_id\` text not null, \`order_number\` text not null, \`order_code\` text not null, \`status_id\` text not null, \`ordered_at\` datetime not null, \`payment_method_id\` text not null, \`ship_to_name\` text null, \`ship_to_postal_code\` text null, \`ship_to_address\` text null, \`ship_to_phone\` text null, \`delivery_date\` text null, \`shipping_date\` text null, \`slip_number\` text null, \`shipping_fee\` integer not null default 0, \`commission\` integer not null default 0, \`gift_wrap_fee\` integer not null default 0, \`point_use\` integer not null default 0, \`coupon\` integer not null default 0, \`mall_coupon\` integer not null default 0, \`adjustment\` integer not null default 0, \`external_tax\` integer not null default 0, \`total\` integer null, \`intake\` json not null, \`content_hash\` text not null, \`source\` text not null, \`sync_state\` text not null default 'waiting', \`sync_reason\` text null, \`smaregi_order_head_id\` text null, \`allocation_status\` text null, \`sync_attempts\` integer not null default 0, \`last_synced_at\` datetime null, \`last_sync_error\` text null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`orders_tenant_id_foreign\` foreign key(\`tenant_id\`) references \`tenants\`(\`id\`) on delete cascade on update cascade, constraint \`orders_shop_id_foreign\` foreign key(\`shop_id\`) references \`shops\`(\`id\`) on update cascade, constraint \`orders_status_id_foreign\` foreign key(\`status_id\`) references \`order_statuses\`(\`id\`) on update cascade, constraint \`orders_payment_method_id_foreign\` foreign key(\`payment_method_id\`) references \`payment_methods\`(\`id\`) on update cascade, primary key (\`id\`));`,
    );
    this.addSql(`create index \`orders_tenant_id_index\` on \`orders\` (\`tenant_id\`);`);
    this.addSql(`create index \`orders_shop_id_index\` on \`orders\` (\`shop_id\`);`);
    this.addSql(`create index \`orders_status_id_index\` on \`orders\` (\`status_id\`);`);
    this.addSql(
      `create index \`orders_payment_method_id_index\` on \`orders\` (\`payment_method_id\`);`,
    );
    this.addSql(
      `create index \`orders_tenant_status_idx\` on \`orders\` (\`tenant_id\`, \`status_id\`);`,
    );
    this.addSql(
      `create index \`orders_tenant_sync_state_idx\` on \`orders\` (\`tenant_id\`, \`sync_state\`);`,
    );
    this.addSql(
      `create index \`orders_tenant_created_idx\` on \`orders\` (\`tenant_id\`, \`created_at\`);`,
    );
    this.addSql(
      `create index \`orders_tenant_number_idx\` on \`orders\` (\`tenant_id\`, \`order_number\`);`,
    );
    this.addSql(
      `create unique index \`orders_tenant_shop_code_unique\` on \`orders\` (\`tenant_id\`, \`shop_id\`, \`order_code\`);`,
    );

    this.addSql(
      `create table \`order_lines\` (\`id\` text not null, \`tenant_id\` text not null, \`order_id\` text not null, \`line_no\` integer not null, \`product_code\` text null, \`management_number\` text null, \`name\` text not null, \`unit_price\` integer not null, \`quantity\` integer not null, \`is_enclosure\` integer not null default false, \`allocated_quantity\` integer not null default 0, constraint \`order_lines_tenant_id_foreign\` foreign key(\`tenant_id\`) references \`tenants\`(\`id\`) on delete cascade on update cascade, constraint \`order_lines_order_id_foreign\` foreign key(\`order_id\`) references \`orders\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`,
    );
    this.addSql(`create index \`order_lines_tenant_id_index\` on \`order_lines\` (\`tenant_id\`);`);
    this.addSql(`create index \`order_lines_order_id_index\` on \`order_lines\` (\`order_id\`);`);
    this.addSql(
      `create index \`order_lines_tenant_product_code_idx\` on \`order_lines\` (\`tenant_id\`, \`product_code\`);`,
    );
    this.addSql(
      `create unique index \`order_lines_order_line_no_unique\` on \`order_lines\` (\`order_id\`, \`line_no\`);`,
    );

    this.addSql(
      `create table \`operations\` (\`id\` text not null, \`tenant_id\` text not null, \`kind\` text not null, \`business_key\` text not null, \`state\` text not null default 'pending', \`attempts\` integer not null default 0, \`lease_until\` datetime null, \`next_attempt_at\` datetime null, \`last_error\` text null, \`remote_id\` text null, \`subject_type\` text null, \`subject_id\` text null, \`payload\` json null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`operations_tenant_id_foreign\` foreign key(\`tenant_id\`) references \`tenants\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`,
    );
    this.addSql(`create index \`operations_tenant_id_index\` on \`operations\` (\`tenant_id\`);`);
    this.addSql(
      `create index \`operations_state_next_idx\` on \`operations\` (\`state\`, \`next_attempt_at\`);`,
    );
    this.addSql(
      `create index \`operations_tenant_subject_idx\` on \`operations\` (\`tenant_id\`, \`subject_type\`, \`subject_id\`);`,
    );
    this.addSql(
      `create unique index \`operations_tenant_kind_key_unique\` on \`operations\` (\`tenant_id\`, \`kind\`, \`business_key\`);`,
    );

    this.addSql(
      `create table \`oauth_states\` (\`id\` text not null, \`tenant_id\` text not null, \`session_id\` text not null, \`code_verifier\` text not null, \`redirect_uri\` text not null, \`created_at\` datetime not null, \`expires_at\` datetime not null, \`consumed_at\` datetime null, constraint \`oauth_states_tenant_id_foreign\` foreign key(\`tenant_id\`) references \`tenants\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`,
    );
    this.addSql(
      `create index \`oauth_states_tenant_id_index\` on \`oauth_states\` (\`tenant_id\`);`,
    );

    this.addSql(
      `create table \`listed_products\` (\`id\` text not null, \`tenant_id\` text not null, \`product_code\` text not null, \`product_code_key\` text not null, \`management_number\` text null, \`name\` text not null, \`price\` integer null, \`smaregi_product_id\` text null, \`effective_stock\` integer null, \`stock_amount\` integer null, \`allocated_amount\` integer null, \`stock_updated_at\` datetime null, \`sync_state\` text not null default 'notImported', \`last_synced_at\` datetime null, \`last_error\` text null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`listed_products_tenant_id_foreign\` foreign key(\`tenant_id\`) references \`tenants\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`,
    );
    this.addSql(
      `create index \`listed_products_tenant_id_index\` on \`listed_products\` (\`tenant_id\`);`,
    );
    this.addSql(
      `create index \`listed_products_tenant_name_idx\` on \`listed_products\` (\`tenant_id\`, \`name\`);`,
    );
    this.addSql(
      `create unique index \`listed_products_tenant_code_key_unique\` on \`listed_products\` (\`tenant_id\`, \`product_code_key\`);`,
    );
    this.addSql(
      `create unique index \`listed_products_tenant_smaregi_id_unique\` on \`listed_products\` (\`tenant_id\`, \`smaregi_product_id\`);`,
    );

    this.addSql(
      `create table \`stock_levels\` (\`id\` text not null, \`tenant_id\` text not null, \`product_id\` text not null, \`smaregi_store_id\` text not null, \`stock_amount\` integer not null, \`allocated_amount\` integer not null default 0, \`source\` text not null, \`updated_at\` datetime not null, constraint \`stock_levels_tenant_id_foreign\` foreign key(\`tenant_id\`) references \`tenants\`(\`id\`) on delete cascade on update cascade, constraint \`stock_levels_product_id_foreign\` foreign key(\`product_id\`) references \`listed_products\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`,
    );
    this.addSql(
      `create index \`stock_levels_tenant_id_index\` on \`stock_levels\` (\`tenant_id\`);`,
    );
    this.addSql(
      `create index \`stock_levels_product_id_index\` on \`stock_levels\` (\`product_id\`);`,
    );
    this.addSql(
      `create unique index \`stock_levels_tenant_product_store_unique\` on \`stock_levels\` (\`tenant_id\`, \`product_id\`, \`smaregi_store_id\`);`,
    );

    this.addSql(
      `create table \`stock_drifts\` (\`id\` text not null, \`tenant_id\` text not null, \`product_id\` text not null, \`smaregi_store_id\` text not null, \`renkei_amount\` integer not null, \`smaregi_amount\` integer not null, \`detected_at\` datetime not null, \`resolved_at\` datetime null, \`note\` text null, constraint \`stock_drifts_tenant_id_foreign\` foreign key(\`tenant_id\`) references \`tenants\`(\`id\`) on delete cascade on update cascade, constraint \`stock_drifts_product_id_foreign\` foreign key(\`product_id\`) references \`listed_products\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`,
    );
    this.addSql(
      `create index \`stock_drifts_tenant_id_index\` on \`stock_drifts\` (\`tenant_id\`);`,
    );
    this.addSql(
      `create index \`stock_drifts_product_id_index\` on \`stock_drifts\` (\`product_id\`);`,
    );
    this.addSql(
      `create index \`stock_drifts_tenant_detected_idx\` on \`stock_drifts\` (\`tenant_id\`, \`detected_at\`);`,
    );

    this.addSql(
      `create table \`jobs\` (\`id\` text not null, \`tenant_id\` text not null, \`name\` text not null, \`payload\` json not null, \`state\` text not null default 'queued', \`priority\` integer not null default 0, \`run_at\` datetime not null, \`attempts\` integer not null default 0, \`locked_until\` datetime null, \`locked_by\` text null, \`last_error\` text null, \`dedup_key\` text null, \`finished_at\` datetime null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`jobs_tenant_id_foreign\` foreign key(\`tenant_id\`) references \`tenants\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`,
    );
    this.addSql(`create index \`jobs_tenant_id_index\` on \`jobs\` (\`tenant_id\`);`);
    this.addSql(
      `create index \`jobs_claim_idx\` on \`jobs\` (\`state\`, \`priority\`, \`run_at\`);`,
    );
    this.addSql(
      `create unique index \`jobs_tenant_name_dedup_unique\` on \`jobs\` (\`tenant_id\`, \`name\`, \`dedup_key\`);`,
    );

    this.addSql(
      `create table \`integration_settings\` (\`id\` text not null, \`tenant_id\` text not null, \`integration_enabled\` integer not null default false, \`values\` json not null, \`version\` integer not null default 1, \`updated_at\` datetime not null, constraint \`integration_settings_tenant_id_foreign\` foreign key(\`tenant_id\`) references \`tenants\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`,
    );
    this.addSql(
      `create unique index \`integration_settings_tenant_unique\` on \`integration_settings\` (\`tenant_id\`);`,
    );

    this.addSql(
      `create table \`audit_entries\` (\`id\` text not null, \`tenant_id\` text not null, \`actor_user_id\` text null, \`actor_label\` text not null, \`action\` text not null, \`entity_type\` text not null, \`entity_id\` text null, \`before\` json null, \`after\` json null, \`ip\` text null, \`at\` datetime not null, constraint \`audit_entries_tenant_id_foreign\` foreign key(\`tenant_id\`) references \`tenants\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`,
    );
    this.addSql(
      `create index \`audit_entries_tenant_id_index\` on \`audit_entries\` (\`tenant_id\`);`,
    );
    this.addSql(
      `create index \`audit_entries_tenant_id_at_index\` on \`audit_entries\` (\`tenant_id\`, \`at\`);`,
    );

    this.addSql(
      `create table \`api_keys\` (\`id\` text not null, \`tenant_id\` text not null, \`name\` text not null, \`key_hash\` text not null, \`key_prefix\` text not null, \`created_at\` datetime not null, \`last_used_at\` datetime null, \`revoked_at\` datetime null, constraint \`api_keys_tenant_id_foreign\` foreign key(\`tenant_id\`) references \`tenants\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`,
    );
    this.addSql(`create index \`api_keys_tenant_id_index\` on \`api_keys\` (\`tenant_id\`);`);
    this.addSql(`create unique index \`api_keys_key_hash_unique\` on \`api_keys\` (\`key_hash\`);`);

    this.addSql(
      `create table \`admin_users\` (\`id\` text not null, \`tenant_id\` text not null, \`email\` text not null, \`display_name\` text not null, \`password_hash\` text not null, \`created_at\` datetime not null, \`last_login_at\` datetime null, constraint \`admin_users_tenant_id_foreign\` foreign key(\`tenant_id\`) references \`tenants\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`,
    );
    this.addSql(`create index \`admin_users_tenant_id_index\` on \`admin_users\` (\`tenant_id\`);`);
    this.addSql(`create unique index \`admin_users_email_unique\` on \`admin_users\` (\`email\`);`);

    this.addSql(
      `create table \`admin_sessions\` (\`id\` text not null, \`tenant_id\` text not null, \`user_id\` text not null, \`created_at\` datetime not null, \`last_seen_at\` datetime not null, \`expires_at\` datetime not null, \`user_agent\` text null, constraint \`admin_sessions_tenant_id_foreign\` foreign key(\`tenant_id\`) references \`tenants\`(\`id\`) on delete cascade on update cascade, constraint \`admin_sessions_user_id_foreign\` foreign key(\`user_id\`) references \`admin_users\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`,
    );
    this.addSql(
      `create index \`admin_sessions_tenant_id_index\` on \`admin_sessions\` (\`tenant_id\`);`,
    );
    this.addSql(
      `create index \`admin_sessions_user_id_index\` on \`admin_sessions\` (\`user_id\`);`,
    );
    this.addSql(
      `create index \`admin_sessions_expires_at_index\` on \`admin_sessions\` (\`expires_at\`);`,
    );

    this.addSql(
      `create table \`webhook_events\` (\`id\` text not null, \`tenant_id\` text not null, \`event_id\` text not null, \`event\` text not null, \`action\` text null, \`contract_id\` text not null, \`body\` json not null, \`state\` text not null default 'received', \`received_at\` datetime not null, \`processed_at\` datetime null, \`last_error\` text null, constraint \`webhook_events_tenant_id_foreign\` foreign key(\`tenant_id\`) references \`tenants\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`,
    );
    this.addSql(
      `create index \`webhook_events_tenant_id_index\` on \`webhook_events\` (\`tenant_id\`);`,
    );
    this.addSql(
      `create index \`webhook_events_tenant_state_idx\` on \`webhook_events\` (\`tenant_id\`, \`state\`);`,
    );
    this.addSql(
      `create unique index \`webhook_events_tenant_event_unique\` on \`webhook_events\` (\`tenant_id\`, \`event_id\`);`,
    );
  }
}
