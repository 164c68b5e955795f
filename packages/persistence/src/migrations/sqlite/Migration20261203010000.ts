import { Migration } from '@mikro-orm/migrations';

/*
 * The change feeds of the REST API v1 (`GET /api/v1/orders`, `GET /api/v1/stock`;
 * changes/change-feed.ts): every order and every listed product gets a commit-ordered change
 * position and the instant of its last change, set by triggers, so that every write path (the
 * unit of work, bulk inserts, raw query-builder updates, the worker) is covered without knowing
 * of the feeds.
 *
 * SQLite has one writer at a time: a transaction holds the write lock from its first write to its
 * commit, so a counter incremented by the triggers (`change_counters`, one row per feed) hands out
 * positions in commit order, and a reader never sees a later position before an earlier one.
 *
 * An order's position moves when the order row changes, when one of its lines changes (the
 * allocation per line is part of the order the API shows) and when its shipment in the ledger
 * (`shipOrders`, business key `ship:<orderId>`) changes state. A product's stock position moves
 * when what the stock feed shows of it changes (code, name, Smaregi ID, 有効在庫数, stock and
 * allocated amounts, whether a recompute is due) or one of its stock rows changes amounts — not
 * when a reconciliation only confirms the figures (`stock_updated_at` alone).
 *
 * Existing rows get positions in the order of their last update; the counters start after them.
 */
const NOW_MS = `cast(round((julianday('now') - 2440587.5) * 86400000) as integer)`;

/** The statements that give the order `orderId` (an SQL expression) the next orders position. */
const bumpOrder = (orderId: string, tenantId?: string) =>
  `update \`change_counters\` set \`position\` = \`position\` + 1 where \`name\` = 'orders'; ` +
  `update \`orders\` set \`feed_position\` = (select \`position\` from \`change_counters\` where \`name\` = 'orders'), \`feed_changed_at\` = ${NOW_MS} ` +
  `where \`id\` = ${orderId}${tenantId === undefined ? '' : ` and \`tenant_id\` = ${tenantId}`};`;

/** The statements that give the product `productId` the next stock position. */
const bumpProduct = (productId: string) =>
  `update \`change_counters\` set \`position\` = \`position\` + 1 where \`name\` = 'stock'; ` +
  `update \`listed_products\` set \`stock_feed_position\` = (select \`position\` from \`change_counters\` where \`name\` = 'stock'), \`stock_feed_changed_at\` = ${NOW_MS} ` +
  `where \`id\` = ${productId};`;

/** The product columns the stock feed shows (a change of any moves the product). */
const STOCK_COLUMNS = [
  'product_code',
  'name',
  'smaregi_product_id',
  'effective_stock',
  'stock_amount',
  'allocated_amount',
];

