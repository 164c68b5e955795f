import { describe, expect, it } from 'vitest';
import { inquiryApplicability, type LiveOrderStore, type MappedShop } from './allocation-inquiry';

const shop = (orderStoreId: string | null, active = true): MappedShop => ({
  active,
  orderStoreId,
  orderStoreName: orderStoreId === null ? null : `保存名${orderStoreId}`,
});
const store = (storeId: string, autoAllocation: boolean | null): LiveOrderStore => ({
  storeId,
  storeName: `受注店舗${storeId}`,
  autoAllocation,
});

describe('inquiryApplicability: is 在庫引当自動照会設定 used?', () => {
  it.each<[string, MappedShop[], LiveOrderStore[], ReturnType<typeof inquiryApplicability>]>([
    [
      'every mapped store allocates automatically: not applicable',
      [shop('1'), shop('2'), shop('1')],
      [store('1', true), store('2', true), store('3', false)],
      { kind: 'notApplicable', autoStores: ['受注店舗1', '受注店舗2'] },
    ],
    [
      'one mapped store allocates manually: applicable for it',
      [shop('1'), shop('2')],
      [store('1', true), store('2', false)],
      { kind: 'applicable', manualStores: ['受注店舗2'] },
    ],
    [
      'unknown auto-allocation counts as OFF (ask rather than hide)',
      [shop('1')],
      [store('1', null)],
      { kind: 'applicable', manualStores: ['受注店舗1'] },
    ],
    [
      'a mapped store Smaregi no longer lists counts as OFF, under its saved name',
      [shop('9')],
      [store('1', true)],
      { kind: 'applicable', manualStores: ['保存名9'] },
    ],
    [
      'inactive and unmapped shops do not count',
      [shop(null), shop('2', false)],
      [store('2', false)],
      { kind: 'noMappedStores' },
    ],
    ['no shops at all', [], [], { kind: 'noMappedStores' }],
  ])('%s', (_name, shops, stores, expected) => {
    expect(inquiryApplicability(shops, stores)).toEqual(expected);
  });
});
