import { type Router } from 'express';
import { z } from 'zod';
import type { SimulatorContext } from '../../context.js';
import {
  enumQuery,
  idQuery,
  pageOf,
  parseDateRange,
  parsePaging,
  pickFields,
  queryString,
  sortItems,
} from '../../lib/paging.js';
import { badRequest, notFound } from '../../lib/problem.js';
import { formatJst } from '../../lib/time.js';
import { parseOrProblem } from '../../lib/validation.js';
import { addProduct } from '../../state/catalog.js';
import { POS_PRODUCT_FIELDS, type PosProduct } from '../../state/types.js';
import { emitProducts } from '../../webhooks/events.js';
import { operation } from '../operation.js';
import { PRINTABLE_ASCII, codeString, decimalString, idString, intString, text } from './wire.js';

/**
 * POS 商品 (docs/smaregi-wire.md §4.1): list with its filters and sorts, get, create, update,
 * delete (path [SEC]; the 204 answer and keeping the product's stock rows are modeled).
 * Field constraints from the official bulk schemas [OFF postproductsbulk / patchproductsbulk].
 */
const SORTABLE = ['productId', 'productCode', 'updDateTime', 'displaySequence'] as const;

const productFields = {
  categoryId: idString('categoryId'),
  productCode: z
    .string({ error: 'productCodeは必須です' })
    .min(1, { error: 'productCodeは必須です' })
    .max(20, { error: 'productCodeは20文字以下で指定してください' })
    .regex(PRINTABLE_ASCII, { error: 'productCodeは半角英数記号で指定してください' }),
  productName: text('productName', 85).min(1, { error: 'productNameは必須です' }),
  productKana: text('productKana', 85).nullable(),
  taxDivision: codeString('taxDivision', ['0', '1', '2']),
  productPriceDivision: codeString('productPriceDivision', ['1', '2']),
  price: intString('price', -99_999_999, 99_999_999),
  customerPrice: intString('customerPrice', -99_999_999, 99_999_999).nullable(),
  cost: decimalString('cost').nullable(),
  attribute: text('attribute', 1000).nullable(),
  description: text('description', 1000).nullable(),
  catchCopy: text('catchCopy', 1000).nullable(),
  size: text('size', 85).nullable(),
  color: text('color', 85).nullable(),
  tag: text('tag', 85).nullable(),
  groupCode: text('groupCode', 85).nullable(),
  url: text('url', 255).nullable(),
  printReceiptProductName: text('printReceiptProductName', 64).nullable(),
  displaySequence: intString('displaySequence', -999_999_999, 999_999_999).nullable(),
  displayFlag: codeString('displayFlag', ['0', '1']),
  division: codeString('division', ['0', '1', '2']),
  productOptionGroupId: idString('productOptionGroupId').nullable(),
  salesDivision: codeString('salesDivision', ['0', '1']),
  stockControlDivision: codeString('stockControlDivision', ['0', '1']),
  pointNotApplicable: codeString('pointNotApplicable', ['0', '1']),
  taxFreeDivision: codeString('taxFreeDivision', ['0', '1', '2']),
  calcDiscount: codeString('calcDiscount', ['0', '1']),
  staffDiscountRate: intString('staffDiscountRate', 0, 100).nullable(),
  useCategoryReduceTax: codeString('useCategoryReduceTax', ['0', '1']),
  reduceTaxId: codeString('reduceTaxId', [
    '10000001',
    '10000002',
    '10000003',
    '10000004',
  ]).nullable(),
  reduceTaxPrice: intString('reduceTaxPrice', -99_999_999, 99_999_999).nullable(),
  reduceTaxCustomerPrice: intString('reduceTaxCustomerPrice', -99_999_999, 99_999_999).nullable(),
  supplierProductNo: text('supplierProductNo', 85).nullable(),
  orderPoint: intString('orderPoint', 0, 999_999_999).nullable(),
  purchaseCost: intString('purchaseCost', 0, 999_999_999).nullable(),
  appStartDateTime: text('appStartDateTime', 25).nullable(),
};

type OptionalFields = {
  [K in keyof typeof productFields]: z.ZodOptional<(typeof productFields)[K]>;
};
const optionalFields = Object.fromEntries(
  Object.entries(productFields).map(([k, v]) => [k, v.optional()]),
) as OptionalFields;

const createSchema = z.strictObject({
  ...optionalFields,
  categoryId: productFields.categoryId,
  productCode: productFields.productCode,
  productName: productFields.productName,
  price: productFields.price,
});

