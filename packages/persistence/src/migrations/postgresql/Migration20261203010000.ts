import { Migration } from '@mikro-orm/migrations';

/*
 * The change feeds of the REST API v1 (`GET /api/v1/orders`, `GET /api/v1/stock`;
 * changes/change-feed.ts): every order and every listed product gets a change position and the
 * instant of its last change, set by triggers, so that every write path (the unit of work, bulk
 * inserts, raw query-builder updates, the worker) is covered without knowing of the feeds.
 *
 * PostgreSQL runs writers side by side and commits them in any order, so no counter handed out at
 * write time is commit-ordered. The position is the writing transaction's ID instead
 * (`pg_current_xact_id()`, 64 bits, never wraps): the feed reads only positions below the oldest
 * transaction still running (`pg_snapshot_xmin(pg_current_snapshot())`), which have all ended, so
 * no row can later appear below a position already read. A long transaction holds the feed back
 * until it ends; it never makes it skip a change.
 *
 * An order's position moves when the order row changes, when one of its lines changes (the
 * allocation per line is part of the order the API shows) and when its shipment in the ledger
 * (`shipOrders`, business key `ship:<orderId>`) changes state. A product's stock position moves
 * when what the stock feed shows of it changes (code, name, Smaregi ID, 有効在庫数, stock and
 * allocated amounts, whether a recompute is due) or one of its stock rows changes amounts — not
 * when a reconciliation only confirms the figures (`stock_updated_at` alone).
 *
 * Existing rows take this migration's transaction as their position (they are ordered by ID within
 * it) and their last update as their change instant.
 */
export class Migration20261203010000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create function "renkei_change_position"() returns bigint language sql volatile as $$ select pg_current_xact_id()::text::bigint $$;`,
    );

    this.addSql(
      `alter table "orders" add column "feed_position" bigint null, add column "feed_changed_at" timestamptz null;`,
    );
    this.addSql(
      `update "orders" set "feed_position" = "renkei_change_position"(), "feed_changed_at" = "updated_at";`,
    );
    this.addSql(
      `create index "orders_tenant_feed_idx" on "orders" ("tenant_id", "feed_position", "id", "feed_changed_at");`,
    );
    this.addSql(`create function "orders_feed_position"() returns trigger language plpgsql as $$
begin
  new.feed_position := renkei_change_position();
  new.feed_changed_at := clock_timestamp();
  return new;
end $$;`);
    this.addSql(
      `create trigger "orders_feed_position" before insert or update on "orders" for each row execute function "orders_feed_position"();`,
    );
    // A line or a shipment moves its order (the order's own trigger then sets position and instant);
    // an order already moved by this transaction is left alone. Lines are written many to a
    // statement (the intake's multi-row inserts): one update per statement, not per line.
    this
      .addSql(`create function "order_lines_feed_position"() returns trigger language plpgsql as $$
declare
  x bigint := renkei_change_position();
begin
  update orders set feed_position = x
    where id in (select order_id from changed_lines) and feed_position is distinct from x;
  return null;
end $$;`);
    for (const [event, rows] of [
      ['insert', 'new'],
      ['update', 'new'],
      ['delete', 'old'],
    ])
      this.addSql(
        `create trigger "order_lines_feed_${event}" after ${event} on "order_lines" referencing ${rows} table as changed_lines for each statement execute function "order_lines_feed_position"();`,
      );
    this
      .addSql(`create function "operations_order_feed_position"() returns trigger language plpgsql as $$
begin
  if new.kind = 'shipOrders' and left(new.business_key, 5) = 'ship:'
     and (tg_op = 'INSERT' or new.state is distinct from old.state) then
    update orders set feed_position = renkei_change_position()
      where tenant_id = new.tenant_id and id = substr(new.business_key, 6)
        and feed_position is distinct from renkei_change_position();
  end if;
  return null;
