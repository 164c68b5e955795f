import { createHash } from 'node:crypto';
import {
  fieldErrorsOf,
  omsOrderSchema,
  toSmaregiOrderCode,
  type FieldError,
  type OmsOrder,
} from '@renkei/domain';
import {
  JOB_NAMES,
  UniqueConstraintViolationException,
  type Job,
  type Order,
  type OrderLine,
  type OrderSource,
  type OrderStatus,
  type PaymentMethod,
  type Shop,
  type SyncEvent,
} from '@renkei/persistence';
import { AppError, fieldError, invalid, notFound } from '../errors.js';
import { audit, type TenantScope } from './scope.js';

/*
 * Order intake (受注取込), shared by the REST API, the CSV import, the admin and the demo seed.
 * Idempotent on (shop, Smaregi order code): the same content again returns the same order; a
 * documented update (status and/or shipping date) is applied; any other difference is a 409,
 * because silently rewriting an order that may already be in Smaregi would desynchronise them.
 */

/** Fields an integrator may change by posting an existing order again. */
export const UPDATABLE_FIELDS = ['statusId', 'shippingDate'] as const;

export type IntakeOutcome = 'created' | 'unchanged' | 'updated';

export interface IntakeResult {
  outcome: IntakeOutcome;
  order: Order;
}

const CODE_REASONS = {
  empty: ['受注番号が空です', 'is empty after normalisation'],
  notPrintableAscii: [
    '受注番号はスマレジの受注番号にできません(半角英数記号のみ使えます)',
    'cannot become a Smaregi order code (printable ASCII only)',
  ],
  tooLong: [
    '受注番号は正規化後50文字以下にしてください',
    'must be at most 50 characters after normalisation',
  ],
} as const;

/** Stable JSON (sorted keys) for hashing and comparison. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

function contentHash(order: OmsOrder): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(order)))
    .digest('hex');
}

/** The intake content of a stored order, in the intake schema's shape (for comparison). */
function storedContent(order: Order): OmsOrder {
  return order.intake as unknown as OmsOrder;
}

export interface Resolved {
  parsed: OmsOrder;
  orderCode: string;
  shop: Shop;
  paymentMethod: PaymentMethod;
  status: OrderStatus;
  hash: string;
}

/** An order validated (or refused, with its field errors) without writing anything. */
export type Resolution = { ok: true; value: Resolved } | { ok: false; errors: FieldError[] };

/**
 * Shops, payment methods and statuses of this tenant that the orders refer to, one query per
 * kind for any number of orders (an ID of another tenant is simply not found).
 */
async function loadReferences(scope: TenantScope, orders: readonly OmsOrder[]) {
  const ids = (of: (o: OmsOrder) => string) => [...new Set(orders.map(of))];
  const [shops, paymentMethods, statuses] = await Promise.all([
    scope.repos.shops.find({ id: { $in: ids((o) => o.shopId) } }),
    scope.repos.paymentMethods.find({ id: { $in: ids((o) => o.paymentMethodId) } }),
    scope.repos.orderStatuses.find({ id: { $in: ids((o) => o.statusId) } }),
  ]);
  const byId = <T extends { id: string }>(rows: T[]) => new Map(rows.map((r) => [r.id, r]));
  return {
    shops: byId(shops),
    paymentMethods: byId(paymentMethods),
    statuses: byId(statuses),
  };
}

/** The order code and references of a well-formed order, or every field that is wrong. */
function checkOrder(order: OmsOrder, refs: Awaited<ReturnType<typeof loadReferences>>): Resolution {
  const errors: FieldError[] = [];
  const code = toSmaregiOrderCode(order.orderNumber);
  if (!code.ok) {
    const [ja, en] = CODE_REASONS[code.reason];
    errors.push(
      fieldError(
        'orderNumber',
        `${ja}: ${order.orderNumber}`,
        `Order number (orderNumber) ${en}: ${order.orderNumber}`,
      ),
    );
  }
  const shop = refs.shops.get(order.shopId);
  const paymentMethod = refs.paymentMethods.get(order.paymentMethodId);
  const status = refs.statuses.get(order.statusId);
  if (shop === undefined)
    errors.push(
      fieldError(
        'shopId',
        `店舗ID(shopId)が見つかりません: ${order.shopId}`,
        `Shop ID (shopId) not found: ${order.shopId}`,
      ),
    );
  if (paymentMethod === undefined)
    errors.push(
      fieldError(
        'paymentMethodId',
        `支払方法ID(paymentMethodId)が見つかりません: ${order.paymentMethodId}`,
        `Payment method ID (paymentMethodId) not found: ${order.paymentMethodId}`,
      ),
    );
  if (status === undefined)
    errors.push(
      fieldError(
        'statusId',
        `受注ステータス(statusId)が見つかりません: ${order.statusId}`,
        `Order status (statusId) not found: ${order.statusId}`,
      ),
    );
  if (
    errors.length > 0 ||
    shop === undefined ||
    paymentMethod === undefined ||
    status === undefined ||
    !code.ok
  )
    return { ok: false, errors };
  return {
    ok: true,
    value: {
      parsed: order,
      orderCode: code.code,
      shop,
      paymentMethod,
      status,
      hash: contentHash(order),
    },
  };
}

