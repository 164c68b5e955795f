import { DEMO_PRODUCT_CODES, DEMO_STORE_IDS } from '../constants.js';
import type { Prng } from '../lib/prng.js';
import {
  addCategory,
  addOrderStore,
  addPaymentMethod,
  addPosStore,
  addProduct,
  type ProductInput,
} from '../state/catalog.js';
import type { ContractState } from '../state/contract.js';
import type { PosCategory } from '../state/types.js';
import { APPAREL, FOODS, GOODS } from './demo-catalogue.js';
import { uniqueJan } from './jan-code.js';

/*
 * "Renkei デモ商店", a Japanese apparel & goods shop with three POS stores, a warehouse and two
 * 受注店舗 linked to it. Deterministic for a seed: every step draws from the seeded generator and
 * creates its records in a fixed order, so the same seed gives the same IDs, codes and stock.
 */

type DemoCategories = Record<
  'tops' | 'bottoms' | 'outer' | 'shoes' | 'goods' | 'food' | 'service',
  PosCategory
>;

/** The POS stores the demo's stock lives in: three shops and the warehouse. */
interface DemoStores {
  shops: string[];
  warehouse: string;
}

/** The shop itself: categories, stores, payment methods, order stores, products and stock. */
export function seedShop(contract: ContractState, rng: Prng, now: Date): void {
  const categories = addDemoCategories(contract, now);
  const stores = addDemoPosStores(contract, now);
  const paymentIds = addDemoPaymentMethods(contract, now);
  addDemoOrderStores(contract, stores.warehouse, paymentIds[0] ?? null);
  addDemoProducts(contract, rng, now, categories, stores);

  const expected = Object.values(DEMO_STORE_IDS);
  const actual = [...contract.stores.keys()];
  if (expected.join() !== actual.join())
    throw new Error(`demo store IDs drifted: ${actual.join()}`);
}

function addDemoCategories(contract: ContractState, now: Date): DemoCategories {
  const category = (categoryCode: string, categoryName: string, taxDivision: '0' | '1') =>
    addCategory(contract, { categoryCode, categoryName, taxDivision }, now);
  return {
    tops: category('100', 'トップス', '0'),
    bottoms: category('110', 'ボトムス', '0'),
    outer: category('120', 'アウター', '0'),
    shoes: category('130', 'シューズ', '0'),
    goods: category('200', '雑貨', '1'),
    food: category('300', '食品', '0'),
    service: category('900', '調整・その他', '0'),
  };
}

function addDemoPosStores(contract: ContractState, now: Date): DemoStores {
  const shibuya = addPosStore(
    contract,
    {
      storeCode: '0001',
      storeName: '渋谷店',
      division: '1',
      postCode: '150-0041',
      address: '東京都渋谷区神南1-2-3',
      phoneNumber: '03-0000-0001',
    },
    now,
  );
  const kichijoji = addPosStore(
    contract,
    {
      storeCode: '0002',
      storeName: '吉祥寺店',
      division: '1',
      postCode: '180-0004',
      address: '東京都武蔵野市吉祥寺本町2-3-4',
      phoneNumber: '0422-00-0002',
    },
    now,
  );
  const umeda = addPosStore(
    contract,
    {
      storeCode: '0003',
      storeName: '梅田店',
      division: '1',
      postCode: '530-0017',
      address: '大阪府大阪市北区角田町5-6',
      phoneNumber: '06-0000-0003',
    },
    now,
  );
  const warehouse = addPosStore(
    contract,
    {
      storeCode: 'W001',
      storeName: '東京倉庫',
      division: '2',
      postCode: '136-0082',
      address: '東京都江東区新木場7-8-9',
    },
    now,
  );
  return {
    shops: [shibuya.storeId, kichijoji.storeId, umeda.storeId],
    warehouse: warehouse.storeId,
  };
}

