import {
  DEMO_APP_NAME,
  DEMO_APP_SCOPES,
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_CONTRACT_ID,
  DEMO_LOGIN,
  DEMO_PRODUCT_CODES,
  DEMO_STORE_IDS,
} from './constants.js';
import type { Prng } from './lib/prng.js';
import {
  addCategory,
  addOrderStore,
  addPaymentMethod,
  addPosStore,
  addProduct,
} from './state/catalog.js';
import type { ContractState, PlatformState } from './state/contract.js';

/**
 * Demo data: "Renkei デモ商店", a Japanese apparel & goods shop with three POS stores, a
 * warehouse and two 受注店舗 linked to it. Deterministic for a seed (the same seed gives the
 * same products, codes and stock).
 */

/** A JAN-like 13-digit code: prefix 49 + 10 digits + the EAN-13 check digit. */
export function janCode(rng: Prng): string {
  let body = '49';
  while (body.length < 12) body += String(rng.int(0, 9));
  return body + eanCheckDigit(body);
}

/** EAN-13 check digit of the first 12 digits. */
export function eanCheckDigit(first12: string): string {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (i % 2 === 0 ? 1 : 3);
  return String((10 - (sum % 10)) % 10);
}

interface ApparelLine {
  name: string;
  group: string;
  category: 'tops' | 'bottoms' | 'outer' | 'shoes';
  price: number;
  colors: string[];
  sizes: string[];
}

