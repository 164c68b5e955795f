import { describe, expect, it } from 'vitest';
import type { UiError } from '../../api/errors';
import {
  fromSettings,
  hasUnsavedChanges,
  planSave,
  refusedStart,
  refusedWhileRunning,
  toUpdate,
  withFixes,
  type IntegrationSettings,
  type SettingsForm,
} from './settings-form';

const saved: IntegrationSettings = {
  integrationEnabled: false,
  syncEnclosures: true,
  adjustmentProductCode: 'ADJ-1',
  dummyProductCode: null,
  shippingCsvUnallocated: 'exclude',
  stockBasis: 'orderStoreWarehouse',
  effectiveStockMode: 'smaregiAllocation',
  allocationTriggerStatuses: ['st-1', 'st-2'],
  allocatedStatus: 'st-3',
  bulkShippingTriggerStatus: null,
  productSyncEnabled: false,
};

const form = (changes: Partial<SettingsForm> = {}): SettingsForm => ({
  ...fromSettings(saved),
  ...changes,
});

describe('toUpdate: what [設定を保存する] sends of the form', () => {
  it.each<[string, Partial<SettingsForm>, Partial<ReturnType<typeof toUpdate>>]>([
    ['an empty code is "not set"', { dummyProductCode: '' }, { dummyProductCode: null }],
    [
      'a blank code is "not set"',
      { adjustmentProductCode: '   ' },
      { adjustmentProductCode: null },
    ],
    ['a code is sent trimmed', { dummyProductCode: ' DUMMY-1 ' }, { dummyProductCode: 'DUMMY-1' }],
    ['a cleared select (empty string) is null', { allocatedStatus: '' }, { allocatedStatus: null }],
    [
      'a cleared select (undefined) is null',
      { bulkShippingTriggerStatus: undefined },
      { bulkShippingTriggerStatus: null },
    ],
    [
      'a chosen status is sent',
      { bulkShippingTriggerStatus: 'st-9' },
      { bulkShippingTriggerStatus: 'st-9' },
    ],
    [
      'a status chosen twice is sent once',
      { allocationTriggerStatuses: ['st-1', 'st-1'] },
      { allocationTriggerStatuses: ['st-1'] },
    ],
    [
      'the radio choices are sent as chosen',
      {
        stockBasis: 'allStores',
        effectiveStockMode: 'omsPurchase',
        shippingCsvUnallocated: 'include',
      },
      {
        stockBasis: 'allStores',
        effectiveStockMode: 'omsPurchase',
        shippingCsvUnallocated: 'include',
      },
    ],
  ])('%s', (_name, changes, expected) => {
    expect(toUpdate(form(changes))).toMatchObject(expected);
  });

  it('sends exactly the EC settings (the API refuses unknown keys; the switch is planSave’s)', () => {
    expect(Object.keys(toUpdate(form())).sort()).toEqual(
      Object.keys(saved)
        .filter((k) => k !== 'integrationEnabled')
        .sort(),
    );
  });

  it('reads back what it was filled from', () => {
    const { integrationEnabled: _switch, ...values } = saved;
    expect(toUpdate(fromSettings(saved))).toEqual(values);
    expect(fromSettings(saved).dummyProductCode).toBe('');
  });
});

describe('planSave: stop, configure, save, start (the help page)', () => {
  const running = { ...saved, integrationEnabled: true };
  it.each<[string, IntegrationSettings, Partial<SettingsForm>, string, boolean | undefined]>([
    ['stopped: saves the form with the switch as chosen (stop)', saved, {}, 'save', false],
    [
      'stopped: saves the form and starts',
      saved,
      { integrationEnabled: true, dummyProductCode: 'D' },
      'save',
      true,
    ],
    [
      'running, stop chosen: saves the changes and stops in one update',
      running,
      { integrationEnabled: false, dummyProductCode: 'D' },
      'save',
      false,
    ],
    [
      'running, settings changed: asks to stop first',
      running,
      { dummyProductCode: 'D' },
      'confirmStop',
      false,
    ],
    ['running, nothing changed: nothing to send', running, {}, 'nothing', undefined],
    [
      'running, only an equivalent blank code: nothing changed',
      running,
      { dummyProductCode: '  ' },
      'nothing',
      undefined,
    ],
  ])('%s', (_name, current, changes, kind, enabled) => {
    const plan = planSave(current, { ...fromSettings(current), ...changes });
    expect(plan.kind).toBe(kind);
    if (plan.kind !== 'nothing') {
      expect(plan.update.integrationEnabled).toBe(enabled);
      expect(plan.update.dummyProductCode).toBe(changes.dummyProductCode ?? null);
    }
  });
});

describe('hasUnsavedChanges', () => {
  it('counts the switch and the settings, not formatting', () => {
    expect(hasUnsavedChanges(saved, form())).toBe(false);
    expect(hasUnsavedChanges(saved, form({ integrationEnabled: true }))).toBe(true);
    expect(hasUnsavedChanges(saved, form({ adjustmentProductCode: ' ADJ-1 ' }))).toBe(false);
    expect(hasUnsavedChanges(saved, form({ allocationTriggerStatuses: ['st-1'] }))).toBe(true);
  });
});

const uiError = (code: string, details: Record<string, unknown> | null): UiError => ({
  code,
  message: { ja: 'x', en: 'x' },
  fieldErrors: {},
  details,
});

describe('reading a refusal', () => {
  const item = { id: 'shopsMapped', message: { ja: '店舗…', en: 'Shops…' } };

  it('lists the unmet readiness items of a refused start', () => {
    expect(refusedStart(uiError('PRECONDITION_FAILED', { readiness: [item, { id: 3 }] }))).toEqual([
      item,
    ]);
    expect(refusedStart(uiError('PRECONDITION_FAILED', { reason: 'integrationRunning' }))).toBe(
      null,
    );
    expect(refusedStart(uiError('BAD_GATEWAY', { readiness: [item] }))).toBe(null);
  });

  it('recognises a change refused while running', () => {
    expect(
      refusedWhileRunning(uiError('PRECONDITION_FAILED', { reason: 'integrationRunning' })),
    ).toBe(true);
    expect(refusedWhileRunning(uiError('PRECONDITION_FAILED', null))).toBe(false);
  });

  it('adds where each item is fixed, and keeps items the checklist does not know', () => {
    const other = { id: 'dummyProductCode', message: { ja: 'ダミー…', en: 'Dummy…' } };
    expect(
      withFixes([item, other], [{ id: 'shopsMapped', fixAt: 'shops', details: ['楽天市場店'] }]),
    ).toEqual([
      { ...item, fixAt: 'shops', details: ['楽天市場店'] },
      { ...other, fixAt: null, details: [] },
    ]);
    expect(withFixes([item], null)).toEqual([{ ...item, fixAt: null, details: [] }]);
  });
});
