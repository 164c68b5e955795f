import { toSmaregiOrderCode, type FieldError } from '@renkei/domain';
import type { OrderSource } from '@renkei/persistence';
import { fieldError } from '../../errors.js';
import { toPublicError } from '../../trpc/errors.js';
import type { TenantScope } from '../scope.js';
import type { IntakeOutcome } from './idempotency.js';
import { receiveOrderGroup } from './receive-group.js';

/** What became of one order of a file: stored (created / updated / unchanged) or refused. */
export type FileOrderOutcome =
  | { outcome: IntakeOutcome; orderId: string; errors: [] }
  | { outcome: 'refused'; orderId: null; errors: FieldError[] };

/**
 * Receives the orders of a file (受注CSV import) each on its own: a refused order (bad field,
 * unknown shop, a new version of an order Smaregi has...) stores nothing and does not stop the
 * others, which are written with the REST intake's group commit (`receiveOrderGroup`: one
 * transaction, each order with its lines, history line and job, all or nothing per order).
 * Returns one outcome per order, in file order. `row` is the order's first row in the file (the
 * duplicate message points to it).
 *
 * An order number given twice for one shop (`ＣＳＶ－１` and `CSV-1` are one Smaregi order code)
 * is refused at its second appearance: two different orders of the same key in one file are a
 * mistake to show, not an update to apply.
 */
export async function receiveOrders(
  newScope: () => TenantScope,
  raws: readonly { row: number; order: Record<string, unknown> }[],
  source: OrderSource,
): Promise<FileOrderOutcome[]> {
  const outcomes: (FileOrderOutcome | undefined)[] = raws.map(() => undefined);
  const first = new Map<string, number>();
  const unique: number[] = [];
  raws.forEach(({ row, order }, i) => {
    const number = typeof order.orderNumber === 'string' ? order.orderNumber : '';
    const code = toSmaregiOrderCode(number);
    const key = `${String(order.shopId)}\u0000${code.ok ? code.code : number}`;
    const earlier = number === '' ? undefined : first.get(key);
    if (earlier !== undefined) {
      outcomes[i] = {
        outcome: 'refused',
        orderId: null,
        errors: [
          fieldError(
            'orderNumber',
            `受注番号 ${number} がファイル内で重複しています(${earlier}行目と同じ受注)`,
            `Order number ${number} appears twice in the file (the order of row ${earlier})`,
          ),
        ],
      };
      return;
    }
    if (number !== '') first.set(key, row);
    unique.push(i);
  });
  const received = await receiveOrderGroup(
    newScope,
    unique.map((i) => raws[i]!.order),
    source,
  );
  unique.forEach((i, n) => {
    const r = received[n];
    if (r?.ok === true) {
      outcomes[i] = { outcome: r.result.outcome, orderId: r.result.order.id, errors: [] };
      return;
    }
    const pub = toPublicError(r?.error);
    outcomes[i] = {
      outcome: 'refused',
      orderId: null,
      // A refusal without fields (a conflict) is still said, on the order as a whole.
      errors: pub.fieldErrors.length > 0 ? pub.fieldErrors : [{ path: '', message: pub.message }],
    };
  });
  return outcomes.map(
    (o) =>
      o ?? {
        outcome: 'refused',
        orderId: null,
        errors: [fieldError('', '受注を取り込めませんでした', 'The order was not received')],
      },
  );
}
