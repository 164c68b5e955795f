import { Migration } from '@mikro-orm/migrations';
import { jsonColumn, legacyMessageText, splitLegacyMessage } from '../legacy-messages.js';

/**
 * Sync events store a message code with its parameters instead of one "日本語 / English" text.
 * Existing rows keep their words: code `legacyText`, the text split once into its halves. SQLite
 * cannot add a NOT NULL column without a default, so the table is rebuilt (indexes too).
 */
export class Migration20261130214000 extends Migration {
  override async up(): Promise<void> {
    await this.rebuild('`message_code` text not null, `message_params` json not null');
    await this.execute(
      `insert into \`sync_events__new\` select \`id\`, \`tenant_id\`, \`subject_type\`, \`subject_id\`, \`kind\`, \`outcome\`, 'legacyText', '{}', \`detail\`, \`operation_id\`, \`at\` from \`sync_events\`;`,
    );
    const rows = await this.execute(`select \`id\`, \`message\` from \`sync_events\`;`);
    for (const row of rows as { id: string; message: string }[]) {
      await this.execute(
        `update \`sync_events__new\` set \`message_params\` = ? where \`id\` = ?;`,
        [JSON.stringify(splitLegacyMessage(row.message)), row.id],
      );
    }
    await this.swap();
  }

  override async down(): Promise<void> {
    await this.rebuild('`message` text not null');
    const rows = await this.execute(
      `select \`id\`, \`tenant_id\`, \`subject_type\`, \`subject_id\`, \`kind\`, \`outcome\`, \`message_code\`, \`message_params\`, \`detail\`, \`operation_id\`, \`at\` from \`sync_events\`;`,
    );
    for (const r of rows as Record<string, unknown>[]) {
      await this.execute(
        `insert into \`sync_events__new\` values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?);`,
        [
          r.id,
          r.tenant_id,
          r.subject_type,
          r.subject_id,
          r.kind,
          r.outcome,
          legacyMessageText(String(r.message_code), jsonColumn(r.message_params)),
          r.detail,
          r.operation_id,
          r.at,
        ],
      );
    }
    await this.swap();
  }

  /** Creates `sync_events__new` with `message` columns given (in the place of the old one). */
  private async rebuild(messageColumns: string): Promise<void> {
    await this.execute(
      `create table \`sync_events__new\` (\`id\` text not null, \`tenant_id\` text not null, \`subject_type\` text not null, \`subject_id\` text null, \`kind\` text not null, \`outcome\` text not null, ${messageColumns}, \`detail\` json null, \`operation_id\` text null, \`at\` datetime not null, constraint \`sync_events_tenant_id_foreign\` foreign key(\`tenant_id\`) references \`tenants\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`,
    );
  }

  private async swap(): Promise<void> {
    await this.execute(`drop table \`sync_events\`;`);
    await this.execute(`alter table \`sync_events__new\` rename to \`sync_events\`;`);
    await this.execute(
      `create index \`sync_events_tenant_id_index\` on \`sync_events\` (\`tenant_id\`);`,
    );
    await this.execute(
      `create index \`sync_events_tenant_subject_idx\` on \`sync_events\` (\`tenant_id\`, \`subject_type\`, \`subject_id\`);`,
    );
    await this.execute(
      `create index \`sync_events_tenant_at_idx\` on \`sync_events\` (\`tenant_id\`, \`at\`);`,
    );
  }
}