end $$;`);
    this.addSql(
      `create trigger "operations_order_feed_position" after insert or update of "state" on "operations" for each row execute function "operations_order_feed_position"();`,
    );

    this.addSql(
      `alter table "listed_products" add column "stock_feed_position" bigint null, add column "stock_feed_changed_at" timestamptz null;`,
    );
    this.addSql(
      `update "listed_products" set "stock_feed_position" = "renkei_change_position"(), "stock_feed_changed_at" = "updated_at";`,
    );
    this.addSql(
      `create index "listed_products_tenant_stock_feed_idx" on "listed_products" ("tenant_id", "stock_feed_position", "id", "stock_feed_changed_at");`,
    );
    // A statement that sets the position itself (a stock row's trigger) keeps it.
    this
      .addSql(`create function "listed_products_stock_feed_position"() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT'
     or new.stock_feed_position is distinct from old.stock_feed_position
     or (new.product_code, new.name, new.smaregi_product_id, new.effective_stock, new.stock_amount,
         new.allocated_amount, new.stock_recompute_requests > 0)
        is distinct from
        (old.product_code, old.name, old.smaregi_product_id, old.effective_stock, old.stock_amount,
         old.allocated_amount, old.stock_recompute_requests > 0) then
    new.stock_feed_position := renkei_change_position();
    new.stock_feed_changed_at := clock_timestamp();
  end if;
  return new;
end $$;`);
    this.addSql(
      `create trigger "listed_products_stock_feed_position" before insert or update on "listed_products" for each row execute function "listed_products_stock_feed_position"();`,
    );
    // A stock row moves its product when it comes, goes, or its amounts change (per statement).
    this
      .addSql(`create function "stock_levels_feed_position"() returns trigger language plpgsql as $$
declare
  x bigint := renkei_change_position();
begin
  update listed_products set stock_feed_position = x
    where id in (select product_id from changed_levels) and stock_feed_position is distinct from x;
  return null;
end $$;`);
    this
      .addSql(`create function "stock_levels_feed_position_update"() returns trigger language plpgsql as $$
declare
  x bigint := renkei_change_position();
begin
  update listed_products set stock_feed_position = x
    where id in (
      select n.product_id from changed_levels n join previous_levels o on o.id = n.id
      where (n.stock_amount, n.allocated_amount, n.smaregi_store_id)
            is distinct from (o.stock_amount, o.allocated_amount, o.smaregi_store_id))
      and stock_feed_position is distinct from x;
  return null;
end $$;`);
    this.addSql(
      `create trigger "stock_levels_feed_insert" after insert on "stock_levels" referencing new table as changed_levels for each statement execute function "stock_levels_feed_position"();`,
    );
    this.addSql(
      `create trigger "stock_levels_feed_delete" after delete on "stock_levels" referencing old table as changed_levels for each statement execute function "stock_levels_feed_position"();`,
    );
    this.addSql(
      `create trigger "stock_levels_feed_update" after update on "stock_levels" referencing old table as previous_levels new table as changed_levels for each statement execute function "stock_levels_feed_position_update"();`,
    );
  }

  override async down(): Promise<void> {
    for (const event of ['insert', 'update', 'delete'])
      this.addSql(`drop trigger if exists "stock_levels_feed_${event}" on "stock_levels";`);
    this.addSql(`drop function if exists "stock_levels_feed_position_update"();`);
    this.addSql(`drop function if exists "stock_levels_feed_position"();`);
    this.addSql(
      `drop trigger if exists "listed_products_stock_feed_position" on "listed_products";`,
    );
    this.addSql(`drop function if exists "listed_products_stock_feed_position"();`);
    this.addSql(`drop index "listed_products_tenant_stock_feed_idx";`);
    this.addSql(
      `alter table "listed_products" drop column "stock_feed_position", drop column "stock_feed_changed_at";`,
    );
    this.addSql(`drop trigger if exists "operations_order_feed_position" on "operations";`);
    this.addSql(`drop function if exists "operations_order_feed_position"();`);
    for (const event of ['insert', 'update', 'delete'])
      this.addSql(`drop trigger if exists "order_lines_feed_${event}" on "order_lines";`);
    this.addSql(`drop function if exists "order_lines_feed_position"();`);
    this.addSql(`drop trigger if exists "orders_feed_position" on "orders";`);
    this.addSql(`drop function if exists "orders_feed_position"();`);
    this.addSql(`drop index "orders_tenant_feed_idx";`);
    this.addSql(`alter table "orders" drop column "feed_position", drop column "feed_changed_at";`);
    this.addSql(`drop function if exists "renkei_change_position"();`);
  }
}
