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
      `create table \`api_idempotency_keys\` (\`id\` text not null, \`tenant_id\` text not null, \`idempotency_key\` text not null, \`request_hash\` text not null, \`response_status\` integer not null, \`response_body\` json not null, \`response_etag\` text null, \`created_at\` datetime not null, \`expires_at\` datetime not null, constraint \`api_idempotency_keys_tenant_id_foreign\` foreign key(\`tenant_id\`) references \`tenants\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`,
    );
    this.addSql(
      `create index \`api_idempotency_keys_tenant_id_index\` on \`api_idempotency_keys\` (\`tenant_id\`);`,
    );
    this.addSql(
      `create index \`api_idempotency_keys_tenant_expires_idx\` on \`api_idempotency_keys\` (\`tenant_id\`, \`expires_at\`);`,
    );
    this.addSql(
      `create unique index \`api_idempotency_keys_tenant_key_unique\` on \`api_idempotency_keys\` (\`tenant_id\`, \`idempotency_key\`);`,
    );
    this.addSql(
      `alter table \`api_keys\` add column \`scopes\` text not null default 'orders:write orders:read stock:read';`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`api_keys\` drop column \`scopes\`;`);
    this.addSql(`drop table if exists \`api_idempotency_keys\`;`);
  }
}
