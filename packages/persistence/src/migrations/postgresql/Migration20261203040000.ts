import { Migration } from '@mikro-orm/migrations';

/**
 * REST API v1: an answer kept under an `Idempotency-Key` also keeps its language (the
 * `Content-Language` it was given in), so a replay says which language its texts are in. Keys
 * kept before have none (null): their replay goes without the header, as before.
 */
export class Migration20261203040000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "api_idempotency_keys" add column "response_language" varchar(10) null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "api_idempotency_keys" drop column "response_language";`);
  }
}
