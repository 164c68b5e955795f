import { Migration } from '@mikro-orm/migrations';

/**
 * REST API v1 (docs/architecture.md): each API key holds scopes (`orders:write orders:read
 * stock:read`, space-separated); every existing key gets all three, so no integrator's key stops
 * working. `api_idempotency_keys` keeps, per tenant and until it expires, the answer given under
 * an `Idempotency-Key` header. No existing row changes otherwise.
 */
export class Migration20261202060000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "api_idempotency_keys" ("id" varchar(36) not null, "tenant_id" varchar(36) not null, "idempotency_key" varchar(255) not null, "request_hash" varchar(64) not null, "response_status" int not null, "response_body" jsonb not null, "response_etag" varchar(100) null, "created_at" timestamptz not null, "expires_at" timestamptz not null, constraint "api_idempotency_keys_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "api_idempotency_keys_tenant_expires_idx" on "api_idempotency_keys" ("tenant_id", "expires_at");`,
    );
    this.addSql(
      `alter table "api_idempotency_keys" add constraint "api_idempotency_keys_tenant_key_unique" unique ("tenant_id", "idempotency_key");`,
    );
    this.addSql(
      `alter table "api_idempotency_keys" add constraint "api_idempotency_keys_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "api_keys" add column "scopes" varchar(200) not null default 'orders:write orders:read stock:read';`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "api_keys" drop column "scopes";`);
    this.addSql(`drop table if exists "api_idempotency_keys" cascade;`);
  }
}