/**
 * Validates orders completely without writing anything: shape (domain schema), order code, and
 * that shop, payment method and status belong to this tenant. Returns field errors per order
 * instead of throwing, so a CSV import can report every bad row at once. The references of all
 * the orders are read together (three queries, however many orders).
 */
export async function resolveOrders(
  scope: TenantScope,
  raws: readonly unknown[],
): Promise<Resolution[]> {
  const parsed = raws.map((raw) => omsOrderSchema.safeParse(raw));
  const refs = await loadReferences(
    scope,
    parsed.flatMap((p) => (p.success ? [p.data] : [])),
  );
  return parsed.map((p) =>
    p.success ? checkOrder(p.data, refs) : { ok: false, errors: fieldErrorsOf(p.error) },
  );
}

/** {@link resolveOrders} for one order. */
export async function resolveOrder(scope: TenantScope, raw: unknown): Promise<Resolution> {
  const [resolution] = await resolveOrders(scope, [raw]);
  return resolution ?? { ok: false, errors: [] };
}

/** The idempotency key of an order: (shop, Smaregi order code), within the tenant. */
function intakeKey(r: Resolved): string {
  return `${r.shop.id}\u0000${r.orderCode}`;
}

/** The stored orders having the idempotency keys of these orders, by key (one query). */
async function existingOrders(
  scope: TenantScope,
  resolved: readonly Resolved[],
): Promise<Map<string, Order>> {
  const found = await scope.repos.orders.findByShopAndCodes(
    resolved.map((r) => ({ shopId: r.shop.id, orderCode: r.orderCode })),
  );
  return new Map(found.map((o) => [`${o.shop.id}\u0000${o.orderCode}`, o]));
}

function differingFields(a: OmsOrder, b: OmsOrder): string[] {
  const ca = canonical(a) as Record<string, unknown>;
  const cb = canonical(b) as Record<string, unknown>;
  const keys = new Set([...Object.keys(ca), ...Object.keys(cb)]);
  return [...keys].filter((k) => JSON.stringify(ca[k]) !== JSON.stringify(cb[k])).sort();
}

/**
 * The rows a new order adds (drafts, untracked by the unit of work): the order, its lines, its
 * first history line and its registration job. {@link write} inserts them in one transaction.
 */
interface NewOrderRows {
  orders: Order[];
  lines: OrderLine[];
  events: SyncEvent[];
  jobs: Job[];
}

const noNewRows = (): NewOrderRows => ({ orders: [], lines: [], events: [], jobs: [] });

function createOrder(
  scope: TenantScope,
  r: Resolved,
  source: OrderSource,
  rows: NewOrderRows,
): Order {
  const o = r.parsed;
  const order = scope.repos.orders.draft({
    shop: r.shop,
    orderNumber: o.orderNumber,
    orderCode: r.orderCode,
    status: r.status,
    orderedAt: new Date(o.orderedAt),
    paymentMethod: r.paymentMethod,
    shipToName: o.shipTo?.name ?? null,
    shipToPostalCode: o.shipTo?.postalCode ?? null,
    shipToAddress: o.shipTo?.address ?? null,
    shipToPhone: o.shipTo?.phone ?? null,
    deliveryDate: o.deliveryDate,
    shippingDate: o.shippingDate,
    shippingFee: o.shippingFee,
    commission: o.commission,
    giftWrapFee: o.giftWrapFee,
    pointUse: o.pointUse,
    coupon: o.coupon,
    mallCoupon: o.mallCoupon,
    adjustment: o.adjustment,
    externalTax: o.externalTax,
    total: o.total ?? null,
    intake: o,
    contentHash: r.hash,
    source,
    syncState: 'pending',
  });
  rows.orders.push(order);
  o.lines.forEach((line, index) => {
    rows.lines.push(
      scope.repos.orderLines.draft({
        order,
        lineNo: index + 1,
        productCode: line.productCode,
        managementNumber: line.managementNumber,
        name: line.name,
        unitPrice: line.unitPrice,
        quantity: line.quantity,
        isEnclosure: line.isEnclosure,
      }),
    );
  });
  rows.events.push(
    scope.repos.syncEvents.draft({
      subjectType: 'order',
      subjectId: order.id,
      kind: 'order.received',
      outcome: 'info',
      message: `受注を取り込みました(${source}) / Order received (${source})`,
    }),
  );
  // A new order cannot have a job yet: no dedup lookup is needed.
  rows.jobs.push(
    scope.repos.jobs.draft({
      name: JOB_NAMES.registerOrder,
      payload: { orderId: order.id },
      dedupKey: order.id,
      priority: 0,
    }),
  );
  return order;
}

