import { describe, expect, it } from 'vitest';
import { inquiryApplicability, type LiveOrderStore, type MappedShop } from './allocation-inquiry';

const shop = (
  orderStoreId: string | null,
  autoAllocation: boolean | null,
  active = true,
): MappedShop => ({
  active,
  orderStoreId,
  orderStoreName: orderStoreId === null ? null : `保存名${orderStoreId}`,
  autoAllocation,
});
const store = (storeId: string): LiveOrderStore => ({ storeId, storeName: `受注店舗${storeId}` });

describe('inquiryApplicability: is 在庫引当自動照会設定 used?', () => {
  it.each<[string, MappedShop[], LiveOrderStore[], ReturnType<typeof inquiryApplicability>]>([
    [
      'every mapped store allocates automatically (the shops say so): not applicable',
      [shop('1', true), shop('2', true), shop('1', true)],
      [store('1'), store('2'), store('3')],
      { kind: 'notApplicable', autoStores: ['受注店舗1', '受注店舗2'] },
    ],
    [
      'one mapped store allocates manually: applicable for it',
      [shop('1', true), shop('2', false)],
      [store('1'), store('2')],
      { kind: 'applicable', manualStores: ['受注店舗2'] },
    ],
    [
      'unknown auto-allocation counts as OFF (ask rather than hide)',
      [shop('1', null)],
      [store('1')],
      { kind: 'applicable', manualStores: ['受注店舗1'] },
    ],
    [
      'two shops on one store that disagree: it counts as OFF',
      [shop('1', true), shop('1', false)],
      [store('1')],
      { kind: 'applicable', manualStores: ['受注店舗1'] },
    ],
    [
      'a mapped store Smaregi no longer lists goes by its saved name',
      [shop('9', false)],
      [store('1')],
      { kind: 'applicable', manualStores: ['保存名9'] },
    ],
    [
      'inactive and unmapped shops do not count',
      [shop(null, false), shop('2', false, false)],
      [store('2')],
      { kind: 'noMappedStores' },
    ],
    ['no shops at all', [], [], { kind: 'noMappedStores' }],
  ])('%s', (_name, shops, stores, expected) => {
    expect(inquiryApplicability(shops, stores)).toEqual(expected);
  });
});