/** The payment methods, cash first; returns their IDs in that order. */
function addDemoPaymentMethods(contract: ContractState, now: Date): string[] {
  const methods = [
    ['CASH', '現金', '1'],
    ['CREDIT', 'クレジットカード', '0'],
    ['COD', '代金引換', '0'],
    ['BANK', '銀行振込', '0'],
    ['DEFERRED', '後払い', '0'],
    ['RAKUTENPAY', '楽天ペイ', '0'],
    ['AMAZONPAY', 'Amazon Pay', '0'],
    ['PAYPAY', 'PayPay', '0'],
  ] as const;
  return methods.map(
    ([code, name, change]) =>
      addPaymentMethod(
        contract,
        { paymentMethodCode: code, paymentMethodName: name, changeFlag: change },
        now,
      ).paymentMethodId,
  );
}

/**
 * Two 受注店舗 that allocate from the warehouse: a 税込 online store allocated by hand, and a 税別
 * mall store with 自動引当, so that the demo shows both.
 */
function addDemoOrderStores(
  contract: ContractState,
  warehouseId: string,
  pointPaymentMethodId: string | null,
): void {
  addOrderStore(contract, {
    storeCode: 'EC001',
    storeName: 'Renkei オンラインストア',
    storeAbbr: 'オンライン',
    sellDivision: 'included',
    sumDateChangeTime: '00:00',
    pointPaymentMethodId,
    stockStoreId: warehouseId,
    autoAllocation: false,
  });
  addOrderStore(contract, {
    storeCode: 'EC002',
    storeName: 'Renkei 楽天市場店 (税別)',
    storeAbbr: '楽天(税別)',
    sellDivision: 'excluded',
    sumDateChangeTime: '00:00',
    pointPaymentMethodId,
    stockStoreId: warehouseId,
    autoAllocation: true,
  });
}

/** Every product of the range, each with initial stock in the shops and the warehouse. */
function addDemoProducts(
  contract: ContractState,
  rng: Prng,
  now: Date,
  categories: DemoCategories,
  stores: DemoStores,
): void {
  let seq = 1;
  /** A product with a fresh JAN code, stocked in the shops and the warehouse. */
  const stocked = (
    categoryId: string,
    fields: Omit<ProductInput, 'categoryId' | 'productCode'>,
  ) => {
    const { productId } = addProduct(
      contract,
      {
        categoryId,
        productCode: uniqueJan(contract, rng),
        ...fields,
        displaySequence: String(seq++),
      },
      now,
    );
    for (const storeId of stores.shops)
      contract.stock.set(storeId, productId, rng.int(0, 12), '初期在庫', now.getTime());
    contract.stock.set(stores.warehouse, productId, rng.int(20, 150), '初期在庫', now.getTime());
  };
  for (const line of APPAREL) {
    for (const color of line.colors) {
      for (const size of line.sizes) {
        stocked(categories[line.category].categoryId, {
          productName: `${line.name} ${color} ${size}`,
          price: String(line.price),
          taxDivision: '0',
          groupCode: line.group,
          color,
          size,
          supplierProductNo: `${line.group}-${size}`,
        });
      }
    }
  }
  for (const [name, price] of GOODS) {
    stocked(categories.goods.categoryId, {
      productName: name,
      price: String(price),
      taxDivision: '1',
    });
  }
  for (const [name, price] of FOODS) {
    stocked(categories.food.categoryId, {
      productName: name,
      price: String(price),
      taxDivision: '0',
      useCategoryReduceTax: '0',
      reduceTaxId: '10000001',
    });
  }
  // Lines Renkei sends for 調整額 and for products without a code: not stock-managed.
  const service = (productCode: string, productName: string) =>
    addProduct(
      contract,
      {
        categoryId: categories.service.categoryId,
        productCode,
        productName,
        price: '0',
        taxDivision: '0',
        stockControlDivision: '1',
        displayFlag: '0',
        displaySequence: String(seq++),
      },
      now,
    );
  service(DEMO_PRODUCT_CODES.adjustment, '調整額');
  service(DEMO_PRODUCT_CODES.dummy, 'ダミー商品');
}