/**
 * Writes what the applied orders changed in ONE transaction: the new orders' rows (orders
 * before their lines) and the unit of work's changes to existing orders (documented updates).
 * Nothing is kept if any of it fails.
 */
async function write(scope: TenantScope, rows: NewOrderRows): Promise<void> {
  await scope.em.begin();
  try {
    await scope.repos.orders.insertAll(rows.orders);
    await scope.repos.orderLines.insertAll(rows.lines);
    await scope.repos.syncEvents.insertAll(rows.events);
    await scope.repos.jobs.insertAll(rows.jobs);
    await scope.em.commit(); // flushes the updates, then commits
  } catch (error) {
    await scope.em.rollback();
    throw error;
  }
}

async function enqueueRegistration(scope: TenantScope, order: Order): Promise<void> {
  await scope.repos.jobs.enqueue(
    JOB_NAMES.registerOrder,
    { orderId: order.id },
    { dedupKey: order.id, priority: 0 },
  );
}

/**
 * Applies a resolved order (nothing is written yet): a new order adds its rows to `rows`, an
 * update changes the stored order of its idempotency key in the unit of work. A conflict is
 * thrown before anything is changed.
 */
async function apply(
  scope: TenantScope,
  r: Resolved,
  source: OrderSource,
  existing: Order | undefined,
  rows: NewOrderRows,
): Promise<IntakeResult> {
  if (existing === undefined)
    return { outcome: 'created', order: createOrder(scope, r, source, rows) };
  if (existing.contentHash === r.hash) return { outcome: 'unchanged', order: existing };
  const before = storedContent(existing);
  const differing = differingFields(before, r.parsed);
  const notUpdatable = differing.filter(
    (f) => !(UPDATABLE_FIELDS as readonly string[]).includes(f),
  );
  if (notUpdatable.length > 0) {
    throw new AppError(
      'CONFLICT',
      {
        ja: `受注番号 ${r.parsed.orderNumber} は別の内容で登録済みです(異なる項目: ${notUpdatable.join(', ')})。変更できるのは受注ステータスと出荷日だけです`,
        en: `Order ${r.parsed.orderNumber} already exists with different content (${notUpdatable.join(', ')}); only statusId and shippingDate may change`,
      },
      notUpdatable.map((f) =>
        fieldError(f, `登録済みの内容と異なります`, `differs from the stored order`),
      ),
      { orderId: existing.id, differingFields: notUpdatable },
    );
  }
  const statusChanged = existing.status.id !== r.status.id;
  existing.status = r.status;
  existing.shippingDate = r.parsed.shippingDate;
  existing.contentHash = r.hash;
  existing.intake = r.parsed;
  scope.repos.syncEvents.record({
    subjectType: 'order',
    subjectId: existing.id,
    kind: 'order.updated',
    outcome: 'info',
    message: `受注を更新しました(${differing.join(', ')}) / Order updated (${differing.join(', ')})`,
  });
  if (statusChanged) {
    await scope.repos.jobs.enqueue(JOB_NAMES.orderStatusChanged, {
      orderId: existing.id,
      statusId: r.status.id,
    });
  }
  return { outcome: 'updated', order: existing };
}

/**
 * Receives one order. Throws AppError BAD_REQUEST (with per-field errors), CONFLICT, or returns
 * the stored order with what happened. All rows of one order are written in one transaction.
 */
