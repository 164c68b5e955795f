import { describe, expect, it } from 'vitest';
import {
  decideCancellation,
  decideOrderActions,
  type CancelDecisionInput,
  type StatusDecisionInput,
} from './status-decisions.js';

const base: StatusDecisionInput = {
  settings: {
    integrationEnabled: true,
    allocationTriggerStatuses: ['st-wait'],
    allocatedStatus: 'st-allocated',
    bulkShippingTriggerStatus: 'st-ship',
  },
  order: {
    orderNumber: 'RT-1',
    statusId: 'st-wait',
    statusCategory: 'open',
    shippingDate: null,
    smaregiOrderHeadId: '101',
    smaregiStatus: 'received',
    allocation: 'unallocated',
  },
  orderStore: { autoAllocation: false },
  event: { kind: 'statusChanged', fromStatusId: 'st-new' },
};

type Patch = {
  settings?: Partial<StatusDecisionInput['settings']>;
  order?: Partial<StatusDecisionInput['order']>;
  orderStore?: StatusDecisionInput['orderStore'];
  event?: StatusDecisionInput['event'];
};
const input = (p: Patch): StatusDecisionInput => ({
  settings: { ...base.settings, ...p.settings },
  order: { ...base.order, ...p.order },
  orderStore: p.orderStore === undefined ? base.orderStore : p.orderStore,
  event: p.event ?? base.event,
});

/** "action" when taken, else the reason it was skipped. */
const outcome = (i: StatusDecisionInput) => {
  const d = decideOrderActions(i);
  const out: Record<string, string> = {};
  for (const a of d.actions) out[a.kind] = a.kind === 'moveToStatus' ? `move:${a.statusId}` : 'do';
  for (const s of d.skipped) out[s.kind] = s.reason;
  return out;
};

describe('decideOrderActions: allocation inquiry (在庫引当自動照会)', () => {
  it.each<[string, Patch, string]>([
    ['entering a trigger status asks Smaregi to allocate', {}, 'do'],
    [
      'being registered while in a trigger status asks too',
      { event: { kind: 'registered' } },
      'do',
    ],
    [
      'staying in the trigger status does not ask again',
      { event: { kind: 'statusChanged', fromStatusId: 'st-wait' } },
      'statusNotJustEntered',
    ],
    [
      'an allocation report is not an entry',
      { event: { kind: 'allocationReported' } },
      'statusNotJustEntered',
    ],
    ['another status', { order: { statusId: 'st-new' } }, 'notInTriggerStatus'],
    [
      'no trigger statuses configured',
      { settings: { allocationTriggerStatuses: [] } },
      'noTriggerStatuses',
    ],
    [
      'auto-allocation ON: Smaregi does it',
      { orderStore: { autoAllocation: true } },
      'smaregiAllocatesAutomatically',
    ],
    ['order store unknown', { orderStore: null }, 'orderStoreUnknown'],
    ['not registered in Smaregi', { order: { smaregiOrderHeadId: null } }, 'notRegistered'],
    ['already fully allocated', { order: { allocation: 'allocated' } }, 'alreadyAllocated'],
    ['partial allocation asks again on entry', { order: { allocation: 'partial' } }, 'do'],
    ['cancelled order', { order: { statusCategory: 'cancelled' } }, 'orderClosed'],
    ['integration stopped', { settings: { integrationEnabled: false } }, 'integrationDisabled'],
  ])('%s', (_label, patch, expected) => {
    expect(outcome(input(patch)).requestAllocation).toBe(expected);
  });
});

describe('decideOrderActions: move to the allocated status', () => {
  const allocated = { allocation: 'allocated' as const };
  it.each<[string, Patch, string]>([
    [
      'fully allocated in a trigger status',
      { order: allocated, event: { kind: 'allocationReported' } },
      'move:st-allocated',
    ],
    [
      'partial allocation stays, saying lines lack stock',
      {
        order: { allocation: 'partial', shortLineIndexes: [1] },
        event: { kind: 'allocationReported' },
      },
      'notFullyAllocated',
    ],
    ['allocation not known yet', { order: { allocation: null } }, 'allocationUnknown'],
    [
      'allocated status not set',
      { order: allocated, settings: { allocatedStatus: null } },
      'allocatedStatusNotSet',
    ],
    [
      'already in the allocated status',
      { order: { ...allocated, statusId: 'st-allocated' } },
      'alreadyInAllocatedStatus',
    ],
    [
      'auto-allocation ON: report after registration moves it',
      {
        order: { ...allocated, statusId: 'st-new' },
        orderStore: { autoAllocation: true },
        event: { kind: 'allocationReported' },
      },
      'move:st-allocated',
    ],
    [
      'auto-allocation ON: an order in the shipping status is never moved back',
      {
        order: { ...allocated, statusId: 'st-ship' },
        orderStore: { autoAllocation: true },
        event: { kind: 'allocationReported' },
      },
      'notWaitingForAllocation',
    ],
    [
      'auto-allocation OFF: an order outside trigger statuses is left alone',
      { order: { ...allocated, statusId: 'st-other' }, event: { kind: 'allocationReported' } },
      'notWaitingForAllocation',
    ],
    ['shipped order', { order: { ...allocated, statusCategory: 'shipped' } }, 'orderClosed'],
  ])('%s', (_label, patch, expected) => {
    expect(outcome(input(patch)).moveToStatus).toBe(expected);
  });

  it('the message says how many lines lack stock', () => {
    const d = decideOrderActions(
      input({ order: { allocation: 'partial', shortLineIndexes: [0, 2] } }),
    );
    expect(d.skipped.find((s) => s.kind === 'moveToStatus')?.message).toEqual({
      ja: '在庫が不足している明細が2行あります。',
      en: '2 line(s) lack stock.',
    });
  });
});

