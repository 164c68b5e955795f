import { Migration } from '@mikro-orm/migrations';

/**
 * The product import panel (docs/flows.md §2): a run records what it was asked to do (`mode`:
 * create new products only, or create and update), the estimate of how many products it will read
 * (`expected_total`, Smaregi gives no count), and who cancelled it (`canceled_by`). Existing runs
 * did what `createAndUpdate` does, have no estimate and were never cancelled by anyone: every row
 * keeps its values.
 */
export class Migration20261202010000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table \`product_import_runs\` add column \`mode\` text not null default 'createAndUpdate';`,
    );
    this.addSql(`alter table \`product_import_runs\` add column \`expected_total\` integer null;`);
    this.addSql(`alter table \`product_import_runs\` add column \`canceled_by\` text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`product_import_runs\` drop column \`canceled_by\`;`);
    this.addSql(`alter table \`product_import_runs\` drop column \`expected_total\`;`);
    this.addSql(`alter table \`product_import_runs\` drop column \`mode\`;`);
  }
}
