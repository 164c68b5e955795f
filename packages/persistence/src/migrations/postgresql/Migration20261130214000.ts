import { Migration } from '@mikro-orm/migrations';
import { jsonColumn, legacyMessageText, splitLegacyMessage } from '../legacy-messages.js';

/** Rows per update statement when existing messages are rewritten. */
const BATCH = 500;

/**
 * Sync events store a message code with its parameters instead of one "日本語 / English" text.
 * Existing rows keep their words: code `legacyText`, the text split once into its halves.
 */
export class Migration20261130214000 extends Migration {
  override async up(): Promise<void> {
    await this.execute(
      `alter table "sync_events" add column "message_code" varchar(50) not null default 'legacyText', add column "message_params" jsonb null;`,
    );
    const rows = (await this.execute(`select "id", "message" from "sync_events";`)) as {
      id: string;
      message: string;
    }[];
    await this.update(
      rows.map((r) => [r.id, JSON.stringify(splitLegacyMessage(r.message))]),
      'message_params',
      'jsonb',
    );
    await this.execute(
      `alter table "sync_events" alter column "message_code" drop default, alter column "message_params" set not null, drop column "message";`,
    );
  }

  override async down(): Promise<void> {
    await this.execute(`alter table "sync_events" add column "message" text null;`);
    const rows = (await this.execute(
      `select "id", "message_code", "message_params" from "sync_events";`,
    )) as { id: string; message_code: string; message_params: unknown }[];
    await this.update(
      rows.map((r) => [r.id, legacyMessageText(r.message_code, jsonColumn(r.message_params))]),
      'message',
      'text',
    );
    await this.execute(
      `alter table "sync_events" alter column "message" set not null, drop column "message_code", drop column "message_params";`,
    );
  }

  /** Sets `column` of each row [id, value] in batches (one statement per batch). */
  private async update(rows: [string, string][], column: string, type: string): Promise<void> {
    for (let i = 0; i < rows.length; i += BATCH) {
      const batch = rows.slice(i, i + BATCH);
      await this.execute(
        `update "sync_events" as s set "${column}" = v.value::${type} from json_to_recordset(?::json) as v(id text, value text) where s.id = v.id;`,
        [JSON.stringify(batch.map(([id, value]) => ({ id, value })))],
      );
    }
  }
}