export async function receiveOrder(
  scope: TenantScope,
  raw: unknown,
  source: OrderSource,
): Promise<IntakeResult> {
  const attempt = async () => {
    const resolved = await resolveOrder(scope, raw);
    if (!resolved.ok) throw invalid(resolved.errors);
    const existing = await existingOrders(scope, [resolved.value]);
    const rows = noNewRows();
    const result = await apply(
      scope,
      resolved.value,
      source,
      existing.get(intakeKey(resolved.value)),
      rows,
    );
    // One transaction: the order, its lines, its history line and its job are written together
    // or not at all.
    await write(scope, rows);
    return result;
  };
  try {
    return await attempt();
  } catch (error) {
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
    // The same order arrived twice at once and the other request won: answer as for a repeat.
    scope.em.clear();
    return attempt();
  }
}

/** What became of one order of a group: its result, or the error it alone is answered with. */
export type GroupOutcome = { ok: true; result: IntakeResult } | { ok: false; error: unknown };

/**
 * Receives independent orders of one tenant together (the REST intake's group commit): they are
 * validated with one query per kind of reference, looked up by idempotency key in one query, and
 * written in ONE transaction. Unlike {@link receiveOrders} each order is answered on its own: a
 * malformed or conflicting order gets its error (found before anything is written) and the others
 * are stored. Each order still gets its order, lines, history line and job in the same
 * transaction, exactly as with {@link receiveOrder}.
 *
 * - A second order with the same idempotency key as an earlier one of the group is received
 *   after the group is committed, so it sees the first (same content → `unchanged`).
 * - If the shared transaction fails (a database error, or a concurrent writer that inserted one
 *   of the orders first), nothing of it is kept and every order is received again alone, so no
 *   order fails because of another.
 *
 * `newScope` gives a fresh unit of work of the tenant (one per transaction). Never throws.
 */
export async function receiveOrderGroup(
  newScope: () => TenantScope,
  raws: readonly unknown[],
  source: OrderSource,
): Promise<GroupOutcome[]> {
  const outcomes: (GroupOutcome | undefined)[] = raws.map(() => undefined);
  const later: number[] = []; // positions whose key repeats an earlier order of the group
  const alone: number[] = []; // positions to receive one by one
  try {
    const scope = newScope();
    const resolutions = await resolveOrders(scope, raws);
    const resolved = resolutions.flatMap((r) => (r.ok ? [r.value] : []));
    const existing = await existingOrders(scope, resolved);
    const keys = new Set<string>();
    const written: number[] = [];
    const rows = noNewRows();
    for (const [i, resolution] of resolutions.entries()) {
      if (!resolution.ok) {
        outcomes[i] = { ok: false, error: invalid(resolution.errors) };
        continue;
      }
      const key = intakeKey(resolution.value);
      if (keys.has(key)) {
        later.push(i);
        continue;
      }
      keys.add(key);
      try {
        const result = await apply(scope, resolution.value, source, existing.get(key), rows);
        outcomes[i] = { ok: true, result };
        written.push(i);
      } catch (error) {
        // A conflict is decided before the order touches the unit of work; anything else may
        // have left it half-changed, so the whole group is received again one by one.
        if (!(error instanceof AppError)) throw error;
        outcomes[i] = { ok: false, error };
      }
    }
    try {
      await write(scope, rows);
    } catch (error) {
      // Nothing of the group was committed: receive the orders that were to be written alone
      // (an error that is really theirs comes back from that attempt).
      scope.deps.logger.warn(
        { err: error, orders: written.length },
        'intake group not committed; receiving its orders one by one',
      );
      alone.push(...written);
    }
  } catch {
    // Reading failed, or an order failed unexpectedly: start over, one order at a time.
    later.length = 0;
    alone.length = 0;
    alone.push(...raws.keys());
  }
  for (const i of alone) {
    try {
      outcomes[i] = { ok: true, result: await receiveOrder(newScope(), raws[i], source) };
    } catch (error) {
      outcomes[i] = { ok: false, error };
    }
  }
  if (later.length > 0) {
    const rest = await receiveOrderGroup(
      newScope,
      later.map((i) => raws[i]),
      source,
    );
    later.forEach((i, n) => (outcomes[i] = rest[n]));
  }
  return outcomes.map(
    (o) => o ?? { ok: false, error: new Error('order left unanswered by the intake group') },
  );
}