const APPAREL: ApparelLine[] = [
  {
    name: 'オーガニックコットンTシャツ',
    group: 'TS-ORG',
    category: 'tops',
    price: 3300,
    colors: ['ホワイト', 'ブラック', 'ネイビー', 'グレー'],
    sizes: ['S', 'M', 'L', 'XL'],
  },
  {
    name: 'ヘビーウェイト ポケットTシャツ',
    group: 'TS-HVY',
    category: 'tops',
    price: 3850,
    colors: ['ホワイト', 'オリーブ', 'ブラック'],
    sizes: ['S', 'M', 'L', 'XL'],
  },
  {
    name: 'リネン バンドカラーシャツ',
    group: 'SH-LIN',
    category: 'tops',
    price: 7700,
    colors: ['ホワイト', 'サックス', 'ベージュ'],
    sizes: ['S', 'M', 'L'],
  },
  {
    name: 'オックスフォード ボタンダウンシャツ',
    group: 'SH-OXF',
    category: 'tops',
    price: 6600,
    colors: ['ホワイト', 'ブルー', 'ピンク'],
    sizes: ['S', 'M', 'L', 'XL'],
  },
  {
    name: 'ワッフル ロングスリーブT',
    group: 'TS-WAF',
    category: 'tops',
    price: 4400,
    colors: ['アイボリー', 'チャコール', 'モカ'],
    sizes: ['M', 'L', 'XL'],
  },
  {
    name: 'スウェット クルーネック',
    group: 'SW-CRW',
    category: 'tops',
    price: 6380,
    colors: ['グレー', 'ネイビー', 'グリーン'],
    sizes: ['S', 'M', 'L', 'XL'],
  },
  {
    name: 'ミドルゲージ ニットカーディガン',
    group: 'KN-CAR',
    category: 'tops',
    price: 8800,
    colors: ['ベージュ', 'ブラック', 'ボルドー'],
    sizes: ['S', 'M', 'L'],
  },
  {
    name: 'セルビッジデニム ストレート',
    group: 'PT-DNM',
    category: 'bottoms',
    price: 12100,
    colors: ['インディゴ', 'ブリーチ'],
    sizes: ['28', '30', '32', '34', '36'],
  },
  {
    name: 'チノ テーパードパンツ',
    group: 'PT-CHN',
    category: 'bottoms',
    price: 7150,
    colors: ['ベージュ', 'オリーブ', 'ネイビー'],
    sizes: ['S', 'M', 'L', 'XL'],
  },
  {
    name: 'イージーワイドパンツ',
    group: 'PT-EZW',
    category: 'bottoms',
    price: 5940,
    colors: ['ブラック', 'グレージュ'],
    sizes: ['S', 'M', 'L'],
  },
  {
    name: 'リネン フレアスカート',
    group: 'SK-LIN',
    category: 'bottoms',
    price: 7480,
    colors: ['ナチュラル', 'ブラック', 'テラコッタ'],
    sizes: ['S', 'M'],
  },
  {
    name: 'スウェット プルオーバーパーカー',
    group: 'SW-HOD',
    category: 'tops',
    price: 7920,
    colors: ['グレー', 'ブラック', 'ネイビー', 'ベージュ'],
    sizes: ['S', 'M', 'L', 'XL'],
  },
  {
    name: 'バスクシャツ ボーダー',
    group: 'TS-BSQ',
    category: 'tops',
    price: 5390,
    colors: ['ホワイト×ネイビー', 'エクリュ×レッド', 'ネイビー×ホワイト'],
    sizes: ['S', 'M', 'L'],
  },
  {
    name: 'リネン ワンピース',
    group: 'OP-LIN',
    category: 'tops',
    price: 11000,
    colors: ['ネイビー', 'ベージュ', 'ブラック'],
    sizes: ['S', 'M', 'L'],
  },
  {
    name: 'カーゴパンツ',
    group: 'PT-CRG',
    category: 'bottoms',
    price: 8580,
    colors: ['オリーブ', 'ブラック', 'ベージュ'],
    sizes: ['S', 'M', 'L', 'XL'],
  },
  {
    name: 'コーデュロイ パンツ',
    group: 'PT-CDR',
    category: 'bottoms',
    price: 8250,
    colors: ['ブラウン', 'ネイビー', 'アイボリー'],
    sizes: ['S', 'M', 'L'],
  },
  {
    name: 'デニムジャケット',
    group: 'OT-DNJ',
    category: 'outer',
    price: 13200,
    colors: ['インディゴ', 'ライトブルー'],
    sizes: ['S', 'M', 'L', 'XL'],
  },
  {
    name: 'キャンバス スニーカー',
    group: 'SH-CNV',
    category: 'shoes',
    price: 6930,
    colors: ['ホワイト', 'ブラック'],
    sizes: ['23.0', '24.0', '25.0', '26.0', '27.0', '28.0'],
  },
  {
    name: 'ナイロン マウンテンパーカー',
    group: 'OT-MTP',
    category: 'outer',
    price: 15400,
    colors: ['ブラック', 'カーキ', 'ネイビー'],
    sizes: ['S', 'M', 'L', 'XL'],
  },
  {
    name: 'ウールブレンド ステンカラーコート',
    group: 'OT-BAL',
    category: 'outer',
    price: 26400,
    colors: ['ベージュ', 'チャコール'],
    sizes: ['S', 'M', 'L'],
  },
  {
    name: 'ライトダウンベスト',
    group: 'OT-DNV',
    category: 'outer',
    price: 9900,
    colors: ['ブラック', 'ネイビー', 'ベージュ'],
    sizes: ['S', 'M', 'L', 'XL'],
  },
];

/** 雑貨: prices 税抜 (taxDivision "1") as many goods shops keep them. */
const GOODS: [string, number][] = [
  ['帆布トートバッグ L', 3800],
  ['帆布トートバッグ S', 2800],
  ['レザー コインケース', 4500],
  ['レザー キーケース', 5200],
  ['リネン ハンカチ', 1200],
  ['今治タオル フェイス', 1500],
  ['今治タオル バス', 3800],
  ['ウール靴下 3足組', 2400],
  ['コットン靴下', 900],
  ['ニット帽', 2900],
  ['キャップ', 3600],
  ['波佐見焼 マグカップ', 2600],
  ['波佐見焼 プレート', 2200],
  ['ステンレス タンブラー', 3200],
  ['木製 カッティングボード', 4200],
  ['アロマキャンドル', 2800],
  ['ルームフレグランス', 4600],
  ['ハンドクリーム', 1800],
  ['リップバーム', 1200],
  ['布マスク 2枚組', 1400],
  ['ノート A5', 800],
  ['真鍮 ボールペン', 3500],
  ['がま口ポーチ', 2600],
  ['折りたたみ傘', 4800],
  ['エコバッグ', 1600],
  ['ランチョンマット', 1300],
  ['鍋敷き', 1500],
  ['ガラス ピッチャー', 3900],
  ['麻 ルームシューズ', 2900],
  ['キーホルダー', 1100],
];

