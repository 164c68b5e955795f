import { describe, expect, it } from 'vitest';
import { createProductIndex, resolveLineProduct } from './product-index.js';

describe('createProductIndex / resolveLineProduct', () => {
  const { index, problems } = createProductIndex([
    {
      productId: '1',
      productCode: 'TS-001-RED-M',
      omsProductCode: 'TS-001',
      managementNumber: 'TS-001-RED-M',
    },
    {
      productId: '2',
      productCode: 'TS-001-BLU-M',
      omsProductCode: 'TS-001',
      managementNumber: 'TS-001-BLU-M',
    },
    { productId: '3', productCode: 'MUG-01' },
    { productId: '3', productCode: 'MUG-01' }, // the same product twice is not a conflict
  ]);

  it('reports a key shared by different products', () => {
    expect(problems.map((p) => [p.code, p.field, p.message.en])).toEqual([
      [
        'duplicateProductKey',
        'productCode',
        'Product code "TS-001" is used by several products (1, 2).',
      ],
    ]);
  });

  it.each([
    [
      'management number first',
      { managementNumber: 'TS-001-BLU-M', productCode: 'TS-001' },
      {
        status: 'found',
        ref: { productId: '2', productCode: 'TS-001-BLU-M' },
        via: 'managementNumber',
      },
    ],
    [
      'a shared product code is ambiguous',
      { productCode: 'TS-001' },
      { status: 'ambiguous', via: 'productCode', key: 'TS-001' },
    ],
    [
      'normalised keys',
      { productCode: ' ｍｕｇ－０１ '.toUpperCase() },
      { status: 'found', ref: { productId: '3', productCode: 'MUG-01' }, via: 'productCode' },
    ],
    [
      'unknown management number: no fall-back',
      { managementNumber: 'TS-001-GRN-M', productCode: 'MUG-01' },
      { status: 'notFound', via: 'managementNumber', key: 'TS-001-GRN-M' },
    ],
    ['no codes', { productCode: null, managementNumber: '\u200b' }, { status: 'noCodes' }],
  ])('%s', (_label, line, expected) => {
    expect(resolveLineProduct(index, line)).toEqual(expected);
  });

  it('ignores malformed entries instead of throwing', () => {
    expect(() => createProductIndex([null, { productId: 1 }] as never)).not.toThrow();
    expect(createProductIndex(null as never).problems).toEqual([]);
  });
});
