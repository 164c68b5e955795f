/*
 * The guided setup of the dashboard: the help page's steps in order (認証 → 停止 → 設定 → 店舗 →
 * 支払方法 → 商品取得 → 開始), each with its state computed from the readiness checklist the API
 * evaluated (`readiness.get`) and the integration switch. Pure: the checklist's rules stay in
 * `@renkei/domain`; this only groups its items by the step that fixes them.
 */

export const SETUP_STEP_IDS = [
  'connect',
  'stop',
  'configure',
  'shops',
  'paymentMethods',
  'products',
  'start',
] as const;
export type SetupStepId = (typeof SETUP_STEP_IDS)[number];

/** done: nothing left; todo: can be done now; blocked: waits for another step (`waitsFor`). */
export type SetupStepState = 'done' | 'todo' | 'blocked';

/** The part of a readiness item the grouping reads (the API's item has more). */
export interface ReadinessItemLike {
  id: string;
  passed: boolean;
  blocking: boolean;
  fixAt: string;
  details: readonly string[];
}

export interface SetupStep<I extends ReadinessItemLike> {
  id: SetupStepId;
  /** 1-based, as on the help page. */
  number: number;
  state: SetupStepState;
  /** Readiness items of this step that are not met (blocking first). */
  unmet: I[];
  /** The step this one waits for when `blocked`. */
  waitsFor: SetupStepId | null;
  /** The first step the merchant can act on now. */
  current: boolean;
}

export interface SetupGuide<I extends ReadinessItemLike> {
  steps: SetupStep<I>[];
  current: SetupStepId | null;
  /** Every step done: connected, configured, mapped, imported and running. */
  complete: boolean;
}

/** Which step fixes which readiness item. */
const STEP_OF_ITEM: Readonly<Record<string, SetupStepId>> = {
  connection: 'connect',
  adjustmentProductCode: 'configure',
  dummyProductCode: 'configure',
  allocationInquirySettings: 'configure',
  bulkShippingStatus: 'configure',
  shopsMapped: 'shops',
  orderStoreWarehouse: 'shops',
  taxModeMatches: 'shops',
  paymentMethodsMapped: 'paymentMethods',
  productsImported: 'products',
};

/** An item the domain adds later still lands on a step: the one of the screen that fixes it. */
const STEP_OF_FIX: Readonly<Record<string, SetupStepId>> = {
  'settings.connection': 'connect',
  'settings.orderSync': 'configure',
  'settings.allocation': 'configure',
  'settings.bulkShipping': 'configure',
  shops: 'shops',
  'smaregi.orderStores': 'shops',
  paymentMethods: 'paymentMethods',
  products: 'products',
};

const PRODUCT_CODE_ITEMS = new Set(['adjustmentProductCode', 'dummyProductCode']);

/** Steps whose screens read Smaregi live (pull-downs, code checks, import): they need 認証. */
const NEEDS_CONNECTION = new Set<SetupStepId>(['configure', 'shops', 'paymentMethods', 'products']);

export function stepOfItem(item: Pick<ReadinessItemLike, 'id' | 'fixAt'>): SetupStepId {
  return STEP_OF_ITEM[item.id] ?? STEP_OF_FIX[item.fixAt] ?? 'configure';
}

export function setupGuide<I extends ReadinessItemLike>(input: {
  items: readonly I[];
  integrationEnabled: boolean;
}): SetupGuide<I> {
  const unmetOf = new Map<SetupStepId, I[]>(SETUP_STEP_IDS.map((id) => [id, []]));
  for (const item of input.items) if (!item.passed) unmetOf.get(stepOfItem(item))!.push(item);
  for (const list of unmetOf.values()) list.sort((a, b) => Number(b.blocking) - Number(a.blocking));
  const blockingUnmet = (id: SetupStepId) => unmetOf.get(id)!.filter((i) => i.blocking);
  const everythingMet = input.items.every((i) => i.passed || !i.blocking);

  const states = new Map<SetupStepId, { state: SetupStepState; waitsFor: SetupStepId | null }>();
  const done = (id: SetupStepId) => states.get(id)?.state === 'done';
  for (const id of SETUP_STEP_IDS) {
    let state: SetupStepState = blockingUnmet(id).length === 0 ? 'done' : 'todo';
    let waitsFor: SetupStepId | null = null;
    if (id === 'stop') {
      // Configure while stopped (help page step 2); once everything is met, running is the goal.
      state = !input.integrationEnabled || everythingMet ? 'done' : 'todo';
    } else if (id === 'start') {
      if (input.integrationEnabled) state = 'done';
      else if (everythingMet) state = 'todo';
      else {
        state = 'blocked';
        waitsFor = SETUP_STEP_IDS.find((s) => s !== 'start' && !done(s)) ?? null;
      }
    } else if (state === 'todo' && NEEDS_CONNECTION.has(id) && !done('connect')) {
      state = 'blocked';
      waitsFor = 'connect';
    } else if (
      state === 'todo' &&
      id === 'configure' &&
      blockingUnmet('products').length > 0 &&
      blockingUnmet(id).every((i) => PRODUCT_CODE_ITEMS.has(i.id) && i.details.length > 0)
    ) {
      // The codes are set but not found among the imported products: importing (step 6) is what
      // confirms them, so the guide moves on instead of holding the merchant at step 3.
      state = 'blocked';
      waitsFor = 'products';
    }
    states.set(id, { state, waitsFor });
  }

  const current = SETUP_STEP_IDS.find((id) => states.get(id)!.state === 'todo') ?? null;
  const steps = SETUP_STEP_IDS.map((id, index) => ({
    id,
    number: index + 1,
    ...states.get(id)!,
    unmet: unmetOf.get(id)!,
    current: id === current,
  }));
  return { steps, current, complete: steps.every((s) => s.state === 'done') };
}
