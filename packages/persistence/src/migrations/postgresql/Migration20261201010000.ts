import { Migration } from '@mikro-orm/migrations';
import { jsonColumn, legacyMessageText, splitLegacyMessage } from '../legacy-messages.js';

/** Rows per update statement when existing messages are rewritten. */
const BATCH = 500;

/** [table, old text column, new column prefix]: code in `<prefix>_code`, parameters in `_params`. */
const MESSAGES = [
  ['orders', 'sync_reason', 'sync_reason'],
  ['orders', 'last_sync_error', 'last_sync_error'],
  ['listed_products', 'last_error', 'last_error'],
  ['stock_drifts', 'note', 'note'],
] as const;

/**
 * An order's reason and last refusal, a product's last error and a drift's note store a message
 * code with its parameters instead of one "日本語 / English" (or Japanese only) text, as sync
 * events do since Migration20261130214000. Existing texts keep their words: code `legacyText`,
 * the text split once into its halves.
 */
export class Migration20261201010000 extends Migration {
  override async up(): Promise<void> {
    for (const [table, old, to] of MESSAGES) {
      await this.execute(
        `alter table "${table}" add column "${to}_code" varchar(50) null, add column "${to}_params" jsonb null;`,
      );
      const rows = (await this.execute(
        `select "id", "${old}" as "text" from "${table}" where "${old}" is not null;`,
      )) as { id: string; text: string }[];
      await this.update(
        table,
        rows.map((r) => ({ id: r.id, value: JSON.stringify(splitLegacyMessage(r.text)) })),
        `"${to}_code" = 'legacyText', "${to}_params" = v.value::jsonb`,
      );
      await this.execute(`alter table "${table}" drop column "${old}";`);
    }
  }

  override async down(): Promise<void> {
    for (const [table, old, from] of MESSAGES) {
      await this.execute(`alter table "${table}" add column "${old}" text null;`);
      const rows = (await this.execute(
        `select "id", "${from}_code" as "code", "${from}_params" as "params" from "${table}" where "${from}_code" is not null;`,
      )) as { id: string; code: string; params: unknown }[];
      await this.update(
        table,
        rows.map((r) => ({
          id: r.id,
          value: legacyMessageText(r.code, jsonColumn(r.params) ?? {}),
        })),
        `"${old}" = v.value`,
      );
      await this.execute(
        `alter table "${table}" drop column "${from}_code", drop column "${from}_params";`,
      );
    }
  }

  /** Applies `set` to each row {id, value} in batches (one statement per batch). */
  private async update(table: string, rows: { id: string; value: string }[], set: string) {
    for (let i = 0; i < rows.length; i += BATCH) {
      await this.execute(
        `update "${table}" as t set ${set} from json_to_recordset(?::json) as v(id text, value text) where t.id = v.id;`,
        [JSON.stringify(rows.slice(i, i + BATCH))],
      );
    }
  }
}