export class Migration20261203010000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`change_counters\` (\`name\` text not null, \`position\` integer not null default 0, primary key (\`name\`));`,
    );

    // Orders: positions for the rows there are, by last update.
    this.addSql(`alter table \`orders\` add column \`feed_position\` bigint null;`);
    this.addSql(`alter table \`orders\` add column \`feed_changed_at\` datetime null;`);
    this.addSql(
      `update \`orders\` set \`feed_position\` = r.\`n\`, \`feed_changed_at\` = \`orders\`.\`updated_at\` from (select \`id\`, row_number() over (order by \`updated_at\`, \`id\`) as \`n\` from \`orders\`) as r where r.\`id\` = \`orders\`.\`id\`;`,
    );
    this.addSql(
      `insert into \`change_counters\` (\`name\`, \`position\`) select 'orders', coalesce(max(\`feed_position\`), 0) from \`orders\`;`,
    );
    this.addSql(
      `create index \`orders_tenant_feed_idx\` on \`orders\` (\`tenant_id\`, \`feed_position\`, \`id\`, \`feed_changed_at\`);`,
    );
    this.addSql(
      `create trigger \`orders_feed_insert\` after insert on \`orders\` begin ${bumpOrder('new.`id`')} end;`,
    );
    // The trigger's own update changes the position and so does not fire it again.
    this.addSql(
      `create trigger \`orders_feed_update\` after update on \`orders\` when new.\`feed_position\` is old.\`feed_position\` begin ${bumpOrder('new.`id`')} end;`,
    );
    this.addSql(
      `create trigger \`order_lines_feed_insert\` after insert on \`order_lines\` begin ${bumpOrder('new.`order_id`')} end;`,
    );
    this.addSql(
      `create trigger \`order_lines_feed_update\` after update on \`order_lines\` begin ${bumpOrder('new.`order_id`')} end;`,
    );
    this.addSql(
      `create trigger \`order_lines_feed_delete\` after delete on \`order_lines\` begin ${bumpOrder('old.`order_id`')} end;`,
    );
    this.addSql(
      `create trigger \`operations_order_feed_insert\` after insert on \`operations\` when new.\`kind\` = 'shipOrders' and substr(new.\`business_key\`, 1, 5) = 'ship:' begin ${bumpOrder('substr(new.`business_key`, 6)', 'new.`tenant_id`')} end;`,
    );
    this.addSql(
      `create trigger \`operations_order_feed_update\` after update of \`state\` on \`operations\` when new.\`kind\` = 'shipOrders' and substr(new.\`business_key\`, 1, 5) = 'ship:' and new.\`state\` is not old.\`state\` begin ${bumpOrder('substr(new.`business_key`, 6)', 'new.`tenant_id`')} end;`,
    );

    // Listed products: the same for their stock figures.
    this.addSql(`alter table \`listed_products\` add column \`stock_feed_position\` bigint null;`);
    this.addSql(
      `alter table \`listed_products\` add column \`stock_feed_changed_at\` datetime null;`,
    );
    this.addSql(
      `update \`listed_products\` set \`stock_feed_position\` = r.\`n\`, \`stock_feed_changed_at\` = \`listed_products\`.\`updated_at\` from (select \`id\`, row_number() over (order by \`updated_at\`, \`id\`) as \`n\` from \`listed_products\`) as r where r.\`id\` = \`listed_products\`.\`id\`;`,
    );
    this.addSql(
      `insert into \`change_counters\` (\`name\`, \`position\`) select 'stock', coalesce(max(\`stock_feed_position\`), 0) from \`listed_products\`;`,
    );
    this.addSql(
      `create index \`listed_products_tenant_stock_feed_idx\` on \`listed_products\` (\`tenant_id\`, \`stock_feed_position\`, \`id\`, \`stock_feed_changed_at\`);`,
    );
    this.addSql(
      `create trigger \`listed_products_stock_feed_insert\` after insert on \`listed_products\` begin ${bumpProduct('new.`id`')} end;`,
    );
    const changed = [
      ...STOCK_COLUMNS.map((c) => `new.\`${c}\` is not old.\`${c}\``),
      `(new.\`stock_recompute_requests\` > 0) is not (old.\`stock_recompute_requests\` > 0)`,
    ].join(' or ');
    this.addSql(
      `create trigger \`listed_products_stock_feed_update\` after update on \`listed_products\` when new.\`stock_feed_position\` is old.\`stock_feed_position\` and (${changed}) begin ${bumpProduct('new.`id`')} end;`,
    );
    this.addSql(
      `create trigger \`stock_levels_feed_insert\` after insert on \`stock_levels\` begin ${bumpProduct('new.`product_id`')} end;`,
    );
    this.addSql(
      `create trigger \`stock_levels_feed_update\` after update on \`stock_levels\` when new.\`stock_amount\` is not old.\`stock_amount\` or new.\`allocated_amount\` is not old.\`allocated_amount\` or new.\`smaregi_store_id\` is not old.\`smaregi_store_id\` begin ${bumpProduct('new.`product_id`')} end;`,
    );
    this.addSql(
      `create trigger \`stock_levels_feed_delete\` after delete on \`stock_levels\` begin ${bumpProduct('old.`product_id`')} end;`,
    );
  }

  override async down(): Promise<void> {
    for (const trigger of [
      'stock_levels_feed_delete',
      'stock_levels_feed_update',
      'stock_levels_feed_insert',
      'listed_products_stock_feed_update',
      'listed_products_stock_feed_insert',
      'operations_order_feed_update',
      'operations_order_feed_insert',
      'order_lines_feed_delete',
      'order_lines_feed_update',
      'order_lines_feed_insert',
      'orders_feed_update',
      'orders_feed_insert',
    ])
      this.addSql(`drop trigger if exists \`${trigger}\`;`);
    this.addSql(`drop index \`listed_products_tenant_stock_feed_idx\`;`);
    this.addSql(`alter table \`listed_products\` drop column \`stock_feed_changed_at\`;`);
    this.addSql(`alter table \`listed_products\` drop column \`stock_feed_position\`;`);
    this.addSql(`drop index \`orders_tenant_feed_idx\`;`);
    this.addSql(`alter table \`orders\` drop column \`feed_changed_at\`;`);
    this.addSql(`alter table \`orders\` drop column \`feed_position\`;`);
    this.addSql(`drop table if exists \`change_counters\`;`);
  }
}