/** 食品: 軽減税率 (reduceTaxId 10000001 = always 8%), prices 税込. */
const FOODS: [string, number][] = [
  ['スペシャルティ ドリップコーヒー 5袋', 1080],
  ['カフェインレス ドリップコーヒー 5袋', 1188],
  ['深煎り コーヒー豆 200g', 1728],
  ['静岡 煎茶 100g', 1296],
  ['ほうじ茶 ティーバッグ', 864],
  ['和紅茶 ティーバッグ', 972],
  ['国産はちみつ 150g', 1620],
  ['いちごジャム', 756],
  ['焼き菓子 詰め合わせ', 2160],
  ['バタークッキー 缶', 1944],
  ['黒糖かりんとう', 540],
  ['ドライフルーツ ミックス', 864],
  ['ミックスナッツ', 1080],
  ['瀬戸内 レモンケーキ', 1620],
  ['あられ 詰め合わせ', 1296],
  ['有機 甘酒', 648],
  ['だし パック', 1080],
  ['天然塩', 756],
  ['オリーブオイル', 2376],
  ['りんごジュース', 540],
];

function uniqueJan(contract: ContractState, rng: Prng): string {
  for (;;) {
    const code = janCode(rng);
    if (!contract.products.getByCode(code)) return code;
  }
}

function stockFor(
  rng: Prng,
  contract: ContractState,
  productId: string,
  storeIds: string[],
  warehouseId: string,
  now: Date,
): void {
  for (const storeId of storeIds)
    contract.stock.set(storeId, productId, rng.int(0, 12), '初期在庫', now.getTime());
  contract.stock.set(warehouseId, productId, rng.int(20, 150), '初期在庫', now.getTime());
}

/**
 * Creates the demo app, the demo contract with its login user and approved scopes, and the
 * shop's data. `redirectUris` are registered for the demo app.
 */
export function seedDemo(
  platform: PlatformState,
  rng: Prng,
  now: Date,
  redirectUris: readonly string[],
): void {
  platform.apps.set(DEMO_CLIENT_ID, {
    clientId: DEMO_CLIENT_ID,
    clientSecret: DEMO_CLIENT_SECRET,
    name: DEMO_APP_NAME,
    scopes: DEMO_APP_SCOPES,
    redirectUris: [...redirectUris],
  });
  const contract = platform.addContract(DEMO_CONTRACT_ID);
  platform.install(DEMO_CONTRACT_ID, DEMO_CLIENT_ID, DEMO_APP_SCOPES);
  contract.users.set(DEMO_LOGIN.loginId, {
    loginId: DEMO_LOGIN.loginId,
    password: DEMO_LOGIN.password,
    userId: DEMO_LOGIN.userId,
    name: DEMO_LOGIN.name,
    email: DEMO_LOGIN.loginId,
    isOwner: true,
  });
  seedShop(contract, rng, now);
}

