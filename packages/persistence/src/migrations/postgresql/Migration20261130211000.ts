import { Migration } from '@mikro-orm/migrations';

/**
 * An order is kept once: its columns and lines. The accepted intake JSON (`intake`) and its hash
 * (`content_hash`) were a second copy that every status change had to patch by hand; they go.
 * Before they do, a ship-to field, delivery date or total that only the JSON holds is copied into
 * its column, so no row loses anything the intake accepted. Status and shipping date are not
 * copied: their columns are the newer value (the worker moves them without touching the JSON).
 */
export class Migration20261130211000 extends Migration {
  override async up(): Promise<void> {
    for (const [column, value] of [
      ['ship_to_name', `"intake"->'shipTo'->>'name'`],
      ['ship_to_postal_code', `"intake"->'shipTo'->>'postalCode'`],
      ['ship_to_address', `"intake"->'shipTo'->>'address'`],
      ['ship_to_phone', `"intake"->'shipTo'->>'phone'`],
      ['delivery_date', `"intake"->>'deliveryDate'`],
      ['total', `("intake"->>'total')::int`],
    ] as const) {
      this.addSql(
        `update "orders" set "${column}" = ${value} where "${column}" is null and ${value} is not null;`,
      );
    }
    this.addSql(`alter table "orders" drop column "intake", drop column "content_hash";`);
  }

  /** Rebuilds the JSON from the columns; the hash is left empty, so no post matches it blindly. */
  override async down(): Promise<void> {
    this.addSql(
      `alter table "orders" add column "intake" jsonb not null default '{}', add column "content_hash" varchar(64) not null default '';`,
    );
    this.addSql(
      `update "orders" o set "intake" = jsonb_build_object(` +
        `'shopId', o."shop_id", 'orderNumber', o."order_number", ` +
        `'orderedAt', to_char(o."ordered_at" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), ` +
        `'paymentMethodId', o."payment_method_id", 'statusId', o."status_id", ` +
        `'shippingFee', o."shipping_fee", 'commission', o."commission", 'giftWrapFee', o."gift_wrap_fee", ` +
        `'pointUse', o."point_use", 'coupon', o."coupon", 'mallCoupon', o."mall_coupon", ` +
        `'adjustment', o."adjustment", 'externalTax', o."external_tax", 'total', o."total", ` +
        `'deliveryDate', o."delivery_date", 'shippingDate', o."shipping_date", ` +
        `'shipTo', jsonb_build_object('name', o."ship_to_name", 'postalCode', o."ship_to_postal_code", 'address', o."ship_to_address", 'phone', o."ship_to_phone"), ` +
        `'lines', coalesce((select jsonb_agg(jsonb_build_object('productCode', l."product_code", 'managementNumber', l."management_number", 'name', l."name", 'unitPrice', l."unit_price", 'quantity', l."quantity", 'isEnclosure', l."is_enclosure") order by l."line_no") ` +
        `from "order_lines" l where l."order_id" = o."id"), '[]'::jsonb));`,
    );
  }
}
