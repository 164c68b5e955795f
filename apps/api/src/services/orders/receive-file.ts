import type { FieldError } from '@renkei/domain';
import type { OrderSource } from '@renkei/persistence';
import { fieldError, invalid } from '../../errors.js';
import type { TenantScope } from '../scope.js';
import { existingOrders, intakeKey } from './idempotency.js';
import { resolveOrders, type Resolved } from './intake.js';
import { noNewRows, writeOrderRows } from './new-order-rows.js';
import { applyOrder } from './receive.js';

/**
 * Receives many orders all-or-nothing (受注CSV import): every order is validated first and, if any
 * is bad, nothing is stored and every error is returned with its position.
 */
export async function receiveOrders(
  scope: TenantScope,
  raws: { position: string; order: unknown }[],
  source: OrderSource,
): Promise<{ created: number; unchanged: number; updated: number }> {
  const resolved: Resolved[] = [];
  const errors: FieldError[] = [];
  const seen = new Map<string, string>();
  const resolutions = await resolveOrders(
    scope,
    raws.map((r) => r.order),
  );
  for (const [i, r] of resolutions.entries()) {
    const position = raws[i]?.position ?? String(i);
    if (!r.ok) {
      errors.push(...r.errors.map((e) => ({ path: `${position}.${e.path}`, message: e.message })));
      continue;
    }
    const key = intakeKey(r.value);
    const first = seen.get(key);
    if (first !== undefined) {
      errors.push(
        fieldError(
          `${position}.orderNumber`,
          `受注番号 ${r.value.parsed.orderNumber} がファイル内で重複しています(${first})`,
          `Order number ${r.value.parsed.orderNumber} appears twice in the file (${first})`,
        ),
      );
      continue;
    }
    seen.set(key, position);
    resolved.push(r.value);
  }
  if (errors.length > 0) throw invalid(errors);
  const existing = await existingOrders(scope, resolved);
  const counts = { created: 0, unchanged: 0, updated: 0 };
  const rows = noNewRows();
  for (const r of resolved)
    counts[(await applyOrder(scope, r, source, existing.get(intakeKey(r)), rows)).outcome] += 1;
  await writeOrderRows(scope, rows); // one transaction for the whole file

  return counts;
}
