import { type Router } from 'express';
import type { SimulatorContext } from '../../context.js';
import {
  enumQuery,
  idQuery,
  pageOf,
  parsePaging,
  pickFields,
  queryString,
  sortItems,
} from '../../lib/paging.js';
import { notFound } from '../../lib/problem.js';
import type { PaymentMethod } from '../../state/types.js';
import { operation } from '../operation.js';

/**
 * POS 支払方法 (docs/smaregi-wire.md §4.5 [OFF getpaymentmethods]: filters and sorts). Modeled: the
 * scope
 * `pos.transactions:read` (not published) and the exact field list (docs/smaregi-wire.md §4.5).
 */
const SORTABLE = [
  'paymentMethodId',
  'paymentMethodCode',
  'unitPrice',
  'displaySequence',
  'updDateTime',
] as const;
const FIELDS: readonly (keyof PaymentMethod)[] = [
  'paymentMethodId',
  'paymentMethodCode',
  'paymentMethodName',
  'unitPrice',
  'displayFlag',
  'displaySequence',
  'changeFlag',
  'paymentMethodGroupId',
  'securitiesFlag',
  'updDateTime',
];
export const PAYMENT_METHOD_SCOPE = 'pos.transactions:read';

export function registerPaymentMethodRoutes(router: Router, ctx: SimulatorContext): void {
  router.get(
    '/payment_methods',
    operation(ctx, PAYMENT_METHOD_SCOPE, ({ contract, query }) => {
      const paging = parsePaging(query, SORTABLE, FIELDS);
      const code = queryString(query, 'payment_method_code');
      const displayFlag = enumQuery(query, 'display_flag', ['0', '1']);
      const changeFlag = enumQuery(query, 'change_flag', ['0', '1']);
      const groupId = idQuery(query, 'payment_method_group_id');
      const securitiesFlag = enumQuery(query, 'securities_flag', ['0', '1']);
      const matching = [...contract.paymentMethods.values()].filter(
        (m) =>
          (code === undefined || m.paymentMethodCode === code) &&
          (displayFlag === undefined || m.displayFlag === displayFlag) &&
          (changeFlag === undefined || m.changeFlag === changeFlag) &&
          (groupId === undefined || m.paymentMethodGroupId === groupId) &&
          (securitiesFlag === undefined || m.securitiesFlag === securitiesFlag),
      );
      const sorted = sortItems(
        matching,
        [...paging.sort, { field: 'paymentMethodId' as const, desc: false }],
        (m, f) => m[f],
      );
      return { body: pageOf(sorted, paging).map((m) => pickFields(m, paging.fields)) };
    }),
  );

  router.get(
    '/payment_methods/:paymentMethodId',
    operation(ctx, PAYMENT_METHOD_SCOPE, ({ contract, params }) => {
      const method = contract.paymentMethods.get(params.paymentMethodId ?? '');
      if (!method) notFound();
      return { body: method };
    }),
  );
}