/** The shop itself: categories, stores, payment methods, products and stock. */
export function seedShop(contract: ContractState, rng: Prng, now: Date): void {
  const cat = {
    tops: addCategory(
      contract,
      { categoryCode: '100', categoryName: 'トップス', taxDivision: '0' },
      now,
    ),
    bottoms: addCategory(
      contract,
      { categoryCode: '110', categoryName: 'ボトムス', taxDivision: '0' },
      now,
    ),
    outer: addCategory(
      contract,
      { categoryCode: '120', categoryName: 'アウター', taxDivision: '0' },
      now,
    ),
    shoes: addCategory(
      contract,
      { categoryCode: '130', categoryName: 'シューズ', taxDivision: '0' },
      now,
    ),
    goods: addCategory(
      contract,
      { categoryCode: '200', categoryName: '雑貨', taxDivision: '1' },
      now,
    ),
    food: addCategory(
      contract,
      { categoryCode: '300', categoryName: '食品', taxDivision: '0' },
      now,
    ),
    service: addCategory(
      contract,
      { categoryCode: '900', categoryName: '調整・その他', taxDivision: '0' },
      now,
    ),
  };

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
  const paymentIds = methods.map(
    ([code, name, change]) =>
      addPaymentMethod(
        contract,
        { paymentMethodCode: code, paymentMethodName: name, changeFlag: change },
        now,
      ).paymentMethodId,
  );

  addOrderStore(contract, {
    storeCode: 'EC001',
    storeName: 'Renkei オンラインストア',
    storeAbbr: 'オンライン',
    sellDivision: 'included',
    sumDateChangeTime: '00:00',
    pointPaymentMethodId: paymentIds[0] ?? null,
    stockStoreId: warehouse.storeId,
    autoAllocation: false,
  });
  addOrderStore(contract, {
    storeCode: 'EC002',
    storeName: 'Renkei 楽天市場店 (税別)',
    storeAbbr: '楽天(税別)',
    sellDivision: 'excluded',
    sumDateChangeTime: '00:00',
    pointPaymentMethodId: paymentIds[0] ?? null,
    stockStoreId: warehouse.storeId,
    autoAllocation: true,
  });

  const stores = [shibuya.storeId, kichijoji.storeId, umeda.storeId];
  let seq = 1;
  for (const line of APPAREL) {
    for (const color of line.colors) {
      for (const size of line.sizes) {
        const p = addProduct(
          contract,
          {
            categoryId: cat[line.category].categoryId,
            productCode: uniqueJan(contract, rng),
            productName: `${line.name} ${color} ${size}`,
            price: String(line.price),
            taxDivision: '0',
            groupCode: line.group,
            color,
            size,
            displaySequence: String(seq++),
            supplierProductNo: `${line.group}-${size}`,
          },
          now,
        );
        stockFor(rng, contract, p.productId, stores, warehouse.storeId, now);
      }
    }
  }
  for (const [name, price] of GOODS) {
    const p = addProduct(
      contract,
      {
        categoryId: cat.goods.categoryId,
        productCode: uniqueJan(contract, rng),
        productName: name,
        price: String(price),
        taxDivision: '1',
        displaySequence: String(seq++),
      },
      now,
    );
    stockFor(rng, contract, p.productId, stores, warehouse.storeId, now);
  }
  for (const [name, price] of FOODS) {
    const p = addProduct(
      contract,
      {
        categoryId: cat.food.categoryId,
        productCode: uniqueJan(contract, rng),
        productName: name,
        price: String(price),
        taxDivision: '0',
        useCategoryReduceTax: '0',
        reduceTaxId: '10000001',
        displaySequence: String(seq++),
      },
      now,
    );
    stockFor(rng, contract, p.productId, stores, warehouse.storeId, now);
  }
  // Lines Renkei sends for 調整額 and for products without a code: not stock-managed.
  addProduct(
    contract,
    {
      categoryId: cat.service.categoryId,
      productCode: DEMO_PRODUCT_CODES.adjustment,
      productName: '調整額',
      price: '0',
      taxDivision: '0',
      stockControlDivision: '1',
      displayFlag: '0',
      displaySequence: String(seq++),
    },
    now,
  );
  addProduct(
    contract,
    {
      categoryId: cat.service.categoryId,
      productCode: DEMO_PRODUCT_CODES.dummy,
      productName: 'ダミー商品',
      price: '0',
      taxDivision: '0',
      stockControlDivision: '1',
      displayFlag: '0',
      displaySequence: String(seq++),
    },
    now,
  );

  const expected = Object.values(DEMO_STORE_IDS);
  const actual = [...contract.stores.keys()];
  if (expected.join() !== actual.join())
    throw new Error(`demo store IDs drifted: ${actual.join()}`);
}
