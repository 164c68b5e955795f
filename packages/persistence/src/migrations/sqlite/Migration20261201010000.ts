import { Migration } from '@mikro-orm/migrations';
import { jsonColumn, legacyMessageText, splitLegacyMessage } from '../legacy-messages.js';

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
 * the text split once into its halves. All columns are nullable, so SQLite adds and drops them in
 * place (no table rebuild: `orders` is referenced by its lines).
 */
export class Migration20261201010000 extends Migration {
  override async up(): Promise<void> {
    for (const [table, old, to] of MESSAGES) {
      await this.execute(`alter table \`${table}\` add column \`${to}_code\` text null;`);
      await this.execute(`alter table \`${table}\` add column \`${to}_params\` json null;`);
      const rows = (await this.execute(
        `select \`id\`, \`${old}\` as \`text\` from \`${table}\` where \`${old}\` is not null;`,
      )) as { id: string; text: string }[];
      for (const row of rows)
        await this.execute(
          `update \`${table}\` set \`${to}_code\` = 'legacyText', \`${to}_params\` = ? where \`id\` = ?;`,
          [JSON.stringify(splitLegacyMessage(row.text)), row.id],
        );
      await this.execute(`alter table \`${table}\` drop column \`${old}\`;`);
    }
  }

  override async down(): Promise<void> {
    for (const [table, old, from] of MESSAGES) {
      await this.execute(`alter table \`${table}\` add column \`${old}\` text null;`);
      const rows = (await this.execute(
        `select \`id\`, \`${from}_code\` as \`code\`, \`${from}_params\` as \`params\` from \`${table}\` where \`${from}_code\` is not null;`,
      )) as { id: string; code: string; params: unknown }[];
      for (const row of rows)
        await this.execute(`update \`${table}\` set \`${old}\` = ? where \`id\` = ?;`, [
          legacyMessageText(row.code, jsonColumn(row.params) ?? {}),
          row.id,
        ]);
      await this.execute(`alter table \`${table}\` drop column \`${from}_code\`;`);
      await this.execute(`alter table \`${table}\` drop column \`${from}_params\`;`);
    }
  }
}
