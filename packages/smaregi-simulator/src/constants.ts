import { DEMO_SMAREGI_APP } from '@renkei/config';

/**
 * Names and credentials of the demo contract, app and user (listed in
 * packages/smaregi-simulator/README.md). Other packages import these instead of repeating strings.
 * The app's credentials are Renkei's demo-mode defaults, defined once in @renkei/config.
 */
export const DEMO_CONTRACT_ID = 'sb_renkei_demo';
export const DEMO_CLIENT_ID: string = DEMO_SMAREGI_APP.clientId;
export const DEMO_CLIENT_SECRET: string = DEMO_SMAREGI_APP.clientSecret;
export const DEMO_APP_NAME = 'Renkei 受注在庫連携 (デモ)';

/** The login user of the consent screen (Smaregi logs in with 契約ID + ログインID + パスワード). */
export const DEMO_LOGIN = {
  contractId: DEMO_CONTRACT_ID,
  loginId: 'owner@renkei.example',
  password: 'renkei-demo-password',
  userId: '1',
  name: 'デモ 店長',
} as const;

/**
 * Default redirect URIs of the demo app (override with `redirectUris`): Renkei's API on port 3000
 * and the admin's dev server on 5173 (which forwards /api to the API), by both loopback names, so
 * [認証] returns to whichever origin the merchant's browser is on (its session cookie is per host).
 */
export const DEFAULT_REDIRECT_URIS = [
  'http://localhost:3000/api/smaregi/callback',
  'http://127.0.0.1:3000/api/smaregi/callback',
  'http://127.0.0.1:5173/api/smaregi/callback',
  'http://localhost:5173/api/smaregi/callback',
] as const;

/** Store IDs of the demo data (POS stores, the warehouse and the two 受注店舗 share one ID space). */
export const DEMO_STORE_IDS = {
  /** POS store 渋谷店 (division "1"). */
  shibuya: '1',
  /** POS store 吉祥寺店 (division "1"). */
  kichijoji: '2',
  /** POS store 梅田店 (division "1"). */
  umeda: '3',
  /** Warehouse 東京倉庫 (division "2"), linked to both 受注店舗. */
  warehouse: '4',
  /** 受注店舗 for 税込 shops: sellDivision "included", autoAllocation false. */
  orderStoreIncluded: '5',
  /** 受注店舗 for 税別 shops: sellDivision "excluded", autoAllocation true. */
  orderStoreExcluded: '6',
} as const;

/** Product codes the Renkei demo settings use for the 調整額 line and ダミー商品番号 lines. */
export const DEMO_PRODUCT_CODES = {
  adjustment: 'ADJUSTMENT',
  dummy: 'DUMMY',
} as const;

/** Every POS scope the simulator knows (docs/smaregi-wire.md §3). */
export const POS_SCOPES = [
  'pos.products:read',
  'pos.products:write',
  'pos.stock:read',
  'pos.stock:write',
  'pos.stock-changes:read',
  'pos.stores:read',
  'pos.stores:write',
  'pos.transactions:read',
  'pos.transactions:write',
  'pos.customers:read',
  'pos.customers:write',
] as const;

/** 受注管理 scopes [OFF developers.smaregi.dev/platform-api-reference/apis/order-shipment]. */
export const ORDER_SHIPMENT_SCOPES = [
  'order-shipment.orders:read',
  'order-shipment.orders:write',
  'order-shipment.stores:read',
  'order-shipment.stores:write',
  'order-shipment.stock:read',
] as const;

/** OpenID Connect scopes of the user flow. */
export const OIDC_SCOPES = ['openid', 'email', 'profile', 'offline_access'] as const;

/** The scopes the demo app has (and the demo contract approved). */
export const DEMO_APP_SCOPES: readonly string[] = [
  ...OIDC_SCOPES,
  'pos.products:read',
  'pos.products:write',
  'pos.stock:read',
  'pos.stock:write',
  'pos.stores:read',
  'pos.transactions:read',
  ...ORDER_SHIPMENT_SCOPES,
];