describe('decideOrderActions: bulk shipping (受注一括出荷連携)', () => {
  const ready = {
    statusId: 'st-ship',
    allocation: 'allocated' as const,
    shippingDate: '2025-02-01',
  };
  it.each<[string, Patch, string]>([
    ['in the status, registered, allocated, with a shipping date', { order: ready }, 'do'],
    ['no shipping date', { order: { ...ready, shippingDate: null } }, 'noShippingDate'],
    ['not registered', { order: { ...ready, smaregiOrderHeadId: null } }, 'notRegistered'],
    ['not fully allocated', { order: { ...ready, allocation: 'partial' } }, 'notFullyAllocated'],
    [
      'already shipped in Smaregi',
      { order: { ...ready, smaregiStatus: 'shipped' } },
      'closedInSmaregi',
    ],
    ['cancelled in the OMS', { order: { ...ready, statusCategory: 'cancelled' } }, 'orderClosed'],
    [
      'a shipped-category trigger status still ships',
      { order: { ...ready, statusCategory: 'shipped' } },
      'do',
    ],
    ['another status', { order: { ...ready, statusId: 'st-new' } }, 'notInBulkShippingStatus'],
    [
      'status not set',
      { order: ready, settings: { bulkShippingTriggerStatus: null } },
      'bulkShippingStatusNotSet',
    ],
    [
      'a shipping date entered later ships the waiting order',
      { order: ready, event: { kind: 'shippingDateSet' } },
      'do',
    ],
    [
      'an invalid shipping date counts as none',
      { order: { ...ready, shippingDate: '2025-02-30' } },
      'noShippingDate',
    ],
  ])('%s', (_label, patch, expected) => {
    expect(outcome(input(patch)).queueBulkShipping).toBe(expected);
  });

  it('when the allocated status is the shipping status, moving and shipping come together, in that order', () => {
    const d = decideOrderActions(
      input({
        settings: { allocatedStatus: 'st-ship' },
        order: { allocation: 'allocated', shippingDate: '2025-02-01' },
        event: { kind: 'allocationReported' },
      }),
    );
    expect(d.actions).toEqual([
      { kind: 'moveToStatus', statusId: 'st-ship' },
      { kind: 'queueBulkShipping', orderHeadId: '101', shippingDate: '2025-02-01' },
    ]);
  });

  it('every action is either taken or skipped with a reason', () => {
    const d = decideOrderActions(base);
    expect([...d.actions.map((a) => a.kind), ...d.skipped.map((s) => s.kind)].sort()).toEqual([
      'moveToStatus',
      'queueBulkShipping',
      'requestAllocation',
    ]);
  });
});

describe('decideCancellation: an OMS cancel reaches Smaregi (キャンセル連携)', () => {
  const cancelled: CancelDecisionInput = {
    integrationEnabled: true,
    order: { statusCategory: 'cancelled', smaregiOrderHeadId: '101', smaregiStatus: 'received' },
    registrationUnresolved: false,
  };
  const with_ = (p: {
    integrationEnabled?: boolean;
    order?: Partial<CancelDecisionInput['order']>;
    registrationUnresolved?: boolean;
  }): CancelDecisionInput => ({
    ...cancelled,
    ...p,
    order: { ...cancelled.order, ...p.order },
  });

  it.each<[string, CancelDecisionInput, ReturnType<typeof decideCancellation>]>([
    [
      'a registered order moved to a cancel status is cancelled in Smaregi',
      cancelled,
      { kind: 'cancelInSmaregi', orderHeadId: '101' },
    ],
    [
      'an order already cancelled in Smaregi is not cancelled again',
      with_({ order: { smaregiStatus: 'canceled' } }),
      { kind: 'none', reason: 'alreadyCanceled' },
    ],
    [
      'while the integration is stopped the cancel waits',
      with_({ integrationEnabled: false }),
      { kind: 'none', reason: 'integrationDisabled' },
    ],
    [
      'an order not in Smaregi yet is withdrawn (never sent)',
      with_({ order: { smaregiOrderHeadId: null, smaregiStatus: null } }),
      { kind: 'withdraw' },
    ],
    [
      'withdrawing does not wait for the integration (nothing is sent)',
      with_({ integrationEnabled: false, order: { smaregiOrderHeadId: '', smaregiStatus: null } }),
      { kind: 'withdraw' },
    ],
    [
      'a registration whose outcome is unknown is resolved first',
      with_({
        order: { smaregiOrderHeadId: null, smaregiStatus: null },
        registrationUnresolved: true,
      }),
      { kind: 'none', reason: 'registrationUnresolved' },
    ],
    [
      'an already withdrawn order stays withdrawn',
      with_({ order: { smaregiOrderHeadId: null, smaregiStatus: 'canceled' } }),
      { kind: 'none', reason: 'alreadyCanceled' },
    ],
    [
      'an open order is not cancelled',
      with_({ order: { statusCategory: 'open' } }),
      { kind: 'none', reason: 'notCancelled' },
    ],
    [
      'a shipped order is not cancelled',
      with_({ order: { statusCategory: 'shipped' } }),
      { kind: 'none', reason: 'notCancelled' },
    ],
    [
      'a withdrawn order moved back to an open status goes out again',
      with_({
        order: { statusCategory: 'open', smaregiOrderHeadId: null, smaregiStatus: 'canceled' },
      }),
      { kind: 'reinstate' },
    ],
    [
      'an order cancelled in Smaregi cannot come back',
      with_({ order: { statusCategory: 'open', smaregiStatus: 'canceled' } }),
      { kind: 'none', reason: 'notCancelled' },
    ],
  ])('%s', (_name, i, expected) => {
    expect(decideCancellation(i)).toEqual(expected);
  });
});
