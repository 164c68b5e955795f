import {
  planAllocation,
  type AllocationOrderInput,
  type IntegrationSettings,
} from '@renkei/domain';
import type { Em, TenantRepositories } from '@renkei/persistence';
import { resolveLineProduct } from '@renkei/domain';
import { productIndexFor, sentLines } from '../orders/order-view.js';

/**
 * 有効在庫数計算設定 = omsPurchase: Renkei's own planner decides which open orders hold stock,
 * first come first served, from Renkei's stock figures (ListedProduct.stockAmount, kept by the
 * stock sync) — `planAllocation` in the domain. The result is written onto every open registered
 * order (allocation status and per-line quantities); nothing is sent to Smaregi.
 */
export async function planOmsAllocation(
  em: Em,
  repos: TenantRepositories,
  settings: IntegrationSettings,
): Promise<void> {
  const open = await repos.orders.find(
    { syncState: 'registered', status: { category: 'open' } },
    {
      populate: ['lines'],
      orderBy: { orderedAt: 'asc', id: 'asc' },
    },
  );
  if (open.length === 0) return;
  const inputs: AllocationOrderInput[] = [];
  const productIds = new Set<string>();
  const lineMaps = new Map<string, ReturnType<typeof sentLines>>();
  // One product lookup for all open orders (the plan runs once per batch of registrations).
  const index = await productIndexFor(
    repos,
    open.flatMap((o) => sentLines(o, settings.syncEnclosures)),
    settings,
  );
  for (const order of open) {
    const lines = sentLines(order, settings.syncEnclosures);
    const resolved = lines.map((l) => resolveLineProduct(index, l));
    if (resolved.some((r) => r.status !== 'found')) continue;
    lineMaps.set(order.id, lines);
    inputs.push({
      orderKey: order.id,
      orderNumber: order.orderNumber,
      orderedAt: order.orderedAt.toISOString(),
      lines: resolved.map((r, i) => {
        const productId = r.status === 'found' ? r.ref.productId : '';
        productIds.add(productId);
        return { productId, quantity: lines[i]?.quantity ?? 0 };
      }),
    });
  }
  const products = await repos.products.find({ smaregiProductId: { $in: [...productIds] } });
  const stock = new Map<string, number>(
    products.map((p) => [p.smaregiProductId ?? '', p.stockAmount ?? 0]),
  );
  const plan = planAllocation(inputs, stock);
  for (const order of open) {
    const planned = plan.byOrderKey.get(order.id);
    const lines = lineMaps.get(order.id);
    if (planned === undefined || lines === undefined) continue;
    order.allocationStatus = planned.status === 'invalid' ? 'unallocated' : planned.status;
    planned.lines.forEach((pl) => {
      const line = lines[pl.lineIndex];
      if (line !== undefined) line.allocatedQuantity = pl.allocatedQuantity;
    });
  }
  await em.flush();
}