/**
 * Receives many orders all-or-nothing (CSV import): every order is validated first and, if any
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
    counts[(await apply(scope, r, source, existing.get(intakeKey(r)), rows)).outcome] += 1;
  await write(scope, rows); // one transaction for the whole file

  return counts;
}

/** The order of this tenant with lines, or NOT_FOUND. */
export async function getOrder(scope: TenantScope, id: string): Promise<Order> {
  return (await scope.repos.orders.findWithLines(id)) ?? Promise.reject(notFound('受注', 'Order'));
}

/** What API clients see of an order. */
export function orderView(order: Order) {
  return {
    id: order.id,
    shopId: order.shop.id,
    orderNumber: order.orderNumber,
    orderCode: order.orderCode,
    statusId: order.status.id,
    orderedAt: order.orderedAt.toISOString(),
    paymentMethodId: order.paymentMethod.id,
    shippingFee: order.shippingFee,
    commission: order.commission,
    giftWrapFee: order.giftWrapFee,
    pointUse: order.pointUse,
    coupon: order.coupon,
    mallCoupon: order.mallCoupon,
    adjustment: order.adjustment,
    externalTax: order.externalTax,
    total: order.total ?? null,
    deliveryDate: order.deliveryDate ?? null,
    shippingDate: order.shippingDate ?? null,
    shipTo: {
      name: order.shipToName ?? null,
      postalCode: order.shipToPostalCode ?? null,
      address: order.shipToAddress ?? null,
      phone: order.shipToPhone ?? null,
    },
    syncState: order.syncState,
    syncReason: order.syncReason ?? null,
    smaregiOrderHeadId: order.smaregiOrderHeadId ?? null,
    allocationStatus: order.allocationStatus ?? null,
    lastSyncError: order.lastSyncError ?? null,
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}

export function orderLinesView(order: Order) {
  return order.lines.getItems().map((l) => ({
    lineNo: l.lineNo,
    productCode: l.productCode ?? null,
    managementNumber: l.managementNumber ?? null,
    name: l.name,
    unitPrice: l.unitPrice,
    quantity: l.quantity,
    isEnclosure: l.isEnclosure,
    allocatedQuantity: l.allocatedQuantity,
  }));
}

/** Moves an order to another status of this tenant (the worker reacts to trigger statuses). */
export async function changeOrderStatus(
  scope: TenantScope,
  orderId: string,
  statusId: string,
): Promise<Order> {
  const order = await getOrder(scope, orderId);
  const status = await scope.repos.orderStatuses.findById(statusId);
  if (status === null)
    throw invalid([
      fieldError(
        'statusId',
        `受注ステータス(statusId)が見つかりません: ${statusId}`,
        `Order status (statusId) not found: ${statusId}`,
      ),
    ]);
  if (order.status.id === status.id) return order;
  const before = { statusId: order.status.id };
  order.status = status;
  // Keep the stored intake content in step so that the integrator's next post of the same order
  // with the new status is a repeat, not a conflict.
  const next = { ...storedContent(order), statusId: status.id };
  order.intake = next;
  order.contentHash = contentHash(next);
  scope.repos.syncEvents.record({
    subjectType: 'order',
    subjectId: order.id,
    kind: 'order.statusChanged',
    outcome: 'info',
    message: `ステータスを「${status.name}」に変更しました / Status changed to ${status.name}`,
  });
  audit(scope, 'order.statusChange', 'order', order.id, before, { statusId: status.id });
  await scope.repos.jobs.enqueue(JOB_NAMES.orderStatusChanged, {
    orderId: order.id,
    statusId: status.id,
  });
  await scope.em.flush();
  return order;
}

/** Asks the worker to try the order again (after the merchant fixed the cause). */
export async function retryOrder(scope: TenantScope, orderId: string): Promise<Order> {
  const order = await getOrder(scope, orderId);
  if (order.syncState === 'registered' || order.syncState === 'canceled') {
    throw new AppError('CONFLICT', {
      ja: 'この受注はスマレジに登録済み(またはキャンセル済み)のため再送できません',
      en: 'This order is already registered in Smaregi (or canceled); nothing to retry',
    });
  }
  order.syncState = 'pending';
  scope.repos.syncEvents.record({
    subjectType: 'order',
    subjectId: order.id,
    kind: 'order.retryRequested',
    outcome: 'info',
    message: `${scope.actor.label} が再送を指示しました / Retry requested by ${scope.actor.label}`,
  });
  await enqueueRegistration(scope, order);
  await scope.em.flush();
  return order;
}
