import { type Router } from 'express';
import { z } from 'zod';
import type { SimulatorContext } from '../../context.js';
import { pageOf, parsePaging, pickFields, queryString, sortItems } from '../../lib/paging.js';
import { badRequest, notFound } from '../../lib/problem.js';
import { parseOrProblem } from '../../lib/validation.js';
import { addCategory } from '../../state/catalog.js';
import type { PosCategory } from '../../state/types.js';
import { operation } from '../operation.js';
import { PRINTABLE_ASCII, codeString, intString, text } from './wire.js';

/**
 * POS 部門 (categories), as much as products need: list, get, create (scope pos.products:*,
 * docs/smaregi-wire.md §3). The paths are in the crawled POS spec [SEC]; the field list served
 * here is modeled (docs/smaregi-wire.md §4.8).
 */
const SORTABLE = ['categoryId', 'categoryCode', 'displaySequence'] as const;
const FIELDS: readonly (keyof PosCategory)[] = [
  'categoryId',
  'categoryCode',
  'categoryName',
  'taxDivision',
  'displaySequence',
  'updDateTime',
];

const createSchema = z.strictObject({
  categoryCode: z
    .string({ error: 'categoryCodeは必須です' })
    .min(1, { error: 'categoryCodeは必須です' })
    .max(20, { error: 'categoryCodeは20文字以下で指定してください' })
    .regex(PRINTABLE_ASCII, { error: 'categoryCodeは半角英数記号で指定してください' }),
  categoryName: text('categoryName', 85).min(1, { error: 'categoryNameは必須です' }),
  taxDivision: codeString('taxDivision', ['0', '1', '2']).optional(),
  displaySequence: intString('displaySequence', 0, 999_999_999).optional(),
});

export function registerCategoryRoutes(router: Router, ctx: SimulatorContext): void {
  router.get(
    '/categories',
    operation(ctx, 'pos.products:read', ({ contract, query }) => {
      const paging = parsePaging(query, SORTABLE, FIELDS);
      const code = queryString(query, 'category_code');
      const matching = [...contract.categories.values()].filter(
        (c) => code === undefined || c.categoryCode === code,
      );
      const sorted = sortItems(
        matching,
        [...paging.sort, { field: 'categoryId' as const, desc: false }],
        (c, f) => c[f],
      );
      return { body: pageOf(sorted, paging).map((c) => pickFields(c, paging.fields)) };
    }),
  );

  router.get(
    '/categories/:categoryId',
    operation(ctx, 'pos.products:read', ({ contract, params }) => {
      const category = contract.categories.get(params.categoryId ?? '');
      if (!category) notFound();
      return { body: category };
    }),
  );

  router.post(
    '/categories',
    operation(ctx, 'pos.products:write', ({ contract, body }) => {
      const input = parseOrProblem(createSchema, body);
      for (const c of contract.categories.values()) {
        if (c.categoryCode === input.categoryCode)
          badRequest(`categoryCode[${input.categoryCode}]は既に登録されています`);
      }
      const category = addCategory(
        contract,
        {
          categoryCode: input.categoryCode,
          categoryName: input.categoryName,
          ...(input.taxDivision !== undefined ? { taxDivision: input.taxDivision } : {}),
          ...(input.displaySequence !== undefined
            ? { displaySequence: input.displaySequence }
            : {}),
        },
        ctx.now(),
      );
      return { body: category };
    }),
  );
}