const updateSchema = z.strictObject(optionalFields);

function requireProductId(productId: string | undefined): string {
  if (!productId || !/^\d{1,15}$/.test(productId)) notFound();
  return productId;
}

export function registerProductRoutes(router: Router, ctx: SimulatorContext): void {
  router.get(
    '/products',
    operation(ctx, 'pos.products:read', ({ contract, query }) => {
      const paging = parsePaging(query, SORTABLE, POS_PRODUCT_FIELDS);
      const range = parseDateRange(query, 'upd_date_time');
      const filter = {
        productCode: queryString(query, 'product_code'),
        groupCode: queryString(query, 'group_code'),
        categoryId: idQuery(query, 'category_id'),
        displayFlag: enumQuery(query, 'display_flag', ['0', '1']),
        division: enumQuery(query, 'division', ['0', '1', '2']),
        salesDivision: enumQuery(query, 'sales_division', ['0', '1']),
        stockControlDivision: enumQuery(query, 'stock_control_division', ['0', '1']),
        updFrom: range?.from ?? null,
        updTo: range?.to ?? null,
      };
      const first = paging.sort[0];
      let items: PosProduct[];
      if (paging.sort.length === 0 || (paging.sort.length === 1 && first?.field === 'productId')) {
        // Primary-key order: walk the ID-ordered table and collect only the requested page.
        items = contract.products.select(filter, {
          offset: (paging.page - 1) * paging.limit,
          limit: paging.limit,
          descending: first?.desc ?? false,
        });
      } else {
        const all = contract.products.select(filter, null);
        const keys = [...paging.sort, { field: 'productId' as const, desc: false }];
        items = pageOf(
          sortItems(all, keys, (p, f) => p[f]),
          paging,
        );
      }
      return { body: items.map((p) => pickFields(p, paging.fields)) };
    }),
  );

  router.get(
    '/products/:productId',
    operation(ctx, 'pos.products:read', ({ contract, params, query }) => {
      const paging = parsePaging({ fields: query.fields }, [], POS_PRODUCT_FIELDS);
      const product = contract.products.get(requireProductId(params.productId));
      if (!product) notFound();
      return { body: pickFields(product, paging.fields) };
    }),
  );

  router.post(
    '/products',
    operation(ctx, 'pos.products:write', ({ contract, body }) => {
      const input = parseOrProblem(createSchema, body);
      if (!contract.categories.has(input.categoryId)) {
        badRequest('指定された部門IDのリソースが見つかりません', [
          { name: 'categoryId', message: '指定された部門IDのリソースが見つかりません' },
        ]);
      }
      if (contract.products.getByCode(input.productCode)) {
        badRequest(`productCode[${input.productCode}]は既に登録されています`, [
          { name: 'productCode', message: '既に登録されています' },
        ]);
      }
      const product = addProduct(contract, input, ctx.now());
      emitProducts(ctx, contract.contractId, 'created', [product.productId]);
      return { body: product };
    }),
  );

  router.delete(
    '/products/:productId',
    operation(ctx, 'pos.products:write', ({ contract, params }) => {
      const productId = requireProductId(params.productId);
      if (!contract.products.delete(productId)) notFound();
      emitProducts(ctx, contract.contractId, 'deleted', [productId]);
      return { status: 204, body: null };
    }),
  );

  router.patch(
    '/products/:productId',
    operation(ctx, 'pos.products:write', ({ contract, params, body }) => {
      const productId = requireProductId(params.productId);
      if (!contract.products.get(productId)) notFound();
      const input = parseOrProblem(updateSchema, body);
      if (input.categoryId !== undefined && !contract.categories.has(input.categoryId)) {
        badRequest('指定された部門IDのリソースが見つかりません');
      }
      if (input.productCode !== undefined) {
        const other = contract.products.getByCode(input.productCode);
        if (other && other.productId !== productId) {
          badRequest(`productCode[${input.productCode}]は既に登録されています`);
        }
      }
      const now = ctx.now();
      const changes = Object.fromEntries(
        Object.entries(input).filter(([, v]) => v !== undefined),
      ) as Partial<PosProduct>;
      const product = contract.products.update(
        productId,
        { ...changes, updDateTime: formatJst(now) },
        now.getTime(),
      );
      emitProducts(ctx, contract.contractId, 'edited', [productId]);
      return { body: product };
    }),
  );
}
