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
    for (const [column, path] of [
      ['ship_to_name', '$.shipTo.name'],
      ['ship_to_postal_code', '$.shipTo.postalCode'],
      ['ship_to_address', '$.shipTo.address'],
      ['ship_to_phone', '$.shipTo.phone'],
      ['delivery_date', '$.deliveryDate'],
      ['total', '$.total'],
    ] as const) {
      this.addSql(
        `update \`orders\` set \`${column}\` = json_extract(\`intake\`, '${path}') where \`${column}\` is null and json_valid(\`intake\`) and json_extract(\`intake\`, '${path}') is not null;`,
      );
    }
    this.addSql(`alter table \`orders\` drop column \`intake\`;`);
    this.addSql(`alter table \`orders\` drop column \`content_hash\`;`);
  }

  /** Rebuilds the JSON from the columns; the hash is left empty, so no post matches it blindly. */
  override async down(): Promise<void> {
    this.addSql(`alter table \`orders\` add column \`intake\` json not null default '{}';`);
    this.addSql(`alter table \`orders\` add column \`content_hash\` text not null default '';`);
    this.addSql(
      `update \`orders\` set \`intake\` = json_object(` +
        `'shopId', \`shop_id\`, 'orderNumber', \`order_number\`, ` +
        `'orderedAt', strftime('%Y-%m-%dT%H:%M:%fZ', \`ordered_at\` / 1000.0, 'unixepoch'), ` +
        `'paymentMethodId', \`payment_method_id\`, 'statusId', \`status_id\`, ` +
        `'shippingFee', \`shipping_fee\`, 'commission', \`commission\`, 'giftWrapFee', \`gift_wrap_fee\`, ` +
        `'pointUse', \`point_use\`, 'coupon', \`coupon\`, 'mallCoupon', \`mall_coupon\`, ` +
        `'adjustment', \`adjustment\`, 'externalTax', \`external_tax\`, 'total', \`total\`, ` +
        `'deliveryDate', \`delivery_date\`, 'shippingDate', \`shipping_date\`, ` +
        `'shipTo', json_object('name', \`ship_to_name\`, 'postalCode', \`ship_to_postal_code\`, 'address', \`ship_to_address\`, 'phone', \`ship_to_phone\`), ` +
        `'lines', (select json_group_array(json_object('productCode', l.\`product_code\`, 'managementNumber', l.\`management_number\`, 'name', l.\`name\`, 'unitPrice', l.\`unit_price\`, 'quantity', l.\`quantity\`, 'isEnclosure', json(case when l.\`is_enclosure\` then 'true' else 'false' end))) ` +
        `from (select * from \`order_lines\` where \`order_id\` = \`orders\`.\`id\` order by \`line_no\`) l));`,
    );
  }
}
